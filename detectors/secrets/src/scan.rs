//! The scanner: keyword prefilter, windowed regex confirmation, redaction.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::Input;
use sha2::{Digest, Sha256};
use strata_core::{Origin, Secret};

use crate::Error;
use crate::config::{RedactMode, SecretConfig, builtin_allow_rules};
use crate::rules::{self, LINE_REACH, Rule};

/// Bytes sniffed for a NUL to call a file binary.
const SNIFF: usize = strata_core::TEXT_SNIFF;
/// Most findings reported for one file.
pub const MAX_FINDINGS_PER_FILE: usize = 1000;
/// Most raw hits collected for one file before ordering and capping (bounds memory and
/// work on hostile files full of token-shaped strings).
const HIT_CAP: usize = 20 * MAX_FINDINGS_PER_FILE;
/// Lines longer than this are cut around the secret in `redacted` (as Trivy does).
const LONG_LINE: usize = 100;
/// Most bytes of a secret shown (masked) in `redacted`.
const MAX_SHOWN_SECRET: usize = 256;

/// A compiled rule set. Immutable, cheap to share (`Arc`), usable from many threads.
pub struct Scanner {
    rules: Vec<Rule>,
    ac: Option<AhoCorasick>,
    /// Keyword pattern id -> rules.
    kw_rules: Vec<Vec<u32>>,
    /// Rules without keywords: run on whole files.
    unkeyed: Vec<u32>,
    allow_match: Vec<regex::bytes::Regex>,
    allow_path: Vec<regex::Regex>,
    exclude_blocks: Vec<regex::bytes::Regex>,
    scan_binaries: bool,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

/// The result of scanning one body.
#[derive(Debug, Default)]
pub struct ScanResult {
    /// Findings, ordered by position.
    pub findings: Vec<Secret>,
    /// Whether the body was skipped as binary.
    pub skipped_binary: bool,
    /// Whether findings beyond [`MAX_FINDINGS_PER_FILE`] were dropped.
    pub capped: bool,
}

/// One confirmed secret: offsets only, never the bytes.
#[derive(Clone)]
struct Hit {
    rule: u32,
    matched: Range<usize>,
    secret: Range<usize>,
}

impl Scanner {
    /// Compiles the built-in rules and the config's additions.
    pub fn new(cfg: &SecretConfig) -> Result<Scanner, Error> {
        let mut specs = Vec::new();
        let custom_ids: Vec<&str> = cfg.rules.iter().map(|r| r.id.as_str()).collect();
        for spec in rules::builtin_rules() {
            if !cfg.enable_builtin_rules.is_empty() && !cfg.enable_builtin_rules.contains(&spec.id)
            {
                continue;
            }
            if custom_ids.contains(&spec.id.as_str()) {
                continue;
            }
            specs.push(spec);
        }
        for (i, spec) in cfg.rules.iter().enumerate() {
            if cfg.rules[..i].iter().any(|o| o.id == spec.id) {
                return Err(Error::Rule {
                    rule: spec.id.clone(),
                    reason: "duplicate rule id".into(),
                });
            }
            specs.push(spec.clone());
        }
        specs.retain(|s| !cfg.disable_rules.contains(&s.id));
        let rules = specs
            .iter()
            .map(Rule::compile)
            .collect::<Result<Vec<_>, _>>()?;

        let mut keywords: Vec<String> = Vec::new();
        let mut kw_index: HashMap<String, usize> = HashMap::new();
        let mut kw_rules: Vec<Vec<u32>> = Vec::new();
        let mut unkeyed = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.keywords.is_empty() {
                unkeyed.push(i as u32);
            }
            for k in &r.keywords {
                let id = *kw_index.entry(k.clone()).or_insert_with(|| {
                    keywords.push(k.clone());
                    kw_rules.push(Vec::new());
                    keywords.len() - 1
                });
                if !kw_rules[id].contains(&(i as u32)) {
                    kw_rules[id].push(i as u32);
                }
            }
        }
        let ac = if keywords.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    // A full DFA: one table lookup per byte; a few hundred short keywords
                    // keep it small.
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&keywords)
                    .map_err(|e| Error::Rule {
                        rule: "keywords".into(),
                        reason: e.to_string(),
                    })?,
            )
        };

        let mut allow_specs: Vec<_> = builtin_allow_rules()
            .into_iter()
            .filter(|a| !cfg.disable_allow_rules.contains(&a.id))
            .collect();
        allow_specs.extend(cfg.allow_rules.iter().cloned());
        let (allow_match, allow_path) = rules::compile_allow_rules("allow-rules", &allow_specs)?;
        let exclude_blocks = match &cfg.exclude_block {
            Some(b) => b
                .regexes
                .iter()
                .map(|r| rules::compile_bytes_regex("exclude-block", r))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(Scanner {
            rules,
            ac,
            kw_rules,
            unkeyed,
            allow_match,
            allow_path,
            exclude_blocks,
            scan_binaries: cfg.scan_binaries,
        })
    }

    /// Number of rules in force.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Ids of the rules in force.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Scans one body. `path` is the image path (`/app/.env`) or a virtual one
    /// (`config:env`); path regexes see it without its leading `/`.
    pub fn scan(&self, path: &str, data: &[u8]) -> ScanResult {
        let mut res = ScanResult::default();
        if !self.scan_binaries && memchr::memchr(0, &data[..data.len().min(SNIFF)]).is_some() {
            res.skipped_binary = true;
            return res;
        }
        let rel = path.trim_start_matches('/');
        if self.allow_path.iter().any(|p| p.is_match(rel)) {
            return res;
        }
        let mut hits = self.find(rel, data, &mut res.capped);
        if hits.len() > MAX_FINDINGS_PER_FILE {
            hits.truncate(MAX_FINDINGS_PER_FILE);
            res.capped = true;
        }
        res.findings = self.findings(path, data, &hits);
        res
    }

    fn find(&self, rel: &str, data: &[u8], capped: &mut bool) -> Vec<Hit> {
        let active: Vec<bool> = self
            .rules
            .iter()
            .map(|r| {
                r.path.as_ref().is_none_or(|p| p.is_match(rel))
                    && !r.allow_path.iter().any(|p| p.is_match(rel))
            })
            .collect();
        let mut windows: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.rules.len()];
        if let Some(ac) = &self.ac {
            let mut line_cache: Option<(usize, Range<usize>)> = None;
            for m in ac.find_overlapping_iter(data) {
                for &r in &self.kw_rules[m.pattern().as_usize()] {
                    let r = r as usize;
                    if !active[r] {
                        continue;
                    }
                    let w = &mut windows[r];
                    // A hit inside the current window adds nothing, unless the rule
                    // reaches forward across lines from each hit.
                    if self.rules[r].window.is_none()
                        && w.last()
                            .is_some_and(|l| l.start <= m.start() && m.end() <= l.end)
                    {
                        continue;
                    }
                    let line = match &line_cache {
                        Some((at, w)) if *at == m.start() => w.clone(),
                        _ => {
                            let lw = line_window(data, m.start(), m.end());
                            line_cache = Some((m.start(), lw.clone()));
                            lw
                        }
                    };
                    let win = match self.rules[r].window {
                        Some(reach) => {
                            line.start..data.len().min(m.end().saturating_add(reach)).max(line.end)
                        }
                        None => line,
                    };
                    // Overlapping hits arrive by end offset, so a start may go back a
                    // little: widen rather than split (over-selecting is harmless).
                    match w.last_mut() {
                        Some(l) if win.start <= l.end => {
                            l.start = l.start.min(win.start);
                            l.end = l.end.max(win.end);
                        }
                        _ => w.push(win),
                    }
                }
            }
        }
        for &r in &self.unkeyed {
            if active[r as usize] {
                windows[r as usize].push(0..data.len());
            }
        }

        let mut blocks: Option<Vec<Range<usize>>> = None;
        let mut hits = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            let mut own_blocks: Option<Vec<Range<usize>>> = None;
            for win in &windows[ri] {
                let input = Input::new(data).range(win.clone());
                for caps in rule.re.captures_iter(input) {
                    let Some(m) = caps.get_match() else { continue };
                    let matched = m.range();
                    if matched.is_empty() {
                        continue;
                    }
                    let mtext = &data[matched.clone()];
                    if rule
                        .allow_match
                        .iter()
                        .chain(&self.allow_match)
                        .any(|a| a.is_match(mtext))
                    {
                        continue;
                    }
                    if !rule.exclude_blocks.is_empty() || !self.exclude_blocks.is_empty() {
                        let rule_blocks = own_blocks
                            .get_or_insert_with(|| block_ranges(&rule.exclude_blocks, data));
                        let global =
                            blocks.get_or_insert_with(|| block_ranges(&self.exclude_blocks, data));
                        if rule_blocks
                            .iter()
                            .chain(global.iter())
                            .any(|b| b.start <= matched.start && matched.end <= b.end)
                        {
                            continue;
                        }
                    }
                    let spans: Vec<Range<usize>> = if rule.secret_groups.is_empty() {
                        vec![matched.clone()]
                    } else {
                        rule.secret_groups
                            .iter()
                            .filter_map(|&g| caps.get_group(g))
                            .map(|s| s.range())
                            .collect()
                    };
                    for secret in spans {
                        if secret.is_empty() {
                            continue;
                        }
                        let s = &data[secret.clone()];
                        if rule.entropy.is_some_and(|e| shannon_entropy(s) < e) {
                            continue;
                        }
                        if rule.allow_secret.iter().any(|a| a.is_match(s)) {
                            continue;
                        }
                        if hits.len() >= HIT_CAP {
                            *capped = true;
                            continue;
                        }
                        hits.push(Hit {
                            rule: ri as u32,
                            matched: matched.clone(),
                            secret,
                        });
                    }
                }
            }
        }
        // Generic rules yield to specific ones on overlapping bytes: merge the specific
        // spans into sorted disjoint intervals, then one binary search per generic hit.
        let mut specific: Vec<Range<usize>> = hits
            .iter()
            .filter(|h| !self.rules[h.rule as usize].generic)
            .map(|h| h.secret.clone())
            .collect();
        specific.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(specific.len());
        for r in specific {
            match merged.last_mut() {
                Some(l) if r.start <= l.end => l.end = l.end.max(r.end),
                _ => merged.push(r),
            }
        }
        hits.retain(|h| {
            if !self.rules[h.rule as usize].generic {
                return true;
            }
            // The last interval starting before the hit ends.
            let i = merged.partition_point(|m| m.start < h.secret.end);
            !(i > 0 && merged[i - 1].end > h.secret.start)
        });
        hits.sort_by(|a, b| {
            (a.secret.start, a.rule, a.secret.end).cmp(&(b.secret.start, b.rule, b.secret.end))
        });
        hits.dedup_by(|a, b| a.rule == b.rule && a.secret == b.secret);
        hits
    }

    fn findings(&self, path: &str, data: &[u8], hits: &[Hit]) -> Vec<Secret> {
        // Every secret span with its visible prefix length, to mask all of them in
        // every snippet.
        let masks: Vec<(Range<usize>, usize)> = hits
            .iter()
            .map(|h| {
                (
                    h.secret.clone(),
                    keep_len(self.rules[h.rule as usize].keep, h.secret.len()),
                )
            })
            .collect();
        let mut out = Vec::with_capacity(hits.len());
        let mut line = 1u32;
        let mut counted = 0usize;
        for h in hits {
            let rule = &self.rules[h.rule as usize];
            let at = h.secret.start;
            if at >= counted {
                line = line
                    .saturating_add(memchr::memchr_iter(b'\n', &data[counted..at]).count() as u32);
                counted = at;
            }
            let redacted = match rule.redact {
                RedactMode::Header => header(data, h),
                RedactMode::Line => snippet(data, h, &masks),
            };
            let fingerprint = hex::encode(Sha256::digest(format!("{}:{}:{}", rule.id, path, line)));
            out.push(Secret {
                rule_id: rule.id.clone(),
                category: rule.category.clone(),
                title: rule.title.clone(),
                severity: rule.severity,
                line: Some(line),
                redacted,
                fingerprint,
                origin: Origin::file(path),
            });
        }
        out
    }
}

