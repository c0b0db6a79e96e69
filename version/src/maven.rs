//! Maven versions, compared like Maven 3.8's `ComparableVersion` (checked
//! against the maven-artifact 3.8.7 jar), and the
//! interval range syntax of `VersionRange.createFromVersionSpec` (shared with
//! NuGet ranges).
//!
//! A version is parsed into nested lists of integer and string items: `.`
//! separates items, `-` and every digit/letter transition open a sub-list,
//! trailing "null" items (0, "", empty list) are dropped, qualifiers order as
//! `alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
//! < sp < (any other, alphabetically)`.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero};
use crate::small::SmallVec;
use crate::{Scheme, VersionError};

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

/// Index of the empty qualifier (`""`, `ga`, `final`, `release`) in [`QUALIFIERS`].
const EMPTY_QUALIFIER: u8 = 5;

/// One token of a parsed version. Maven's item tree is a chain: a sub-list is
/// always the last item of its parent, so the tree is kept flat, an `Open`
/// token standing for "the remaining tokens form a list, the last item of the
/// current one". Text is referred to by byte range into the version's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tok {
    /// The integer item `0` (an empty part, as in `1..2`).
    #[default]
    Zero,
    /// An integer item: a run of ASCII digits.
    Int(u32, u32),
    /// A string item that is a known qualifier (its index in [`QUALIFIERS`]).
    Known(u8),
    /// Any other string item (compared after the known ones, alphabetically).
    Other(u32, u32),
    /// A sub-list holding every later token.
    Open,
}

/// A parsed Maven version: `ComparableVersion`'s normalised item tree, kept flat
/// ([`Tok`]) and borrowing the text while it is ASCII.
#[derive(Debug, Clone)]
pub(crate) struct Version<'a> {
    /// The version, lowercased when it is not ASCII (ASCII text is compared
    /// case-insensitively in place, which gives the same order).
    text: Cow<'a, str>,
    toks: SmallVec<Tok, 12>,
}

fn range(start: usize, end: usize) -> (u32, u32) {
    (start as u32, end as u32)
}

/// Maven's `StringItem`: aliases resolved, known qualifiers by index.
fn string_tok(v: &str, start: usize, end: usize, followed_by_digit: bool) -> Tok {
    let seg = &v[start..end];
    let is = |w: &str| seg.eq_ignore_ascii_case(w);
    let s = if followed_by_digit && seg.len() == 1 {
        if is("a") {
            "alpha"
        } else if is("b") {
            "beta"
        } else if is("m") {
            "milestone"
        } else {
            seg
        }
    } else {
        seg
    };
    let s = if ["ga", "final", "release"].iter().any(|w| s.eq_ignore_ascii_case(w)) {
        ""
    } else if s.eq_ignore_ascii_case("cr") {
        "rc"
    } else {
        s
    };
    match QUALIFIERS.iter().position(|k| s.eq_ignore_ascii_case(k)) {
        Some(i) => Tok::Known(i as u8),
        None => {
            let (a, b) = range(start, end);
            Tok::Other(a, b)
        }
    }
}

fn item_tok(v: &str, is_digit: bool, start: usize, end: usize) -> Tok {
    if is_digit {
        let (a, b) = range(start, end);
        Tok::Int(a, b)
    } else {
        string_tok(v, start, end, false)
    }
}

fn is_null(t: Tok, text: &[u8]) -> bool {
    match t {
        Tok::Zero => true,
        Tok::Int(a, b) => is_zero(&text[a as usize..b as usize]),
        Tok::Known(k) => k == EMPTY_QUALIFIER,
        Tok::Other(..) | Tok::Open => false,
    }
}

/// Builds the (flat) item tree of `ComparableVersion.parseVersion`.
fn parse_tree(version: &str) -> Version<'_> {
    let text: Cow<'_, str> = if version.is_ascii() {
        Cow::Borrowed(version)
    } else {
        Cow::Owned(version.to_lowercase())
    };
    let v: &str = &text;
    let bytes = v.as_bytes();
    let mut toks: SmallVec<Tok, 12> = SmallVec::new();
    // The list being filled is empty right after its `Open` (or at the start).
    let cur_empty = |toks: &SmallVec<Tok, 12>| toks.last().is_none_or(|t| *t == Tok::Open);
    let mut is_digit = false;
    let mut start = 0usize;
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'.' || c == b'-' {
            if i == start {
                toks.push(Tok::Zero);
            } else {
                toks.push(item_tok(v, is_digit, start, i));
            }
            start = i + 1;
            if c == b'-' {
                toks.push(Tok::Open);
            }
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for a qualifier X.
                if !cur_empty(&toks) {
                    toks.push(Tok::Open);
                }
                toks.push(string_tok(v, start, i, true));
                start = i;
                toks.push(Tok::Open);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                toks.push(item_tok(v, true, start, i));
                start = i;
                toks.push(Tok::Open);
            }
            is_digit = false;
        }
    }
    if bytes.len() > start {
        // Treat a trailing .X as -X for a qualifier X.
        if !is_digit && !cur_empty(&toks) {
            toks.push(Tok::Open);
        }
        toks.push(item_tok(v, is_digit, start, bytes.len()));
    }
    // Normalise the lists innermost first: drop each list's trailing null items
    // (a non-empty sub-list is skipped over, an empty one is dropped).
    let mut hi = toks.len();
    let mut has_sub = false;
    loop {
        let lo = toks.as_slice()[..hi]
            .iter()
            .rposition(|t| *t == Tok::Open)
            .map_or(0, |p| p + 1);
        let mut k = hi;
        while k > lo && is_null(toks.as_slice()[k - 1], bytes) {
            k -= 1;
        }
        toks.remove_range(k, hi);
        if lo == 0 {
            break;
        }
        let open = lo - 1;
        if k == lo && !has_sub {
            // Empty: dropped from its parent, of which it was the last item.
            toks.truncate(open);
            has_sub = false;
        } else {
            has_sub = true;
        }
        hi = open;
    }
    Version { text, toks }
}

