//! Vulnerability matching of the inventory against the database.
//!
//! # Design
//!
//! [`VulnAnalyzer`] is an [`Analyzer`]: it runs once on the merged inventory, because the
//! namespace of an OS package depends on the image's OS (found in another layer). For each
//! package it picks one namespace ([`namespace_for`]): the OS release for OS packages
//! (`debian:12`, `ubuntu:22.04`, `alpine:3.18`, `almalinux:9`; a Debian 12 package is never
//! matched against Debian 11 data) and the ecosystem for language packages (`maven`,
//! `pypi`, `go`, ...). Debian, Ubuntu and Alpine feeds name source packages, so those are
//! looked up by source name first. An rpm with a modularity label
//! (`nodejs:18:8090020231019152822:a75119d5`) is looked up only as `nodejs:18::nodejs`,
//! never by its plain name, and a module build without a label is not matched (Trivy's
//! rules: a stream's packages are judged by that stream's advisories only). Ubuntu ESM
//! statements (`ubuntu:<release>-esm`) are used only when the image gets ESM updates
//! ([`esm_enabled`]: an installed `+esm` version, or `esm-infra`/`esm-apps` in
//! `OsInfo::fields["ubuntu_pro_services"]`); then they are evaluated with the release's
//! own, and where an ESM statement gives a fix the release's statement for that advisory
//! is dropped (Trivy switches to the ESM release's data once the base release is out of
//! standard support; keeping both covers CVEs the ESM data does not list).
//!
//! Matching runs in phases: (0) a sequential walk in package order finds the distinct
//! `(namespace, name, version)` lookups (the binary packages of one source share one) and
//! records what to replay. (1) Per lookup, the package's block is decoded into borrowed
//! statements and each is checked with `strata-version` (the installed version parsed
//! once, each range's events once; ranges before explicit version lists); only what a
//! finding needs is kept. (2) The advisories hit are read once each, borrowed from their
//! inflated block, and what their findings share is kept (the text is copied once per
//! advisory into `Arc`s that all of its findings share: a record hit by thousands of
//! packages is held once). (3) Findings are built in package order and deduplicated per
//! (id, package, version, path), in runs of whole packages that no such group crosses.
//! From 256 distinct lookups on, phase 1 runs per lookup, and from 256 hits phase 2 per
//! run of whole advisory blocks and phase 3 per run of packages, on rayon's pool;
//! results are collected by index and replayed in the sequential order, so findings and
//! diagnostics are byte-identical to a one-thread run
//! ([`VulnAnalyzer::with_parallel_threshold`]). An unparsable installed version is a
//! diagnostic and never a match.

mod matcher;

use matcher::ConstraintCache;

use std::borrow::Cow;
use std::sync::Arc;

use strata_core::{
    Analyzer, Cvss, Diagnostic, Ecosystem, Finding, Inventory, OsInfo, Output, Package, Severity, UrlList, Vulnerability,
    VulnStatus,
};
use strata_version::Scheme;
use rayon::prelude::*;
use strata_vulndb::{AdvisoryRef, AffectedStatus, CvssRef, Database};


pub use matcher::{
    affects, affects_ref, affects_with, best_fixed_version, best_fixed_version_ref, best_fixed_version_with,
};

/// Distinct lookups (phase 1) or hits (phase 2) from which matching is spread over threads
/// by default: below this, the work is a few milliseconds and hand-offs would not pay.
const PARALLEL_MIN: usize = 256;

/// Matches every package of the inventory against a [`Database`].
pub struct VulnAnalyzer {
    db: Arc<Database>,
    parallel_min: usize,
}

impl VulnAnalyzer {
    /// An analyzer over `db` (e.g. `strata_vulndb_default::database()`).
    pub fn new(db: Arc<Database>) -> Self {
        VulnAnalyzer { db, parallel_min: PARALLEL_MIN }
    }

    /// Sets the amount of work from which matching runs on several threads (rayon's pool):
    /// the statement checks when there are at least `min` distinct package lookups, the
    /// building of findings when at least `min` statements hit. Below it, or with
    /// `usize::MAX`, the work runs on the calling thread. The output is the same either way.
    pub fn with_parallel_threshold(mut self, min: usize) -> Self {
        self.parallel_min = min;
        self
    }

