//! The binary encoding of a package block (schema 2) and its borrowed, decoded view.
//!
//! A package block holds every affected statement stored under one `(namespace,
//! package)` key. Integers are LEB128 varints (at most 5 bytes, at most `u32::MAX`);
//! strings are a varint length and UTF-8 bytes. One statement:
//!
//! ```text
//! advisory            varint
//! flags               u8   NAMES SOURCE VERSIONS ARCHES CONSTRAINTS UNAFFECTED HINT ECO
//! status | sev << 4   u8   status 0..=5; severity 0 = none, 1 + Severity otherwise
//! [namespace package] 2 strings, when NAMES (the feed's spelling differs from the key)
//! n_ranges            varint
//!   n_events << 1 | kind          varint (kind 0 = ecosystem, 1 = semver)
//!     len << 2 | event, bytes     per event (0 introduced, 1 fixed, 2 last_affected, 3 limit)
//! [versions] [arches] [constraints] [unaffected]   varint count + strings, per flag
//! [fixed_hint]        string, when HINT
//! [ecosystem_specific] string holding JSON text, when ECO
//! ```
//!
//! The block itself is `count` (varint) followed by the statements. Decoding checks every
//! length and count against the bytes left and validates every string once; the result
//! ([`Statements`]) borrows its strings from the block and holds four vectors, however
//! many statements the block has.
//!
//! An advisory record (in advisory blocks) is, in the same encoding: a flags byte
//! (published, modified, withdrawn present; severity in the high nibble), `id`, `source`,
//! `title`, `description`, the `aliases` and `references` lists, the CVSS ratings
//! (`source`, `vector`, optional `f64` score) and the present dates. [`AdvisoryRef`]
//! borrows its strings from the inflated block.

use strata_core::{Cvss, Severity};
pub use strata_version::EventKind;

use crate::Error;
use crate::model::{Advisory, Affected, AffectedStatus, Event, NameKind, Range, RangeKind};

const F_NAMES: u8 = 1;
const F_SOURCE: u8 = 2;
const F_VERSIONS: u8 = 4;
const F_ARCHES: u8 = 8;
const F_CONSTRAINTS: u8 = 16;
const F_UNAFFECTED: u8 = 32;
const F_HINT: u8 = 64;
const F_ECO: u8 = 128;

fn corrupt(msg: &str) -> Error {
    Error::Corrupt(format!("package block: {msg}"))
}

