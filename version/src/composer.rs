//! Composer (Packagist) versions and constraints, as composer/semver does
//! them: versions are normalised by `VersionParser::normalize` (to four
//! numbers plus a stability suffix, `1.0` -> `1.0.0.0`, `1.2-b3` ->
//! `1.2.0.0-beta3`) and the normalised strings are ordered with PHP's
//! `version_compare` (`dev < alpha < beta < RC < number < patch`).
//! `dev-<branch>` versions only equal themselves.

use std::cmp::Ordering;

use crate::num::cmp_digits;
use crate::small::{SmallStr, SmallVec};
use crate::{Scheme, VersionError};

// ---------------------------------------------------------------------------
// Normalisation

const STABILITIES: [&str; 9] = [
    "stable", "beta", "b", "RC", "alpha", "a", "patch", "pl", "p",
];

fn starts_with_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

/// composer/semver's `expandStability`, on a stability word matched (case-insensitively)
/// from `STABILITIES`.
fn expand_stability(s: &str, out: &mut Norm) {
    const MAP: [(&str, &str); 9] = [
        ("a", "alpha"),
        ("b", "beta"),
        ("p", "patch"),
        ("pl", "patch"),
        ("rc", "RC"),
        ("alpha", "alpha"),
        ("beta", "beta"),
        ("patch", "patch"),
        ("stable", "stable"),
    ];
    match MAP.iter().find(|(k, _)| s.eq_ignore_ascii_case(k)) {
        Some((_, v)) => out.push_str(v),
        None => s.bytes().for_each(|c| out.push(c.to_ascii_lowercase())),
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
    if rest.is_empty() {
        // What the search below finds for "" (no stability word matches, no dev tail).
        return Some(Modifier::default());
    }
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

/// The numeric-branch form of `normalizeBranch` (`1.x` -> `1.9999999.9999999.9999999-dev`),
/// appended to `out`; false (and `out` untouched) when `name` is not numeric, where
/// composer/semver would answer `dev-<name>`.
fn normalize_numeric_branch(name: &str, out: &mut Norm) -> bool {
    let name = name.trim();
    let s = name.strip_prefix(['v', 'V']).unwrap_or(name);
    let b = s.as_bytes();
    let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 {
        return false;
    }
    let mark = out.len();
    out.push_str(&s[..n]);
    let mut parts = 1;
    let mut pos = n;
    while pos < b.len() {
        if b[pos] != b'.' || parts == 4 {
            out.truncate(mark);
            return false;
        }
        let d = b[pos + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if d > 0 {
            out.push(b'.');
            out.push_str(&s[pos + 1..pos + 1 + d]);
            pos += 1 + d;
        } else if matches!(b.get(pos + 1), Some(b'x' | b'X' | b'*')) {
            out.push_str(".9999999");
            pos += 2;
        } else {
            out.truncate(mark);
            return false;
        }
        parts += 1;
    }
    while parts < 4 {
        out.push_str(".9999999");
        parts += 1;
    }
    out.push_str("-dev");
    true
}

/// `s.find(pat)` for a short ASCII `pat`, without the substring searcher's set-up
/// (which costs more than the scan on these short strings).
fn find_ascii(s: &str, pat: &str) -> Option<usize> {
    let (h, p) = (s.as_bytes(), pat.as_bytes());
    let first = *p.first()?;
    (0..(h.len() + 1).saturating_sub(p.len())).find(|&i| h[i] == first && h[i..].starts_with(p))
}

fn strip_alias(v: &str) -> &str {
    // ^([^,\s]+) +as +([^,\s]+)$
    if let Some(i) = find_ascii(v, " as ") {
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

/// A normalized version (or a constraint's bounds), on the stack while short.
pub(crate) type Norm = SmallStr<64>;

/// `VersionParser::normalize`.
pub(crate) fn normalize(input: &str) -> Result<String, VersionError> {
    let mut out = Norm::new();
    normalize_into(input, &mut out)?;
    Ok(out.as_str().to_owned())
}

/// [`normalize`], appending the normalized form to `out` (left as it was on error).
pub(crate) fn normalize_into(input: &str, out: &mut Norm) -> Result<(), VersionError> {
    let mark = out.len();
    if normalize_append(input, out) {
        Ok(())
    } else {
        out.truncate(mark);
        Err(VersionError::invalid(Scheme::Composer, input, "invalid version string"))
    }
}

fn normalize_append(input: &str, out: &mut Norm) -> bool {
    let mut v = strip_alias(input.trim());
    v = strip_stability_flag(v);
    if matches!(v, "master" | "trunk" | "default") {
        out.push_str("dev-");
        out.push_str(v);
        return true;
    }
    if starts_with_ci(v, "dev-") {
        let name = &v[4..];
        if name.is_empty() || name.contains(char::is_whitespace) {
            return false;
        }
        out.push_str("dev-");
        out.push_str(name);
        return true;
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
    let modifier = if let Some(c) = match_classical(v, 5) {
        for (k, n) in c.nums.iter().enumerate() {
            if k > 0 {
                out.push(b'.');
            }
            out.push_str(n.unwrap_or("0"));
        }
        c.modifier
    } else if let Some((date, m)) = match_date(v) {
        // The date part is ASCII digits and separators.
        for c in date.bytes() {
            out.push(if c.is_ascii_digit() { c } else { b'.' });
        }
        m
    } else {
        // Numeric branches like 1.x-dev.
        // Compare bytes: the last three bytes need not be a char boundary.
        if v.len() >= 3 && v.as_bytes()[v.len() - 3..].eq_ignore_ascii_case(b"dev") {
            let mut name = &v[..v.len() - 3];
            if let Some(n) = name.strip_suffix(['.', '-']) {
                name = n;
            }
            return normalize_numeric_branch(name, out);
        }
        return false;
    };
    if let Some(stab) = modifier.stability {
        if stab == "stable" {
            return true;
        }
        out.push(b'-');
        expand_stability(stab, out);
        out.push_str(modifier.number.trim_start_matches(['.', '-']));
    }
    if modifier.dev {
        out.push_str("-dev");
    }
    true
}

// ---------------------------------------------------------------------------
// PHP version_compare

/// PHP's canonical form (`php_canonicalize_version`); bytes that are not
/// UTF-8 canonicalize to nothing, as before.
fn canonicalize_php(b: &[u8], out: &mut Canon) {
    if std::str::from_utf8(b).is_err() {
        return;
    }
    let Some((&first, rest)) = b.split_first() else {
        return;
    };
    out.push(first);
    let mut last = first;
    let mut lp = first;
    let isdig = |c: u8| c.is_ascii_digit();
    let isndig = |c: u8| !c.is_ascii_digit() && c != b'.';
    for &c in rest {
        if matches!(c, b'-' | b'_' | b'+') {
            if last != b'.' {
                out.push(b'.');
                last = b'.';
            }
        } else if (isndig(lp) && isdig(c)) || (isdig(lp) && isndig(c)) {
            if last != b'.' {
                out.push(b'.');
            }
            out.push(c);
            last = c;
        } else if !c.is_ascii_alphanumeric() {
            if last != b'.' {
                out.push(b'.');
                last = b'.';
            }
        } else {
            out.push(c);
            last = c;
        }
        lp = c;
    }
}

type Canon = SmallVec<u8, 96>;

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

/// `special_form(b"#N#")`: a number compared with a word.
const NUMBER_FORM: i32 = 4;

fn php_version_compare(a: &[u8], b: &[u8]) -> Ordering {
    php_compare_canonical_a(a, &canonical(a), b)
}

/// The canonical form `php_version_compare` compares (`#`-led strings are kept as they are).
fn canonical(a: &[u8]) -> Canon {
    let mut ca = Canon::new();
    if a.first() == Some(&b'#') {
        ca.extend_from_slice(a);
    } else {
        canonicalize_php(a, &mut ca);
    }
    ca
}

/// `php_version_compare(a, b)` with `ca == canonical(a)` already computed.
fn php_compare_canonical_a(a: &[u8], ca: &Canon, b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    compare_canonical(ca.as_slice(), canonical(b).as_slice())
}

fn compare_canonical(ca: &[u8], cb: &[u8]) -> Ordering {
    let mut pa = ca.split(|&c| c == b'.');
    let mut pb = cb.split(|&c| c == b'.');
    // Offsets of the current parts, for the remainders (the parts joined back with '.').
    let (mut oa, mut ob) = (0, 0);
    loop {
        match (pa.next(), pb.next()) {
            (Some(x), Some(y)) => {
                let dx = x.first().is_some_and(u8::is_ascii_digit);
                let dy = y.first().is_some_and(u8::is_ascii_digit);
                let o = match (dx, dy) {
                    (true, true) => {
                        let lx = x.iter().take_while(|c| c.is_ascii_digit()).count();
                        let ly = y.iter().take_while(|c| c.is_ascii_digit()).count();
                        cmp_digits(&x[..lx], &y[..ly])
                    }
                    (false, false) => special_form(x).cmp(&special_form(y)),
                    (true, false) => NUMBER_FORM.cmp(&special_form(y)),
                    (false, true) => special_form(x).cmp(&NUMBER_FORM),
                };
                if o != Ordering::Equal {
                    return o;
                }
                oa += x.len() + 1;
                ob += y.len() + 1;
            }
            (None, None) => return Ordering::Equal,
            (Some(x), None) => {
                return if x.first().is_some_and(u8::is_ascii_digit) {
                    Ordering::Greater
                } else {
                    php_version_compare(&ca[oa..], b"#N#")
                };
            }
            (None, Some(y)) => {
                return if y.first().is_some_and(u8::is_ascii_digit) {
                    Ordering::Less
                } else {
                    php_version_compare(b"#N#", &cb[ob..])
                };
            }
        }
    }
}

fn is_branch(v: &str) -> bool {
    v.starts_with("dev-")
}

/// Compares two Composer versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    let mut na = Norm::new();
    let mut nb = Norm::new();
    normalize_into(a, &mut na)?;
    normalize_into(b, &mut nb)?;
    let (na, nb) = (na.as_str(), nb.as_str());
    if is_branch(na) && is_branch(nb) {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Op {
    #[default]
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One comparator: `op` against the normalized bound `text[start..end]`, in AND group `group`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Term {
    group: u32,
    op: Op,
    start: u32,
    end: u32,
}

/// A parsed Composer constraint: OR of AND groups of `(op, normalized)`.
/// An empty AND group matches everything. The normalized bounds are stored
/// one after the other in `text` (no allocation for the usual few short bounds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Constraints {
    groups: u32,
    terms: SmallVec<Term, 4>,
    text: Norm,
}

impl Constraints {
    /// Starts a comparator whose bound is appended to `text` next.
    fn begin(&self) -> usize {
        self.text.len()
    }

    /// Ends the comparator begun at `start` (its bound is `text[start..]`).
    fn term(&mut self, op: Op, start: usize) {
        self.terms.push(Term {
            group: self.groups,
            op,
            start: start as u32,
            end: self.text.len() as u32,
        });
    }

    fn bound(&self, t: &Term) -> &str {
        let s = self.text.as_slice();
        std::str::from_utf8(&s[t.start as usize..t.end as usize]).unwrap_or("")
    }
}

/// Byte ranges of `s` split by `preg_split('{\s*\|\|?\s*}')`.
fn split_or(s: &str) -> SmallVec<(usize, usize), 8> {
    let mut out = SmallVec::new();
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
            out.push((last, start));
            last = end;
            i = end;
        } else {
            i += 1;
        }
    }
    out.push((last, s.len()));
    out
}

/// Byte ranges of `s` split by
/// `preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-| *+-|as)}')`.
fn split_and(s: &str) -> SmallVec<(usize, usize), 8> {
    let b = s.as_bytes();
    let mut out = SmallVec::new();
    let mut last = 0;
    let mut p = 0;
    'scan: while p < b.len() {
        if b[p] == b' ' || b[p] == b',' {
            let behind_ok = p != 0
                && !(p >= 2 && &b[p - 2..p] == b"as")
                && !matches!(b[p - 1], b'=' | b'>' | b'<' | b' ' | b',');
            if behind_ok {
                let run = b[p..].iter().take_while(|&&c| c == b' ').count();
                // Candidate split characters: a comma after the spaces, then the
                // spaces, greedy (last) first.
                let comma = (p + run < b.len() && b[p + run] == b',').then_some(p + run);
                for k in comma.into_iter().chain((p..p + run).rev()) {
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
                    out.push((last, p));
                    last = k + 1;
                    p = k + 1;
                    continue 'scan;
                }
            }
        }
        p += 1;
    }
    out.push((last, s.len()));
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

/// Appends the decimal digit string `a` plus one.
fn push_increment(a: &str, out: &mut Norm) {
    let d = a.trim_start_matches('0').as_bytes();
    // The last digit that is not 9 takes the carry; the 9s after it become 0s.
    match d.iter().rposition(|&c| c != b'9') {
        Some(k) => {
            out.extend_from_slice(&d[..k]);
            out.push(d[k] + 1);
            d[k + 1..].iter().for_each(|_| out.push(b'0'));
        }
        None => {
            out.push(b'1');
            d.iter().for_each(|_| out.push(b'0'));
        }
    }
}

/// composer/semver's `manipulateVersionString` (numbers after `position` zeroed, the
/// one at `position` incremented if asked), followed by `-dev`.
fn manipulate_dev(nums: &[Option<&str>; 4], position: usize, increment: bool, out: &mut Norm) {
    for (i, n) in nums.iter().enumerate() {
        if i > 0 {
            out.push(b'.');
        }
        let n = n.unwrap_or("0");
        if i + 1 > position {
            out.push(b'0');
        } else if i + 1 == position && increment {
            push_increment(n, out);
        } else {
            out.push_str(n);
        }
    }
    out.push_str("-dev");
}

fn has_dash_modifier(s: &str) -> bool {
    // preg_match('/-' . modifierRegex . '$/', strtolower($s)); the modifier match
    // is case-insensitive already.
    s.match_indices('-')
        .any(|(i, _)| match_modifier(&s[i + 1..]).is_some())
}

fn ends_with_ci(s: &str, p: &str) -> bool {
    s.len() >= p.len() && s.as_bytes()[s.len() - p.len()..].eq_ignore_ascii_case(p.as_bytes())
}

/// `normalize(a + b)` appended to `out`, without building the joined string on the heap.
fn normalize_joined(a: &str, b: &str, out: &mut Norm) -> Result<(), VersionError> {
    let mut joined = SmallStr::<96>::new();
    joined.push_str(a);
    joined.push_str(b);
    normalize_into(joined.as_str(), out)
}

/// Parses one constraint of an AND group, appending its comparators to `cs`.
fn parse_single(whole: &str, c: &str, cs: &mut Constraints) -> Result<(), VersionError> {
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
        if i + 1 < c.len() && (starts_with_ci(l, "dev-") || ends_with_ci(l, ".x-dev")) {
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
            return Ok(());
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
        let low = cs.begin();
        normalize_joined(rest, suffix, &mut cs.text).map_err(|_| err("invalid tilde constraint"))?;
        cs.term(Op::Ge, low);
        let high = cs.begin();
        manipulate_dev(&m.nums, position.saturating_sub(1).max(1), true, &mut cs.text);
        cs.term(Op::Lt, high);
        return Ok(());
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
        let low = cs.begin();
        normalize_joined(rest, suffix, &mut cs.text).map_err(|_| err("invalid caret constraint"))?;
        cs.term(Op::Ge, low);
        let high = cs.begin();
        manipulate_dev(&m.nums, position, true, &mut cs.text);
        cs.term(Op::Lt, high);
        return Ok(());
    }
    // X-range: ^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$
    {
        let s = c.strip_prefix(['v', 'V']).unwrap_or(c);
        let mut nums = [None; 4];
        let (mut nnum, mut nparts, mut in_nums, mut tail_ok) = (0, 0, true, true);
        for p in s.split('.') {
            nparts += 1;
            if in_nums && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) {
                if let Some(slot) = nums.get_mut(nnum) {
                    *slot = Some(p);
                }
                nnum += 1;
                continue;
            }
            in_nums = false;
            tail_ok &= matches!(p, "x" | "X" | "*");
            if !tail_ok {
                // Not an X-range, whatever follows.
                break;
            }
        }
        if (1..=3).contains(&nnum) && nparts > nnum && tail_ok {
            let low = cs.begin();
            manipulate_dev(&nums, nnum, false, &mut cs.text);
            if cs.bound(&Term { start: low as u32, end: cs.text.len() as u32, ..Term::default() })
                == "0.0.0.0-dev"
            {
                cs.text.truncate(low);
            } else {
                cs.term(Op::Ge, low);
            }
            let high = cs.begin();
            manipulate_dev(&nums, nnum, true, &mut cs.text);
            cs.term(Op::Lt, high);
            return Ok(());
        }
    }
    // Hyphen range: "<from> - <to>".
    if let Some(i) = find_ascii(c, " - ") {
        let from = c[..i].trim_end_matches(' ');
        let to = c[i + 3..].trim_start_matches(' ');
        if let (Some(mf), Some(mt)) = (match_version_regex(from), match_version_regex(to)) {
            let low = cs.begin();
            normalize_into(from, &mut cs.text).map_err(|_| err("invalid hyphen range"))?;
            if mf.modifier.stability.is_none() && !mf.modifier.dev {
                cs.text.push_str("-dev");
            }
            let mut high_version = Norm::new();
            normalize_into(to, &mut high_version).map_err(|_| err("invalid hyphen range"))?;
            cs.term(Op::Ge, low);
            let high = cs.begin();
            let has = |n: Option<&str>| n.is_some();
            if (has(mt.nums[1]) && has(mt.nums[2]))
                || mt.modifier.stability.is_some()
                || mt.modifier.dev
            {
                cs.text.extend_from_slice(high_version.as_slice());
                cs.term(Op::Le, high);
                return Ok(());
            }
            let pos = if mt.nums[1].is_none() { 1 } else { 2 };
            manipulate_dev(&mt.nums, pos, true, &mut cs.text);
            cs.term(Op::Lt, high);
            return Ok(());
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
    let start = cs.begin();
    if let Err(e) = normalize_into(rest, &mut cs.text) {
        let recover = rest.len() > 4
            && rest.ends_with("-dev")
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/'));
        if recover {
            normalize_joined("dev-", &rest[..rest.len() - 4], &mut cs.text)?;
        } else {
            return Err(match e {
                VersionError::Invalid { .. } => err("could not parse version constraint"),
                other => other,
            });
        }
    }
    if (op_str == "<" || op_str == ">=") && !has_dash_modifier(rest) && !rest.starts_with("dev-") {
        cs.text.push_str("-dev");
    }
    cs.term(op, start);
    Ok(())
}

/// Parses a Composer constraint string (`>=2.5.0,<2.5.9`, `^1.2 || ~2.0`).
pub(crate) fn parse_constraints(input: &str) -> Result<Constraints, VersionError> {
    let mut cs = Constraints {
        groups: 0,
        terms: SmallVec::new(),
        text: Norm::new(),
    };
    let trimmed = input.trim();
    for &(os, oe) in split_or(trimmed).as_slice() {
        let or = &trimmed[os..oe];
        for &(s, e) in split_and(or).as_slice() {
            parse_single(input, or[s..e].trim(), &mut cs)?;
        }
        cs.groups += 1;
    }
    Ok(cs)
}

/// `Comparator::compare(a, op, b)`, with `ca == canonical(a)` (used unless a branch is involved).
fn version_compare_op(a: &str, ca: &Canon, b: &str, op: Op) -> bool {
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
    let o = php_compare_canonical_a(a.as_bytes(), ca, b.as_bytes());
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
        let mut nv = Norm::new();
        normalize_into(v, &mut nv)?;
        Ok(self.matches_normalized(nv.as_str()))
    }

    /// [`Constraints::matches`] for a version already normalized ([`normalize`]).
    pub(crate) fn matches_normalized(&self, nv: &str) -> bool {
        let terms = self.terms.as_slice();
        let cv = if is_branch(nv) { Canon::new() } else { canonical(nv.as_bytes()) };
        let mut i = 0;
        for g in 0..self.groups {
            let mut all = true;
            while let Some(t) = terms.get(i).filter(|t| t.group == g) {
                all = all && version_compare_op(nv, &cv, self.bound(t), t.op);
                i += 1;
            }
            if all {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
impl Constraints {
    /// The groups as `(op, bound)` text, to compare with the previous parser.
    pub(crate) fn debug_groups(&self) -> Vec<Vec<(String, String)>> {
        let terms = self.terms.as_slice();
        (0..self.groups)
            .map(|g| {
                terms
                    .iter()
                    .filter(|t| t.group == g)
                    .map(|t| (format!("{:?}", t.op), self.bound(t).to_owned()))
                    .collect()
            })
            .collect()
    }
}