    /// The database.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Matches packages directly (the analyzer's work without an inventory): findings and
    /// diagnostics go to `out`.
    pub fn match_packages<'a>(
        &self,
        os: Option<&OsInfo>,
        packages: impl IntoIterator<Item = &'a Package>,
        out: &mut Output,
    ) {
        let packages: Vec<&'a Package> = packages.into_iter().collect();
        let os_ns = os.and_then(os_namespace);
        let esm_ns = os_ns
            .as_deref()
            .filter(|ns| ns.starts_with("ubuntu:") && esm_enabled(os, &packages))
            .map(|ns| format!("{ns}-esm"));
        let mut os_warned = false;
        let mut unlabelled_modular = 0usize;
        // Pass A (cheap, in package order): the distinct (namespace, name, version)
        // lookups, and the steps to replay once they are evaluated. The evaluation of one
        // lookup is shared by every package that asks for it (the binary packages of one
        // source package).
        // Sized for one lookup per package (the usual case) up front.
        let mut cache: foldhash::HashMap<(&str, Cow<'a, str>, Cow<'a, str>), usize> =
            foldhash::HashMap::with_capacity_and_hasher(packages.len(), Default::default());
        let mut lookups: Vec<(&str, Cow<'a, str>, Scheme, Cow<'a, str>)> = Vec::with_capacity(packages.len());
        let mut steps: Vec<Step<'a>> = Vec::with_capacity(packages.len());
        let mut last_scheme: Option<(&str, Option<Scheme>)> = None;
        for &pkg in &packages {
            // A language package whose files belong to an OS package is the distro's
            // (possibly patched) copy: the OS package's own advisories cover it.
            if !pkg.ecosystem.is_os() && pkg.os_package.is_some() {
                continue;
            }
            let Some(ns) = namespace_of(pkg, os_ns.as_deref()) else {
                if pkg.ecosystem.is_os() && !os_warned {
                    os_warned = true;
                    steps.push(Step::Diag(Box::new(Diagnostic::info(
                        "vuln-os-unsupported",
                        format!(
                            "no advisory namespace for the operating system {}; OS packages were not matched",
                            os.map(|o| format!("{} {}", o.family, o.version)).unwrap_or_else(|| "(none detected)".into())
                        ),
                    ))));
                }
                continue;
            };
            // Most packages share a handful of namespaces.
            let scheme = match last_scheme {
                Some((n, s)) if n == ns => s,
                _ => {
                    let s = Scheme::for_namespace(ns);
                    last_scheme = Some((ns, s));
                    s
                }
            };
            let Some(scheme) = scheme else { continue };
            let version = match_version(pkg, ns);
            let names = lookup_names(pkg, ns);
            if names.is_empty() {
                unlabelled_modular += 1;
                continue;
            }
            // The version is validated in phase 1 (on the pool), where it is parsed anyway;
            // the package's first lookup reports it when it does not parse.
            for (n, name) in names.into_iter().enumerate() {
                let key = (ns, name, version.clone());
                let (list, first) = match cache.get(&key) {
                    Some(&i) => (i, false),
                    None => {
                        let i = lookups.len();
                        lookups.push((ns, key.1.clone(), scheme, version.clone()));
                        cache.insert(key, i);
                        (i, true)
                    }
                };
                steps.push(Step::Lookup { pkg, list: list as u32, first, pkg_first: n == 0 });
            }
        }
        drop(cache);
        // Phase 1: per lookup, the package's block is decoded and the statements that
        // cover its version are kept (in parallel for large inventories).
        let parallel = lookups.len() >= self.parallel_min;
        let cx = Phase1 { db: &self.db, esm_ns: esm_ns.as_deref() };
        // Each worker keeps the constraints it has parsed.
        let eval = |cache: &mut ConstraintCache, (ns, name, scheme, version): &(&str, Cow<'a, str>, Scheme, Cow<'a, str>)| {
            cx.evaluate(ns, name, *scheme, version, cache)
        };
        let mut evaluated: Vec<Evaluated> = if parallel {
            // One cache per pool thread for the whole phase (`map_init` would start one per
            // split of the work, dozens per thread). The locks are never contended: a
            // thread only takes its own.
            let caches: Vec<std::sync::Mutex<ConstraintCache>> =
                (0..=rayon::current_num_threads()).map(|_| Default::default()).collect();
            lookups
                .par_iter()
                .map(|l| {
                    let i = rayon::current_thread_index().map_or(caches.len() - 1, |i| i.min(caches.len() - 1));
                    let mut cache = caches[i].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    eval(&mut cache, l)
                })
                .collect()
        } else {
            let mut cache = ConstraintCache::default();
            lookups.iter().map(|l| eval(&mut cache, l)).collect()
        };
        drop(lookups);
        // Pass B: replay in package order (diagnostics in the order a sequential walk
        // gives them), keeping the statements whose architectures fit the package.
        let mut feed_errors = 0usize;
        let mut hits: Vec<(&'a Package, u32, u32)> = Vec::with_capacity(evaluated.iter().map(|e| e.list.len()).sum());
        // Per hit, its package's number in phase 3 (see there): packages with the same
        // name, version and path share one.
        let mut group_of: Vec<u32> = Vec::with_capacity(hits.capacity());
        let mut groups: foldhash::HashMap<(&str, &str, &str), u32> =
            foldhash::HashMap::with_capacity_and_hasher(packages.len(), Default::default());
        let mut last_group: Option<(*const Package, u32)> = None;
        for step in steps {
            match step {
                Step::Diag(d) => out.diagnostic(*d),
                Step::Lookup { pkg, list, first, pkg_first } => {
                    let e = &mut evaluated[list as usize];
                    if let Some(err) = &e.invalid {
                        if pkg_first {
                            out.diagnostic(
                                Diagnostic::warning(
                                    "vuln-unparsable-version",
                                    format!("{} {}: version not comparable ({err}); not matched", pkg.name, pkg.version),
                                )
                                .with_path(pkg.origin.path.clone()),
                            );
                        }
                        continue;
                    }
                    if first {
                        feed_errors += e.feed_errors;
                        for d in e.diags.drain(..) {
                            out.diagnostic(d);
                        }
                    }
                    for (j, ev) in e.list.iter().enumerate() {
                        if !ev.arches.is_empty() {
                            if let Some(arch) = &pkg.arch {
                                if !ev.arches.iter().any(|a| a == arch) {
                                    continue;
                                }
                            }
                        }
                        hits.push((pkg, list, j as u32));
                        let group = match last_group {
                            Some((p, g)) if std::ptr::eq(p, pkg) => g,
                            _ => {
                                let next = groups.len() as u32;
                                let g = *groups
                                    .entry((pkg.name.as_str(), pkg.version.as_str(), pkg.origin.path.as_str()))
                                    .or_insert(next);
                                last_group = Some((pkg, g));
                                g
                            }
                        };
                        group_of.push(group);
                    }
                }
            }
        }
        if feed_errors > 0 {
            out.diagnostic(Diagnostic::info(
                "vuln-feed-version-error",
                format!(
                    "{} advisory statements had versions the scheme could not parse and were skipped",
                    feed_errors
                ),
            ));
        }
        if unlabelled_modular > 0 {
            out.diagnostic(Diagnostic::info(
                "vuln-modular-without-label",
                format!(
                    "{unlabelled_modular} rpm packages were built for a module stream but carry no modularity label; \
                     they were not matched (their advisories are per module stream)"
                ),
            ));
        }
        let lists = evaluated;
        // Phase 2: what the findings of each advisory hit share (its text, ids, aliases),
        // read once per advisory while its block is inflated (in advisory order; runs of
        // whole advisory blocks in parallel).
        let adv_of = |&(_, list, item): &(&'a Package, u32, u32)| lists[list as usize].list[item as usize].advisory;
        let set = AdvisorySet::new(hits.iter().map(adv_of), hits.len(), self.db.advisory_count());
        let advs = &set.sorted;
        // Many packages may share few lookups (the same image scanned several times): this
        // phase and the next are spread by the number of hits.
        let parallel = hits.len() >= self.parallel_min;
        let threads = if parallel { rayon::current_num_threads() * 4 } else { 1 };
        let chunks = advisory_chunks(advs, threads);
        let read = |part: &[u32]| -> Result<Vec<Option<SharedAdvisory>>, strata_vulndb::Error> {
            let mut shared: Vec<Option<SharedAdvisory>> = Vec::with_capacity(part.len());
            let mut cursor = 0usize;
            let mut interned = Interned::default();
            self.db.for_each_advisory(part, |idx, adv| {
                while cursor < part.len() && part[cursor] < idx {
                    shared.push(None);
                    cursor += 1;
                }
                if cursor >= part.len() || part[cursor] != idx {
                    return;
                }
                shared.push(Some(SharedAdvisory::new(adv, &self.db, &mut interned)));
                cursor += 1;
            })?;
            shared.resize_with(part.len(), || None);
            Ok(shared)
        };
        let read: Vec<Result<Vec<Option<SharedAdvisory>>, strata_vulndb::Error>> =
            if parallel { chunks.par_iter().map(|c| read(c)).collect() } else { chunks.iter().map(|c| read(c)).collect() };
        // Kept as read, per run (advisory `a` of `advs` is in the last run starting at or
        // before it).
        let mut shared: Vec<Vec<Option<SharedAdvisory>>> = Vec::with_capacity(read.len());
        let mut run_starts: Vec<usize> = Vec::with_capacity(read.len());
        for part in read {
            match part {
                Ok(p) => {
                    run_starts.push(run_starts.last().copied().unwrap_or(0) + shared.last().map_or(0, Vec::len));
                    shared.push(p);
                }
                Err(e) => {
                    out.diagnostic(Diagnostic::error("vuln-db-error", e.to_string()));
                    return;
                }
            }
        }
        // Phase 3: findings in package order, deduplicated per (id, package, version, path):
        // the first one seen stays, later ones are merged into it. A finding's package,
        // version and path are its package's: they are numbered once per package (hits of
        // one package are adjacent), so the per-finding key is (number, id). Runs of
        // packages whose numbers appear in no other run are built and deduplicated in
        // parallel.
        drop(groups);
        let runs = package_runs(&hits, &group_of, threads);
        // Per run: the findings decided (small slots), deduplicated.
        let decide = |range: &std::ops::Range<usize>| -> Run<'_> {
            // Per hit, its advisory's shared part.
            let shared_of: Vec<Option<&SharedAdvisory>> = hits[range.clone()]
                .iter()
                .map(|x| {
                    let a = set.position(adv_of(x))?;
                    let run = run_starts.partition_point(|&s| s <= a).checked_sub(1)?;
                    shared[run].get(a - run_starts[run])?.as_ref()
                })
                .collect();
            let n: usize = shared_of.iter().flatten().map(|sh| 1 + sh.more_ids.len()).sum();
            let mut run = Run { slots: Vec::with_capacity(n), idents: Vec::new(), solutions: Vec::new() };
            let mut index: foldhash::HashMap<(u32, &str), usize> =
                foldhash::HashMap::with_capacity_and_hasher(n, Default::default());
            // The package whose hits these are (its hits are adjacent), and the solutions
            // built for it by fixed version: the statements of one lookup share their fixed
            // versions' `Arc`s (Phase1::evaluate), so equal ones are found by address.
            let mut current: *const Package = std::ptr::null();
            let mut package_solutions: Vec<(*const str, u32)> = Vec::new();
            for h in range.clone() {
                let Some(sh) = shared_of[h - range.start] else { continue };
                let (pkg, list, item) = hits[h];
                let ev = &lists[list as usize].list[item as usize];
                if !std::ptr::eq(current, pkg) {
                    current = pkg;
                    run.idents.push(PackageIdent::of(pkg));
                    package_solutions.clear();
                }
                let ident = (run.idents.len() - 1) as u32;
                let (status, fixed) = status_of(ev);
                let solution = fixed.map(|f| {
                    let at = Arc::as_ptr(f);
                    match package_solutions.iter().find(|(p, _)| std::ptr::addr_eq(*p, at)) {
                        Some(&(_, i)) => i,
                        None => {
                            run.solutions.push(solution(&pkg.name, f));
                            let i = (run.solutions.len() - 1) as u32;
                            package_solutions.push((at, i));
                            i
                        }
                    }
                });
                for (id, aliases, kev) in sh.ids() {
                    let slot = Slot {
                        sh,
                        ev,
                        id,
                        ident,
                        solution,
                        aliases: aliases.clone(),
                        known_exploited: *kev,
                        status,
                        fixed,
                    };
                    match index.entry((group_of[h], &**id)) {
                        std::collections::hash_map::Entry::Occupied(e) => merge(&mut run.slots[*e.get()], slot, id),
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(run.slots.len());
                            run.slots.push(slot);
                        }
                    }
                }
            }
            run
        };
        let decided: Vec<Run<'_>> =
            if parallel { runs.par_iter().map(decide).collect() } else { runs.iter().map(decide).collect() };
        // The findings, built straight into the list the output keeps (finding `i` is
        // slot `i - starts[r]` of run `r`).
        let mut starts = Vec::with_capacity(decided.len());
        let mut total = 0usize;
        for r in &decided {
            starts.push(total);
            total += r.slots.len();
        }
        let build = |i: usize| {
            let r = starts.partition_point(|&s| s <= i).saturating_sub(1);
            Finding::Vulnerability(decided[r].finding(i - starts[r]))
        };
        let mut findings: Vec<Finding> = Vec::with_capacity(total);
        if parallel {
            (0..total).into_par_iter().map(build).collect_into_vec(&mut findings);
        } else {
            findings.extend((0..total).map(build));
        }
        out.append(findings);
        // What the findings took their shares of: thousands of reference counts to give
        // back, in parallel when the rest was.
        if parallel {
            decided.into_par_iter().for_each(drop);
            rayon::join(|| shared.into_par_iter().for_each(drop), || lists.into_par_iter().for_each(drop));
        }
    }
}