pub(crate) fn put_var(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_var(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_list(out: &mut Vec<u8>, l: &[String]) {
    put_var(out, l.len() as u64);
    for s in l {
        put_str(out, s);
    }
}

fn status_code(s: AffectedStatus) -> u8 {
    match s {
        AffectedStatus::Fixed => 0,
        AffectedStatus::Affected => 1,
        AffectedStatus::WillNotFix => 2,
        AffectedStatus::FixDeferred => 3,
        AffectedStatus::NotAffected => 4,
        AffectedStatus::EndOfLife => 5,
    }
}

fn status_of(c: u8) -> Option<AffectedStatus> {
    Some(match c {
        0 => AffectedStatus::Fixed,
        1 => AffectedStatus::Affected,
        2 => AffectedStatus::WillNotFix,
        3 => AffectedStatus::FixDeferred,
        4 => AffectedStatus::NotAffected,
        5 => AffectedStatus::EndOfLife,
        _ => return None,
    })
}

fn severity_code(s: Option<Severity>) -> u8 {
    match s {
        None => 0,
        Some(Severity::Unknown) => 1,
        Some(Severity::Low) => 2,
        Some(Severity::Medium) => 3,
        Some(Severity::High) => 4,
        Some(Severity::Critical) => 5,
    }
}

fn severity_of(c: u8) -> Option<Option<Severity>> {
    Some(match c {
        0 => None,
        1 => Some(Severity::Unknown),
        2 => Some(Severity::Low),
        3 => Some(Severity::Medium),
        4 => Some(Severity::High),
        5 => Some(Severity::Critical),
        _ => return None,
    })
}

/// Appends one statement. `keep_names`: the feed's namespace and package spelling differ
/// from the key's and are stored.
pub(crate) fn encode_statement(out: &mut Vec<u8>, advisory: u32, a: &Affected, keep_names: bool) {
    put_var(out, u64::from(advisory));
    let mut flags = 0u8;
    for (set, f) in [
        (keep_names, F_NAMES),
        (a.name_kind == NameKind::Source, F_SOURCE),
        (!a.versions.is_empty(), F_VERSIONS),
        (!a.arches.is_empty(), F_ARCHES),
        (!a.constraints.is_empty(), F_CONSTRAINTS),
        (!a.unaffected.is_empty(), F_UNAFFECTED),
        (a.fixed_hint.is_some(), F_HINT),
        (a.ecosystem_specific.is_some(), F_ECO),
    ] {
        if set {
            flags |= f;
        }
    }
    out.push(flags);
    out.push(status_code(a.status) | severity_code(a.severity) << 4);
    if keep_names {
        put_str(out, &a.namespace);
        put_str(out, &a.package);
    }
    put_var(out, a.ranges.len() as u64);
    for r in &a.ranges {
        let kind = match r.kind {
            RangeKind::Ecosystem => 0,
            RangeKind::Semver => 1,
        };
        put_var(out, (r.events.len() as u64) << 1 | kind);
        for e in &r.events {
            let (k, v) = match e {
                Event::Introduced(v) => (0, v),
                Event::Fixed(v) => (1, v),
                Event::LastAffected(v) => (2, v),
                Event::Limit(v) => (3, v),
            };
            put_var(out, (v.len() as u64) << 2 | k);
            out.extend_from_slice(v.as_bytes());
        }
    }
    for (f, l) in [(F_VERSIONS, &a.versions), (F_ARCHES, &a.arches), (F_CONSTRAINTS, &a.constraints), (F_UNAFFECTED, &a.unaffected)] {
        if flags & f != 0 {
            put_list(out, l);
        }
    }
    if let Some(h) = &a.fixed_hint {
        put_str(out, h);
    }
    if let Some(e) = &a.ecosystem_specific {
        put_str(out, &e.to_string());
    }
}

fn event_kind(h: u64) -> EventKind {
    match h & 3 {
        0 => EventKind::Introduced,
        1 => EventKind::Fixed,
        2 => EventKind::LastAffected,
        _ => EventKind::Limit,
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Result<u8, Error> {
        let v = *self.b.get(self.pos).ok_or_else(|| corrupt("truncated"))?;
        self.pos += 1;
        Ok(v)
    }

    fn var(&mut self) -> Result<u64, Error> {
        let mut v = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return if v > u64::from(u32::MAX) { Err(corrupt("integer too large")) } else { Ok(v) };
            }
        }
        Err(corrupt("integer too long"))
    }

    fn bytes(&mut self, len: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(len).filter(|e| *e <= self.b.len()).ok_or_else(|| corrupt("truncated string"))?;
        let s = &self.b[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn str_of(&mut self, len: usize) -> Result<&'a str, Error> {
        std::str::from_utf8(self.bytes(len)?).map_err(|_| corrupt("string is not UTF-8"))
    }

    fn str(&mut self) -> Result<&'a str, Error> {
        let len = self.var()? as usize;
        self.str_of(len)
    }

    fn list(&mut self) -> Result<Vec<&'a str>, Error> {
        let n = self.count(1)?;
        let mut out = Vec::with_capacity(n);
        self.strs_into(n, &mut out)?;
        Ok(out)
    }

    /// `n` length-prefixed strings, pushed onto `out`. When every length takes one byte
    /// (an ASCII byte, which neither starts nor continues a multi-byte sequence), the
    /// run is valid UTF-8 exactly when each string is, so it is validated with one call
    /// (version lists hold hundreds of short strings); otherwise string by string.
    fn strs_into(&mut self, n: usize, out: &mut Vec<&'a str>) -> Result<(), Error> {
        self.run_into(n, 0, out, |_, s| s)
    }

    /// `n` events (`varint(len << 2 | kind)`, then the version), as [`Reader::strs_into`].
    fn events_into(&mut self, n: usize, out: &mut Vec<(EventKind, &'a str)>) -> Result<(), Error> {
        self.run_into(n, 2, out, |h, s| (event_kind(h), s))
    }

    /// Reads `n` items, each a varint header whose bits above `shift` are the length of
    /// the string that follows; `item` builds an entry from the header and the string.
    fn run_into<T>(&mut self, n: usize, shift: u32, out: &mut Vec<T>, item: impl Fn(u64, &'a str) -> T) -> Result<(), Error> {
        let start = self.pos;
        let mut short = true;
        for _ in 0..n {
            let at = self.pos;
            let h = self.var()?;
            short &= self.pos == at + 1;
            self.bytes((h >> shift) as usize)?;
        }
        if !short {
            self.pos = start;
            for _ in 0..n {
                let h = self.var()?;
                out.push(item(h, self.str_of((h >> shift) as usize)?));
            }
            return Ok(());
        }
        let bad = || corrupt("string is not UTF-8");
        let run = std::str::from_utf8(&self.b[start..self.pos]).map_err(|_| bad())?;
        let mut p = 0usize;
        for _ in 0..n {
            let h = u64::from(*run.as_bytes().get(p).ok_or_else(bad)?);
            let end = p + 1 + (h >> shift) as usize;
            out.push(item(h, run.get(p + 1..end).ok_or_else(bad)?));
            p = end;
        }
        Ok(())
    }

    fn opt(&mut self, present: bool) -> Result<Option<&'a str>, Error> {
        if present { self.str().map(Some) } else { Ok(None) }
    }

    fn left(&self) -> usize {
        self.b.len() - self.pos
    }

    /// A count of items each at least `min` bytes long: larger counts than the bytes
    /// left can hold are corrupt (so no allocation is sized by a bogus count).
    fn count(&mut self, min: usize) -> Result<usize, Error> {
        let n = self.var()? as usize;
        if n.saturating_mul(min) > self.left() {
            return Err(corrupt("count larger than the block"));
        }
        Ok(n)
    }
}

/// Index span `(start, end)` into one of the vectors of [`Statements`].
type Span = (u32, u32);

#[derive(Clone, Debug)]
struct Stmt<'a> {
    advisory: u32,
    names: Option<(&'a str, &'a str)>,
    name_kind: NameKind,
    status: AffectedStatus,
    severity: Option<Severity>,
    ranges: Span,
    versions: Span,
    arches: Span,
    constraints: Span,
    unaffected: Span,
    fixed_hint: Option<&'a str>,
    ecosystem_specific: Option<&'a str>,
}

