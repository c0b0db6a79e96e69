//! PEP 440 versions and specifiers, as implemented by pypa/packaging
//! (`packaging.version.Version`, `packaging.specifiers.Specifier`).
//!
//! Parsing accepts everything packaging's `VERSION_PATTERN` accepts
//! (case-insensitive, `v` prefix, `-`/`_`/`.` separators, implicit numbers,
//! surrounding whitespace) and comparison follows its `_cmpkey`.

use std::cmp::Ordering;
use std::fmt::Write as _;

use crate::num::{canonical, cmp_digits};
use crate::{Scheme, VersionError};

/// Pre-release kinds in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pre {
    A,
    B,
    Rc,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Version<'a> {
    epoch: &'a str,
    release: &'a str,
    pre: Option<(Pre, &'a str)>,
    post: Option<&'a str>,
    dev: Option<&'a str>,
    local: Option<&'a str>,
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    fn digits(&mut self) -> &'a str {
        let n = self
            .rest()
            .bytes()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let d = &self.s[self.pos..self.pos + n];
        self.pos += n;
        d
    }
    fn sep(&mut self) -> bool {
        if matches!(self.rest().bytes().next(), Some(b'-' | b'_' | b'.')) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    /// Consumes the first of `words` (ASCII case-insensitive) found here.
    fn word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let rest = self.rest().as_bytes();
        for w in words {
            if rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes()) {
                self.pos += w.len();
                return Some(w);
            }
        }
        None
    }
}

