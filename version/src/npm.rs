//! npm versions and ranges, following node-semver in its default (strict,
//! no `includePrerelease`) mode: `^`, `~`, x-ranges, hyphen ranges, `||`,
//! space-separated comparator sets, and the rule that a pre-release version
//! only satisfies a set in which some comparator has a pre-release on the
//! same `major.minor.patch`.

use std::cmp::Ordering;

use crate::num::{cmp_digits_u64, increment};
use crate::semver::{self, SemVer};
use crate::{Scheme, VersionError};

/// JavaScript's `Number.MAX_SAFE_INTEGER`, node-semver's bound on numbers.
const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

fn parse_version(input: &str) -> Result<SemVer<'_>, VersionError> {
    let s = input.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let v = semver::parse_err(Scheme::Npm, s)
        .map_err(|_| VersionError::invalid(Scheme::Npm, input, "not a valid semver version"))?;
    for n in [v.major, v.minor, v.patch] {
        if cmp_digits_u64(n.as_bytes(), MAX_SAFE_INTEGER) == Ordering::Greater {
            return Err(VersionError::invalid(
                Scheme::Npm,
                input,
                "version number too large",
            ));
        }
    }
    Ok(v)
}

/// Compares two npm versions (build metadata ignored).
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse_version(a)?.cmp_precedence(&parse_version(b)?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Comparator {
    op: Op,
    major: String,
    minor: String,
    patch: String,
    pre: String,
}

impl Comparator {
    fn new(op: Op, major: &str, minor: &str, patch: &str, pre: &str) -> Self {
        Comparator {
            op,
            major: major.to_owned(),
            minor: minor.to_owned(),
            patch: patch.to_owned(),
            pre: pre.to_owned(),
        }
    }

    fn as_semver(&self) -> SemVer<'_> {
        SemVer {
            major: &self.major,
            minor: &self.minor,
            patch: &self.patch,
            pre: &self.pre,
            build: "",
        }
    }

    fn test(&self, v: &SemVer<'_>) -> bool {
        let o = v.cmp_precedence(&self.as_semver());
        match self.op {
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
            Op::Eq => o == Ordering::Equal,
        }
    }
}

/// A parsed node-semver range: OR of comparator sets; an empty set matches
/// any version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Range {
    sets: Vec<Vec<Comparator>>,
}

/// An x-range operand: `None` parts are `x`, `X`, `*` or missing.
struct XVer<'a> {
    major: Option<&'a str>,
    minor: Option<&'a str>,
    patch: Option<&'a str>,
    pre: &'a str,
}

fn xr_ident(s: &str) -> Option<(Option<&str>, &str)> {
    let b = s.as_bytes();
    match b.first()? {
        b'x' | b'X' | b'*' => Some((None, &s[1..])),
        b'0'..=b'9' => {
            let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
            let num = &s[..n];
            if n > 1 && num.starts_with('0') {
                return None;
            }
            if cmp_digits_u64(num.as_bytes(), MAX_SAFE_INTEGER) == Ordering::Greater {
                return None;
            }
            Some((Some(num), &s[n..]))
        }
        _ => None,
    }
}

/// `XRANGEPLAIN`: `[v=\s]*(xr)(?:\.(xr)(?:\.(xr)(?:-PRE)?(?:\+BUILD)?)?)?`.
fn parse_xrange(s: &str) -> Option<XVer<'_>> {
    let s = s.trim_start_matches(['v', '=', ' ', '\t']);
    let (major, rest) = xr_ident(s)?;
    let mut x = XVer {
        major,
        minor: None,
        patch: None,
        pre: "",
    };
    let Some(rest) = rest.strip_prefix('.') else {
        return rest.is_empty().then_some(x);
    };
    let (minor, rest) = xr_ident(rest)?;
    x.minor = minor;
    let Some(rest) = rest.strip_prefix('.') else {
        return rest.is_empty().then_some(x);
    };
    let (patch, rest) = xr_ident(rest)?;
    x.patch = patch;
    if rest.is_empty() {
        return Some(x);
    }
    // Pre-release and build are only valid as in a full version.
    let full = format!("0.0.0{rest}");
    let parsed = semver::parse(&full)?;
    let pre_len = parsed.pre.len();
    if pre_len > 0 {
        x.pre = &rest[1..1 + pre_len];
    }
    Some(x)
}

fn any() -> Vec<Comparator> {
    Vec::new()
}