/// The decoded statements of one package block, borrowing their strings from it.
#[derive(Clone, Debug, Default)]
pub struct Statements<'a> {
    namespace: &'a str,
    package: &'a str,
    stmts: Vec<Stmt<'a>>,
    ranges: Vec<(RangeKind, Span)>,
    events: Vec<(EventKind, &'a str)>,
    strs: Vec<&'a str>,
}

fn span_of(start: usize, end: usize) -> Span {
    // Lengths are bounded by the block, itself below 4 GiB.
    (start as u32, end as u32)
}

/// Decodes a package block stored under `(namespace, package)`.
pub(crate) fn decode<'a>(namespace: &'a str, package: &'a str, data: &'a [u8]) -> Result<Statements<'a>, Error> {
    let mut r = Reader { b: data, pos: 0 };
    // A statement is at least 4 bytes (advisory, flags, status, range count).
    let n = r.count(4)?;
    let mut out = Statements {
        namespace,
        package,
        stmts: Vec::with_capacity(n),
        ranges: Vec::with_capacity(n),
        events: Vec::with_capacity(n * 2),
        strs: Vec::new(),
    };
    for _ in 0..n {
        let advisory = r.var()? as u32;
        let flags = r.u8()?;
        let ss = r.u8()?;
        let status = status_of(ss & 0x0f).ok_or_else(|| corrupt("status"))?;
        let severity = severity_of(ss >> 4).ok_or_else(|| corrupt("severity"))?;
        let names = if flags & F_NAMES != 0 { Some((r.str()?, r.str()?)) } else { None };
        let n_ranges = r.count(1)?;
        let r_start = out.ranges.len();
        for _ in 0..n_ranges {
            let h = r.var()?;
            let kind = if h & 1 == 0 { RangeKind::Ecosystem } else { RangeKind::Semver };
            let n_events = (h >> 1) as usize;
            if n_events > r.left() {
                return Err(corrupt("event count larger than the block"));
            }
            let e_start = out.events.len();
            r.events_into(n_events, &mut out.events)?;
            out.ranges.push((kind, span_of(e_start, out.events.len())));
        }
        let ranges = span_of(r_start, out.ranges.len());
        let mut list = |set: bool| -> Result<Span, Error> {
            let start = out.strs.len();
            if set {
                let n = r.count(1)?;
                r.strs_into(n, &mut out.strs)?;
            }
            Ok(span_of(start, out.strs.len()))
        };
        let versions = list(flags & F_VERSIONS != 0)?;
        let arches = list(flags & F_ARCHES != 0)?;
        let constraints = list(flags & F_CONSTRAINTS != 0)?;
        let unaffected = list(flags & F_UNAFFECTED != 0)?;
        let fixed_hint = if flags & F_HINT != 0 { Some(r.str()?) } else { None };
        let ecosystem_specific = if flags & F_ECO != 0 { Some(r.str()?) } else { None };
        let name_kind = if flags & F_SOURCE != 0 { NameKind::Source } else { NameKind::Binary };
        out.stmts.push(Stmt {
            advisory,
            names,
            name_kind,
            status,
            severity,
            ranges,
            versions,
            arches,
            constraints,
            unaffected,
            fixed_hint,
            ecosystem_specific,
        });
    }
    if r.left() != 0 {
        return Err(corrupt("trailing bytes"));
    }
    Ok(out)
}

