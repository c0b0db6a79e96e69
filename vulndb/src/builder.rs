//! Building a database from feed files: walks directories (sorted, for reproducible
//! output), opens `.tar`, `.tar.gz`/`.tgz` and `.tar.zst` archives, detects each file's
//! format by content and merges the advisories.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::db::{self, DbInfo, SourceInfo};
use crate::import::{self, Parsed};
use crate::model::Advisory;

/// Files larger than this are skipped (with a warning).
const MAX_FILE: u64 = 256 << 20;

/// What a build read and wrote.
#[derive(Clone, Debug, Default)]
pub struct BuildReport {
    /// Files read (archive members included).
    pub files: usize,
    /// Files of no recognised format.
    pub unrecognised: usize,
    /// Files of a recognised format that failed to parse, with the reason (capped list).
    pub errors: Vec<String>,
    /// Number of files that failed to parse.
    pub error_count: usize,
    /// Records per detected format.
    pub by_format: BTreeMap<String, usize>,
    /// Advisories stored, per feed.
    pub by_source: BTreeMap<String, usize>,
    /// Withdrawn advisories (stored, never matched).
    pub withdrawn: usize,
    /// OSV GIT ranges skipped.
    pub git_ranges_skipped: usize,
    /// Records deliberately skipped (rubysec interpreter advisories, ...).
    pub skipped: usize,
    /// Non-fatal warnings (count).
    pub warnings: usize,
    /// KEV ids read.
    pub known_exploited: usize,
    /// Size of the database written.
    pub bytes: usize,
    /// Metadata written.
    pub info: DbInfo,
}

/// Accumulates feed files and writes the database.
#[derive(Default)]
pub struct Builder {
    advisories: Vec<Advisory>,
    seen: HashMap<(String, String), usize>,
    kev: Vec<String>,
    kev_version: Option<String>,
    debian_vuln_list: Option<import::distro::DebianVulnList>,
    report: BuildReport,
}