/// An item of a list: what `ComparableVersion`'s `Item`s are.
#[derive(Clone, Copy)]
enum ItemRef<'t> {
    Int(&'t [u8]),
    /// Qualifier index and, for unknown qualifiers, the text (ASCII case ignored).
    Str(u8, &'t [u8]),
    List(&'t [Tok], &'t [u8]),
}

/// The items of the list made of `toks`.
struct Items<'t> {
    toks: &'t [Tok],
    text: &'t [u8],
}

impl<'t> Iterator for Items<'t> {
    type Item = ItemRef<'t>;

    fn next(&mut self) -> Option<ItemRef<'t>> {
        let (&t, rest) = self.toks.split_first()?;
        let text = self.text;
        self.toks = rest;
        Some(match t {
            Tok::Zero => ItemRef::Int(b"0"),
            Tok::Int(a, b) => ItemRef::Int(&text[a as usize..b as usize]),
            Tok::Known(k) => ItemRef::Str(k, b""),
            Tok::Other(a, b) => ItemRef::Str(QUALIFIERS.len() as u8, &text[a as usize..b as usize]),
            Tok::Open => {
                self.toks = &[];
                ItemRef::List(rest, text)
            }
        })
    }
}

fn items<'t>(toks: &'t [Tok], text: &'t [u8]) -> Items<'t> {
    Items { toks, text }
}

/// Qualifier order: known ones by index, then the others alphabetically (as
/// Maven compares "7-<qualifier>" strings).
fn cmp_qualifier(a: (u8, &[u8]), b: (u8, &[u8])) -> Ordering {
    a.0.cmp(&b.0).then_with(|| {
        a.1.iter()
            .map(u8::to_ascii_lowercase)
            .cmp(b.1.iter().map(u8::to_ascii_lowercase))
    })
}

/// `a.compareTo(b)` where `b` may be null (missing).
fn cmp_item(a: ItemRef<'_>, b: Option<ItemRef<'_>>) -> Ordering {
    match (a, b) {
        (ItemRef::Int(x), None) => {
            if is_zero(x) {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (ItemRef::Int(x), Some(ItemRef::Int(y))) => cmp_digits(x, y),
        (ItemRef::Int(_), Some(_)) => Ordering::Greater,
        (ItemRef::Str(k, x), None) => cmp_qualifier((k, x), (EMPTY_QUALIFIER, b"")),
        (ItemRef::Str(..), Some(ItemRef::Int(_))) => Ordering::Less,
        (ItemRef::Str(k, x), Some(ItemRef::Str(l, y))) => cmp_qualifier((k, x), (l, y)),
        (ItemRef::Str(..), Some(ItemRef::List(..))) => Ordering::Less,
        // Every item is compared with null, not just the first (MNG-6964).
        (ItemRef::List(l, t), None) => items(l, t)
            .map(|i| cmp_item(i, None))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
        (ItemRef::List(..), Some(ItemRef::Int(_))) => Ordering::Less,
        (ItemRef::List(..), Some(ItemRef::Str(..))) => Ordering::Greater,
        (ItemRef::List(l, tl), Some(ItemRef::List(r, tr))) => {
            let (mut li, mut ri) = (items(l, tl), items(r, tr));
            loop {
                let ord = match (li.next(), ri.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(y)) => cmp_item(y, None).reverse(),
                    (Some(x), y) => cmp_item(x, y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

/// Compares two parsed versions.
pub(crate) fn cmp(a: &Version<'_>, b: &Version<'_>) -> Ordering {
    cmp_item(
        ItemRef::List(a.toks.as_slice(), a.text.as_bytes()),
        Some(ItemRef::List(b.toks.as_slice(), b.text.as_bytes())),
    )
}

pub(crate) fn parse(input: &str) -> Result<Version<'_>, VersionError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(VersionError::invalid(
            Scheme::Maven,
            input,
            "version string is empty",
        ));
    }
    let bad = |c: char| c.is_whitespace() || c.is_control();
    // ASCII whitespace and controls are the bytes up to ' ' and DEL.
    let has_bad = if s.is_ascii() {
        s.bytes().any(|b| b <= b' ' || b == 0x7f)
    } else {
        s.chars().any(bad)
    };
    if has_bad {
        return Err(VersionError::invalid(
            Scheme::Maven,
            input,
            "version string has spaces or control characters",
        ));
    }
    Ok(parse_tree(s))
}

/// Compares two Maven versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let a = parse(a)?;
    let b = parse(b)?;
    Ok(cmp(&a, &b))
}

// ---------------------------------------------------------------------------
// Interval ranges: `[1.0,2.0)`, `(,1.0]`, `[1.2]`, `(,1.0],[1.2,)`.

/// One `[lower,upper)` restriction; versions are kept as text and compared
/// with the range's scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restriction {
    pub(crate) lower: Option<String>,
    pub(crate) lower_inclusive: bool,
    pub(crate) upper: Option<String>,
    pub(crate) upper_inclusive: bool,
}

/// How a bare version (no brackets) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bare {
    /// Exactly that version (Maven: a "soft" requirement, treated as exact
    /// for vulnerability matching).
    Exact,
    /// That version or newer (NuGet).
    AtLeast,
}