impl<'a> Statements<'a> {
    /// A view of owned statements (for matching code shared with [`Affected`] values).
    pub fn of_affected(list: impl IntoIterator<Item = (u32, &'a Affected)>) -> Statements<'a> {
        let mut out = Statements::default();
        for (advisory, a) in list {
            let r_start = out.ranges.len();
            for r in &a.ranges {
                let e_start = out.events.len();
                out.events.extend(r.events.iter().map(|e| match e {
                    Event::Introduced(v) => (EventKind::Introduced, v.as_str()),
                    Event::Fixed(v) => (EventKind::Fixed, v.as_str()),
                    Event::LastAffected(v) => (EventKind::LastAffected, v.as_str()),
                    Event::Limit(v) => (EventKind::Limit, v.as_str()),
                }));
                out.ranges.push((r.kind, span_of(e_start, out.events.len())));
            }
            let ranges = span_of(r_start, out.ranges.len());
            let mut list = |l: &'a [String]| {
                let start = out.strs.len();
                out.strs.extend(l.iter().map(String::as_str));
                span_of(start, out.strs.len())
            };
            let versions = list(&a.versions);
            let arches = list(&a.arches);
            let constraints = list(&a.constraints);
            let unaffected = list(&a.unaffected);
            out.stmts.push(Stmt {
                advisory,
                names: Some((&a.namespace, &a.package)),
                name_kind: a.name_kind,
                status: a.status,
                severity: a.severity,
                ranges,
                versions,
                arches,
                constraints,
                unaffected,
                fixed_hint: a.fixed_hint.as_deref(),
                ecosystem_specific: None,
            });
        }
        out
    }

    /// Number of statements.
    pub fn len(&self) -> usize {
        self.stmts.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.stmts.is_empty()
    }

    /// The statements, in stored order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = AffectedRef<'_>> + '_ {
        self.stmts.iter().map(move |s| AffectedRef { all: self, s })
    }

    /// The statement at `i`.
    pub fn get(&self, i: usize) -> Option<AffectedRef<'_>> {
        self.stmts.get(i).map(|s| AffectedRef { all: self, s })
    }
}

/// One affected statement, borrowed from decoded [`Statements`]: the same content as an
/// [`Affected`] without owning it.
#[derive(Clone, Copy, Debug)]
pub struct AffectedRef<'e> {
    all: &'e Statements<'e>,
    s: &'e Stmt<'e>,
}

