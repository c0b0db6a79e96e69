//! Composer (Packagist) versions and constraints, as composer/semver does
//! them: versions are normalised by `VersionParser::normalize` (to four
//! numbers plus a stability suffix, `1.0` -> `1.0.0.0`, `1.2-b3` ->
//! `1.2.0.0-beta3`) and the normalised strings are ordered with PHP's
//! `version_compare` (`dev < alpha < beta < RC < number < patch`).
//! `dev-<branch>` versions only equal themselves.

use std::cmp::Ordering;

use crate::num::cmp_digits;
use crate::{Scheme, VersionError};

// ---------------------------------------------------------------------------
// Normalisation

const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

fn starts_with_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

fn expand_stability(s: &str) -> String {
    match s.to_ascii_lowercase().as_str() {
        "a" => "alpha".to_owned(),
        "b" => "beta".to_owned(),
        "p" | "pl" => "patch".to_owned(),
        "rc" => "RC".to_owned(),
        other => other.to_owned(),
    }
}

/// The `modifierRegex` tail: `[._-]?(?:(stability)((?:[.-]?\d+)*))?([.-]?dev)?$`.
#[derive(Debug, Default, Clone)]
struct Modifier<'a> {
    stability: Option<&'a str>,
    number: &'a str,
    dev: bool,
}

fn match_dev_tail(r: &str) -> Option<bool> {
    if r.is_empty() {
        return Some(false);
    }
    let r2 = r.strip_prefix(['.', '-']).unwrap_or(r);
    if r2.eq_ignore_ascii_case("dev") {
        Some(true)
    } else {
        None
    }
}

fn match_modifier(rest: &str) -> Option<Modifier<'_>> {
    let seps: &[usize] = if rest.starts_with(['.', '_', '-']) {
        &[1, 0]
    } else {
        &[0]
    };
    for &k in seps {
        let r = &rest[k..];
        for w in STABILITIES {
            if !starts_with_ci(r, w) {
                continue;
            }
            let after = &r[w.len()..];
            // Greedy ((?:[.-]?\d+)*).
            let b = after.as_bytes();
            let mut pos = 0;
            loop {
                let mut p = pos;
                if p < b.len() && (b[p] == b'.' || b[p] == b'-') {
                    p += 1;
                }
                let n = b[p..].iter().take_while(|c| c.is_ascii_digit()).count();
                if n == 0 {
                    break;
                }
                pos = p + n;
            }
            if let Some(dev) = match_dev_tail(&after[pos..]) {
                return Some(Modifier {
                    stability: Some(&r[..w.len()]),
                    number: &after[..pos],
                    dev,
                });
            }
        }
        if let Some(dev) = match_dev_tail(r) {
            return Some(Modifier {
                stability: None,
                number: "",
                dev,
            });
        }
    }
    None
}

/// `v?(\d+)(\.\d+)?(\.\d+)?(\.\d+)?` followed by a modifier and end.
struct Classical<'a> {
    nums: [Option<&'a str>; 4],
    modifier: Modifier<'a>,
}

fn match_classical(s: &str, max_first: usize) -> Option<Classical<'_>> {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let b = s.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > max_first {
        return None;
    }
    let mut nums = [None; 4];
    nums[0] = Some(&s[..n]);
    let mut pos = n;
    for slot in nums.iter_mut().skip(1) {
        if b.get(pos) == Some(&b'.') {
            let d = b[pos + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if d > 0 {
                *slot = Some(&s[pos + 1..pos + 1 + d]);
                pos += 1 + d;
                continue;
            }
        }
        break;
    }
    let modifier = match_modifier(&s[pos..])?;
    Some(Classical { nums, modifier })
}

