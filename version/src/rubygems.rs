//! RubyGems `Gem::Version` and `Gem::Requirement`.
//!
//! A version is split into numeric and alphabetic segments (`1.2.b1` ->
//! `1, 2, "b", 1`; `-` means `.pre.`); any letter makes it a pre-release;
//! trailing zeros of the numeric part and of the string part are ignored;
//! a string segment sorts before a number.

use std::cmp::Ordering;

use crate::num::{cmp_digits, increment, is_zero};
use crate::{Scheme, VersionError};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Num(String),
    Str(String),
}

impl Seg {
    fn is_zero(&self) -> bool {
        matches!(self, Seg::Num(d) if is_zero(d.as_bytes()))
    }
}

fn valid(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let (main, pre) = match s.find('-') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = main.split('.');
    let first = parts.next().unwrap_or("");
    if first.is_empty() || !first.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if !parts.all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_alphanumeric())) {
        return false;
    }
    match pre {
        None => true,
        Some(p) => p
            .split('.')
            .all(|id| !id.is_empty() && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')),
    }
}

fn segments(input: &str) -> Result<Vec<Seg>, VersionError> {
    let s = input.trim();
    if !valid(s) {
        return Err(VersionError::invalid(
            Scheme::RubyGems,
            input,
            "malformed version number string",
        ));
    }
    let s = if s.is_empty() { "0" } else { s };
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let n = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            out.push(Seg::Num(s[i..i + n].to_owned()));
            i += n;
        } else if c.is_ascii_alphabetic() {
            let n = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            out.push(Seg::Str(s[i..i + n].to_owned()));
            i += n;
        } else if c == b'-' {
            // `-` is read as `.pre.`.
            out.push(Seg::Str("pre".to_owned()));
            i += 1;
        } else {
            i += 1;
        }
    }
    Ok(out)
}

/// Drops trailing zeros of the numeric prefix and of the rest.
fn canonical(segs: &[Seg]) -> Vec<&Seg> {
    let split = segs
        .iter()
        .position(|s| matches!(s, Seg::Str(_)))
        .unwrap_or(segs.len());
    let mut out: Vec<&Seg> = Vec::with_capacity(segs.len());
    for part in [&segs[..split], &segs[split..]] {
        let keep = part.len() - part.iter().rev().take_while(|s| s.is_zero()).count();
        out.extend(&part[..keep]);
    }
    out
}

fn cmp_segs(a: &[Seg], b: &[Seg]) -> Ordering {
    let ca = canonical(a);
    let cb = canonical(b);
    let zero = Seg::Num("0".to_owned());
    let n = ca.len().max(cb.len());
    for k in 0..n {
        let x = ca.get(k).copied().unwrap_or(&zero);
        let y = cb.get(k).copied().unwrap_or(&zero);
        let o = match (x, y) {
            (Seg::Num(p), Seg::Num(q)) => cmp_digits(p.as_bytes(), q.as_bytes()),
            (Seg::Str(_), Seg::Num(_)) => Ordering::Less,
            (Seg::Num(_), Seg::Str(_)) => Ordering::Greater,
            (Seg::Str(p), Seg::Str(q)) => p.cmp(q),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Compares two RubyGems versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(cmp_segs(&segments(a)?, &segments(b)?))
}

// ---------------------------------------------------------------------------
// Requirements

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Pessimistic,
}

/// One requirement such as `~> 2.2.1` or `>= 3.0.0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Requirement {
    op: Op,
    version: Vec<Seg>,
    /// For `~>`: the exclusive upper bound (`bump`).
    bump: Vec<Seg>,
}

/// Parses a comma-separated list of requirements; all must hold.
pub(crate) fn parse_requirements(input: &str) -> Result<Vec<Requirement>, VersionError> {
    let mut out = Vec::new();
    for item in input.split(',') {
        out.push(parse_requirement(input, item)?);
    }
    Ok(out)
}

fn parse_requirement(whole: &str, item: &str) -> Result<Requirement, VersionError> {
    let err = |reason| VersionError::constraint(Scheme::RubyGems, whole, reason);
    let s = item.trim();
    let ops = [
        ("~>", Op::Pessimistic),
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(p, op)| s.strip_prefix(p).map(|r| (*op, r.trim())))
        .unwrap_or((Op::Eq, s));
    if rest.is_empty() || !rest.as_bytes()[0].is_ascii_digit() {
        return Err(err("illformed requirement"));
    }
    let version = segments(rest).map_err(|_| err("illformed requirement"))?;
    let bump = if op == Op::Pessimistic {
        bump(&version)
    } else {
        Vec::new()
    };
    Ok(Requirement { op, version, bump })
}

/// `Gem::Version#bump`: drop string segments, drop the last number (unless
/// it is the only one), increment the new last number.
fn bump(v: &[Seg]) -> Vec<Seg> {
    let mut segs: Vec<Seg> = v.to_vec();
    while segs.iter().any(|s| matches!(s, Seg::Str(_))) {
        segs.pop();
    }
    if segs.len() > 1 {
        segs.pop();
    }
    if let Some(Seg::Num(d)) = segs.last_mut() {
        *d = increment(d);
    }
    segs
}

/// `Gem::Version#release`: the version without its pre-release part.
fn release(v: &[Seg]) -> Vec<Seg> {
    let mut segs: Vec<Seg> = v.to_vec();
    while segs.iter().any(|s| matches!(s, Seg::Str(_))) {
        segs.pop();
    }
    segs
}

impl Requirement {
    pub(crate) fn satisfied_by(&self, v: &str) -> Result<bool, VersionError> {
        let segs = segments(v)?;
        let o = cmp_segs(&segs, &self.version);
        Ok(match self.op {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Gt => o == Ordering::Greater,
            Op::Lt => o == Ordering::Less,
            Op::Ge => o != Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Pessimistic => {
                o != Ordering::Less && cmp_segs(&release(&segs), &self.bump) == Ordering::Less
            }
        })
    }
}
