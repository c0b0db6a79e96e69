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

use std::cmp::Ordering;

use crate::num::{cmp_digits, is_zero};
use crate::{Scheme, VersionError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Int(String),
    Str(String),
    List(Vec<Item>),
}

impl Item {
    fn is_null(&self) -> bool {
        match self {
            Item::Int(d) => is_zero(d.as_bytes()),
            Item::Str(s) => s.is_empty(),
            Item::List(l) => l.is_empty(),
        }
    }
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

/// Sort key of a qualifier: its index, or "7-<qualifier>" for unknown ones
/// (compared as strings, exactly like Maven).
fn qualifier_key(q: &str) -> (u8, &str) {
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => (i as u8, ""),
        None => (QUALIFIERS.len() as u8, q),
    }
}

fn cmp_qualifier(a: &str, b: &str) -> Ordering {
    // "7-abc" vs "7-def": same leading digit, then the qualifier text.
    qualifier_key(a).cmp(&qualifier_key(b))
}

fn string_item(s: &str, followed_by_digit: bool) -> Item {
    let s = if followed_by_digit && s.len() == 1 {
        match s {
            "a" => "alpha",
            "b" => "beta",
            "m" => "milestone",
            other => other,
        }
    } else {
        s
    };
    let s = match s {
        "ga" | "final" | "release" => "",
        "cr" => "rc",
        other => other,
    };
    Item::Str(s.to_owned())
}

fn parse_item(is_digit: bool, s: &str) -> Item {
    if is_digit {
        Item::Int(s.to_owned())
    } else {
        string_item(s, false)
    }
}

/// Builds the item tree. `path` tracks the open sub-lists.
fn parse_tree(version: &str) -> Item {
    let v = version.to_lowercase();
    let bytes = v.as_bytes();
    // Lists are built as a stack: lists[0] is the root.
    let mut lists: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut start = 0usize;
    let push_list = |lists: &mut Vec<Vec<Item>>| lists.push(Vec::new());
    for (i, &c) in bytes.iter().enumerate() {
        if c == b'.' {
            let cur = lists.last_mut().expect("root list");
            if i == start {
                cur.push(Item::Int("0".to_owned()));
            } else {
                cur.push(parse_item(is_digit, &v[start..i]));
            }
            start = i + 1;
        } else if c == b'-' {
            let cur = lists.last_mut().expect("root list");
            if i == start {
                cur.push(Item::Int("0".to_owned()));
            } else {
                cur.push(parse_item(is_digit, &v[start..i]));
            }
            start = i + 1;
            push_list(&mut lists);
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                // 1.0.0.X1 < 1.0.0-X2: treat .X as -X for a qualifier X.
                if !lists.last().expect("root list").is_empty() {
                    push_list(&mut lists);
                }
                lists
                    .last_mut()
                    .expect("root list")
                    .push(string_item(&v[start..i], true));
                start = i;
                push_list(&mut lists);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                lists
                    .last_mut()
                    .expect("root list")
                    .push(parse_item(true, &v[start..i]));
                start = i;
                push_list(&mut lists);
            }
            is_digit = false;
        }
    }
    if bytes.len() > start {
        // Treat a trailing .X as -X for a qualifier X.
        if !is_digit && !lists.last().expect("root list").is_empty() {
            push_list(&mut lists);
        }
        lists
            .last_mut()
            .expect("root list")
            .push(parse_item(is_digit, &v[start..]));
    }
    // Close the lists innermost first, normalising each and appending it to
    // its parent (each sub-list was opened as the last item of its parent).
    while lists.len() > 1 {
        let mut inner = lists.pop().expect("len > 1");
        normalize(&mut inner);
        lists.last_mut().expect("len >= 1").push(Item::List(inner));
    }
    let mut root = lists.pop().expect("root list");
    normalize(&mut root);
    Item::List(root)
}

fn normalize(list: &mut Vec<Item>) {
    let mut i = list.len();
    while i > 0 {
        i -= 1;
        if list[i].is_null() {
            list.remove(i);
        } else if !matches!(list[i], Item::List(_)) {
            break;
        }
    }
}

/// `a.compareTo(b)` where `b` may be null (missing).
pub(crate) fn cmp_item(a: &Item, b: Option<&Item>) -> Ordering {
    match (a, b) {
        (Item::Int(x), None) => {
            if is_zero(x.as_bytes()) {
                Ordering::Equal
            } else {
                Ordering::Greater
            }
        }
        (Item::Int(x), Some(Item::Int(y))) => cmp_digits(x.as_bytes(), y.as_bytes()),
        (Item::Int(_), Some(_)) => Ordering::Greater,
        (Item::Str(x), None) => cmp_qualifier(x, ""),
        (Item::Str(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::Str(x), Some(Item::Str(y))) => cmp_qualifier(x, y),
        (Item::Str(_), Some(Item::List(_))) => Ordering::Less,
        // Every item is compared with null, not just the first (MNG-6964).
        (Item::List(l), None) => l
            .iter()
            .map(|i| cmp_item(i, None))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
        (Item::List(_), Some(Item::Int(_))) => Ordering::Less,
        (Item::List(_), Some(Item::Str(_))) => Ordering::Greater,
        (Item::List(l), Some(Item::List(r))) => {
            let n = l.len().max(r.len());
            for k in 0..n {
                let ord = match (l.get(k), r.get(k)) {
                    (None, None) => Ordering::Equal,
                    (None, Some(y)) => cmp_item(y, None).reverse(),
                    (Some(x), y) => cmp_item(x, y),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            Ordering::Equal
        }
    }
}

pub(crate) fn parse(input: &str) -> Result<Item, VersionError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(VersionError::invalid(
            Scheme::Maven,
            input,
            "version string is empty",
        ));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
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
    Ok(cmp_item(&a, Some(&b)))
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