/// The distinct advisories hit, sorted, and where each one is in that list.
///
/// Advisory indices are below the database's `count` (a corrupt file's may not be).
/// With many hits, a bitmap over the database's advisories replaces sorting them, and its
/// per-word ranks replace a binary search per hit.
struct AdvisorySet {
    sorted: Vec<u32>,
    /// The bitmap (empty when the values were sorted directly) and, per word, how many
    /// bits are set before it.
    bits: Vec<u64>,
    ranks: Vec<u32>,
    /// How many of `sorted` came from the bitmap (the rest lie past it).
    in_bits: usize,
}

impl AdvisorySet {
    fn new(values: impl Iterator<Item = u32>, n: usize, count: usize) -> Self {
        if n < 4096 || n < count / 64 {
            let mut sorted: Vec<u32> = values.collect();
            sorted.sort_unstable();
            sorted.dedup();
            return AdvisorySet { sorted, bits: Vec::new(), ranks: Vec::new(), in_bits: 0 };
        }
        let mut bits = vec![0u64; count.div_ceil(64)];
        let mut beyond = Vec::new();
        for v in values {
            match bits.get_mut(v as usize / 64) {
                Some(w) => *w |= 1 << (v % 64),
                None => beyond.push(v),
            }
        }
        let mut sorted = Vec::with_capacity(n.min(count) + beyond.len());
        let mut ranks = Vec::with_capacity(bits.len());
        for (i, &w) in bits.iter().enumerate() {
            ranks.push(sorted.len() as u32);
            let mut w = w;
            while w != 0 {
                sorted.push(i as u32 * 64 + w.trailing_zeros());
                w &= w - 1;
            }
        }
        let in_bits = sorted.len();
        // Past the bitmap, so above everything in it.
        beyond.sort_unstable();
        beyond.dedup();
        sorted.extend(beyond);
        AdvisorySet { sorted, bits, ranks, in_bits }
    }