/// Parses an interval range specification, validating bounds with `scheme`.
pub(crate) fn parse_ranges(
    scheme: Scheme,
    spec: &str,
    bare: Bare,
) -> Result<Vec<Restriction>, VersionError> {
    let err = |reason| VersionError::constraint(scheme, spec, reason);
    let cmp = |a: &str, b: &str| crate::compare(scheme, a, b);
    let mut process = spec.trim();
    let mut out: Vec<Restriction> = Vec::new();
    let mut upper_bound: Option<String> = None;
    let mut first = true;
    while process.starts_with('[') || process.starts_with('(') {
        let i1 = process.find(')');
        let i2 = process.find(']');
        let index = match (i1, i2) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => return Err(err("unbounded range")),
        };
        let r = parse_restriction(scheme, spec, &process[..=index])?;
        if !first {
            match (&r.lower, &upper_bound) {
                (None, _) => return Err(err("ranges overlap")),
                (Some(l), Some(u)) if cmp(l, u)? == Ordering::Less => {
                    return Err(err("ranges overlap"));
                }
                _ => {}
            }
        }
        first = false;
        upper_bound = r.upper.clone();
        out.push(r);
        process = process[index + 1..].trim();
        if let Some(rest) = process.strip_prefix(',') {
            process = rest.trim();
        }
    }
    if !process.is_empty() {
        if !out.is_empty() {
            return Err(err(
                "only fully-qualified sets allowed in multiple set scenario",
            ));
        }
        crate::validate(scheme, process)?;
        out.push(match bare {
            Bare::Exact => Restriction {
                lower: Some(process.to_owned()),
                lower_inclusive: true,
                upper: Some(process.to_owned()),
                upper_inclusive: true,
            },
            Bare::AtLeast => Restriction {
                lower: Some(process.to_owned()),
                lower_inclusive: true,
                upper: None,
                upper_inclusive: false,
            },
        });
    }
    if out.is_empty() {
        return Err(err("empty range"));
    }
    Ok(out)
}

fn parse_restriction(scheme: Scheme, whole: &str, spec: &str) -> Result<Restriction, VersionError> {
    let err = |reason| VersionError::constraint(scheme, whole, reason);
    let lower_inclusive = spec.starts_with('[');
    let upper_inclusive = spec.ends_with(']');
    let inner = spec[1..spec.len() - 1].trim();
    match inner.find(',') {
        None => {
            if !lower_inclusive || !upper_inclusive {
                return Err(err("single version must be surrounded by []"));
            }
            crate::validate(scheme, inner)?;
            Ok(Restriction {
                lower: Some(inner.to_owned()),
                lower_inclusive,
                upper: Some(inner.to_owned()),
                upper_inclusive,
            })
        }
        Some(i) => {
            let lo = inner[..i].trim();
            let hi = inner[i + 1..].trim();
            if lo == hi {
                return Err(err("range cannot have identical boundaries"));
            }
            if !lo.is_empty() {
                crate::validate(scheme, lo)?;
            }
            if !hi.is_empty() {
                crate::validate(scheme, hi)?;
            }
            if !lo.is_empty() && !hi.is_empty() && crate::compare(scheme, hi, lo)? == Ordering::Less
            {
                return Err(err("range defies version ordering"));
            }
            Ok(Restriction {
                lower: (!lo.is_empty()).then(|| lo.to_owned()),
                lower_inclusive,
                upper: (!hi.is_empty()).then(|| hi.to_owned()),
                upper_inclusive,
            })
        }
    }
}

impl Restriction {
    pub(crate) fn contains(&self, scheme: Scheme, v: &str) -> Result<bool, VersionError> {
        if let Some(lo) = &self.lower {
            match crate::compare(scheme, lo, v)? {
                Ordering::Greater => return Ok(false),
                Ordering::Equal if !self.lower_inclusive => return Ok(false),
                _ => {}
            }
        }
        if let Some(hi) = &self.upper {
            match crate::compare(scheme, hi, v)? {
                Ordering::Less => return Ok(false),
                Ordering::Equal if !self.upper_inclusive => return Ok(false),
                _ => {}
            }
        }
        Ok(true)
    }
}
