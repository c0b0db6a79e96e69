//! `pnpm-lock.yaml` v5 to v9, read line by line (the subset pnpm writes: two-space
//! indentation, one key per line): package keys under `packages:` (`/name/1.0.0_peer`
//! in v5, `/name@1.0.0(peer)` in v6, `name@1.0.0(peer)` in v9), their `dev:` flag, and the
//! root importer's dependencies (name and resolved version) for direct/indirect.

use std::collections::{BTreeMap, BTreeSet};

use super::Record;
use crate::error::{Error, Result};

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('\'')
        .and_then(|x| x.strip_suffix('\''))
        .or_else(|| s.strip_prefix('"').and_then(|x| x.strip_suffix('"')))
        .unwrap_or(s)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Splits a package key into name and version for the given major lockfile version.
pub fn split_key(key: &str, major: u32) -> Option<(String, String)> {
    let key = unquote(key);
    // Tarball or git deps (`github.com/...`, `registry/...`) carry no usable version.
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next()?;
    if major < 6 {
        // name/version[_peer]; scoped: @scope/name/version
        let i = key.rfind('/')?;
        let name = &key[..i];
        let ver = key[i + 1..].split('_').next()?;
        (!name.is_empty() && !ver.is_empty()).then(|| (name.to_owned(), ver.to_owned()))
    } else {
        let at = key.get(1..)?.find('@')? + 1;
        let (name, ver) = (&key[..at], &key[at + 1..]);
        (!name.is_empty() && !ver.is_empty()).then(|| (name.to_owned(), ver.to_owned()))
    }
}

/// A resolved version as importers write it: `1.0.0`, `1.0.0(peer@2)` (v6+), `1.0.0_peer@2` (v5).
fn clean_version(v: &str, major: u32) -> String {
    let v = unquote(v);
    let v = v.split('(').next().unwrap_or(v);
    let v = if major < 6 {
        v.split('_').next().unwrap_or(v)
    } else {
        v
    };
    v.trim().to_owned()
}

/// `name: version` (inline, v5) or `name:` (version on a nested line, v6+).
fn direct_line(
    t: &str,
    ind: usize,
    major: u32,
    direct: &mut BTreeSet<(String, String)>,
    pending: &mut Option<(String, usize)>,
) {
    let Some((k, v)) = t.split_once(':') else {
        return;
    };
    let name = unquote(k).to_owned();
    if v.trim().is_empty() {
        *pending = Some((name, ind));
    } else {
        *pending = None;
        direct.insert((name, clean_version(v, major)));
    }
}

fn version_line(
    t: &str,
    ind: usize,
    major: u32,
    direct: &mut BTreeSet<(String, String)>,
    pending: &mut Option<(String, usize)>,
) {
    if let (Some((name, at)), Some(v)) = (pending.as_ref(), t.strip_prefix("version:")) {
        if ind > *at {
            direct.insert((name.clone(), clean_version(v, major)));
            *pending = None;
        }
    }
}

/// Parses a `pnpm-lock.yaml`.
pub fn parse(data: &[u8]) -> Result<Vec<Record>> {
    let text = String::from_utf8_lossy(data);
    let mut major = 0u32;
    let mut section = String::new();
    let mut importer_root = false; // inside importers: '.'
    let mut dep_block = false; // inside a dependencies block of the root
    let mut direct: BTreeSet<(String, String)> = BTreeSet::new();
    // A direct dependency whose version comes on a nested `version:` line.
    let mut pending: Option<(String, usize)> = None;
    let mut pkgs: BTreeMap<(String, String), bool> = BTreeMap::new();
    let mut cur: Option<(String, String)> = None;
    for line in text.lines() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let ind = indent(line);
        let t = line.trim();
        if ind == 0 {
            cur = None;
            let (k, v) = t.split_once(':').unwrap_or((t, ""));
            section = k.to_owned();
            if k == "lockfileVersion" {
                let v = unquote(v);
                major = v
                    .split('.')
                    .next()
                    .and_then(|m| m.parse().ok())
                    .unwrap_or(0);
            }
            dep_block = matches!(
                k,
                "dependencies" | "devDependencies" | "optionalDependencies"
            );
            continue;
        }
        match section.as_str() {
            "dependencies" | "devDependencies" | "optionalDependencies" if ind == 2 => {
                direct_line(t, ind, major, &mut direct, &mut pending);
            }
            "dependencies" | "devDependencies" | "optionalDependencies" if ind > 2 => {
                version_line(t, ind, major, &mut direct, &mut pending);
            }
            "importers" => {
                if ind == 2 {
                    importer_root =
                        t.trim_end_matches(':') == "." || unquote(t.trim_end_matches(':')) == ".";
                    dep_block = false;
                } else if ind == 4 {
                    let k = t.trim_end_matches(':');
                    dep_block = importer_root
                        && matches!(
                            k,
                            "dependencies" | "devDependencies" | "optionalDependencies"
                        );
                } else if ind == 6 && dep_block {
                    direct_line(t, ind, major, &mut direct, &mut pending);
                } else if ind > 6 && dep_block {
                    version_line(t, ind, major, &mut direct, &mut pending);
                }
            }
            "packages" => {
                if ind == 2 {
                    let key = t.strip_suffix(':').unwrap_or(t);
                    cur = split_key(key, major.max(5));
                    if let Some(k) = &cur {
                        pkgs.entry(k.clone()).or_insert(false);
                    }
                } else if ind == 4 {
                    if let Some(k) = &cur {
                        if t == "dev: true" {
                            pkgs.insert(k.clone(), true);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let _ = dep_block;
    if major == 0 {
        return Err(Error::Missing("lockfileVersion"));
    }
    Ok(pkgs
        .into_iter()
        .map(|((n, v), dev)| {
            let mut r = Record::new(n.clone(), v);
            r.dev = dev;
            if !direct.is_empty() {
                r.direct = Some(direct.contains(&(n.clone(), r.version.clone())));
            }
            r
        })
        .collect())
}
