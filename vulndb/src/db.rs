//! The compiled database file (schema 2): a small header, a metadata JSON, a sorted key
//! index over `(namespace, package)` and binary blocks decoded lazily per lookup.
//!
//! Layout (all integers little-endian `u32`):
//!
//! ```text
//! "STRATAVD" schema_version
//! meta_len  meta JSON (DbMeta: info + KEV ids)
//! n_keys    n_keys x (key_off, key_len, block_off, block_len)
//! keys_len  keys blob ("namespace\0normalised-name", sorted bytewise)
//! n_adv n_adv_blocks  n_adv_blocks x (block_off, block_len)
//! data_len  data blob (blocks)
//! ```
//!
//! Every block starts with a tag byte: `0` stored as is, `2` LZ4 (a `u32` length, capped
//! at 64 MiB, then an LZ4 block). A package block holds the key's statements in the
//! varint encoding of [`crate::block`]; blocks under 4 KiB (almost all) are stored raw
//! and decoded in place, larger ones are compressed when that saves a quarter. An
//! advisory block holds [`ADV_PER_BLOCK`] advisories without their `affected` lists:
//! `count, (count + 1) offsets, records` (binary records, see [`crate::block`]), always
//! LZ4. Every offset, length and count read from the file is bounds-checked and
//! inflating is capped, so a corrupt file gives [`Error::Corrupt`]; a schema-1 file
//! (JSON blocks) gives [`Error::SchemaVersion`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::block::{self, AdvisoryRef, Statements};
use crate::model::{Advisory, Affected};

/// File magic.
pub const MAGIC: &[u8; 8] = b"STRATAVD";
/// Schema version written and read by this build.
pub const SCHEMA_VERSION: u32 = 2;
/// Advisories per compressed advisory block.
pub const ADV_PER_BLOCK: usize = 16;
/// Cap on one inflated block.
const MAX_BLOCK: u64 = 64 << 20;
/// Block tag: stored as is.
const RAW: u8 = 0;
/// Block tag: LZ4 block (`u32` inflated length, then the LZ4 block).
const LZ4: u8 = 2;
/// Package blocks whose encoding is at least this long are compressed (when that saves
/// a quarter or more); shorter ones are stored raw and read in place.
const COMPRESS_MIN: usize = 4096;

fn inflate(raw: &[u8]) -> Result<Vec<u8>, Error> {
    let len = rd32(raw, 0).ok_or_else(|| corrupt("truncated block"))?;
    if u64::from(len) > MAX_BLOCK {
        return Err(corrupt("block larger than the cap"));
    }
    let out = lz4_flex::block::decompress(&raw[4..], len as usize).map_err(|e| corrupt(format!("inflating block: {e}")))?;
    if out.len() != len as usize {
        return Err(corrupt("inflated block length"));
    }
    Ok(out)
}

/// Inflates an [`LZ4`] block into `buf` (grown to the largest block seen, never cleared:
/// reusing it across blocks saves an allocation and zeroing per block) and returns the
/// inflated bytes.
fn inflate_into<'b>(raw: &[u8], buf: &'b mut Vec<u8>) -> Result<&'b [u8], Error> {
    let len = rd32(raw, 0).ok_or_else(|| corrupt("truncated block"))?;
    if u64::from(len) > MAX_BLOCK {
        return Err(corrupt("block larger than the cap"));
    }
    let len = len as usize;
    if buf.len() < len {
        buf.resize(len, 0);
    }
    let n = lz4_flex::block::decompress_into(&raw[4..], &mut buf[..len])
        .map_err(|e| corrupt(format!("inflating block: {e}")))?;
    if n != len {
        return Err(corrupt("inflated block length"));
    }
    Ok(&buf[..len])
}

/// The stored block of one `(namespace, package)` key: borrowed from the file when stored
/// raw, inflated when compressed. [`PackageBlock::statements`] decodes it.
#[derive(Debug)]
pub struct PackageBlock<'db> {
    namespace: &'db str,
    package: &'db str,
    data: Cow<'db, [u8]>,
}