/// Date versions: `v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3}){0,2})` + modifier.
fn match_date(s: &str) -> Option<(&str, Modifier<'_>)> {
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    let b = s.as_bytes();
    if b.len() < 4 || !b[..4].iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    fn group(b: &[u8], pos: usize, len: usize) -> Option<usize> {
        let mut p = pos;
        if p < b.len() && matches!(b[p], b'.' | b':' | b'-') {
            p += 1;
        }
        if p + len <= b.len() && b[p..p + len].iter().all(|c| c.is_ascii_digit()) {
            Some(p + len)
        } else {
            None
        }
    }
    fn tail<'a>(s: &'a str, pos: usize, count: usize) -> Option<(usize, Modifier<'a>)> {
        let b = s.as_bytes();
        if count < 2 {
            for len in [3, 2, 1] {
                if let Some(next) = group(b, pos, len) {
                    if let Some(r) = tail(s, next, count + 1) {
                        return Some(r);
                    }
                }
            }
        }
        match_modifier(&s[pos..]).map(|m| (pos, m))
    }
    fn twos<'a>(s: &'a str, pos: usize, count: usize) -> Option<(usize, Modifier<'a>)> {
        let b = s.as_bytes();
        if count < 6 {
            if let Some(next) = group(b, pos, 2) {
                if let Some(r) = twos(s, next, count + 1) {
                    return Some(r);
                }
            }
        }
        if count >= 1 { tail(s, pos, 0) } else { None }
    }
    let (end, m) = twos(s, 4, 0)?;
    Some((&s[..end], m))
}

fn normalize_branch(name: &str) -> String {
    let name = name.trim();
    let s = name.strip_prefix(['v', 'V']).unwrap_or(name);
    let b = s.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n > 0 {
        let mut parts = vec![s[..n].to_owned()];
        let mut pos = n;
        let mut ok = true;
        while pos < b.len() {
            if b[pos] != b'.' || parts.len() == 4 {
                ok = false;
                break;
            }
            let d = b[pos + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if d > 0 {
                parts.push(s[pos + 1..pos + 1 + d].to_owned());
                pos += 1 + d;
            } else if matches!(b.get(pos + 1), Some(b'x' | b'X' | b'*')) {
                parts.push("9999999".to_owned());
                pos += 2;
            } else {
                ok = false;
                break;
            }
        }
        if ok {
            while parts.len() < 4 {
                parts.push("9999999".to_owned());
            }
            return format!("{}-dev", parts.join("."));
        }
    }
    format!("dev-{name}")
}

fn strip_alias(v: &str) -> &str {
    // ^([^,\s]+) +as +([^,\s]+)$
    if let Some(i) = v.find(" as ") {
        let (l, r) = (
            v[..i].trim_end_matches(' '),
            v[i + 4..].trim_start_matches(' '),
        );
        let tok = |t: &str| !t.is_empty() && !t.contains(|c: char| c == ',' || c.is_whitespace());
        if tok(l) && tok(r) {
            return l;
        }
    }
    v
}

fn strip_stability_flag(v: &str) -> &str {
    if let Some(i) = v.rfind('@') {
        let flag = &v[i + 1..];
        if ["stable", "RC", "beta", "alpha", "dev"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(flag))
        {
            return &v[..i];
        }
    }
    v
}

/// `VersionParser::normalize`.
pub(crate) fn normalize(input: &str) -> Result<String, VersionError> {
    let err = || VersionError::invalid(Scheme::Composer, input, "invalid version string");
    let mut v = strip_alias(input.trim());
    v = strip_stability_flag(v);
    let owned;
    if matches!(v, "master" | "trunk" | "default") {
        owned = format!("dev-{v}");
        v = &owned;
    }
    if starts_with_ci(v, "dev-") {
        let name = &v[4..];
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(err());
        }
        return Ok(format!("dev-{name}"));
    }
    // Strip build metadata: ^([^,\s+]+)\+[^\s]+$
    if let Some(i) = v.find('+') {
        let (l, r) = (&v[..i], &v[i + 1..]);
        if !l.is_empty()
            && !l.contains(|c: char| c == ',' || c.is_whitespace())
            && !r.is_empty()
            && !r.contains(char::is_whitespace)
        {
            v = l;
        }
    }
    let (mut out, modifier) = if let Some(c) = match_classical(v, 5) {
        let mut out = String::new();
        for (k, n) in c.nums.iter().enumerate() {
            if k > 0 {
                out.push('.');
            }
            out.push_str(n.unwrap_or("0"));
        }
        (out, c.modifier)
    } else if let Some((date, m)) = match_date(v) {
        (
            date.chars()
                .map(|c| if c.is_ascii_digit() { c } else { '.' })
                .collect(),
            m,
        )
    } else {
        // Numeric branches like 1.x-dev.
        // Compare bytes: the last three bytes need not be a char boundary.
        if v.len() >= 3 && v.as_bytes()[v.len() - 3..].eq_ignore_ascii_case(b"dev") {
            let mut name = &v[..v.len() - 3];
            if let Some(n) = name.strip_suffix(['.', '-']) {
                name = n;
            }
            let normalized = normalize_branch(name);
            if !normalized.contains("dev-") {
                return Ok(normalized);
            }
        }
        return Err(err());
    };
    if let Some(stab) = modifier.stability {
        if stab == "stable" {
            return Ok(out);
        }
        out.push('-');
        out.push_str(&expand_stability(stab));
        out.push_str(modifier.number.trim_start_matches(['.', '-']));
    }
    if modifier.dev {
        out.push_str("-dev");
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// PHP version_compare

fn canonicalize_php(v: &str) -> Vec<u8> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len() * 2);
    let Some((&first, rest)) = b.split_first() else {
        return out;
    };
    out.push(first);
    let mut lp = first;
    let isdig = |c: u8| c.is_ascii_digit();
    let isndig = |c: u8| !c.is_ascii_digit() && c != b'.';
    for &c in rest {
        let last = *out.last().expect("non-empty");
        if matches!(c, b'-' | b'_' | b'+') {
            if last != b'.' {
                out.push(b'.');
            }
        } else if (isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c)) {
            if last != b'.' {
                out.push(b'.');
            }
            out.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if last != b'.' {
                out.push(b'.');
            }
        } else {
            out.push(c);
        }
        lp = c;
    }
    out
}