    /// Where `v` is in [`AdvisorySet::sorted`], if it is there.
    fn position(&self, v: u32) -> Option<usize> {
        let (word, bit) = (v as usize / 64, v % 64);
        match self.bits.get(word) {
            Some(&w) if w & (1 << bit) != 0 => {
                Some(self.ranks[word] as usize + (w & ((1u64 << bit) - 1)).count_ones() as usize)
            }
            Some(_) => None,
            // Sorted directly, or past the bitmap.
            None => self.sorted[self.in_bits..].binary_search(&v).ok().map(|i| self.in_bits + i),
        }
    }
}

/// Splits the hits (in package order) into at most about `n` runs of whole packages, each
/// holding every hit of its packages' groups (so each run deduplicates on its own).
fn package_runs(hits: &[(&Package, u32, u32)], group_of: &[u32], n: usize) -> Vec<std::ops::Range<usize>> {
    let groups = group_of.iter().map(|&g| g as usize + 1).max().unwrap_or(0);
    let mut last = vec![0usize; groups];
    for (h, &g) in group_of.iter().enumerate() {
        last[g as usize] = h;
    }
    let target = hits.len().div_ceil(n.max(1)).max(1);
    let mut runs = Vec::with_capacity(n + 1);
    let mut begin = 0usize;
    // The last hit of any group seen so far: a run can end only after it.
    let mut reach = 0usize;
    for h in 0..hits.len() {
        reach = reach.max(last[group_of[h] as usize]);
        let boundary = h + 1 == hits.len() || !std::ptr::eq(hits[h].0, hits[h + 1].0);
        if boundary && reach == h && h + 1 - begin >= target {
            runs.push(begin..h + 1);
            begin = h + 1;
        }
    }
    if begin < hits.len() {
        runs.push(begin..hits.len());
    }
    runs
}

/// What the findings of one advisory share: its text, counted once (`Arc`), and the
/// severity its ratings give.
struct SharedAdvisory {
    severity: Option<Severity>,
    cvss_severity: Option<Severity>,
    cvss: Arc<[Cvss]>,
    title: Arc<str>,
    description: Arc<str>,
    references: UrlList,
    data_source: Arc<str>,
    /// Per finding id: the id, the other ids (aliases), whether it is known exploited. One
    /// id per record is the rule, so the first is kept inline.
    first_id: FindingId,
    more_ids: Vec<FindingId>,
}

/// A finding's id, its other ids (aliases), and whether it is known exploited.
type FindingId = (Arc<str>, Arc<[String]>, bool);

/// Values many advisories repeat, allocated once per run of advisories: the feed names
/// (a handful per database), the empty text, the empty alias list and the CVSS ratings
/// (the worst-case benchmark set hits 10,164 rated advisories with 714 distinct lists).
#[derive(Default)]
struct Interned {
    sources: Vec<Arc<str>>,
    empty: Option<Arc<str>>,
    no_aliases: Option<Arc<[String]>>,
    /// Rating lists by a hash of their content (checked in full on a hit).
    cvss: foldhash::HashMap<u64, Arc<[Cvss]>>,
    hasher: foldhash::fast::FixedState,
    /// Where reference lists are assembled before their one allocation.
    scratch: String,
}

impl Interned {
    fn text(&mut self, s: &str) -> Arc<str> {
        if s.is_empty() {
            return self.empty.get_or_insert_with(|| Arc::from("")).clone();
        }
        Arc::from(s)
    }

    fn cvss(&mut self, list: &[CvssRef<'_>]) -> Arc<[Cvss]> {
        use std::hash::{BuildHasher, Hash, Hasher};
        let fresh = || list.iter().map(CvssRef::to_cvss).collect::<Arc<[Cvss]>>();
        let mut h = self.hasher.build_hasher();
        for c in list {
            (c.source, c.vector, c.score.map(f64::to_bits)).hash(&mut h);
        }
        match self.cvss.entry(h.finish()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let same = |(a, b): (&Cvss, &CvssRef<'_>)| {
                    a.source == b.source && a.vector == b.vector && a.score.map(f64::to_bits) == b.score.map(f64::to_bits)
                };
                let known = e.get();
                if known.len() == list.len() && known.iter().zip(list).all(same) { known.clone() } else { fresh() }
            }
            std::collections::hash_map::Entry::Vacant(e) => e.insert(fresh()).clone(),
        }
    }

    fn source(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.sources.iter().find(|a| ***a == *s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.sources.push(a.clone());
        a
    }
}

impl SharedAdvisory {
    fn new(adv: AdvisoryRef<'_>, db: &Database, interned: &mut Interned) -> Self {
        let alias_kev = adv.aliases.iter().any(|a| db.is_known_exploited(a));
        let mut ids = finding_ids(&adv)
            .map(|id| (Arc::from(id), finding_aliases(&adv, id, interned), alias_kev || db.is_known_exploited(id)));
        let first_id = ids.next().expect("finding_ids yields at least the record id");
        let more_ids = ids.collect();
        SharedAdvisory {
            first_id,
            more_ids,
            severity: adv.severity,
            cvss_severity: adv.cvss.iter().filter_map(|c| c.score).reduce(f64::max).map(Severity::from_cvss_score),
            cvss: interned.cvss(&adv.cvss),
            title: interned.text(adv.title),
            description: interned.text(adv.description),
            references: UrlList::build(&adv.references, &mut interned.scratch),
            data_source: interned.source(adv.source),
        }
    }