impl PackageBlock<'_> {
    /// The key's namespace.
    pub fn namespace(&self) -> &str {
        self.namespace
    }

    /// The key's (normalised) package name.
    pub fn package(&self) -> &str {
        self.package
    }

    /// Decodes the statements (a few allocations per block, strings borrowed).
    pub fn statements(&self) -> Result<Statements<'_>, Error> {
        block::decode(self.namespace, self.package, &self.data)
    }
}

/// One feed in the database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Feed id (`osv-go`, `rubysec`, `debian-dsa`, ...).
    pub name: String,
    /// Records imported.
    pub records: usize,
    /// Newest `modified` (or `published`) date among the records, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest: Option<String>,
}

/// Database metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbInfo {
    /// Schema version of the file.
    pub schema_version: u32,
    /// When it was built (RFC 3339, UTC; `SOURCE_DATE_EPOCH` honoured).
    pub built_at: String,
    /// Feeds, by name.
    pub sources: Vec<SourceInfo>,
    /// Advisories stored (withdrawn ones included, never indexed).
    pub advisories: usize,
    /// `(namespace, package)` keys indexed.
    pub packages: usize,
    /// Known-exploited CVE ids (CISA KEV).
    pub known_exploited: usize,
    /// KEV catalogue version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kev_version: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct DbMeta {
    info: DbInfo,
    kev: Vec<String>,
}

/// One candidate of a lookup: an affected statement and the index of its advisory.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Index of the advisory ([`Database::advisory`]).
    pub advisory: u32,
    /// The statement for the looked-up package.
    pub affected: Affected,
}