fn special_form(s: &[u8]) -> i32 {
    const FORMS: [(&[u8], i32); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| s.starts_with(name))
        .map_or(-1, |(_, o)| *o)
}

fn php_version_compare(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let ca = if a[0] == b'#' {
        a.to_vec()
    } else {
        canonicalize_php(std::str::from_utf8(a).unwrap_or(""))
    };
    let cb = if b[0] == b'#' {
        b.to_vec()
    } else {
        canonicalize_php(std::str::from_utf8(b).unwrap_or(""))
    };
    let pa: Vec<&[u8]> = ca.split(|&c| c == b'.').collect();
    let pb: Vec<&[u8]> = cb.split(|&c| c == b'.').collect();
    let n = pa.len().min(pb.len());
    for k in 0..n {
        let (x, y) = (pa[k], pb[k]);
        let dx = x.first().is_some_and(u8::is_ascii_digit);
        let dy = y.first().is_some_and(u8::is_ascii_digit);
        let o = match (dx, dy) {
            (true, true) => {
                let lx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                let ly = y.iter().take_while(|c| c.is_ascii_digit()).count();
                cmp_digits(&x[..lx], &y[..ly])
            }
            (false, false) => special_form(x).cmp(&special_form(y)),
            (true, false) => special_form(b"#N#").cmp(&special_form(y)),
            (false, true) => special_form(x).cmp(&special_form(b"#N#")),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    if pa.len() > n {
        let rest = pa[n..].join(&b'.');
        if pa[n].first().is_some_and(u8::is_ascii_digit) {
            Ordering::Greater
        } else {
            php_version_compare(&rest, b"#N#")
        }
    } else if pb.len() > n {
        let rest = pb[n..].join(&b'.');
        if pb[n].first().is_some_and(u8::is_ascii_digit) {
            Ordering::Less
        } else {
            php_version_compare(b"#N#", &rest)
        }
    } else {
        Ordering::Equal
    }
}

fn is_branch(v: &str) -> bool {
    v.starts_with("dev-")
}

/// Compares two Composer versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let na = normalize(a)?;
    let nb = normalize(b)?;
    if is_branch(&na) && is_branch(&nb) {
        if na == nb {
            return Ok(Ordering::Equal);
        }
        return Err(VersionError::Unordered {
            scheme: Scheme::Composer,
            a: a.to_owned(),
            b: b.to_owned(),
        });
    }
    Ok(php_version_compare(na.as_bytes(), nb.as_bytes()))
}

// ---------------------------------------------------------------------------
// Constraints

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A parsed Composer constraint: OR of AND groups of `(op, normalized)`.
/// An empty AND group matches everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Constraints {
    groups: Vec<Vec<(Op, String)>>,
}

