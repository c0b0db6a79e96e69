//! The 5,000-package set shared by `default_db.rs` and `benches/match.rs`: 2,500
//! `ubuntu:18.04` keys of the database as deb packages and language packages up to 5,000,
//! all at old versions.

use strata_core::{Ecosystem, Package};

/// Packages built from the database's `(namespace, name)` keys.
pub(crate) fn synthetic(keys: &[(String, String)]) -> Vec<Package> {
    let mut pkgs = Vec::new();
    for (_, name) in keys.iter().filter(|(ns, _)| ns == "ubuntu:18.04").take(2500) {
        pkgs.push(Package { name: name.clone(), version: "1.0-1".into(), ecosystem: Ecosystem::Deb, ..Default::default() });
    }
    let lang = [
        ("pypi", Ecosystem::Pypi),
        ("npm", Ecosystem::Npm),
        ("maven", Ecosystem::Maven),
        ("go", Ecosystem::Golang),
        ("crates.io", Ecosystem::Cargo),
        ("rubygems", Ecosystem::Gem),
        ("packagist", Ecosystem::Composer),
    ];
    for (ns, name) in keys.iter().filter(|(ns, _)| lang.iter().any(|(l, _)| l == ns)) {
        if pkgs.len() >= 5000 {
            break;
        }
        let eco = lang.iter().find(|(l, _)| l == ns).map(|l| l.1).unwrap_or(Ecosystem::Pypi);
        let version = if eco == Ecosystem::Golang { "v1.0.0" } else { "1.0.0" };
        pkgs.push(Package { name: name.clone(), version: version.into(), ecosystem: eco, ..Default::default() });
    }
    pkgs
}