    /// The findings' ids, in the record's order.
    fn ids(&self) -> impl Iterator<Item = &FindingId> {
        std::iter::once(&self.first_id).chain(&self.more_ids)
    }

}

/// A statement's status as reported, and the fixed version it names: a `fixed`
/// statement without a version is reported as `affected`.
fn status_of(ev: &Eval) -> (VulnStatus, Option<&Arc<str>>) {
    let status = match ev.status {
        AffectedStatus::Fixed => VulnStatus::Fixed,
        AffectedStatus::Affected => VulnStatus::Affected,
        AffectedStatus::WillNotFix => VulnStatus::WillNotFix,
        AffectedStatus::FixDeferred => VulnStatus::FixDeferred,
        AffectedStatus::NotAffected => VulnStatus::NotAffected,
        AffectedStatus::EndOfLife => VulnStatus::EndOfLife,
    };
    match (status, ev.fixed.as_ref()) {
        (VulnStatus::Fixed, Some(f)) => (status, Some(f)),
        (VulnStatus::Fixed, None) => (VulnStatus::Affected, None),
        _ => (status, None),
    }
}

/// A finding decided in phase 3 but not yet built (a few words instead of a whole
/// `Vulnerability`): runs are deduplicated on these, and the findings are then built in
/// parallel straight into the output's list.
struct Slot<'s> {
    sh: &'s SharedAdvisory,
    ev: &'s Eval,
    id: &'s Arc<str>,
    /// The package's identity and the solution: indices into the run's lists.
    ident: u32,
    solution: Option<u32>,
    aliases: Arc<[String]>,
    known_exploited: bool,
    status: VulnStatus,
    /// The fixed version the statement names ([`status_of`]).
    fixed: Option<&'s Arc<str>>,
}

/// The findings decided for one run of packages, with what they share: the packages'
/// identities and the solutions (held here once; the slots index them, so deciding and
/// deduplicating touch no reference counts).
struct Run<'s> {
    slots: Vec<Slot<'s>>,
    idents: Vec<PackageIdent>,
    solutions: Vec<Arc<str>>,
}

impl Run<'_> {
    /// Builds the finding of slot `i`.
    fn finding(&self, i: usize) -> Vulnerability {
        let slot = &self.slots[i];
        let (sh, pkg, ev) = (slot.sh, &self.idents[slot.ident as usize], slot.ev);
        let severity = ev.severity.or(sh.severity).filter(|s| *s != Severity::Unknown).or(sh.cvss_severity).unwrap_or_default();
        Vulnerability {
            id: slot.id.clone(),
            aliases: slot.aliases.clone(),
            package: pkg.name.clone(),
            version: pkg.version.clone(),
            ecosystem: pkg.ecosystem,
            purl: pkg.purl.clone(),
            fixed_version: slot.fixed.cloned(),
            status: slot.status,
            severity,
            cvss: sh.cvss.clone(),
            title: sh.title.clone(),
            description: sh.description.clone(),
            references: sh.references.clone(),
            solution: slot.solution.map(|s| self.solutions[s as usize].clone()),
            known_exploited: slot.known_exploited,
            data_source: sh.data_source.clone(),
            origin: pkg.origin.clone(),
        }
    }
}

/// What the findings of one package share: its identity, each field counted once.
struct PackageIdent {
    name: Arc<str>,
    version: Arc<str>,
    ecosystem: Ecosystem,
    purl: Option<Arc<str>>,
    origin: Arc<strata_core::Origin>,
}

impl PackageIdent {
    fn of(pkg: &Package) -> Self {
        PackageIdent {
            name: Arc::from(pkg.name.as_str()),
            version: Arc::from(pkg.version.as_str()),
            ecosystem: pkg.ecosystem,
            purl: pkg.purl.as_deref().map(Arc::from),
            origin: Arc::new(pkg.origin.clone()),
        }
    }
}

/// `upgrade NAME to [a version matching ]FIXED`, built without the formatter (one per
/// hit that names a fix).
fn solution(name: &str, fixed: &str) -> Arc<str> {
    let matching = if fixed.starts_with(['<', '>', '=', '~', '^']) { "a version matching " } else { "" };
    let mut s = String::with_capacity(12 + name.len() + matching.len() + fixed.len());
    s.push_str("upgrade ");
    s.push_str(name);
    s.push_str(" to ");
    s.push_str(matching);
    s.push_str(fixed);
    Arc::from(s)
}

/// A finding's other ids: the record's id and aliases, without `id` and repeats.
fn finding_aliases(adv: &AdvisoryRef<'_>, id: &str, interned: &mut Interned) -> Arc<[String]> {
    let all = || std::iter::once(adv.id).chain(adv.aliases.iter().copied());
    let keep = |(i, a): &(usize, &str)| *a != id && !all().take(*i).any(|x| x == *a);
    if !all().enumerate().any(|x| keep(&x)) {
        return interned.no_aliases.get_or_insert_with(|| Arc::from(Vec::new())).clone();
    }
    // Counted first, so the list is allocated once, at its size.
    let n = all().enumerate().filter(keep).count();
    let mut aliases: Vec<String> = Vec::with_capacity(n);
    aliases.extend(all().enumerate().filter(keep).map(|(_, a)| a.to_owned()));
    Arc::from(aliases)
}

/// One statement that covers a looked-up version, reduced to what findings need.
struct Eval {
    advisory: u32,
    status: AffectedStatus,
    severity: Option<Severity>,
    /// Fixed version to report (for `fixed` statements; shared by the findings of every
    /// package of the lookup).
    fixed: Option<Arc<str>>,
    /// Architectures the statement is limited to (empty = all).
    arches: Vec<String>,
}

/// A step of the sequential pass, replayed once the lookups are evaluated.
enum Step<'a> {
    /// A diagnostic, in walk order (boxed: there is at most one, and steps are many).
    Diag(Box<Diagnostic>),
    /// A package's lookup (`first`: the first package that asked for it; `pkg_first`:
    /// the package's first lookup).
    Lookup { pkg: &'a Package, list: u32, first: bool, pkg_first: bool },
}

/// One evaluated lookup: the statements covering the version, and what went wrong.
struct Evaluated {
    /// Why the version is not comparable in the scheme (then nothing was looked up).
    invalid: Option<strata_version::VersionError>,
    list: Vec<Eval>,
    diags: Vec<Diagnostic>,
    feed_errors: usize,
}

/// Splits the sorted advisories hit into at most about `n` runs, each ending at an advisory
/// block boundary (so each block is inflated by one run only).
fn advisory_chunks(by_adv: &[u32], n: usize) -> Vec<&[u32]> {
    let per = strata_vulndb::db::ADV_PER_BLOCK as u32;
    let target = by_adv.len().div_ceil(n.max(1)).max(1);
    let mut out = Vec::with_capacity(n);
    let mut rest = by_adv;
    while !rest.is_empty() {
        let mut end = target.min(rest.len());
        while end < rest.len() && rest[end] / per == rest[end - 1] / per {
            end += 1;
        }
        let (head, tail) = rest.split_at(end);
        out.push(head);
        rest = tail;
    }
    out
}

/// What phase 1 reads: the database and the Ubuntu ESM namespace, if enabled.
struct Phase1<'d> {
    db: &'d Database,
    esm_ns: Option<&'d str>,
}