fn split_or(s: &str) -> Vec<&str> {
    // preg_split('{\s*\|\|?\s*}')
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'|' {
            let mut start = i;
            while start > last && b[start - 1].is_ascii_whitespace() {
                start -= 1;
            }
            let mut end = i + 1;
            if b.get(end) == Some(&b'|') {
                end += 1;
            }
            while end < b.len() && b[end].is_ascii_whitespace() {
                end += 1;
            }
            out.push(&s[last..start]);
            last = end;
            i = end;
        } else {
            i += 1;
        }
    }
    out.push(&s[last..]);
    out
}

fn split_and(s: &str) -> Vec<&str> {
    // preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-| *+-|as)}')
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut last = 0;
    let mut p = 0;
    'scan: while p < b.len() {
        if b[p] == b' ' || b[p] == b',' {
            let behind_ok = p != 0
                && !(p >= 2 && &b[p - 2..p] == b"as")
                && !matches!(b[p - 1], b'=' | b'>' | b'<' | b' ' | b',');
            if behind_ok {
                let run = b[p..].iter().take_while(|&&c| c == b' ').count();
                // Candidate split characters, greedy spaces first.
                let mut ks: Vec<usize> = (p..p + run).rev().collect();
                if p + run < b.len() && b[p + run] == b',' {
                    ks.insert(0, p + run);
                }
                for k in ks {
                    if k == 0 || b[k - 1] == b'-' {
                        continue;
                    }
                    let after = &b[k + 1..];
                    let spaces = after.iter().take_while(|&&c| c == b' ').count();
                    if after.first() == Some(&b'-')
                        || after.get(spaces) == Some(&b'-')
                        || after.starts_with(b"as")
                    {
                        continue;
                    }
                    out.push(&s[last..p]);
                    last = k + 1;
                    p = k + 1;
                    continue 'scan;
                }
            }
        }
        p += 1;
    }
    out.push(&s[last..]);
    out
}

/// `versionRegex` of parseConstraint: classical numbers, modifier, optional build.
fn match_version_regex(s: &str) -> Option<Classical<'_>> {
    let s = match s.find('+') {
        Some(i) if i + 1 < s.len() && !s[i + 1..].contains(char::is_whitespace) => &s[..i],
        Some(_) => return None,
        None => s,
    };
    match_classical(s, usize::MAX)
}

fn manipulate(nums: &[Option<&str>; 4], position: usize, increment: bool) -> String {
    let mut parts: [String; 4] = Default::default();
    for i in 0..4 {
        let n = nums[i].unwrap_or("0");
        parts[i] = if i + 1 > position {
            "0".to_owned()
        } else if i + 1 == position && increment {
            crate::num::increment(n)
        } else {
            n.to_owned()
        };
    }
    parts.join(".")
}

fn has_dash_modifier(s: &str) -> bool {
    // preg_match('/-' . modifierRegex . '$/', strtolower($s))
    let lower = s.to_ascii_lowercase();
    lower
        .match_indices('-')
        .any(|(i, _)| match_modifier(&lower[i + 1..]).is_some())
}