/// `<0.0.0-0`: matches nothing.
fn nothing() -> Vec<Comparator> {
    vec![Comparator::new(Op::Lt, "0", "0", "0", "0")]
}

fn tilde(x: &XVer<'_>) -> Vec<Comparator> {
    let (Some(mj), minor, patch) = (x.major, x.minor, x.patch) else {
        return any();
    };
    match (minor, patch) {
        (None, _) => vec![
            Comparator::new(Op::Ge, mj, "0", "0", ""),
            Comparator::new(Op::Lt, &increment(mj), "0", "0", "0"),
        ],
        (Some(mn), None) => vec![
            Comparator::new(Op::Ge, mj, mn, "0", ""),
            Comparator::new(Op::Lt, mj, &increment(mn), "0", "0"),
        ],
        (Some(mn), Some(p)) => vec![
            Comparator::new(Op::Ge, mj, mn, p, x.pre),
            Comparator::new(Op::Lt, mj, &increment(mn), "0", "0"),
        ],
    }
}

fn caret(x: &XVer<'_>) -> Vec<Comparator> {
    let Some(mj) = x.major else {
        return any();
    };
    let Some(mn) = x.minor else {
        return vec![
            Comparator::new(Op::Ge, mj, "0", "0", ""),
            Comparator::new(Op::Lt, &increment(mj), "0", "0", "0"),
        ];
    };
    let Some(p) = x.patch else {
        return if mj == "0" {
            vec![
                Comparator::new(Op::Ge, mj, mn, "0", ""),
                Comparator::new(Op::Lt, mj, &increment(mn), "0", "0"),
            ]
        } else {
            vec![
                Comparator::new(Op::Ge, mj, mn, "0", ""),
                Comparator::new(Op::Lt, &increment(mj), "0", "0", "0"),
            ]
        };
    };
    let low = Comparator::new(Op::Ge, mj, mn, p, x.pre);
    let high = if mj == "0" {
        if mn == "0" {
            Comparator::new(Op::Lt, mj, mn, &increment(p), "0")
        } else {
            Comparator::new(Op::Lt, mj, &increment(mn), "0", "0")
        }
    } else {
        Comparator::new(Op::Lt, &increment(mj), "0", "0", "0")
    };
    vec![low, high]
}

fn xrange(gtlt: &str, x: &XVer<'_>) -> Vec<Comparator> {
    let xm_major = x.major.is_none();
    let xm = xm_major || x.minor.is_none();
    let xp = xm || x.patch.is_none();
    let any_x = xp;
    let mut gtlt = gtlt;
    if gtlt == "=" && any_x {
        gtlt = "";
    }
    if !any_x {
        let op = match gtlt {
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => Op::Eq,
        };
        let (mj, mn, p) = (
            x.major.unwrap_or("0"),
            x.minor.unwrap_or("0"),
            x.patch.unwrap_or("0"),
        );
        return vec![Comparator::new(op, mj, mn, p, x.pre)];
    }
    let Some(mj) = x.major else {
        return if gtlt == ">" || gtlt == "<" {
            nothing()
        } else {
            any()
        };
    };
    if !gtlt.is_empty() {
        let mut major = mj.to_owned();
        let mut minor = if xm {
            "0".to_owned()
        } else {
            x.minor.unwrap_or("0").to_owned()
        };
        let mut patch = "0".to_owned();
        let mut op = gtlt;
        if op == ">" {
            op = ">=";
            if xm {
                major = increment(&major);
                minor = "0".to_owned();
                patch = "0".to_owned();
            } else {
                minor = increment(&minor);
                patch = "0".to_owned();
            }
        } else if op == "<=" {
            op = "<";
            if xm {
                major = increment(&major);
            } else {
                minor = increment(&minor);
            }
        }
        let pre = if op == "<" { "0" } else { "" };
        let op = match op {
            "<" => Op::Lt,
            ">=" => Op::Ge,
            _ => Op::Eq,
        };
        return vec![Comparator::new(op, &major, &minor, &patch, pre)];
    }
    if xm {
        vec![
            Comparator::new(Op::Ge, mj, "0", "0", ""),
            Comparator::new(Op::Lt, &increment(mj), "0", "0", "0"),
        ]
    } else {
        let mn = x.minor.unwrap_or("0");
        vec![
            Comparator::new(Op::Ge, mj, mn, "0", ""),
            Comparator::new(Op::Lt, mj, &increment(mn), "0", "0"),
        ]
    }
}

