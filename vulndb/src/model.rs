//! The advisory model every importer produces and the database stores.
//!
//! One [`Advisory`] per vulnerability record of a feed (a CVE in a distro tracker, an OSV
//! record, a DSA). Each [`Affected`] names one package in one [`Affected::namespace`] and says
//! which versions are affected: OSV-style events (`introduced` inclusive, `fixed`
//! exclusive, `last_affected` inclusive, `limit` exclusive), explicit versions, and a status
//! for vendor statements (`will_not_fix`, `not_affected`, unfixed).

use serde::{Deserialize, Serialize};
use strata_core::{Cvss, Severity};

/// A vulnerability record from one feed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// Record id as the feed names it (`CVE-2021-44228`, `GHSA-jfh8-c2jp-5v3q`,
    /// `DSA-5380-1`, `ALSA-2023:1234`, `openEuler-SA-2023-1374`).
    pub id: String,
    /// Other ids (CVE ids, GHSA ids, the DSA that fixed it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Feed id (`debian-tracker`, `debian-dsa`, `osv-pypi`, `alpine-secdb`, `redhat-csaf`,
    /// `openeuler-cvrf`, `almalinux-errata`, ...).
    pub source: String,
    /// Short title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Vendor severity of the record, if the feed rates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// CVSS ratings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cvss: Vec<Cvss>,
    /// Reference URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Publication date (RFC 3339 or `YYYY-MM-DD`), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Last modification date, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Set when the record was withdrawn: such records never match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// The affected packages.
    #[serde(default)]
    pub affected: Vec<Affected>,
}

/// Whether a package name in a feed is a binary or a source package.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// Binary package (rpm name, apk name, language package).
    #[default]
    Binary,
    /// Source package (Debian and Ubuntu feeds).
    Source,
}

/// The vendor's statement about a package.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AffectedStatus {
    /// Versions in `ranges`/`versions` are affected; a fix is named in the events.
    #[default]
    Fixed,
    /// Affected and no fix exists yet (every version from `introduced` on).
    Affected,
    /// The vendor will not fix it.
    WillNotFix,
    /// Fix deferred.
    FixDeferred,
    /// The vendor states the package is not affected.
    NotAffected,
    /// The release is past its support.
    EndOfLife,
}

/// One event of an OSV-style range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Versions from here on are affected (inclusive); `"0"` means from the beginning.
    Introduced(String),
    /// Versions from here on are not affected (exclusive upper bound).
    Fixed(String),
    /// The last affected version (inclusive upper bound).
    LastAffected(String),
    /// Upper limit of the range (exclusive).
    Limit(String),
}

/// Kind of a range.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RangeKind {
    /// Versions compare with the namespace's own scheme.
    #[default]
    Ecosystem,
    /// Semantic versioning 2.0.
    Semver,
}

/// An OSV-style range: events sorted as the feed gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Kind.
    #[serde(default)]
    pub kind: RangeKind,
    /// Events.
    pub events: Vec<Event>,
}

/// One affected package in one namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// Where the package lives, lowercase: a distro release (`debian:12`, `ubuntu:22.04`,
    /// `alpine:3.18`, `almalinux:8`, `rocky:9`, `redhat:8`, `openeuler:22.03-lts-sp3`,
    /// `sles:15.5`, `amazon:2`) or a language ecosystem (`maven`, `pypi`, `npm`, `go`,
    /// `crates.io`, `packagist`, `rubygems`, `nuget`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// Package name as the feed spells it (normalise per ecosystem at match time).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub package: String,
    /// Binary or source name.
    #[serde(default)]
    pub name_kind: NameKind,
    /// The vendor's statement.
    #[serde(default)]
    pub status: AffectedStatus,
    /// Ranges (any one matching means affected).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    /// Explicitly affected versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// Severity for this package in this namespace (Debian urgency, Ubuntu priority),
    /// overriding the record's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Architectures the statement is limited to (empty = all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arches: Vec<String>,
    /// Added for feeds that state affected versions as constraints rather than events
    /// (FriendsOfPHP branches, npm `vulnerable_versions`): each string is one constraint
    /// in the namespace's native syntax (`>=2.5.0,<2.5.9`, `<=4.17.15`), evaluated with
    /// `strata_version::Constraint`; the version is affected when it satisfies any of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<String>,
    /// Constraints naming unaffected or patched versions (rubysec `patched_versions` and
    /// `unaffected_versions`): a version satisfying any of them is never affected. When
    /// `ranges`, `versions` and `constraints` are all empty, every other version is
    /// affected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unaffected: Vec<String>,
    /// Human-readable fixed versions when the feed gives constraints (`>= 2.2.1, ~> 2.1.5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_hint: Option<String>,
    /// OSV `ecosystem_specific` (Go `imports` with symbols, ...), kept as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<serde_json::Value>,
}

impl Affected {
    /// The first `fixed` version named in the ranges, if any.
    pub fn fixed_version(&self) -> Option<&str> {
        self.ranges.iter().flat_map(|r| r.events.iter()).find_map(|e| match e {
            Event::Fixed(v) => Some(v.as_str()),
            _ => None,
        })
    }

    /// Every `fixed` version named in the ranges, in feed order.
    pub fn fixed_versions(&self) -> Vec<&str> {
        self.ranges
            .iter()
            .flat_map(|r| r.events.iter())
            .filter_map(|e| match e {
                Event::Fixed(v) => Some(v.as_str()),
                _ => None,
            })
            .collect()
    }
}