/// The window of a keyword hit: its line, including the newline, bounded each side.
fn line_window(data: &[u8], start: usize, end: usize) -> Range<usize> {
    let lo = start.saturating_sub(LINE_REACH);
    let ls = memchr::memrchr(b'\n', &data[lo..start]).map_or(lo, |i| lo + i + 1);
    let hi = data.len().min(end.saturating_add(LINE_REACH));
    let le = memchr::memchr(b'\n', &data[end..hi]).map_or(hi, |i| end + i + 1);
    ls..le
}

fn block_ranges(res: &[regex::bytes::Regex], data: &[u8]) -> Vec<Range<usize>> {
    res.iter()
        .flat_map(|r| r.find_iter(data).map(|m| m.range()))
        .collect()
}

/// Shannon entropy in bits per byte.
pub(crate) fn shannon_entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Visible prefix: at most the rule's `keep`, at most a quarter of the secret.
fn keep_len(keep: usize, len: usize) -> usize {
    keep.min(len / 4)
}

/// `Header` redaction: the text of the match before the secret, trimmed to its first
/// non-empty line (`-----BEGIN RSA PRIVATE KEY-----`, `PuTTY-User-Key-File-3: ssh-rsa`).
fn header(data: &[u8], h: &Hit) -> String {
    let head = &data[h.matched.start..h.secret.start.max(h.matched.start)];
    let text = String::from_utf8_lossy(head);
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let shown: String = line.chars().take(LONG_LINE).collect();
    clean(&shown)
}