fn hyphen(from: &XVer<'_>, to: &XVer<'_>) -> Vec<Comparator> {
    let mut out = Vec::new();
    if let Some(fm) = from.major {
        match (from.minor, from.patch) {
            (None, _) => out.push(Comparator::new(Op::Ge, fm, "0", "0", "")),
            (Some(fmn), None) => out.push(Comparator::new(Op::Ge, fm, fmn, "0", "")),
            (Some(fmn), Some(fp)) => out.push(Comparator::new(Op::Ge, fm, fmn, fp, from.pre)),
        }
    }
    if let Some(tm) = to.major {
        match (to.minor, to.patch) {
            (None, _) => out.push(Comparator::new(Op::Lt, &increment(tm), "0", "0", "0")),
            (Some(tmn), None) => out.push(Comparator::new(Op::Lt, tm, &increment(tmn), "0", "0")),
            (Some(tmn), Some(tp)) => out.push(Comparator::new(Op::Le, tm, tmn, tp, to.pre)),
        }
    }
    out
}

fn is_op_only(t: &str) -> bool {
    matches!(t, "<" | ">" | "<=" | ">=" | "=" | "~" | "~>" | "^")
}

fn parse_comparator(whole: &str, tok: &str) -> Result<Vec<Comparator>, VersionError> {
    let err = || VersionError::constraint(Scheme::Npm, whole, "invalid comparator");
    if tok.is_empty() {
        return Ok(any());
    }
    if let Some(rest) = tok.strip_prefix('~') {
        let rest = rest.strip_prefix('>').unwrap_or(rest);
        let x = parse_xrange(rest).ok_or_else(err)?;
        return Ok(tilde(&x));
    }
    if let Some(rest) = tok.strip_prefix('^') {
        let x = parse_xrange(rest).ok_or_else(err)?;
        return Ok(caret(&x));
    }
    let oplen = match tok.as_bytes() {
        [b'<' | b'>', b'=', ..] => 2,
        [b'<' | b'>' | b'=', ..] => 1,
        _ => 0,
    };
    let (gtlt, rest) = tok.split_at(oplen);
    // `>=*` and friends: replaceStars turns them into "any".
    if rest.trim_start_matches([' ', '\t']) == "*" {
        return Ok(any());
    }
    let x = parse_xrange(rest).ok_or_else(err)?;
    Ok(xrange(gtlt, &x))
}

fn parse_set(whole: &str, set: &str) -> Result<Vec<Comparator>, VersionError> {
    let tokens: Vec<&str> = set.split_ascii_whitespace().collect();
    if tokens.len() == 3 && tokens[1] == "-" {
        if let (Some(from), Some(to)) = (parse_xrange(tokens[0]), parse_xrange(tokens[2])) {
            return Ok(hyphen(&from, &to));
        }
    }
    // Glue operators to their operand (`>= 1.2.3` -> `>=1.2.3`).
    let mut merged: Vec<String> = Vec::new();
    let mut pending = String::new();
    for t in tokens {
        if is_op_only(t) {
            pending.push_str(t);
            continue;
        }
        merged.push(format!("{pending}{t}"));
        pending.clear();
    }
    if !pending.is_empty() {
        return Err(VersionError::constraint(
            Scheme::Npm,
            whole,
            "operator without a version",
        ));
    }
    let mut out = Vec::new();
    for t in &merged {
        let cs = parse_comparator(whole, t)?;
        if cs == nothing() {
            return Ok(nothing());
        }
        out.extend(cs);
    }
    Ok(out)
}

/// Parses a node-semver range.
pub(crate) fn parse_range(input: &str) -> Result<Range, VersionError> {
    let mut sets = Vec::new();
    for part in input.trim().split("||") {
        sets.push(parse_set(input, part.trim())?);
    }
    Ok(Range { sets })
}

impl Range {
    pub(crate) fn matches(&self, v: &str) -> Result<bool, VersionError> {
        let v = parse_version(v)?;
        Ok(self.sets.iter().any(|set| {
            if !set.iter().all(|c| c.test(&v)) {
                return false;
            }
            if v.pre.is_empty() {
                return true;
            }
            set.iter()
                .any(|c| !c.pre.is_empty() && v.same_triple(&c.as_semver()))
        }))
    }
}
