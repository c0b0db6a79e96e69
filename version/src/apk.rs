//! Alpine versions, compared like apk-tools (src/version.c):
//! `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}`.
//!
//! Like apk-tools, versions are compared token by token even when a later
//! token is malformed (apk's own test data expects `1.0 < 1.0bc` and
//! `23_foo > 4_beta`); a version that does not start with a digit is an
//! error.

use std::cmp::Ordering;

use crate::{Scheme, VersionError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tok {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
    Invalid,
}

/// Suffix ranks: pre-release suffixes sort below "no suffix" (5).
fn suffix_value(s: &[u8]) -> Option<u8> {
    Some(match s {
        b"alpha" => 1,
        b"beta" => 2,
        b"pre" => 3,
        b"rc" => 4,
        b"cvs" => 6,
        b"svn" => 7,
        b"git" => 8,
        b"hg" => 9,
        b"p" => 10,
        _ => return None,
    })
}
const SUFFIX_NONE: u8 = 5;

struct Lexer<'a> {
    s: &'a [u8],
    pos: usize,
    tok: Tok,
    value: &'a [u8],
    suffix: u8,
}

impl<'a> Lexer<'a> {
    fn new(s: &'a [u8]) -> Self {
        let mut l = Lexer {
            s,
            pos: 0,
            tok: Tok::InitialDigit,
            value: b"",
            suffix: 0,
        };
        l.digits();
        l
    }

    fn digits(&mut self) {
        let start = self.pos;
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
            self.pos += 1;
        }
        self.value = &self.s[start..self.pos];
        if self.value.is_empty() {
            self.tok = Tok::Invalid;
        }
    }

    fn next(&mut self) {
        let Some(&c) = self.s.get(self.pos) else {
            self.tok = Tok::End;
            return;
        };
        match c {
            b'a'..=b'z' => {
                if self.tok > Tok::Digit {
                    self.tok = Tok::Invalid;
                    return;
                }
                self.value = &self.s[self.pos..self.pos + 1];
                self.tok = Tok::Letter;
                self.pos += 1;
            }
            b'.' | b'0'..=b'9' => {
                if c == b'.' {
                    if self.tok > Tok::Digit {
                        self.tok = Tok::Invalid;
                        return;
                    }
                    self.pos += 1;
                }
                self.tok = match self.tok {
                    Tok::InitialDigit | Tok::Digit => Tok::Digit,
                    Tok::Suffix => Tok::SuffixNo,
                    _ => {
                        self.tok = Tok::Invalid;
                        return;
                    }
                };
                self.digits();
            }
            b'_' => {
                if self.tok > Tok::SuffixNo {
                    self.tok = Tok::Invalid;
                    return;
                }
                self.pos += 1;
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_lowercase() {
                    self.pos += 1;
                }
                self.value = &self.s[start..self.pos];
                match suffix_value(self.value) {
                    Some(v) => {
                        self.suffix = v;
                        self.tok = Tok::Suffix;
                    }
                    None => self.tok = Tok::Invalid,
                }
            }
            b'~' => {
                if self.tok >= Tok::CommitHash {
                    self.tok = Tok::Invalid;
                    return;
                }
                self.pos += 1;
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_hexdigit() {
                    self.pos += 1;
                }
                self.value = &self.s[start..self.pos];
                self.tok = if self.value.is_empty() {
                    Tok::Invalid
                } else {
                    Tok::CommitHash
                };
            }
            b'-' => {
                if self.tok >= Tok::RevisionNo || self.s.get(self.pos + 1) != Some(&b'r') {
                    self.tok = Tok::Invalid;
                    return;
                }
                self.pos += 2;
                self.tok = Tok::RevisionNo;
                self.digits();
            }
            _ => self.tok = Tok::Invalid,
        }
    }
}

fn token_cmp(a: &Lexer<'_>, b: &Lexer<'_>) -> Ordering {
    match a.tok {
        Tok::Digit if a.value.first() == Some(&b'0') || b.value.first() == Some(&b'0') => {
            // A leading zero makes apk (like Gentoo) compare as strings.
            a.value.cmp(b.value)
        }
        Tok::Digit | Tok::InitialDigit | Tok::SuffixNo | Tok::RevisionNo => {
            crate::num::cmp_digits(a.value, b.value)
        }
        Tok::Letter => a.value.cmp(b.value),
        Tok::Suffix => a.suffix.cmp(&b.suffix),
        _ => a.value.cmp(b.value),
    }
}

fn validate(input: &str) -> Result<(), VersionError> {
    if input.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        Ok(())
    } else {
        Err(VersionError::invalid(
            Scheme::Apk,
            input,
            "does not start with a digit (digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#})",
        ))
    }
}

/// Whether apk-tools' `apk_version_validate` accepts the version.
#[cfg(test)]
pub(crate) fn is_strictly_valid(input: &str) -> bool {
    let mut l = Lexer::new(input.as_bytes());
    while l.tok < Tok::End {
        l.next();
    }
    l.tok == Tok::End
}

/// Compares two apk versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    validate(a)?;
    validate(b)?;
    let mut ta = Lexer::new(a.as_bytes());
    let mut tb = Lexer::new(b.as_bytes());
    while ta.tok == tb.tok && ta.tok < Tok::End {
        let r = token_cmp(&ta, &tb);
        if r != Ordering::Equal {
            return Ok(r);
        }
        ta.next();
        tb.next();
    }
    if ta.tok == tb.tok {
        return Ok(Ordering::Equal);
    }
    // The longer version is newer, unless what follows is a pre-release suffix.
    if ta.tok == Tok::Suffix && ta.suffix < SUFFIX_NONE {
        return Ok(Ordering::Less);
    }
    if tb.tok == Tok::Suffix && tb.suffix < SUFFIX_NONE {
        return Ok(Ordering::Greater);
    }
    Ok(if ta.tok > tb.tok {
        Ordering::Less
    } else {
        Ordering::Greater
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_validation_matches_apk_version_validate() {
        for ok in [
            "1.2.3",
            "1.2.3_rc1-r0",
            "2.9.11_pre20061021-r2",
            "1.0_alpha_pre2",
            "1.2.3~abc123-r4",
            "6b-r7",
        ] {
            assert!(is_strictly_valid(ok), "{ok}");
        }
        for bad in [
            "1.0bc",
            "23_foo",
            "1.2-3",
            "1.2_",
            "a1",
            "",
            "1.2~",
            "1.2-r1-r2",
            "1..2",
        ] {
            assert!(!is_strictly_valid(bad), "{bad}");
        }
    }

    #[test]
    fn huge_numbers_compare_by_value() {
        let a = format!("1.{}", "9".repeat(40));
        let b = format!("1.1{}", "0".repeat(40));
        assert_eq!(compare(&a, &b).unwrap(), Ordering::Less);
    }
}