fn parse_single(whole: &str, c: &str) -> Result<Vec<(Op, String)>, VersionError> {
    let err = |reason| VersionError::constraint(Scheme::Composer, whole, reason);
    let mut c = strip_alias(c);
    if let Some(i) = c.rfind('@') {
        let flag = &c[i + 1..];
        if ["stable", "RC", "beta", "alpha", "dev"]
            .iter()
            .any(|f| f.eq_ignore_ascii_case(flag))
            && !c[..i].contains(|ch: char| ch == ',' || ch.is_whitespace())
        {
            c = if i == 0 { "*" } else { &c[..i] };
        }
    }
    // #refs on dev versions.
    if let Some(i) = c.find('#') {
        let l = &c[..i];
        if i + 1 < c.len()
            && (starts_with_ci(l, "dev-") || l.to_ascii_lowercase().ends_with(".x-dev"))
        {
            c = l;
        }
    }
    if c.is_empty() {
        return Err(err("empty constraint"));
    }
    // Match-all wildcards: ^v?[xX*](\.[xX*])*$
    {
        let s = c.strip_prefix(['v', 'V']).unwrap_or(c);
        if !s.is_empty() && s.split('.').all(|p| matches!(p, "x" | "X" | "*")) {
            return Ok(Vec::new());
        }
    }
    if c.starts_with("~>") {
        return Err(err(
            "invalid operator \"~>\", you probably meant to use the \"~\" operator",
        ));
    }
    // Tilde range.
    if let Some(rest) = c.strip_prefix('~') {
        let m = match_version_regex(rest).ok_or_else(|| err("invalid tilde constraint"))?;
        let position = m
            .nums
            .iter()
            .rposition(Option::is_some)
            .map_or(1, |p| p + 1);
        let suffix = if m.modifier.stability.is_none() && !m.modifier.dev {
            "-dev"
        } else {
            ""
        };
        let low =
            normalize(&format!("{rest}{suffix}")).map_err(|_| err("invalid tilde constraint"))?;
        let high = format!(
            "{}-dev",
            manipulate(&m.nums, position.saturating_sub(1).max(1), true)
        );
        return Ok(vec![(Op::Ge, low), (Op::Lt, high)]);
    }
    // Caret range.
    if let Some(rest) = c.strip_prefix('^') {
        let m = match_version_regex(rest).ok_or_else(|| err("invalid caret constraint"))?;
        let position = if m.nums[0] != Some("0") || m.nums[1].is_none() {
            1
        } else if m.nums[1] != Some("0") || m.nums[2].is_none() {
            2
        } else {
            3
        };
        let suffix = if m.modifier.stability.is_none() && !m.modifier.dev {
            "-dev"
        } else {
            ""
        };
        let low =
            normalize(&format!("{rest}{suffix}")).map_err(|_| err("invalid caret constraint"))?;
        let high = format!("{}-dev", manipulate(&m.nums, position, true));
        return Ok(vec![(Op::Ge, low), (Op::Lt, high)]);
    }
    // X-range: ^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$
    {
        let s = c.strip_prefix(['v', 'V']).unwrap_or(c);
        let parts: Vec<&str> = s.split('.').collect();
        let nnum = parts
            .iter()
            .take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .count();
        if (1..=3).contains(&nnum)
            && parts.len() > nnum
            && parts[nnum..].iter().all(|p| matches!(*p, "x" | "X" | "*"))
        {
            let mut nums = [None; 4];
            for (k, p) in parts[..nnum].iter().enumerate() {
                nums[k] = Some(*p);
            }
            let low = format!("{}-dev", manipulate(&nums, nnum, false));
            let high = format!("{}-dev", manipulate(&nums, nnum, true));
            if low == "0.0.0.0-dev" {
                return Ok(vec![(Op::Lt, high)]);
            }
            return Ok(vec![(Op::Ge, low), (Op::Lt, high)]);
        }
    }
    // Hyphen range: "<from> - <to>".
    if let Some(i) = c.find(" - ") {
        let from = c[..i].trim_end_matches(' ');
        let to = c[i + 3..].trim_start_matches(' ');
        if let (Some(mf), Some(mt)) = (match_version_regex(from), match_version_regex(to)) {
            let low_suffix = if mf.modifier.stability.is_none() && !mf.modifier.dev {
                "-dev"
            } else {
                ""
            };
            let low = normalize(from).map_err(|_| err("invalid hyphen range"))? + low_suffix;
            let high_version = normalize(to).map_err(|_| err("invalid hyphen range"))?;
            let has = |n: Option<&str>| n.is_some();
            if (has(mt.nums[1]) && has(mt.nums[2]))
                || mt.modifier.stability.is_some()
                || mt.modifier.dev
            {
                return Ok(vec![(Op::Ge, low), (Op::Le, high_version)]);
            }
            let pos = if mt.nums[1].is_none() { 1 } else { 2 };
            let high = format!("{}-dev", manipulate(&mt.nums, pos, true));
            return Ok(vec![(Op::Ge, low), (Op::Lt, high)]);
        }
    }
    // Basic comparators.
    let ops = [
        ("<>", Op::Ne),
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
    ];
    let (op, op_str, rest) = ops
        .iter()
        .find_map(|(p, op)| c.strip_prefix(p).map(|r| (*op, *p, r.trim_start())))
        .unwrap_or((Op::Eq, "", c));
    let version = match normalize(rest) {
        Ok(v) => v,
        Err(e) => {
            let recover = rest.len() > 4
                && rest.ends_with("-dev")
                && rest
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/'));
            if recover {
                normalize(&format!("dev-{}", &rest[..rest.len() - 4]))?
            } else {
                return Err(match e {
                    VersionError::Invalid { .. } => err("could not parse version constraint"),
                    other => other,
                });
            }
        }
    };
    let mut version = version;
    if (op_str == "<" || op_str == ">=") && !has_dash_modifier(rest) && !rest.starts_with("dev-") {
        version.push_str("-dev");
    }
    Ok(vec![(op, version)])
}