impl Phase1<'_> {
    /// Looks `name` up in `ns` and keeps the statements covering `version`. With Ubuntu
    /// ESM enabled, the `-esm` namespace's statements are evaluated too, and where one
    /// gives a fix the base release's statement for the same advisory is dropped (the ESM
    /// fix is what the image gets).
    fn evaluate(&self, ns: &str, name: &str, scheme: Scheme, version: &str, cache: &mut ConstraintCache) -> Evaluated {
        let mut list = Vec::new();
        let mut diags = Vec::new();
        let mut feed_errors = 0usize;
        let mut esm_fixed: Vec<u32> = Vec::new();
        // The fixed versions named so far: one vendor update fixes many advisories of a
        // package, and their findings share one `Arc` (and, in phase 3, one solution).
        let mut fixed_seen: Vec<Arc<str>> = Vec::new();
        let esm = self.esm_ns.filter(|_| ns.starts_with("ubuntu:"));
        // Fails exactly when `strata_version::validate` does.
        let parsed = match scheme.parse(version) {
            Ok(p) => Some(p),
            Err(e) => return Evaluated { invalid: Some(e), list, diags, feed_errors },
        };
        for ns in esm.into_iter().chain(std::iter::once(ns)) {
            let is_esm = esm == Some(ns);
            let block = match self.db.package_block(ns, name) {
                Ok(Some(b)) => b,
                Ok(None) => continue,
                Err(e) => {
                    diags.push(Diagnostic::error("vuln-db-error", format!("{ns}/{name}: {e}")));
                    continue;
                }
            };
            let statements = match block.statements() {
                Ok(s) => s,
                Err(e) => {
                    diags.push(Diagnostic::error("vuln-db-error", format!("{ns}/{name}: {e}")));
                    continue;
                }
            };
            for aff in statements.iter() {
                if is_esm && aff.status() == AffectedStatus::Fixed && aff.fixed_version().is_some() {
                    esm_fixed.push(aff.advisory());
                } else if !is_esm && esm_fixed.contains(&aff.advisory()) {
                    continue;
                }
                match matcher::affects_cached(&aff, scheme, version, parsed.as_ref(), cache) {
                    Ok(true) => list.push(Eval {
                        advisory: aff.advisory(),
                        status: aff.status(),
                        severity: aff.severity(),
                        fixed: if aff.status() == AffectedStatus::Fixed {
                            best_fixed_version_with(&aff, scheme, version, parsed.as_ref())
                                .or(aff.fixed_hint())
                                .map(|f| shared_text(&mut fixed_seen, f))
                        } else {
                            None
                        },
                        arches: aff.arches().iter().map(|a| (*a).to_owned()).collect(),
                    }),
                    Ok(false) => {}
                    Err(_) => feed_errors += 1,
                }
            }
        }
        Evaluated { invalid: None, list, diags, feed_errors }
    }
}

/// `s` as an `Arc`, shared with an equal one in `seen` (searched from the most recent;
/// the list is bounded, so a lookup with many distinct versions stays linear).
fn shared_text(seen: &mut Vec<Arc<str>>, s: &str) -> Arc<str> {
    if let Some(a) = seen.iter().rev().find(|a| ***a == *s) {
        return a.clone();
    }
    let a: Arc<str> = Arc::from(s);
    if seen.len() == 32 {
        seen.remove(0);
    }
    seen.push(a.clone());
    a
}

/// One finding per CVE: the CVE id when the record is one or names them, the record id
/// otherwise (never empty).
fn finding_ids<'r, 'a>(adv: &'r AdvisoryRef<'a>) -> impl Iterator<Item = &'a str> + 'r {
    let cves = adv.aliases.iter().copied().filter(|a| a.starts_with("CVE-"));
    let own = adv.id.starts_with("CVE-") || cves.clone().next().is_none();
    let own = own.then_some(adv.id);
    own.into_iter().chain(cves.filter(move |_| own.is_none()))
}

/// Whether the image gets Ubuntu ESM (Ubuntu Pro) updates: an installed package carries
/// an ESM build (`+esm` in its version), or the Pro client's status lists the
/// `esm-infra` or `esm-apps` service (`OsInfo::fields["ubuntu_pro_services"]`).
pub fn esm_enabled(os: Option<&OsInfo>, packages: &[&Package]) -> bool {
    let pro = os
        .and_then(|o| o.fields.get("ubuntu_pro_services"))
        .is_some_and(|s| s.contains("esm-infra") || s.contains("esm-apps"));
    pro || packages.iter().any(|p| {
        p.ecosystem == Ecosystem::Deb
            && (p.version.contains("+esm") || p.source_version.as_deref().is_some_and(|v| v.contains("+esm")))
    })
}

fn status_rank(s: VulnStatus) -> u8 {
    match s {
        VulnStatus::NotAffected => 0,
        VulnStatus::EndOfLife => 1,
        VulnStatus::FixDeferred | VulnStatus::WillNotFix => 2,
        VulnStatus::Affected => 3,
        VulnStatus::Fixed => 4,
    }
}

/// Merges a duplicate finding (same `id`, package, version and path) into `into`: the
/// statement that affects the package wins over `not_affected`, a fixed version is kept.
fn merge<'s>(into: &mut Slot<'s>, other: Slot<'s>, id: &str) {
    let take = status_rank(other.status) > status_rank(into.status)
        || (status_rank(other.status) == status_rank(into.status) && into.fixed.is_none() && other.fixed.is_some());
    let mut aliases = std::mem::take(&mut into.aliases);
    let extra = other.aliases.iter().filter(|a| !aliases.contains(a) && a.as_str() != id);
    if extra.clone().next().is_some() {
        aliases = aliases.iter().cloned().chain(extra.cloned()).collect();
    }
    let ke = into.known_exploited || other.known_exploited;
    if take {
        *into = other;
    }
    into.aliases = aliases;
    into.known_exploited = ke;
}

impl Analyzer for VulnAnalyzer {
    fn id(&self) -> &'static str {
        "vulns"
    }

    fn group(&self) -> &'static str {
        "vuln"
    }

    fn analyze(&self, inventory: &Inventory<'_>, out: &mut Output) {
        self.match_packages(inventory.os, inventory.packages(), out);
    }
}