/// Normalises a package name for the index: PEP 503 for PyPI, lowercase for
/// case-insensitive registries (Packagist, NuGet, crates.io, Bitnami), as-is otherwise.
pub fn normalize_name(namespace: &str, name: &str) -> String {
    let mut out = Vec::with_capacity(name.len());
    push_normalized(&mut out, NameRule::of(namespace), name);
    // Only ASCII bytes are changed or inserted, so the text stays UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// How a namespace spells package names in keys.
#[derive(Clone, Copy)]
enum NameRule {
    /// PEP 503: lowercase, runs of `-`, `_`, `.` as one `-`.
    Pep503,
    /// Case-insensitive names.
    Lower,
    /// As written.
    AsIs,
}

impl NameRule {
    fn of(namespace: &str) -> NameRule {
        match namespace {
            "pypi" => NameRule::Pep503,
            "packagist" | "nuget" | "crates.io" | "bitnami" => NameRule::Lower,
            _ => NameRule::AsIs,
        }
    }
}

/// Appends [`normalize_name`]'s result to `out`.
fn push_normalized(out: &mut Vec<u8>, rule: NameRule, name: &str) {
    let name = name.trim();
    match rule {
        NameRule::Pep503 => {
            let start = out.len();
            let mut sep = false;
            for b in name.bytes() {
                if matches!(b, b'-' | b'_' | b'.') {
                    sep = true;
                } else {
                    if sep && out.len() > start {
                        out.push(b'-');
                    }
                    sep = false;
                    out.push(b.to_ascii_lowercase());
                }
            }
        }
        NameRule::Lower => out.extend(name.bytes().map(|b| b.to_ascii_lowercase())),
        NameRule::AsIs => out.extend_from_slice(name.as_bytes()),
    }
}

/// The index key: the lowercase namespace, NUL, the normalised name (one allocation:
/// every lookup builds one).
fn key_of(namespace: &str, package: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(namespace.len() + 1 + package.len());
    k.extend(namespace.bytes().map(|b| b.to_ascii_lowercase()));
    let rule = NameRule::of(std::str::from_utf8(&k).unwrap_or_default());
    k.push(0);
    push_normalized(&mut k, rule, package);
    k
}

/// An opened database. Cheap to open: only the header, metadata and KEV list are parsed;
/// blocks are inflated on lookup.
#[derive(Debug)]
pub struct Database {
    bytes: Cow<'static, [u8]>,
    info: DbInfo,
    kev: foldhash::HashSet<String>,
    index: (usize, usize),
    keys: (usize, usize),
    n_keys: usize,
    adv_blocks: (usize, usize),
    n_adv: usize,
    n_adv_blocks: usize,
    data: (usize, usize),
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn u32(&mut self) -> Result<u32, Error> {
        let s = self.b.get(self.pos..self.pos + 4).ok_or_else(|| corrupt("truncated header"))?;
        self.pos += 4;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn span(&mut self, len: usize) -> Result<(usize, usize), Error> {
        let end = self.pos.checked_add(len).filter(|e| *e <= self.b.len()).ok_or_else(|| corrupt("truncated"))?;
        let r = (self.pos, end);
        self.pos = end;
        Ok(r)
    }
}

fn corrupt(msg: impl Into<String>) -> Error {
    Error::Corrupt(msg.into())
}

fn rd32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at.checked_add(4)?).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl Database {
    /// Opens a database file.
    pub fn open(path: &Path) -> Result<Database, Error> {
        let bytes =
            std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        Database::from_bytes(bytes)
    }

    /// Opens a database held in memory (`Vec<u8>` or `&'static [u8]` from `include_bytes!`).
    pub fn from_bytes(bytes: impl Into<Cow<'static, [u8]>>) -> Result<Database, Error> {
        let bytes: Cow<'static, [u8]> = bytes.into();
        let b = &bytes[..];
        if b.len() < 12 || &b[..8] != MAGIC {
            return Err(Error::BadMagic);
        }
        let mut c = Cursor { b, pos: 8 };
        let schema = c.u32()?;
        if schema != SCHEMA_VERSION {
            return Err(Error::SchemaVersion { found: schema, expected: SCHEMA_VERSION });
        }
        let meta_len = c.u32()? as usize;
        let meta_span = c.span(meta_len)?;
        let meta: DbMeta = serde_json::from_slice(&b[meta_span.0..meta_span.1])
            .map_err(|e| corrupt(format!("metadata: {e}")))?;
        let n_keys = c.u32()? as usize;
        let index = c.span(n_keys.checked_mul(16).ok_or_else(|| corrupt("index size"))?)?;
        let keys_len = c.u32()? as usize;
        let keys = c.span(keys_len)?;
        let n_adv = c.u32()? as usize;
        let n_adv_blocks = c.u32()? as usize;
        if n_adv.div_ceil(ADV_PER_BLOCK) != n_adv_blocks {
            return Err(corrupt("advisory block count"));
        }
        let adv_blocks = c.span(n_adv_blocks.checked_mul(8).ok_or_else(|| corrupt("block table size"))?)?;
        let data_len = c.u32()? as usize;
        let data = c.span(data_len)?;
        if c.pos != b.len() {
            return Err(corrupt("trailing bytes"));
        }
        let kev = meta.kev.into_iter().collect();
        let mut info = meta.info;
        info.schema_version = schema;
        Ok(Database { bytes, info, kev, index, keys, n_keys, adv_blocks, n_adv, n_adv_blocks, data })
    }

    /// Metadata: build time, feeds and counts.
    pub fn info(&self) -> &DbInfo {
        &self.info
    }

    /// Whether a CVE id is in the CISA KEV catalogue.
    pub fn is_known_exploited(&self, cve: &str) -> bool {
        self.kev.contains(cve)
    }

    /// Number of advisories stored.
    pub fn advisory_count(&self) -> usize {
        self.n_adv
    }

    fn entry(&self, i: usize) -> Result<(&[u8], (usize, usize)), Error> {
        let b = &self.bytes[..];
        let at = self.index.0 + i * 16;
        let f = |o| rd32(b, at + o).map(|x| x as usize).ok_or_else(|| corrupt("index entry"));
        let (ko, kl, bo, bl) = (f(0)?, f(4)?, f(8)?, f(12)?);
        let keys = &b[self.keys.0..self.keys.1];
        let key = keys.get(ko..ko.checked_add(kl).ok_or_else(|| corrupt("key span"))?).ok_or_else(|| corrupt("key span"))?;
        Ok((key, (bo, bl)))
    }

    fn raw_block(&self, (off, len): (usize, usize)) -> Result<&[u8], Error> {
        let data = &self.bytes[self.data.0..self.data.1];
        data.get(off..off.checked_add(len).ok_or_else(|| corrupt("block span"))?).ok_or_else(|| corrupt("block span"))
    }

    /// A block: a tag byte, then the bytes as stored ([`RAW`]) or deflated ([`DEFLATE`]).
    fn block(&self, span: (usize, usize)) -> Result<Cow<'_, [u8]>, Error> {
        let raw = self.raw_block(span)?;
        match raw.split_first() {
            Some((&RAW, rest)) => Ok(Cow::Borrowed(rest)),
            Some((&LZ4, rest)) => Ok(Cow::Owned(inflate(rest)?)),
            _ => Err(corrupt("block tag")),
        }
    }

    /// Finds the block stored under `(namespace, package)` (the name is normalised like
    /// the index: PEP 503 for PyPI, ...). Withdrawn advisories are never indexed.
    pub fn package_block(&self, namespace: &str, package: &str) -> Result<Option<PackageBlock<'_>>, Error> {
        let key = key_of(namespace, package);
        let (mut lo, mut hi) = (0usize, self.n_keys);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let (k, span) = self.entry(mid)?;
            match k.cmp(&key[..]) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    // Equal to the query key, so UTF-8.
                    let k = std::str::from_utf8(k).map_err(|_| corrupt("key is not UTF-8"))?;
                    let (ns, name) = k.split_once('\0').unwrap_or((k, ""));
                    return Ok(Some(PackageBlock { namespace: ns, package: name, data: self.block(span)? }));
                }
            }
        }
        Ok(None)
    }

    /// The affected statements stored for `package` in `namespace`, owned. Matchers
    /// should prefer [`Database::package_block`], which borrows instead of copying.
    pub fn lookup(&self, namespace: &str, package: &str) -> Result<Vec<Candidate>, Error> {
        let Some(block) = self.package_block(namespace, package)? else { return Ok(Vec::new()) };
        let st = block.statements()?;
        st.iter().map(|a| Ok(Candidate { advisory: a.advisory(), affected: a.to_affected()? })).collect()
    }

    /// The advisory at `index` (its `affected` list is empty: statements come from
    /// [`Database::lookup`]).
    pub fn advisory(&self, index: u32) -> Result<Advisory, Error> {
        let i = index as usize;
        if i >= self.n_adv {
            return Err(corrupt(format!("advisory index {i} out of range")));
        }
        let raw = self.advisory_block(i / ADV_PER_BLOCK)?;
        Ok(Self::advisory_in(&raw, i % ADV_PER_BLOCK)?.to_advisory())
    }

    /// Several advisories at once (each compressed block is inflated once): index to
    /// advisory, for the indices given.
    pub fn advisories(&self, indices: &[u32]) -> Result<std::collections::HashMap<u32, Advisory>, Error> {
        let mut out = std::collections::HashMap::with_capacity(indices.len());
        self.for_each_advisory(indices, |i, a| {
            out.insert(i, a.to_advisory());
        })?;
        Ok(out)
    }

    /// Calls `f` with each advisory of `indices` (ascending, each once), its text borrowed
    /// from its block: no copy unless `f` makes one (it owns the record's lists and may
    /// keep them). Each block is inflated once.
    pub fn for_each_advisory(&self, indices: &[u32], mut f: impl FnMut(u32, AdvisoryRef<'_>)) -> Result<(), Error> {
        let mut wanted: Vec<u32> = indices.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut i = 0;
        let mut buf = Vec::new();
        while i < wanted.len() {
            let blk = wanted[i] as usize / ADV_PER_BLOCK;
            let raw = self.advisory_block_into(blk, &mut buf)?;
            while i < wanted.len() && wanted[i] as usize / ADV_PER_BLOCK == blk {
                let idx = wanted[i];
                if idx as usize >= self.n_adv {
                    return Err(corrupt(format!("advisory index {idx} out of range")));
                }
                f(idx, Self::advisory_in(raw, idx as usize % ADV_PER_BLOCK)?);
                i += 1;
            }
        }
        Ok(())
    }

    fn advisory_block_span(&self, blk: usize) -> Result<(usize, usize), Error> {
        if blk >= self.n_adv_blocks {
            return Err(corrupt("advisory block out of range"));
        }
        let b = &self.bytes[..];
        let at = self.adv_blocks.0 + blk * 8;
        let off = rd32(b, at).ok_or_else(|| corrupt("block table"))? as usize;
        let len = rd32(b, at + 4).ok_or_else(|| corrupt("block table"))? as usize;
        Ok((off, len))
    }

    fn advisory_block(&self, blk: usize) -> Result<Cow<'_, [u8]>, Error> {
        self.block(self.advisory_block_span(blk)?)
    }

    /// [`Database::advisory_block`], inflating into a reused buffer.
    fn advisory_block_into<'s>(&'s self, blk: usize, buf: &'s mut Vec<u8>) -> Result<&'s [u8], Error> {
        let raw = self.raw_block(self.advisory_block_span(blk)?)?;
        match raw.split_first() {
            Some((&RAW, rest)) => Ok(rest),
            Some((&LZ4, rest)) => inflate_into(rest, buf),
            _ => Err(corrupt("block tag")),
        }
    }

    fn advisory_in(raw: &[u8], item: usize) -> Result<AdvisoryRef<'_>, Error> {
        let count = rd32(raw, 0).ok_or_else(|| corrupt("advisory block header"))? as usize;
        if item >= count {
            return Err(corrupt("advisory block too short"));
        }
        let base = count
            .checked_add(1)
            .and_then(|c| c.checked_mul(4))
            .and_then(|c| c.checked_add(4))
            .ok_or_else(|| corrupt("advisory block header"))?;
        let start = rd32(raw, 4 + item * 4).ok_or_else(|| corrupt("advisory offsets"))? as usize;
        let end = rd32(raw, 8 + item * 4).ok_or_else(|| corrupt("advisory offsets"))? as usize;
        let (s, e) = (base.checked_add(start), base.checked_add(end));
        let rec = match (s, e) {
            (Some(s), Some(e)) if s <= e => raw.get(s..e).ok_or_else(|| corrupt("advisory span"))?,
            _ => return Err(corrupt("advisory span")),
        };
        block::decode_advisory(rec)
    }

    /// Convenience: the advisories for a package, each with `affected` holding only the
    /// statements for that package.
    pub fn lookup_advisories(&self, namespace: &str, package: &str) -> Result<Vec<Advisory>, Error> {
        let mut by_idx: BTreeMap<u32, Vec<Affected>> = BTreeMap::new();
        for c in self.lookup(namespace, package)? {
            by_idx.entry(c.advisory).or_default().push(c.affected);
        }
        let idx: Vec<u32> = by_idx.keys().copied().collect();
        let mut advs = self.advisories(&idx)?;
        let mut out = Vec::with_capacity(by_idx.len());
        for (i, affected) in by_idx {
            let mut adv = advs.remove(&i).ok_or_else(|| corrupt("advisory missing"))?;
            adv.affected = affected;
            out.push(adv);
        }
        Ok(out)
    }

    /// Every `(namespace, package)` key, for tools and tests.
    pub fn keys(&self) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::with_capacity(self.n_keys);
        for i in 0..self.n_keys {
            let (k, _) = self.entry(i)?;
            let s = String::from_utf8_lossy(k);
            let (ns, pkg) = s.split_once('\0').ok_or_else(|| corrupt("key without separator"))?;
            out.push((ns.to_owned(), pkg.to_owned()));
        }
        Ok(out)
    }
}

