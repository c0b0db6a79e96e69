//! Ubuntu Pro (formerly Ubuntu Advantage) services from the client's
//! `/var/lib/ubuntu-advantage/status.json`.
//!
//! The file is written by `ubuntu-pro-client` (`pro status`): a JSON object whose
//! `services` array lists every service with its `name` (`esm-infra`, `esm-apps`, `fips`,
//! `livepatch`, ...) and `status` (`enabled`, `disabled`, `n/a`). An image whose
//! `esm-infra`/`esm-apps` is enabled receives security fixes from the ESM archives, so
//! the vulnerability matcher must use the ESM feed.
//!
//! A detector sees one layer, and status.json may sit in another layer than os-release;
//! the services are therefore reported as an internal marker finding (an
//! [`OwnedFiles`] with package [`MARKER`], never in reports) and merged into the final
//! Ubuntu [`strata_core::OsInfo`] by the OS analyzer as
//! `fields["ubuntu_pro_services"]` ([`FIELD`]).

use strata_core::{Ecosystem, Origin, OwnedFiles};

/// The path the client writes.
pub const STATUS_PATH: &str = "/var/lib/ubuntu-advantage/status.json";
/// Package name of the internal marker finding.
pub const MARKER: &str = "ubuntu-pro:enabled-services";
/// The `OsInfo::fields` key the analyzer sets: enabled services, comma-separated, in the
/// order status.json lists them (`esm-infra,esm-apps`).
pub const FIELD: &str = "ubuntu_pro_services";
/// At most this many services are kept (the client knows about a dozen).
const MAX_SERVICES: usize = 64;
/// Service names longer than this are ignored.
const MAX_NAME: usize = 64;

/// Why a status.json could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// Not JSON (or cut by the size cap).
    #[error("status.json is not valid json")]
    Json(#[source] serde_json::Error),
    /// JSON, but without a `services` array.
    #[error("status.json has no services array")]
    NoServices,
}

/// The names of the services whose `status` is `enabled`, in file order, without
/// duplicates. Names that are not short `[a-z0-9-]` words are skipped.
pub fn enabled_services(data: &[u8]) -> Result<Vec<String>, StatusError> {
    let v: serde_json::Value = serde_json::from_slice(data).map_err(StatusError::Json)?;
    let services = v
        .get("services")
        .and_then(|s| s.as_array())
        .ok_or(StatusError::NoServices)?;
    let mut out: Vec<String> = Vec::new();
    for s in services {
        let (Some(name), Some(status)) = (
            s.get("name").and_then(|n| n.as_str()),
            s.get("status").and_then(|n| n.as_str()),
        ) else {
            continue;
        };
        let valid = !name.is_empty()
            && name.len() <= MAX_NAME
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if status == "enabled" && valid && !out.iter().any(|o| o == name) {
            out.push(name.to_owned());
            if out.len() == MAX_SERVICES {
                break;
            }
        }
    }
    Ok(out)
}

/// The marker finding for these services (`None` when none is enabled).
pub fn marker(path: &str, services: Vec<String>) -> Option<OwnedFiles> {
    if services.is_empty() {
        return None;
    }
    Some(OwnedFiles {
        package: MARKER.to_owned(),
        arch: None,
        // Not an OS ecosystem: the dpkg file-list step ignores it.
        ecosystem: Ecosystem::Binary,
        files: services.into_iter().collect(),
        origin: Origin::file(path),
    })
}

/// Whether an internal finding is the Ubuntu Pro marker.
pub fn is_marker(o: &OwnedFiles) -> bool {
    o.package == MARKER && o.ecosystem == Ecosystem::Binary
}
