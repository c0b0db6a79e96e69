//! `yarn.lock`, classic (v1) and berry (v2+): entries are unindented lines listing the
//! requested patterns (`"name@range", name@npm:range:`), followed by indented fields:
//! `version` and the `dependencies` block. Packages resolved through `workspace:`,
//! `link:`, `portal:`, `file:`, `patch:` or `exec:` protocols are local and skipped.
//! With the project's `package.json`, [`Lock::apply_manifest`] marks direct dependencies
//! and those reachable only from `devDependencies` (as Trivy does).

use std::collections::{BTreeMap, HashMap};

use super::Record;
use crate::error::{Error, Result};

const LOCAL: &[&str] = &["workspace:", "link:", "portal:", "file:", "patch:", "exec:"];

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('"')
}

/// Splits `name@range` (or `@scope/name@npm:range`) into name and range.
fn split_pattern(p: &str) -> Option<(&str, &str)> {
    let p = unquote(p);
    let at = p.get(1..)?.find('@')? + 1;
    Some((&p[..at], &p[at + 1..]))
}

/// The lookup key of a requested pattern: `name@range` with berry's `npm:` prefix dropped.
fn key(name: &str, range: &str) -> String {
    let range = unquote(range);
    format!("{name}@{}", range.strip_prefix("npm:").unwrap_or(range))
}

/// A parsed lock file: packages and, per package, the patterns it depends on.
#[derive(Debug, Default)]
pub struct Lock {
    /// Packages, one per name and version.
    pub records: Vec<Record>,
    index: HashMap<String, usize>,
    deps: Vec<Vec<String>>,
}

impl Lock {
    /// Marks direct dependencies (`prod` and `dev` are the manifest's `name -> range`
    /// maps) and flags packages reachable only from dev dependencies.
    pub fn apply_manifest(&mut self, prod: &[(String, String)], dev: &[(String, String)]) {
        let mut is_prod = vec![false; self.records.len()];
        let mut seen_dev = vec![false; self.records.len()];
        for r in &mut self.records {
            r.direct = Some(false);
        }
        for (roots, marks) in [(prod, &mut is_prod), (dev, &mut seen_dev)] {
            let mut stack: Vec<usize> = Vec::new();
            for (n, range) in roots {
                if let Some(&i) = self.index.get(&key(n, range)) {
                    self.records[i].direct = Some(true);
                    stack.push(i);
                }
            }
            // Iterative walk: each package visited once, whatever the graph's shape.
            while let Some(i) = stack.pop() {
                if std::mem::replace(&mut marks[i], true) {
                    continue;
                }
                for d in &self.deps[i] {
                    if let Some(&j) = self.index.get(d) {
                        if !marks[j] {
                            stack.push(j);
                        }
                    }
                }
            }
        }
        for (i, r) in self.records.iter_mut().enumerate() {
            r.dev = seen_dev[i] && !is_prod[i];
        }
    }
}

/// Parses a `yarn.lock` into its packages.
pub fn parse(data: &[u8]) -> Result<Vec<Record>> {
    parse_graph(data).map(|l| l.records)
}

struct Entry {
    name: String,
    patterns: Vec<String>,
    version: Option<String>,
    local: bool,
    deps: Vec<String>,
}

/// Parses a `yarn.lock` with its dependency graph. Fails only when nothing in it looks
/// like a lock entry.
pub fn parse_graph(data: &[u8]) -> Result<Lock> {
    let text = String::from_utf8_lossy(data);
    let mut entries: Vec<Entry> = Vec::new();
    let mut heads = 0usize;
    let mut in_deps = false;
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            in_deps = false;
            let Some(head) = line.trim_end().strip_suffix(':') else {
                continue;
            };
            if head == "__metadata" {
                continue;
            }
            let mut patterns = Vec::new();
            let mut name = None;
            let mut local = false;
            for p in head.split(',') {
                let Some((n, range)) = split_pattern(p) else {
                    continue;
                };
                local |= LOCAL
                    .iter()
                    .any(|l| range.starts_with(l) || range.contains(&format!("@{l}")));
                name.get_or_insert_with(|| n.to_owned());
                patterns.push(key(n, range));
            }
            let Some(name) = name else { continue };
            heads += 1;
            entries.push(Entry {
                name,
                patterns,
                version: None,
                local,
                deps: Vec::new(),
            });
            continue;
        }
        let Some(e) = entries.last_mut() else {
            continue;
        };
        let field = line.trim();
        if indent == 2 {
            in_deps = matches!(field, "dependencies:" | "optionalDependencies:");
            let value = field
                .strip_prefix("version ")
                .or_else(|| field.strip_prefix("version:"));
            if let Some(v) = value {
                let v = unquote(v);
                if !v.is_empty() && !v.starts_with("0.0.0-use.local") {
                    e.version = Some(v.to_owned());
                }
            }
            if field.starts_with("resolution:")
                && LOCAL.iter().any(|p| field.contains(&format!("@{p}")))
            {
                e.local = true;
            }
        } else if in_deps && indent == 4 {
            // v1: `"name" "range"`; berry: `"name": range`.
            let (n, r) = if let Some(rest) = field.strip_prefix('"') {
                let Some(end) = rest.find('"') else { continue };
                (&rest[..end], rest[end + 1..].trim_start_matches(':'))
            } else {
                let Some((n, r)) = field.split_once(' ') else {
                    continue;
                };
                (n.trim_end_matches(':'), r)
            };
            e.deps.push(key(unquote(n), r));
        }
    }
    if heads == 0
        && !text.trim().is_empty()
        && !text.contains("yarn lockfile")
        && !text.contains("__metadata")
    {
        return Err(Error::malformed("yarn.lock", "no lock entries"));
    }
    let mut lock = Lock::default();
    let mut by_nv: BTreeMap<(String, String), usize> = BTreeMap::new();
    for e in entries {
        let Some(version) = e.version.filter(|_| !e.local) else {
            continue;
        };
        let i = *by_nv
            .entry((e.name.clone(), version.clone()))
            .or_insert_with(|| {
                lock.records
                    .push(Record::new(e.name.clone(), version.clone()));
                lock.deps.push(Vec::new());
                lock.records.len() - 1
            });
        lock.deps[i].extend(e.deps);
        for p in e.patterns {
            lock.index.insert(p, i);
        }
    }
    // Stable output: by name, then version.
    let mut order: Vec<usize> = (0..lock.records.len()).collect();
    order.sort_by(|&a, &b| {
        (&lock.records[a].name, &lock.records[a].version)
            .cmp(&(&lock.records[b].name, &lock.records[b].version))
    });
    let mut remap = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    let records = order.iter().map(|&i| lock.records[i].clone()).collect();
    let deps = order
        .iter()
        .map(|&i| std::mem::take(&mut lock.deps[i]))
        .collect();
    let index = lock.index.into_iter().map(|(k, v)| (k, remap[v])).collect();
    Ok(Lock {
        records,
        index,
        deps,
    })
}