/// `Line` redaction: the secret's line (cut to 30 bytes before and 20 after the secret
/// when longer than 100 bytes), every secret on it masked.
fn snippet(data: &[u8], h: &Hit, masks: &[(Range<usize>, usize)]) -> String {
    let Range { start, end } = h.secret;
    let lo = start.saturating_sub(LINE_REACH);
    let mut ls = memchr::memrchr(b'\n', &data[lo..start]).map_or(lo, |i| lo + i + 1);
    let hi = data.len().min(start.saturating_add(LINE_REACH));
    let mut le = memchr::memchr(b'\n', &data[start..hi]).map_or(hi, |i| start + i);
    if le - ls > LONG_LINE {
        ls = ls.max(start.saturating_sub(30));
        le = le.min(end.saturating_add(20));
    }
    // Long secrets: show at most MAX_SHOWN_SECRET masked bytes.
    let cut = end.min(start.saturating_add(MAX_SHOWN_SECRET));
    let relevant: Vec<&(Range<usize>, usize)> = masks
        .iter()
        .filter(|(s, _)| s.start < le && s.end > ls)
        .collect();
    let mut bytes: Vec<u8> = Vec::with_capacity(le - ls);
    for (p, &b) in data.iter().enumerate().take(le).skip(ls) {
        if p >= cut && p < end {
            continue;
        }
        let masked = relevant
            .iter()
            .any(|(s, keep)| p >= s.start + keep && p < s.end);
        bytes.push(if masked && b != b'\n' { b'*' } else { b });
    }
    while bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    clean(&String::from_utf8_lossy(&bytes))
}

/// Replaces control characters (except tab) so a snippet prints on one line.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_constant() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn line_window_is_bounded_and_includes_newline() {
        let data = b"one\ntwo key three\nfour";
        let w = line_window(data, 8, 11);
        assert_eq!(&data[w], b"two key three\n");
        let long = vec![b'a'; 10_000];
        let w = line_window(&long, 5000, 5003);
        assert_eq!(w, 5000 - LINE_REACH..5003 + LINE_REACH);
    }

    #[test]
    fn keep_never_exceeds_a_quarter() {
        assert_eq!(keep_len(4, 40), 4);
        assert_eq!(keep_len(4, 8), 2);
        assert_eq!(keep_len(4, 3), 0);
    }
}