impl<'e> AffectedRef<'e> {
    /// Index of the advisory ([`crate::Database::advisory`]).
    pub fn advisory(&self) -> u32 {
        self.s.advisory
    }
    /// Namespace as the feed spells it.
    pub fn namespace(&self) -> &'e str {
        self.s.names.map_or(self.all.namespace, |n| n.0)
    }
    /// Package as the feed spells it.
    pub fn package(&self) -> &'e str {
        self.s.names.map_or(self.all.package, |n| n.1)
    }
    /// Binary or source name.
    pub fn name_kind(&self) -> NameKind {
        self.s.name_kind
    }
    /// The vendor's statement.
    pub fn status(&self) -> AffectedStatus {
        self.s.status
    }
    /// Severity for this package in this namespace, if the feed rates it.
    pub fn severity(&self) -> Option<Severity> {
        self.s.severity
    }
    /// The ranges: kind and events (in the shape `strata_version::affected_by_events` takes).
    pub fn ranges(&self) -> impl ExactSizeIterator<Item = (RangeKind, &'e [(EventKind, &'e str)])> + 'e {
        let all = self.all;
        all.ranges[self.s.ranges.0 as usize..self.s.ranges.1 as usize]
            .iter()
            .map(move |(k, (a, b))| (*k, &all.events[*a as usize..*b as usize]))
    }
    fn strs(&self, (a, b): Span) -> &'e [&'e str] {
        &self.all.strs[a as usize..b as usize]
    }
    /// Explicitly affected versions.
    pub fn versions(&self) -> &'e [&'e str] {
        self.strs(self.s.versions)
    }
    /// Architectures the statement is limited to (empty = all).
    pub fn arches(&self) -> &'e [&'e str] {
        self.strs(self.s.arches)
    }
    /// Affected-version constraints ([`Affected::constraints`]).
    pub fn constraints(&self) -> &'e [&'e str] {
        self.strs(self.s.constraints)
    }
    /// Unaffected-version constraints ([`Affected::unaffected`]).
    pub fn unaffected(&self) -> &'e [&'e str] {
        self.strs(self.s.unaffected)
    }
    /// Human-readable fixed versions ([`Affected::fixed_hint`]).
    pub fn fixed_hint(&self) -> Option<&'e str> {
        self.s.fixed_hint
    }
    /// OSV `ecosystem_specific` as JSON text (`None` in views of owned values).
    pub fn ecosystem_specific_json(&self) -> Option<&'e str> {
        self.s.ecosystem_specific
    }
    /// Every `fixed` event, in stored order.
    pub fn fixed_versions(&self) -> impl Iterator<Item = &'e str> + 'e {
        self.ranges().flat_map(|(_, ev)| ev.iter().filter(|e| e.0 == EventKind::Fixed).map(|e| e.1))
    }
    /// The first `fixed` version, if any.
    pub fn fixed_version(&self) -> Option<&'e str> {
        self.fixed_versions().next()
    }

    /// An owned copy.
    pub fn to_affected(&self) -> Result<Affected, Error> {
        let owned = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let ecosystem_specific = match self.s.ecosystem_specific {
            Some(j) => Some(serde_json::from_str(j).map_err(|_| corrupt("ecosystem_specific is not JSON"))?),
            None => None,
        };
        Ok(Affected {
            namespace: self.namespace().to_owned(),
            package: self.package().to_owned(),
            name_kind: self.s.name_kind,
            status: self.s.status,
            ranges: self
                .ranges()
                .map(|(kind, ev)| Range {
                    kind,
                    events: ev
                        .iter()
                        .map(|(k, v)| {
                            let v = (*v).to_owned();
                            match k {
                                EventKind::Introduced => Event::Introduced(v),
                                EventKind::Fixed => Event::Fixed(v),
                                EventKind::LastAffected => Event::LastAffected(v),
                                EventKind::Limit => Event::Limit(v),
                            }
                        })
                        .collect(),
                })
                .collect(),
            versions: owned(self.versions()),
            severity: self.s.severity,
            arches: owned(self.arches()),
            constraints: owned(self.constraints()),
            unaffected: owned(self.unaffected()),
            fixed_hint: self.s.fixed_hint.map(str::to_owned),
            ecosystem_specific,
        })
    }
}

