//! npm: `package.json` manifests (installed packages under `node_modules`) and
//! `package-lock.json` v1, v2 and v3, resolved as Trivy does (links to workspaces, direct
//! dependencies from the root package, nearest-`node_modules` lookup, dev flags merged).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::Record;
use crate::error::{Error, Result};

/// The fields of a `package.json` the detector uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// `name`.
    pub name: Option<String>,
    /// `version`.
    pub version: Option<String>,
    /// From `license` (string, `{type}` object or array), else legacy `licenses`.
    pub licenses: Vec<String>,
    /// `private: true`.
    pub private: bool,
    /// `workspaces` (array, or `{packages: [...]}`).
    pub workspaces: Vec<String>,
    /// `dependencies`, `optionalDependencies` and `peerDependencies` (name, range).
    pub dependencies: Vec<(String, String)>,
    /// `devDependencies` (name, range).
    pub dev_dependencies: Vec<(String, String)>,
}

/// npm's licence field shapes: `"MIT"`, `{"type": "MIT"}`, or an array of such objects.
pub fn parse_license(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Value::Object(o)) => match o.get("type") {
            Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
            _ => Vec::new(),
        },
        // Legacy arrays of `{type, url}` objects; arrays of plain strings are not read (as
        // in Trivy).
        Some(Value::Array(a)) => a
            .iter()
            .filter(|x| x.is_object())
            .flat_map(|x| parse_license(Some(x)))
            .collect(),
        _ => Vec::new(),
    }
}

fn parse_workspaces(v: Option<&Value>) -> Vec<String> {
    let arr = match v {
        Some(Value::Array(a)) => a,
        Some(Value::Object(o)) => match o.get("packages") {
            Some(Value::Array(a)) => a,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    arr.iter()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// Whether `name` is a valid npm package name as far as URL-safety goes: `name` or
/// `@scope/name`, each part non-empty and made of URL-friendly characters.
pub fn valid_name(name: &str) -> bool {
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(
                        b,
                        b'-' | b'.' | b'_' | b'~' | b'!' | b'*' | b'\'' | b'(' | b')'
                    )
            })
    };
    match name.strip_prefix('@') {
        Some(rest) => match rest.split_once('/') {
            Some((scope, n)) => ok(scope) && ok(n),
            None => false,
        },
        None => ok(name),
    }
}

