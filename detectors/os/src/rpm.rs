//! rpm databases (`Packages`, `Packages.db`, `rpmdb.sqlite` under `/var/lib/rpm` and
//! `/usr/lib/sysimage/rpm`), read by `strata-rpmdb`.

use std::collections::BTreeMap;

use strata_core::{Diagnostic, Ecosystem, FileList, Origin, Output, Package};

use crate::DiagnosticBudget;

/// The database files, by absolute path.
pub const RPMDB_PATHS: &[&str] = &[
    "/var/lib/rpm/Packages",
    "/var/lib/rpm/Packages.db",
    "/var/lib/rpm/rpmdb.sqlite",
    "/usr/lib/sysimage/rpm/Packages",
    "/usr/lib/sysimage/rpm/Packages.db",
    "/usr/lib/sysimage/rpm/rpmdb.sqlite",
];

/// The `evidence` of packages read from a database path.
pub fn evidence(path: &str) -> &'static str {
    if path.ends_with(".sqlite") {
        "rpmdb-sqlite"
    } else if path.ends_with(".db") {
        "rpmdb-ndb"
    } else {
        "rpmdb-bdb"
    }
}

/// `openssl-3.0.7-24.el9.src.rpm` -> (`openssl`, `3.0.7-24.el9`).
pub fn split_source_rpm(s: &str) -> Option<(String, String)> {
    let stem = s
        .strip_suffix(".src.rpm")
        .or_else(|| s.strip_suffix(".nosrc.rpm"))?;
    let (rest, release) = stem.rsplit_once('-')?;
    let (name, version) = rest.rsplit_once('-')?;
    if name.is_empty() || version.is_empty() || release.is_empty() {
        return None;
    }
    Some((name.to_owned(), format!("{version}-{release}")))
}

/// Reads an rpm database and pushes its packages (`gpg-pubkey` entries are keys, not
/// packages). Undecodable records become `rpm-bad-record` diagnostics; an unreadable
/// database one `rpmdb-unreadable` error.
pub fn parse_rpmdb(data: &[u8], path: &str, detector: &str, out: &mut Output) {
    let (packages, problems) = match strata_rpmdb::read_packages(data) {
        Ok(x) => x,
        Err(e) => {
            out.diagnostic(
                Diagnostic::error(
                    "rpmdb-unreadable",
                    format!("cannot read the rpm database: {e}"),
                )
                .with_path(path),
            );
            return;
        }
    };
    let mut budget = DiagnosticBudget::new(path);
    for p in problems {
        budget.warn(out, "rpm-bad-record", p.message);
    }
    budget.flush(out);
    let evidence = evidence(path);
    for mut p in packages {
        if p.name() == "gpg-pubkey" || p.name().is_empty() {
            continue;
        }
        let mut properties = BTreeMap::new();
        if let Some(label) = p.modularity_label().filter(|l| !l.is_empty()) {
            properties.insert("modularity_label".to_owned(), label.to_owned());
        }
        if let Some(size) = p.size {
            properties.insert("installed_size".to_owned(), size.to_string());
        }
        if let Some(epoch) = p.epoch {
            properties.insert("epoch".to_owned(), epoch.to_string());
        }
        let (source_name, source_version) = match p.source_rpm().and_then(split_source_rpm) {
            Some((n, v)) => (Some(n), Some(v)),
            None => (None, None),
        };
        let text = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(str::to_owned);
        out.push(Package {
            version: p.evr(),
            name: p.name().to_owned(),
            ecosystem: Ecosystem::Rpm,
            arch: text(p.arch()),
            source_name,
            source_version,
            licenses: text(p.license()).into_iter().collect(),
            vendor: text(p.vendor()),
            evidence: Some(evidence.to_owned()),
            files: files_of(std::mem::take(&mut p.files)),
            properties,
            origin: Origin::file(path),
            detector: detector.to_owned(),
            ..Default::default()
        });
    }
}

/// The reader's path buffer moved as is (no copy): it is laid out as core's `FileList`.
fn files_of(names: strata_rpmdb::FileNames) -> FileList {
    let (text, ends) = names.into_parts();
    // Always valid (written by the reader's own push); an empty list if not.
    FileList::from_parts(text, ends).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            split_source_rpm("openssl-3.0.7-24.el9.src.rpm"),
            Some(("openssl".into(), "3.0.7-24.el9".into()))
        );
        assert_eq!(
            split_source_rpm("util-linux-2.32.1-42.el8_8.src.rpm"),
            Some(("util-linux".into(), "2.32.1-42.el8_8".into()))
        );
        assert_eq!(split_source_rpm("foo.rpm"), None);
        assert_eq!(split_source_rpm("-1-2.src.rpm"), None);
    }

    #[test]
    fn garbage_is_a_diagnostic() {
        let mut out = Output::new();
        parse_rpmdb(
            b"not a database",
            "/var/lib/rpm/Packages",
            "os/rpm",
            &mut out,
        );
        assert!(out.findings().is_empty());
        assert_eq!(out.diagnostics()[0].code, "rpmdb-unreadable");
    }
}