fn parse_inner(s: &str) -> Option<Version<'_>> {
    let mut c = Cursor { s, pos: 0 };
    if matches!(c.rest().bytes().next(), Some(b'v' | b'V')) {
        c.pos += 1;
    }
    // Epoch and first release number.
    let first = c.digits();
    if first.is_empty() {
        return None;
    }
    let (epoch, release_start) = if c.rest().starts_with('!') {
        c.pos += 1;
        let start = c.pos;
        if c.digits().is_empty() {
            return None;
        }
        (first, start)
    } else {
        ("0", c.pos - first.len())
    };
    while c.rest().starts_with('.')
        && c.rest()[1..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
    {
        c.pos += 1;
        c.digits();
    }
    let release = &s[release_start..c.pos];

    // Pre-release.
    let mut pre = None;
    let save = c.pos;
    c.sep();
    if let Some(w) = c.word(&["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"]) {
        let kind = match w {
            "alpha" | "a" => Pre::A,
            "beta" | "b" => Pre::B,
            _ => Pre::Rc,
        };
        let save2 = c.pos;
        c.sep();
        let n = c.digits();
        if n.is_empty() {
            c.pos = save2;
        }
        pre = Some((kind, n));
    } else {
        c.pos = save;
    }

    // Post-release.
    let mut post = None;
    let save = c.pos;
    if c.rest().starts_with('-')
        && c.rest()[1..]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit())
    {
        c.pos += 1;
        post = Some(c.digits());
    } else {
        c.sep();
        if c.word(&["post", "rev", "r"]).is_some() {
            let save2 = c.pos;
            c.sep();
            let n = c.digits();
            if n.is_empty() {
                c.pos = save2;
            }
            post = Some(n);
        } else {
            c.pos = save;
        }
    }

    // Dev release.
    let mut dev = None;
    let save = c.pos;
    c.sep();
    if c.word(&["dev"]).is_some() {
        let save2 = c.pos;
        c.sep();
        let n = c.digits();
        if n.is_empty() {
            c.pos = save2;
        }
        dev = Some(n);
    } else {
        c.pos = save;
    }

    // Local version.
    let mut local = None;
    if c.rest().starts_with('+') {
        let l = &c.rest()[1..];
        let ok = !l.is_empty()
            && l.split(['-', '_', '.'])
                .all(|seg| !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !ok {
            return None;
        }
        local = Some(l);
        c.pos = s.len();
    }
    if c.pos != s.len() {
        return None;
    }
    Some(Version {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

pub(crate) fn parse(input: &str) -> Result<Version<'_>, VersionError> {
    parse_inner(input.trim())
        .ok_or_else(|| VersionError::invalid(Scheme::Pep440, input, "not a PEP 440 version"))
}

fn cmp_release(a: &str, b: &str) -> Ordering {
    let mut ia = a.split('.');
    let mut ib = b.split('.');
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => {
                let o = cmp_digits(x.unwrap_or("0").as_bytes(), y.unwrap_or("0").as_bytes());
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

fn cmp_local(a: Option<&str>, b: Option<&str>) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    let mut ia = a.split(['-', '_', '.']);
    let mut ib = b.split(['-', '_', '.']);
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let nx = x.bytes().all(|c| c.is_ascii_digit());
                let ny = y.bytes().all(|c| c.is_ascii_digit());
                let o = match (nx, ny) {
                    (true, true) => cmp_digits(x.as_bytes(), y.as_bytes()),
                    (true, false) => Ordering::Greater,
                    (false, true) => Ordering::Less,
                    (false, false) => x
                        .bytes()
                        .map(|c| c.to_ascii_lowercase())
                        .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// Orders `Option`s where `None` is the given extreme.
fn cmp_opt_digits(a: Option<&str>, b: Option<&str>, none_is_max: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => {
            if none_is_max {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(_), None) => {
            if none_is_max {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (Some(x), Some(y)) => cmp_digits(x.as_bytes(), y.as_bytes()),
    }
}

impl Version<'_> {
    /// packaging's `_cmpkey` ordering, local part included.
    pub(crate) fn cmp_full(&self, o: &Version<'_>) -> Ordering {
        self.cmp_public(o)
            .then_with(|| cmp_local(self.local, o.local))
    }

    /// Ordering ignoring the local part.
    pub(crate) fn cmp_public(&self, o: &Version<'_>) -> Ordering {
        // A dev-only release sorts before every pre-release of its version.
        fn pre_key<'b>(v: &Version<'b>) -> (u8, Option<(Pre, &'b str)>) {
            match v.pre {
                None if v.post.is_none() && v.dev.is_some() => (0, None),
                None => (2, None),
                Some(p) => (1, Some(p)),
            }
        }
        cmp_digits(self.epoch.as_bytes(), o.epoch.as_bytes())
            .then_with(|| cmp_release(self.release, o.release))
            .then_with(|| {
                let (ka, pa) = pre_key(self);
                let (kb, pb) = pre_key(o);
                ka.cmp(&kb).then_with(|| match (pa, pb) {
                    (Some((la, na)), Some((lb, nb))) => la
                        .cmp(&lb)
                        .then_with(|| cmp_digits(na.as_bytes(), nb.as_bytes())),
                    _ => Ordering::Equal,
                })
            })
            .then_with(|| cmp_opt_digits(self.post, o.post, false))
            .then_with(|| cmp_opt_digits(self.dev, o.dev, true))
    }

    fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    /// Same epoch and release (trailing zeros ignored).
    fn same_base(&self, o: &Version<'_>) -> bool {
        cmp_digits(self.epoch.as_bytes(), o.epoch.as_bytes()) == Ordering::Equal
            && cmp_release(self.release, o.release) == Ordering::Equal
    }

    /// The normalised form packaging's `str(Version(...))` prints.
    pub(crate) fn normalized(&self) -> String {
        let mut out = String::new();
        let epoch = canonical(self.epoch);
        if epoch != "0" {
            let _ = write!(out, "{epoch}!");
        }
        for (k, part) in self.release.split('.').enumerate() {
            if k > 0 {
                out.push('.');
            }
            out.push_str(canonical(part));
        }
        if let Some((kind, n)) = self.pre {
            out.push_str(match kind {
                Pre::A => "a",
                Pre::B => "b",
                Pre::Rc => "rc",
            });
            out.push_str(canonical(n));
        }
        if let Some(n) = self.post {
            let _ = write!(out, ".post{}", canonical(n));
        }
        if let Some(n) = self.dev {
            let _ = write!(out, ".dev{}", canonical(n));
        }
        if let Some(l) = self.local {
            out.push('+');
            for (k, seg) in l.split(['-', '_', '.']).enumerate() {
                if k > 0 {
                    out.push('.');
                }
                if seg.bytes().all(|c| c.is_ascii_digit()) {
                    out.push_str(canonical(seg));
                } else {
                    out.push_str(&seg.to_ascii_lowercase());
                }
            }
        }
        out
    }
}

/// Compares two PEP 440 versions.
pub(crate) fn compare(a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse(a)?.cmp_full(&parse(b)?))
}

/// The normalised string form of a version (e.g. `1.0-ALPHA1` -> `1.0a1`).
pub(crate) fn normalize(v: &str) -> Result<String, VersionError> {
    Ok(parse(v)?.normalized())
}

// ---------------------------------------------------------------------------
// Specifiers

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Compatible,
    Equal,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Less,
    Greater,
    Arbitrary,
}

/// One specifier such as `>=1.0` or `==1.3.*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spec {
    op: Op,
    /// The version text (without `.*`), validated at parse time.
    version: String,
    prefix: bool,
}

/// Parses a comma-separated specifier set (`>=1.0,!=1.3.*,<2`).
pub(crate) fn parse_specifiers(input: &str) -> Result<Vec<Spec>, VersionError> {
    let mut out = Vec::new();
    for item in input.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        out.push(parse_spec(input, item)?);
    }
    Ok(out)
}

fn parse_spec(whole: &str, item: &str) -> Result<Spec, VersionError> {
    let err = |reason| VersionError::constraint(Scheme::Pep440, whole, reason);
    let ops: [(&str, Op); 8] = [
        ("===", Op::Arbitrary),
        ("~=", Op::Compatible),
        ("==", Op::Equal),
        ("!=", Op::NotEqual),
        ("<=", Op::LessEqual),
        (">=", Op::GreaterEqual),
        ("<", Op::Less),
        (">", Op::Greater),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(p, op)| item.strip_prefix(p).map(|r| (*op, r.trim())))
        .ok_or_else(|| err("specifier has no operator"))?;
    if rest.is_empty() {
        return Err(err("specifier has no version"));
    }
    if op == Op::Arbitrary {
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c == ';' || c == ')')
        {
            return Err(err("invalid arbitrary equality version"));
        }
        return Ok(Spec {
            op,
            version: rest.to_owned(),
            prefix: false,
        });
    }
    let (text, prefix) = match rest.strip_suffix(".*") {
        Some(t) => (t, true),
        None => (rest, false),
    };
    if prefix && !matches!(op, Op::Equal | Op::NotEqual) {
        return Err(err("prefix match (.*) is only allowed with == and !="));
    }
    let v = parse_inner(text).ok_or_else(|| err("invalid version in specifier"))?;
    if prefix && (v.pre.is_some() || v.post.is_some() || v.dev.is_some() || v.local.is_some()) {
        return Err(err("prefix match (.*) needs a plain release"));
    }
    if v.local.is_some() && !matches!(op, Op::Equal | Op::NotEqual) {
        return Err(err("local versions are only allowed with == and !="));
    }
    if op == Op::Compatible && !v.release.contains('.') {
        return Err(err("~= needs at least two release segments"));
    }
    Ok(Spec {
        op,
        version: text.to_owned(),
        prefix,
    })
}

fn prefix_match(v: &Version<'_>, spec: &Version<'_>, n: usize) -> bool {
    if cmp_digits(v.epoch.as_bytes(), spec.epoch.as_bytes()) != Ordering::Equal {
        return false;
    }
    let mut pv = v.release.split('.');
    spec.release.split('.').take(n).all(|s| {
        let p = pv.next().unwrap_or("0");
        cmp_digits(p.as_bytes(), s.as_bytes()) == Ordering::Equal
    })
}

impl Spec {
    /// Whether `v` satisfies this specifier (pre-releases allowed, as
    /// packaging does with `prereleases=True`).
    pub(crate) fn contains(&self, raw: &str, v: &Version<'_>) -> bool {
        if self.op == Op::Arbitrary {
            return raw.trim().eq_ignore_ascii_case(&self.version)
                || v.normalized().eq_ignore_ascii_case(&self.version);
        }
        let Some(spec) = parse_inner(&self.version) else {
            return false;
        };
        match self.op {
            Op::Equal | Op::NotEqual => {
                let eq = if self.prefix {
                    prefix_match(v, &spec, usize::MAX)
                } else if spec.local.is_some() {
                    v.cmp_full(&spec) == Ordering::Equal
                } else {
                    v.cmp_public(&spec) == Ordering::Equal
                };
                eq == (self.op == Op::Equal)
            }
            Op::Compatible => {
                let n = spec.release.split('.').count() - 1;
                v.cmp_public(&spec) != Ordering::Less && prefix_match(v, &spec, n)
            }
            Op::LessEqual => v.cmp_public(&spec) != Ordering::Greater,
            Op::GreaterEqual => v.cmp_public(&spec) != Ordering::Less,
            Op::Less => {
                v.cmp_public(&spec) == Ordering::Less
                    && !(!spec.is_prerelease() && v.is_prerelease() && v.same_base(&spec))
            }
            Op::Greater => {
                v.cmp_public(&spec) == Ordering::Greater
                    && !(!spec.is_postrelease() && v.is_postrelease() && v.same_base(&spec))
            }
            Op::Arbitrary => false,
        }
    }
}