/// Parses a `package.json`.
pub fn parse_package_json(data: &[u8]) -> Result<Manifest> {
    let v: Value = serde_json::from_slice(data)?;
    let Value::Object(o) = v else {
        return Err(Error::malformed("package.json", "not an object"));
    };
    let s = |k: &str| {
        o.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = s("name");
    if let Some(n) = &name {
        if !valid_name(n) {
            return Err(Error::malformed(
                "package.json",
                format!("name can only contain URL-friendly characters: {n:?}"),
            ));
        }
    }
    let mut licenses = parse_license(o.get("license"));
    if licenses.is_empty() {
        licenses = parse_license(o.get("licenses"));
    }
    Ok(Manifest {
        name,
        version: s("version"),
        licenses,
        private: o.get("private").and_then(Value::as_bool).unwrap_or(false),
        workspaces: parse_workspaces(o.get("workspaces")),
        dependencies: ["dependencies", "optionalDependencies", "peerDependencies"]
            .iter()
            .flat_map(|k| ranges(&o, k))
            .collect(),
        dev_dependencies: ranges(&o, "devDependencies"),
    })
}

fn ranges(o: &Map<String, Value>, k: &str) -> Vec<(String, String)> {
    o.get(k)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(n, r)| Some((n.clone(), r.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

fn str_of<'a>(o: &'a Map<String, Value>, k: &str) -> &'a str {
    o.get(k).and_then(Value::as_str).unwrap_or("")
}

fn keys(o: &Map<String, Value>, k: &str) -> Vec<String> {
    o.get(k)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Adds or merges a record, keyed by name and version: dev only if every occurrence is
/// dev, direct if any occurrence is direct.
fn merge(map: &mut BTreeMap<(String, String), Record>, r: Record) {
    match map.get_mut(&(r.name.clone(), r.version.clone())) {
        Some(old) => {
            old.dev = old.dev && r.dev;
            if r.direct == Some(true) {
                old.direct = Some(true);
            }
            if old.licenses.is_empty() {
                old.licenses = r.licenses;
            }
        }
        None => {
            map.insert((r.name.clone(), r.version.clone()), r);
        }
    }
}

/// Parses a `package-lock.json` (v1: `dependencies` tree; v2/v3: `packages` map).
pub fn parse_lock(data: &[u8]) -> Result<Vec<Record>> {
    let v: Value = serde_json::from_slice(data)?;
    let Value::Object(o) = v else {
        return Err(Error::malformed("package-lock.json", "not an object"));
    };
    let version = o
        .get("lockfileVersion")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    let mut out = BTreeMap::new();
    if version == 1 {
        if let Some(Value::Object(deps)) = o.get("dependencies") {
            v1(deps, &mut out);
        }
    } else {
        let packages = match o.get("packages") {
            Some(Value::Object(p)) => p.clone(),
            _ => Map::new(),
        };
        v2(packages, &mut out);
    }
    Ok(out.into_values().collect())
}

fn v1(deps: &Map<String, Value>, out: &mut BTreeMap<(String, String), Record>) {
    for (name, d) in deps {
        let Value::Object(d) = d else { continue };
        let mut r = Record::new(name.clone(), str_of(d, "version"));
        r.dev = d.get("dev").and_then(Value::as_bool).unwrap_or(false);
        merge(out, r);
        // Nesting is bounded by serde_json's recursion limit.
        if let Some(Value::Object(nested)) = d.get("dependencies") {
            v1(nested, out);
        }
    }
}

/// `path.Match`-style glob: `*` and `?` stop at `/` (segments matched one by one, each
/// with the linear greedy wildcard algorithm, so hostile patterns cannot blow up).
fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    let ps: Vec<&[u8]> = pat.split(|&b| b == b'/').collect();
    let ss: Vec<&[u8]> = s.split(|&b| b == b'/').collect();
    ps.len() == ss.len() && ps.iter().zip(&ss).all(|(p, s)| segment_match(p, s))
}

fn segment_match(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

fn name_from_path(p: &str) -> &str {
    match p.rfind("node_modules/") {
        Some(i) => &p[i + "node_modules/".len()..],
        None => p,
    }
}

/// Links resolved per lock file.
const MAX_LINKS: usize = 4096;

fn v2(mut packages: Map<String, Value>, out: &mut BTreeMap<(String, String), Record>) {
    // Resolve links: targets move under the link's node_modules path.
    let mut links: Vec<(String, String)> = Vec::new();
    let mut broken = Vec::new();
    for (p, v) in &packages {
        if v.get("link").and_then(Value::as_bool) == Some(true) {
            match v
                .get("resolved")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            {
                Some(r) => links.push((p.clone(), r.to_owned())),
                None => broken.push(p.clone()),
            }
        }
    }
    for b in broken {
        packages.remove(&b);
    }
    // Link resolution is packages x links (as in Trivy); real workspaces have far fewer.
    links.truncate(MAX_LINKS);
    let root = packages
        .get("")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut direct_names: BTreeSet<String> = BTreeSet::new();
    for k in [
        "dependencies",
        "optionalDependencies",
        "devDependencies",
        "peerDependencies",
    ] {
        direct_names.extend(keys(&root, k));
    }
    if !links.is_empty() {
        let workspaces = parse_workspaces(root.get("workspaces"));
        let snapshot: Vec<(String, Value)> = packages
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (pkg_path, mut pkg) in snapshot {
            for (link_path, resolved) in &links {
                if !pkg_path.starts_with(resolved.as_str()) {
                    continue;
                }
                if let Value::Object(m) = &mut pkg {
                    if str_of(m, "resolved").is_empty() {
                        m.insert("resolved".into(), Value::String(resolved.clone()));
                    }
                }
                let new_path = pkg_path.replace(resolved.as_str(), link_path);
                packages.remove(&pkg_path);
                packages.insert(new_path, pkg.clone());
                if workspaces
                    .iter()
                    .any(|w| glob_match(w.as_bytes(), pkg_path.as_bytes()))
                {
                    direct_names.insert(name_from_path(link_path).to_owned());
                }
                break;
            }
        }
    }
    let direct_paths: BTreeSet<String> = direct_names
        .iter()
        .map(|n| format!("node_modules/{n}"))
        .filter(|p| packages.contains_key(p))
        .collect();
    for (pkg_path, pkg) in &packages {
        if !pkg_path.starts_with("node_modules") {
            continue;
        }
        let Value::Object(pkg) = pkg else { continue };
        let name = match str_of(pkg, "name") {
            "" => name_from_path(pkg_path),
            n => n,
        };
        let mut r = Record::new(name, str_of(pkg, "version"));
        r.dev = pkg.get("dev").and_then(Value::as_bool).unwrap_or(false);
        r.direct = Some(direct_paths.contains(pkg_path));
        r.licenses = parse_license(pkg.get("license"));
        if r.licenses.is_empty() {
            r.licenses = parse_license(pkg.get("licenses"));
        }
        merge(out, r);
    }
}