/// The advisory namespace of an operating system: `debian:12`, `ubuntu:22.04`,
/// `alpine:3.18`, `almalinux:9`, `redhat:8` (also for CentOS), `amazon:2`, `sles:15.5`,
/// `openeuler:22.03-lts-sp3`. `None` for unknown systems.
pub fn os_namespace(os: &OsInfo) -> Option<String> {
    let family = os.family.to_ascii_lowercase();
    let version = os.version.trim().to_ascii_lowercase();
    if version.is_empty() {
        return None;
    }
    let major = version.split(['.', '-', ' ']).next().unwrap_or(&version).to_owned();
    let major_minor = {
        let mut it = version.split('.');
        match (it.next(), it.next()) {
            (Some(a), Some(b)) => format!("{a}.{}", b.split(|c: char| !c.is_ascii_digit()).next().unwrap_or(b)),
            _ => version.clone(),
        }
    };
    let ns = match family.as_str() {
        "debian" => format!("debian:{major}"),
        "ubuntu" => format!("ubuntu:{major_minor}"),
        "alpine" => format!("alpine:{major_minor}"),
        "redhat" | "centos" | "rhel" => format!("redhat:{major}"),
        "alma" | "almalinux" => format!("almalinux:{major}"),
        "rocky" => format!("rocky:{major}"),
        "oracle" => format!("oracle:{major}"),
        "fedora" => format!("fedora:{major}"),
        "amazon" => format!("amazon:{major}"),
        "sles" => format!("sles:{major_minor}"),
        "opensuse" => format!("opensuse-leap:{major_minor}"),
        "photon" => format!("photon:{major_minor}"),
        "mariner" | "azurelinux" | "cbl-mariner" => format!("mariner:{major_minor}"),
        "openeuler" | "euleros" | "hce" => format!("{family}:{version}"),
        _ => return None,
    };
    Some(ns)
}

/// The namespace a package is matched in, given the OS namespace.
pub fn namespace_for(pkg: &Package, os_ns: Option<&str>) -> Option<String> {
    namespace_of(pkg, os_ns).map(str::to_owned)
}

fn namespace_of<'n>(pkg: &Package, os_ns: Option<&'n str>) -> Option<&'n str> {
    Some(match pkg.ecosystem {
        Ecosystem::Deb | Ecosystem::Rpm | Ecosystem::Apk => return os_ns,
        Ecosystem::Maven => "maven",
        Ecosystem::Pypi => "pypi",
        Ecosystem::Npm => "npm",
        Ecosystem::Golang => "go",
        Ecosystem::Cargo => "crates.io",
        Ecosystem::Composer => "packagist",
        Ecosystem::Gem => "rubygems",
        Ecosystem::Nuget => "nuget",
        Ecosystem::Binary => {
            if pkg.purl.as_deref().is_some_and(|p| p.starts_with("pkg:bitnami/")) {
                "bitnami"
            } else {
                return None;
            }
        }
    })
}

/// The name an rpm package of a module stream is stored under: `module:stream::name`,
/// from its modularity label `name:stream:version:context` (Trivy's convention, which
/// the Alma, Red Hat CSAF/OVAL and updateinfo importers follow).
pub fn modular_name(pkg: &Package) -> Option<String> {
    let label = pkg.properties.get("modularity_label")?.trim();
    let mut it = label.splitn(3, ':');
    let (module, stream) = (it.next()?, it.next()?);
    if module.is_empty() || stream.is_empty() {
        return None;
    }
    Some(format!("{module}:{stream}::{}", pkg.name))
}

/// The names to look a package up by: Debian, Ubuntu and Alpine feeds name source
/// packages (`openssl` for `libssl3`), so the source name comes first. An rpm package of
/// a module stream is looked up only as `module:stream::name`: the non-modular package's
/// advisories do not apply to it. An rpm built for a module (`.module` in its release)
/// without a label cannot be placed in its stream and gets no names (not matched).
fn lookup_names<'p>(pkg: &'p Package, ns: &str) -> Vec<Cow<'p, str>> {
    if pkg.ecosystem == Ecosystem::Rpm {
        if let Some(m) = modular_name(pkg) {
            return vec![Cow::Owned(m)];
        }
        if pkg.version.contains(".module") {
            return Vec::new();
        }
    }
    let by_source = ns.starts_with("debian:") || ns.starts_with("ubuntu:") || ns.starts_with("alpine:");
    let mut names: Vec<Cow<'p, str>> = Vec::with_capacity(2);
    if by_source {
        if let Some(src) = pkg.source_name.as_deref().filter(|s| !s.is_empty()) {
            names.push(Cow::Borrowed(src));
        }
    }
    if !names.iter().any(|n| *n == pkg.name) {
        names.push(Cow::Borrowed(&pkg.name));
    }
    names
}