/// Serialises advisories into the database format. Withdrawn advisories are stored but
/// not indexed.
pub fn write(advisories: &[Advisory], mut info: DbInfo, kev: Vec<String>) -> Result<Vec<u8>, Error> {

    let compress = |raw: &[u8]| -> Result<Vec<u8>, Error> {
        let len = u32::try_from(raw.len()).map_err(|_| corrupt("block too large"))?;
        let mut out = vec![LZ4];
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&lz4_flex::block::compress(raw));
        Ok(out)
    };

    let mut data = Vec::new();
    // Advisory blocks.
    let mut adv_table = Vec::new();
    for chunk in advisories.chunks(ADV_PER_BLOCK) {
        let mut offsets = vec![0u32];
        let mut json = Vec::new();
        for a in chunk {
            block::encode_advisory(&mut json, a);
            offsets.push(u32::try_from(json.len()).map_err(|_| corrupt("advisory block too large"))?);
        }
        let mut raw = Vec::with_capacity(4 + offsets.len() * 4 + json.len());
        raw.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
        for o in &offsets {
            raw.extend_from_slice(&o.to_le_bytes());
        }
        raw.extend_from_slice(&json);
        let c = compress(&raw)?;
        adv_table.push((data.len() as u32, c.len() as u32));
        data.extend_from_slice(&c);
    }
    // Package index: per key, the statements in the binary encoding of `block`.
    let mut by_key: BTreeMap<Vec<u8>, Vec<(u32, &Affected)>> = BTreeMap::new();
    for (i, a) in advisories.iter().enumerate() {
        if a.withdrawn.is_some() {
            continue;
        }
        for aff in &a.affected {
            by_key.entry(key_of(&aff.namespace, &aff.package)).or_default().push((i as u32, aff));
        }
    }
    let mut keys = Vec::new();
    let mut index = Vec::with_capacity(by_key.len() * 16);
    let mut raw = Vec::new();
    for (k, list) in &by_key {
        raw.clear();
        raw.push(RAW);
        block::put_var(&mut raw, list.len() as u64);
        for (i, aff) in list {
            // The key holds the namespace and the normalised name; the feed's own
            // spelling is kept only when it differs.
            let keep_names = !(k.ends_with(aff.package.as_bytes())
                && aff.namespace.bytes().all(|b| !b.is_ascii_uppercase()));
            block::encode_statement(&mut raw, *i, aff, keep_names);
        }
        let stored = if raw.len() >= COMPRESS_MIN {
            let c = compress(&raw[1..])?;
            if c.len() * 4 <= raw.len() * 3 { c } else { raw.clone() }
        } else {
            raw.clone()
        };
        for x in [keys.len() as u32, k.len() as u32, data.len() as u32, stored.len() as u32] {
            index.extend_from_slice(&x.to_le_bytes());
        }
        keys.extend_from_slice(k);
        data.extend_from_slice(&stored);
    }
    if data.len() > u32::MAX as usize {
        return Err(corrupt("database larger than 4 GiB"));
    }
    info.schema_version = SCHEMA_VERSION;
    info.advisories = advisories.len();
    info.packages = by_key.len();
    info.known_exploited = kev.len();
    let meta = serde_json::to_vec(&DbMeta { info, kev }).map_err(|e| Error::Write(e.into()))?;
    let mut out = Vec::with_capacity(data.len() + index.len() + keys.len() + meta.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&SCHEMA_VERSION.to_le_bytes());
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    out.extend_from_slice(&(by_key.len() as u32).to_le_bytes());
    out.extend_from_slice(&index);
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    out.extend_from_slice(&keys);
    out.extend_from_slice(&(advisories.len() as u32).to_le_bytes());
    out.extend_from_slice(&(adv_table.len() as u32).to_le_bytes());
    for (o, l) in adv_table {
        out.extend_from_slice(&o.to_le_bytes());
        out.extend_from_slice(&l.to_le_bytes());
    }
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    Ok(out)
}