/// Parses a Composer constraint string (`>=2.5.0,<2.5.9`, `^1.2 || ~2.0`).
pub(crate) fn parse_constraints(input: &str) -> Result<Constraints, VersionError> {
    let mut groups = Vec::new();
    for or in split_or(input.trim()) {
        let mut group = Vec::new();
        for and in split_and(or) {
            group.extend(parse_single(input, and.trim())?);
        }
        groups.push(group);
    }
    Ok(Constraints { groups })
}

fn version_compare_op(a: &str, b: &str, op: Op) -> bool {
    let (ab, bb) = (is_branch(a), is_branch(b));
    if op == Op::Ne && (ab || bb) {
        return a != b;
    }
    if ab && bb {
        return op == Op::Eq && a == b;
    }
    if ab || bb {
        return false;
    }
    let o = php_version_compare(a.as_bytes(), b.as_bytes());
    match op {
        Op::Eq => o == Ordering::Equal,
        Op::Ne => o != Ordering::Equal,
        Op::Lt => o == Ordering::Less,
        Op::Le => o != Ordering::Greater,
        Op::Gt => o == Ordering::Greater,
        Op::Ge => o != Ordering::Less,
    }
}

impl Constraints {
    pub(crate) fn matches(&self, v: &str) -> Result<bool, VersionError> {
        Ok(self.matches_normalized(&normalize(v)?))
    }

    /// [`Constraints::matches`] for a version already normalized ([`normalize`]).
    pub(crate) fn matches_normalized(&self, nv: &str) -> bool {
        self.groups.iter().any(|g| {
            g.iter()
                .all(|(op, bound)| version_compare_op(nv, bound, *op))
        })
    }
}

impl Constraints {
    /// The groups as `(op, bound)` text, to compare with the new parser.
    pub(crate) fn debug_groups(&self) -> Vec<Vec<(String, String)>> {
        self.groups
            .iter()
            .map(|g| g.iter().map(|(op, b)| (format!("{op:?}"), b.clone())).collect())
            .collect()
    }
}
