//! cargo-auditable dependency lists: the `.dep-v0` section, zlib-compressed JSON
//! `{"packages": [{"name", "version", "source", "kind", "dependencies", "root"}]}`.

use std::io::Read;

use serde::Deserialize;

use super::Record;
use super::elf::{self, Elf};
use crate::error::{Error, Result};

#[derive(Deserialize)]
struct Audit {
    packages: Vec<AuditPackage>,
}

#[derive(Deserialize)]
struct AuditPackage {
    name: String,
    version: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    root: bool,
}

/// The compressed `.dep-v0` section of an ELF file, if present.
pub fn find_section(data: &[u8]) -> Result<Option<&[u8]>> {
    let Some(elf) = Elf::parse(data) else {
        return Ok(None);
    };
    let Some(s) = elf.section(".dep-v0") else {
        return Ok(None);
    };
    elf::slice(data, s.offset, s.size)
        .map(Some)
        .ok_or(Error::OutOfBounds(".dep-v0"))
}

/// Inflates (at most `cap` bytes) and parses a `.dep-v0` payload. Build-time dependencies
/// (`kind: build`) are left out, as Trivy does; the root crate is flagged.
pub fn parse_compressed(section: &[u8], cap: u64) -> Result<Vec<Record>> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(section)
        .take(cap + 1)
        .read_to_end(&mut json)
        .map_err(|source| Error::Decompress { source })?;
    if json.len() as u64 > cap {
        return Err(Error::TooLarge { limit: cap });
    }
    parse_json(&json)
}

/// Parses the decompressed JSON.
pub fn parse_json(json: &[u8]) -> Result<Vec<Record>> {
    let audit: Audit = serde_json::from_slice(json)?;
    Ok(audit
        .packages
        .into_iter()
        .filter(|p| p.kind.as_deref() != Some("build"))
        .map(|p| {
            let mut r = Record::new(p.name, p.version);
            r.root = p.root;
            r
        })
        .collect())
}