/// Appends one advisory record (without its `affected` list) to an advisory block:
///
/// ```text
/// flags u8 (1 published, 2 modified, 4 withdrawn) | severity code << 4
/// id, source, title, description       strings
/// aliases, references                  varint count + strings
/// n_cvss varint; per rating: source, vector strings, has_score u8 [score f64 LE]
/// [published] [modified] [withdrawn]   strings, per flag
/// ```
pub(crate) fn encode_advisory(out: &mut Vec<u8>, a: &Advisory) {
    let flags = u8::from(a.published.is_some()) | u8::from(a.modified.is_some()) << 1 | u8::from(a.withdrawn.is_some()) << 2;
    out.push(flags | severity_code(a.severity) << 4);
    for s in [&a.id, &a.source, &a.title, &a.description] {
        put_str(out, s);
    }
    put_list(out, &a.aliases);
    put_list(out, &a.references);
    put_var(out, a.cvss.len() as u64);
    for c in &a.cvss {
        put_str(out, &c.source);
        put_str(out, &c.vector);
        match c.score {
            Some(s) => {
                out.push(1);
                out.extend_from_slice(&s.to_le_bytes());
            }
            None => out.push(0),
        }
    }
    for d in [&a.published, &a.modified, &a.withdrawn].into_iter().flatten() {
        put_str(out, d);
    }
}

/// A CVSS rating borrowed from its advisory block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CvssRef<'a> {
    /// Who rated it (`nvd`, `ghsa`, ...).
    pub source: &'a str,
    /// Vector string.
    pub vector: &'a str,
    /// Base score.
    pub score: Option<f64>,
}

impl CvssRef<'_> {
    /// An owned copy.
    pub fn to_cvss(&self) -> Cvss {
        Cvss { source: self.source.to_owned(), vector: self.vector.to_owned(), score: self.score }
    }
}

/// An advisory's text borrowed from its advisory block (the record without `affected`).
#[derive(Clone, Debug)]
pub struct AdvisoryRef<'a> {
    /// Record id.
    pub id: &'a str,
    /// Other ids.
    pub aliases: Vec<&'a str>,
    /// Feed id.
    pub source: &'a str,
    /// Short title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Vendor severity of the record.
    pub severity: Option<Severity>,
    /// CVSS ratings.
    pub cvss: Vec<CvssRef<'a>>,
    /// Reference URLs.
    pub references: Vec<&'a str>,
    /// Publication date.
    pub published: Option<&'a str>,
    /// Last modification date.
    pub modified: Option<&'a str>,
    /// Withdrawal date.
    pub withdrawn: Option<&'a str>,
}

impl AdvisoryRef<'_> {
    /// An owned copy (with an empty `affected` list).
    pub fn to_advisory(&self) -> Advisory {
        let owned = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect();
        Advisory {
            id: self.id.to_owned(),
            aliases: owned(&self.aliases),
            source: self.source.to_owned(),
            title: self.title.to_owned(),
            description: self.description.to_owned(),
            severity: self.severity,
            cvss: self.cvss.iter().map(CvssRef::to_cvss).collect(),
            references: owned(&self.references),
            published: self.published.map(str::to_owned),
            modified: self.modified.map(str::to_owned),
            withdrawn: self.withdrawn.map(str::to_owned),
            affected: Vec::new(),
        }
    }
}