/// The version compared: the source version for Debian/Ubuntu (their feeds give source
/// versions), `v`-prefixed for Go (`go1.21.3` -> `v1.21.3` for the standard library).
fn match_version<'p>(pkg: &'p Package, ns: &str) -> Cow<'p, str> {
    if ns.starts_with("debian:") || ns.starts_with("ubuntu:") {
        if let Some(v) = pkg.source_version.as_deref().filter(|v| !v.is_empty()) {
            return Cow::Borrowed(v);
        }
    }
    if ns == "go" {
        if let Some(rest) = pkg.version.strip_prefix("go") {
            return Cow::Owned(format!("v{rest}"));
        }
    }
    Cow::Borrowed(&pkg.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(family: &str, version: &str) -> OsInfo {
        OsInfo { family: family.into(), version: version.into(), ..Default::default() }
    }

    #[test]
    fn interned_ratings_and_texts_are_shared_only_when_equal() {
        let mut interned = Interned::default();
        let vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        let nvd = [CvssRef { source: "nvd", vector, score: Some(9.8) }];
        let (a, b) = (interned.cvss(&nvd), interned.cvss(&nvd));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, &[Cvss { source: "nvd".into(), vector: vector.into(), score: Some(9.8) }]);
        // Any difference (source, vector, score, a missing score, the number of ratings)
        // is a list of its own, and equal to its source.
        let variants: [&[CvssRef<'_>]; 5] = [
            &[CvssRef { source: "ghsa", vector, score: Some(9.8) }],
            &[CvssRef { source: "nvd", vector: "CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", score: Some(9.8) }],
            &[CvssRef { source: "nvd", vector, score: Some(9.9) }],
            &[CvssRef { source: "nvd", vector, score: None }],
            &[nvd[0], nvd[0]],
        ];
        for v in variants {
            let got = interned.cvss(v);
            assert!(!Arc::ptr_eq(&got, &a));
            assert_eq!(got.iter().cloned().collect::<Vec<_>>(), v.iter().map(CvssRef::to_cvss).collect::<Vec<_>>());
            assert!(Arc::ptr_eq(&got, &interned.cvss(v)), "{v:?}");
        }
        assert!(interned.cvss(&[]).is_empty());
        // Fixed versions of one lookup: equal text, one allocation.
        let mut seen = Vec::new();
        let (x, y) = (shared_text(&mut seen, "1.2-3"), shared_text(&mut seen, "1.2-3"));
        assert!(Arc::ptr_eq(&x, &y) && &*x == "1.2-3");
        assert!(!Arc::ptr_eq(&x, &shared_text(&mut seen, "1.2-4")));
        // The list is bounded: after 32 other versions the first one is allocated afresh.
        (0..32).for_each(|i| drop(shared_text(&mut seen, &format!("2.{i}"))));
        assert_eq!(seen.len(), 32);
        let z = shared_text(&mut seen, "1.2-3");
        assert!(!Arc::ptr_eq(&x, &z) && z == x);
    }

    #[test]
    fn advisory_set_by_bitmap_equals_sort_and_dedup() {
        let reference = |v: &[u32]| {
            let mut v = v.to_vec();
            v.sort_unstable();
            v.dedup();
            v
        };
        // Pseudo-random values, repeats, word boundaries, and indices past the database's
        // count (a corrupt file), with enough hits to take the bitmap path.
        let mut x = 0x2545_f491u32;
        let mut values: Vec<u32> = (0..20_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x % 70_000
            })
            .collect();
        values.extend([0, 63, 64, 127, 128, 69_999, 70_000, 1 << 31, u32::MAX, u32::MAX, 70_000]);
        let few = [5, 3, 5, 1];
        for (values, count) in [(&values[..], 70_000), (&values, 65_536), (&values, 64_000), (&values, 100_000), (&few, 1 << 20)] {
            let set = AdvisorySet::new(values.iter().copied(), values.len(), count);
            let expected = reference(values);
            assert_eq!(set.sorted, expected, "count {count}");
            assert_eq!(set.bits.is_empty(), values.len() < 4096, "count {count}");
            // Every value is found where it is; values not hit are not found.
            for (i, &v) in expected.iter().enumerate() {
                assert_eq!(set.position(v), Some(i), "{v} count {count}");
            }
            for v in [1, 2, 4, 6, 65, 69_998, 70_001, 99_999, (1 << 31) + 1] {
                assert_eq!(set.position(v), expected.binary_search(&v).ok(), "{v} count {count}");
            }
        }
        assert!(AdvisorySet::new(std::iter::empty(), 0, 10).sorted.is_empty());
    }

    #[test]
    fn os_namespaces() {
        let ns = |f, v| os_namespace(&os(f, v));
        assert_eq!(ns("debian", "12.5").as_deref(), Some("debian:12"));
        assert_eq!(ns("debian", "11").as_deref(), Some("debian:11"));
        assert_eq!(ns("ubuntu", "22.04").as_deref(), Some("ubuntu:22.04"));
        assert_eq!(ns("alpine", "3.18.4").as_deref(), Some("alpine:3.18"));
        assert_eq!(ns("alma", "8.9").as_deref(), Some("almalinux:8"));
        assert_eq!(ns("centos", "7.9.2009").as_deref(), Some("redhat:7"));
        assert_eq!(ns("rocky", "9.3").as_deref(), Some("rocky:9"));
        assert_eq!(ns("amazon", "2").as_deref(), Some("amazon:2"));
        assert_eq!(ns("sles", "15.5").as_deref(), Some("sles:15.5"));
        assert_eq!(ns("openeuler", "22.03-LTS-SP3").as_deref(), Some("openeuler:22.03-lts-sp3"));
        assert_eq!(ns("distroless", "").as_deref(), None);
        assert_eq!(ns("unknown", "1").as_deref(), None);
    }

    #[test]
    fn package_runs_keep_each_dedup_group_whole() {
        let pkg = |name: &str| Package { name: name.into(), version: "1".into(), ..Default::default() };
        let (a, b, c, a2) = (pkg("a"), pkg("b"), pkg("c"), pkg("a"));
        // Two hits per package; `a2` is another package with `a`'s identity (group 0).
        let hits: Vec<(&Package, u32, u32)> = [&a, &a, &b, &b, &c, &c, &a2, &a2].iter().map(|&p| (p, 0, 0)).collect();
        let groups = [0, 0, 1, 1, 2, 2, 0, 0];
        assert_eq!(package_runs(&hits, &groups, 4), std::iter::once(0..8).collect::<Vec<_>>());
        // Without the repeat, runs end at package boundaries only.
        assert_eq!(package_runs(&hits[..6], &groups[..6], 3), [0..2, 2..4, 4..6]);
        assert_eq!(package_runs(&hits[..6], &groups[..6], 2), [0..4, 4..6]);
        assert_eq!(package_runs(&hits[..6], &groups[..6], 100), [0..2, 2..4, 4..6]);
        assert!(package_runs(&hits[..0], &groups[..0], 4).is_empty());
        // A repeat after a boundary still splits before the first occurrence.
        let hits2: Vec<(&Package, u32, u32)> = [&c, &a, &b, &a2].iter().map(|&p| (p, 0, 0)).collect();
        assert_eq!(package_runs(&hits2, &[2, 0, 1, 0], 4), [0..1, 1..4]);
    }

    #[test]
    fn language_namespaces_and_names() {
        let p = |eco, name: &str| Package { name: name.into(), version: "1".into(), ecosystem: eco, ..Default::default() };
        assert_eq!(namespace_for(&p(Ecosystem::Maven, "g:a"), None).as_deref(), Some("maven"));
        assert_eq!(namespace_for(&p(Ecosystem::Golang, "golang.org/x/text"), None).as_deref(), Some("go"));
        assert_eq!(namespace_for(&p(Ecosystem::Cargo, "smallvec"), None).as_deref(), Some("crates.io"));
        assert_eq!(namespace_for(&p(Ecosystem::Deb, "bash"), None), None);
        assert_eq!(namespace_for(&p(Ecosystem::Deb, "bash"), Some("debian:12")).as_deref(), Some("debian:12"));
        let mut deb = p(Ecosystem::Deb, "libssl3");
        deb.source_name = Some("openssl".into());
        assert_eq!(lookup_names(&deb, "debian:12"), ["openssl", "libssl3"]);
        let mut rpm = p(Ecosystem::Rpm, "openssl-libs");
        rpm.source_name = Some("openssl".into());
        assert_eq!(lookup_names(&rpm, "almalinux:9"), ["openssl-libs"]);
        let mut go = p(Ecosystem::Golang, "stdlib");
        go.version = "go1.21.3".into();
        assert_eq!(match_version(&go, "go"), "v1.21.3");
    }
}