impl Builder {
    /// A new, empty builder.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Adds a file or a directory tree (or an archive).
    pub fn add_path(&mut self, path: &Path) -> Result<(), Error> {
        let io = |source| Error::Io { path: path.display().to_string(), source };
        let link = std::fs::symlink_metadata(path).map_err(io)?;
        let meta = std::fs::metadata(path).map_err(io)?;
        if link.file_type().is_symlink() && meta.is_dir() {
            // Not followed: a link back up the tree would loop.
            self.report.warnings += 1;
            return Ok(());
        }
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> =
                std::fs::read_dir(path).map_err(io)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort();
            for e in entries {
                let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name.starts_with('.') {
                    continue;
                }
                self.add_path(&e)?;
            }
            return Ok(());
        }
        if meta.len() > MAX_FILE {
            self.report.warnings += 1;
            return Ok(());
        }
        let data = std::fs::read(path).map_err(io)?;
        self.add_bytes(&path.display().to_string(), &data)
    }

    /// Adds one file's bytes (an archive is expanded). `name` is used for archive
    /// detection by extension, fallback ids and messages.
    pub fn add_bytes(&mut self, name: &str, data: &[u8]) -> Result<(), Error> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".tar.zst") || lower.ends_with(".tzst") {
            let dec = ruzstd::decoding::StreamingDecoder::new(data)
                .map_err(|e| Error::Parse { path: name.into(), message: e.to_string() })?;
            return self.add_tar(name, dec);
        }
        if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
            return self.add_tar(name, flate2::read::GzDecoder::new(data));
        }
        if lower.ends_with(".tar") {
            return self.add_tar(name, data);
        }
        self.add_file(name, data);
        Ok(())
    }

    fn add_tar<R: Read>(&mut self, name: &str, r: R) -> Result<(), Error> {
        let perr = |e: std::io::Error| Error::Parse { path: name.into(), message: e.to_string() };
        let mut ar = tar::Archive::new(r);
        for entry in ar.entries().map_err(perr)? {
            let mut entry = entry.map_err(perr)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let inner = entry.path().map(|p| p.display().to_string()).unwrap_or_default();
            if entry.size() > MAX_FILE {
                self.report.warnings += 1;
                continue;
            }
            let mut buf = Vec::with_capacity(entry.size() as usize);
            entry.read_to_end(&mut buf).map_err(perr)?;
            let member = format!("{name}!/{inner}");
            self.add_bytes(&member, &buf)?;
        }
        Ok(())
    }

    fn add_file(&mut self, name: &str, data: &[u8]) {
        self.report.files += 1;
        // A vuln-list-debian tree is resolved as a whole (unstable-fix inheritance,
        // per-release source versions): its files go to one collector.
        let inner = name.rsplit("!/").next().unwrap_or(name);
        if import::distro::DebianVulnList::wants(inner) {
            let list = self.debian_vuln_list.get_or_insert_with(import::distro::DebianVulnList::new);
            if let Err(e) = list.add_file(inner, data) {
                self.report.error_count += 1;
                if self.report.errors.len() < 50 {
                    self.report.errors.push(format!("{name}: {}", error_chain(&e)));
                }
            }
            return;
        }
        let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let stem = file.split('.').next().unwrap_or(file);
        let res = match import::parse_file(stem, data) {
            Ok(Some((fmt, parsed))) => Ok(Some((format!("{fmt:?}"), parsed))),
            Ok(None) => self.distro(name, data),
            Err(e) => Err(e),
        };
        match res {
            Ok(Some((fmt, parsed))) => {
                *self.report.by_format.entry(fmt).or_default() += parsed.advisories.len();
                self.merge(parsed);
            }
            Ok(None) => self.report.unrecognised += 1,
            Err(e) => {
                self.report.error_count += 1;
                if self.report.errors.len() < 50 {
                    self.report.errors.push(format!("{name}: {e}"));
                }
            }
        }
    }

    /// Distro feeds (Debian, Ubuntu, Red Hat, SUSE, Alma errata, Alpine secdb) are
    /// parsed by `import::distro` once that module exists.
    fn distro(&mut self, name: &str, data: &[u8]) -> Result<Option<(String, Parsed)>, String> {
        let file = name.rsplit('/').next().unwrap_or(name);
        let fmt = match import::distro::detect(data, name) {
            Some(f) => f,
            // Debian tracker lists start with `[date]`, which the distro sniffer takes
            // for JSON: recognise them by name and first line here.
            None if (file == "list" || file.ends_with(".list")) && data.starts_with(b"[") => {
                import::distro::Format::DebianList
            }
            None => return Ok(None),
        };
        let p = import::distro::parse(fmt, data, name).map_err(|e| error_chain(&e))?;
        Ok(Some((format!("{fmt:?}"), Parsed { advisories: p.advisories, warnings: p.warnings, ..Default::default() })))
    }

    /// Adds parsed records (for callers with their own importers).
    pub fn merge(&mut self, parsed: Parsed) {
        self.report.warnings += parsed.warnings.len();
        self.report.git_ranges_skipped += parsed.git_ranges_skipped;
        self.report.skipped += parsed.skipped;
        if parsed.kev_version.is_some() {
            self.kev_version = parsed.kev_version;
        }
        self.kev.extend(parsed.kev);
        for adv in parsed.advisories {
            let key = (adv.source.clone(), adv.id.clone());
            match self.seen.get(&key) {
                Some(&i) => {
                    // The same id twice in one feed: two copies of a record (keep the
                    // newer text) or one CVE stated for several packages (composer,
                    // rubysec): keep every distinct affected statement.
                    let old = &mut self.advisories[i];
                    let mut affected = std::mem::take(&mut old.affected);
                    for a in &adv.affected {
                        if !affected.contains(a) {
                            affected.push(a.clone());
                        }
                    }
                    for a in &adv.aliases {
                        if !old.aliases.contains(a) {
                            old.aliases.push(a.clone());
                        }
                    }
                    if adv.modified > old.modified {
                        let aliases = std::mem::take(&mut old.aliases);
                        *old = adv;
                        old.aliases = aliases;
                    }
                    old.affected = affected;
                }
                None => {
                    self.seen.insert(key, self.advisories.len());
                    self.advisories.push(adv);
                }
            }
        }
    }

    /// Moves everything another builder gathered into this one (for parallel imports).
    pub fn absorb(&mut self, mut other: Builder) {
        if let Some(list) = other.debian_vuln_list.take() {
            let p = list.finish();
            *self.report.by_format.entry("DebianVulnList".into()).or_default() += p.advisories.len();
            self.merge(Parsed { advisories: p.advisories, warnings: p.warnings, ..Default::default() });
        }
        let r = other.report;
        self.report.files += r.files;
        self.report.unrecognised += r.unrecognised;
        self.report.error_count += r.error_count;
        self.report.errors.extend(r.errors);
        for (k, v) in r.by_format {
            *self.report.by_format.entry(k).or_default() += v;
        }
        self.merge(Parsed {
            advisories: other.advisories,
            kev: other.kev,
            kev_version: other.kev_version,
            warnings: Vec::new(),
            git_ranges_skipped: r.git_ranges_skipped,
            skipped: r.skipped,
        });
        self.report.warnings += r.warnings;
    }

    /// The advisories gathered so far.
    pub fn advisories(&self) -> &[Advisory] {
        &self.advisories
    }

    /// Writes the database and returns its bytes with the report.
    pub fn finish(mut self) -> Result<(Vec<u8>, BuildReport), Error> {
        if let Some(list) = self.debian_vuln_list.take() {
            let p = list.finish();
            *self.report.by_format.entry("DebianVulnList".into()).or_default() += p.advisories.len();
            self.merge(Parsed { advisories: p.advisories, warnings: p.warnings, ..Default::default() });
        }
        // Per feed, a package's advisories side by side (by the first package each
        // names): advisory text is stored in compressed blocks of 16, and an old package
        // hits most of its advisories, so matching inflates fewer blocks (and similar
        // records compress together).
        let first_package = |a: &Advisory| a.affected.first().map(|x| x.package.to_ascii_lowercase()).unwrap_or_default();
        self.advisories.sort_by_cached_key(|a| (a.source.clone(), first_package(a), a.id.clone()));
        let mut sources: BTreeMap<String, SourceInfo> = BTreeMap::new();
        for a in &self.advisories {
            let s = sources
                .entry(a.source.clone())
                .or_insert_with(|| SourceInfo { name: a.source.clone(), ..Default::default() });
            s.records += 1;
            let d = a.modified.as_ref().or(a.published.as_ref());
            if let Some(d) = d {
                if s.newest.as_ref().is_none_or(|n| d > n) {
                    s.newest = Some(d.clone());
                }
            }
            if a.withdrawn.is_some() {
                self.report.withdrawn += 1;
            }
        }
        self.kev.sort();
        self.kev.dedup();
        self.report.by_source = sources.iter().map(|(k, v)| (k.clone(), v.records)).collect();
        self.report.known_exploited = self.kev.len();
        let info = DbInfo {
            built_at: now_rfc3339(),
            sources: sources.into_values().collect(),
            kev_version: self.kev_version.clone(),
            ..Default::default()
        };
        let bytes = db::write(&self.advisories, info, self.kev)?;
        let opened = db::Database::from_bytes(bytes.clone())?;
        self.report.info = opened.info().clone();
        self.report.bytes = bytes.len();
        Ok((bytes, self.report))
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// Builds a database from files, directories and archives, and writes it to `out`.
pub fn build(inputs: &[PathBuf], out: &Path) -> Result<BuildReport, Error> {
    let mut b = Builder::new();
    for p in inputs {
        b.add_path(p)?;
    }
    let (bytes, report) = b.finish()?;
    std::fs::write(out, &bytes).map_err(|source| Error::Io { path: out.display().to_string(), source })?;
    Ok(report)
}

/// Current UTC time as RFC 3339, or `SOURCE_DATE_EPOCH` when set (reproducible builds).
fn now_rfc3339() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (H. Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, (rem % 3600) / 60, rem % 60)
}