/// Decodes one advisory record (all of `data`).
pub(crate) fn decode_advisory(data: &[u8]) -> Result<AdvisoryRef<'_>, Error> {
    let bad = |m: &str| Error::Corrupt(format!("advisory: {m}"));
    let mut r = Reader { b: data, pos: 0 };
    let fs = r.u8()?;
    let severity = severity_of(fs >> 4).ok_or_else(|| bad("severity"))?;
    let (id, source, title, description) = (r.str()?, r.str()?, r.str()?, r.str()?);
    let aliases = r.list()?;
    let references = r.list()?;
    let n = r.count(3)?;
    let mut cvss = Vec::with_capacity(n);
    for _ in 0..n {
        let (source, vector) = (r.str()?, r.str()?);
        let score = match r.u8()? {
            0 => None,
            1 => {
                let b = r.bytes(8)?;
                Some(f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            }
            _ => return Err(bad("cvss score flag")),
        };
        cvss.push(CvssRef { source, vector, score });
    }
    let (published, modified, withdrawn) = (r.opt(fs & 1 != 0)?, r.opt(fs & 2 != 0)?, r.opt(fs & 4 != 0)?);
    if r.left() != 0 {
        return Err(bad("trailing bytes"));
    }
    Ok(AdvisoryRef { id, aliases, source, title, description, severity, cvss, references, published, modified, withdrawn })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, Range};

    fn statement(versions: &[&str], events: &[&str]) -> Affected {
        Affected {
            namespace: "maven".into(),
            package: "g:a".into(),
            ranges: vec![Range { kind: RangeKind::Ecosystem, events: events.iter().map(|e| Event::Fixed((*e).into())).collect() }],
            versions: versions.iter().map(|v| (*v).into()).collect(),
            constraints: vec!["<1.0".into()],
            ..Default::default()
        }
    }

    fn block(stmts: &[Affected]) -> Vec<u8> {
        let mut out = Vec::new();
        put_var(&mut out, stmts.len() as u64);
        for (i, a) in stmts.iter().enumerate() {
            encode_statement(&mut out, 70_000 + i as u32, a, true);
        }
        out
    }

    fn round_trip(stmts: &[Affected]) -> Vec<Affected> {
        let data = block(stmts);
        let st = decode("maven", "g:a", &data).expect("decodes");
        st.iter().map(|a| a.to_affected().expect("owned")).collect()
    }

    #[test]
    fn string_runs_decode_like_single_strings() {
        let long = "9.".repeat(80);
        let cases = [
            // Short ASCII strings: the one-call path.
            statement(&["1.0", "1.1", "", "2.0-rc1"], &["1.2", "2.0"]),
            // Multi-byte UTF-8 inside a run of one-byte lengths.
            statement(&["1.0-é", "ß", "版本"], &["1.0-é"]),
            // A 160-byte string needs a two-byte length: string by string.
            statement(&["1.0", &long, "2.0"], &[&long, "3"]),
            // An event over 31 bytes needs a two-byte header.
            statement(&[], &["1.0.0-this-is-a-long-qualifier-x"]),
        ];
        assert_eq!(round_trip(&cases), cases);
    }

    #[test]
    fn damaged_runs_are_corrupt_not_panics() {
        let good = block(&[statement(&["1.0", "1.1"], &["1.2"])]);
        // Invalid UTF-8 inside the versions run ("1.1" -> "1.\xff").
        let at = good.windows(3).position(|w| w == b"1.1").expect("versions run");
        let mut bad = good.clone();
        bad[at + 2] = 0xff;
        assert!(matches!(decode("maven", "g:a", &bad), Err(Error::Corrupt(_))));
        // A continuation byte alone is no UTF-8 either.
        bad[at + 2] = 0x80;
        assert!(matches!(decode("maven", "g:a", &bad), Err(Error::Corrupt(_))));
        // Every truncation and every single-byte change decodes or fails, never panics.
        for cut in 0..good.len() {
            let _ = decode("maven", "g:a", &good[..cut]);
        }
        for i in 0..good.len() {
            for b in [0x00, 0x03, 0x7f, 0x80, 0xc3, 0xff] {
                let mut m = good.clone();
                m[i] = b;
                if let Ok(st) = decode("maven", "g:a", &m) {
                    for a in st.iter() {
                        let _ = a.to_affected();
                    }
                }
            }
        }
    }

    #[test]
    fn a_length_spelled_in_two_bytes_still_reads() {
        // "1.0" with its length written as the non-minimal varint 0x83 0x00.
        let mut r = Reader { b: b"\x83\x001.0\x031.1", pos: 0 };
        let mut out = Vec::new();
        r.strs_into(2, &mut out).unwrap();
        assert_eq!(out, ["1.0", "1.1"]);
        assert_eq!(r.left(), 0);
    }
}
