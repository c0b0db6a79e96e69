//! Rule compilation: the built-in rule file, templates, duplicate secret groups.

use regex_automata::meta;
use regex_automata::util::syntax;
use serde::Deserialize;
use strata_core::Severity;

use crate::Error;
use crate::config::{AllowRuleSpec, RedactMode, RuleSpec};

/// The built-in rule file, compiled in.
const BUILTIN_TOML: &str = include_str!("../rules/builtin.toml");

/// Most leading characters of a secret a finding may show.
pub(crate) const MAX_KEEP: usize = 4;

/// Default window reach around a keyword hit on its line, each side.
pub(crate) const LINE_REACH: usize = 4096;

/// Largest multi-line window a rule may ask for.
const MAX_WINDOW: usize = 256 * 1024;

#[derive(Deserialize)]
struct RuleFile {
    rules: Vec<RuleSpec>,
}

/// The built-in rules as written in `rules/builtin.toml`.
pub fn builtin_rules() -> Vec<RuleSpec> {
    // The file is part of the crate and covered by tests: failing to parse it is a bug.
    let file: RuleFile = toml::from_str(BUILTIN_TOML).expect("rules/builtin.toml is valid TOML");
    file.rules
}

/// A compiled rule.
pub(crate) struct Rule {
    pub(crate) id: String,
    pub(crate) category: String,
    pub(crate) title: String,
    pub(crate) severity: Severity,
    pub(crate) keywords: Vec<String>,
    pub(crate) re: meta::Regex,
    /// Capture group indices of the secret; empty = the whole match.
    pub(crate) secret_groups: Vec<usize>,
    pub(crate) entropy: Option<f64>,
    pub(crate) path: Option<regex::Regex>,
    pub(crate) allow_secret: Vec<regex::bytes::Regex>,
    pub(crate) allow_match: Vec<regex::bytes::Regex>,
    pub(crate) allow_path: Vec<regex::Regex>,
    pub(crate) exclude_blocks: Vec<regex::bytes::Regex>,
    pub(crate) keep: usize,
    pub(crate) redact: RedactMode,
    pub(crate) window: Option<usize>,
    pub(crate) generic: bool,
}

fn bad(rule: &str, what: impl std::fmt::Display) -> Error {
    Error::Rule {
        rule: rule.to_owned(),
        reason: what.to_string(),
    }
}

pub(crate) fn compile_bytes_regex(rule: &str, pat: &str) -> Result<regex::bytes::Regex, Error> {
    regex::bytes::RegexBuilder::new(pat)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| bad(rule, format_args!("invalid regex {pat:?}: {e}")))
}

pub(crate) fn compile_str_regex(rule: &str, pat: &str) -> Result<regex::Regex, Error> {
    regex::RegexBuilder::new(pat)
        .size_limit(8 << 20)
        .build()
        .map_err(|e| bad(rule, format_args!("invalid regex {pat:?}: {e}")))
}

/// Splits Trivy-style allow rules into match regexes and path regexes.
pub(crate) fn compile_allow_rules(
    owner: &str,
    specs: &[AllowRuleSpec],
) -> Result<(Vec<regex::bytes::Regex>, Vec<regex::Regex>), Error> {
    let mut matches = Vec::new();
    let mut paths = Vec::new();
    for a in specs {
        let who = if a.id.is_empty() { owner } else { &a.id };
        if let Some(r) = &a.regex {
            matches.push(compile_bytes_regex(who, r)?);
        }
        if let Some(p) = &a.path {
            paths.push(compile_str_regex(who, p)?);
        }
    }
    Ok((matches, paths))
}

/// Builds the regex of an `assign` template.
pub(crate) fn assign_regex(key: &str, value: &str) -> String {
    format!(
        r#"(?i:{key})[0-9A-Za-z_.\-]{{0,25}}["'`]?[ \t]{{0,5}}(?::=|=>|\|\|:|=|:)[ \t]{{0,5}}(?:\\?["'`])?(?P<secret>{value})(?:[^0-9A-Za-z_+/=\-]|$)"#
    )
}

/// Gives repeated named groups distinct names (`secret`, `secret__2`, ...): Trivy
/// configs may name several groups `secret`, which Rust regexes refuse.
pub(crate) fn dedupe_group_names(pat: &str) -> String {
    let b = pat.as_bytes();
    let mut out = String::with_capacity(pat.len() + 8);
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            let end = (i + 2).min(b.len());
            out.push_str(&pat[i..end]);
            i = end;
            continue;
        }
        if in_class {
            if c == b']' {
                in_class = false;
            }
        } else if c == b'[' {
            in_class = true;
            // A `]` right after `[` or `[^` is literal.
            out.push('[');
            i += 1;
            if b.get(i) == Some(&b'^') {
                out.push('^');
                i += 1;
            }
            if b.get(i) == Some(&b']') {
                out.push(']');
                i += 1;
            }
            continue;
        } else if c == b'(' {
            let rest = &pat[i..];
            let prefix = if rest.starts_with("(?P<") {
                Some("(?P<")
            } else if rest.starts_with("(?<")
                && !rest.starts_with("(?<=")
                && !rest.starts_with("(?<!")
            {
                Some("(?<")
            } else {
                None
            };
            if let Some(prefix) = prefix {
                let name_start = i + prefix.len();
                if let Some(len) = pat[name_start..].find('>') {
                    let name = &pat[name_start..name_start + len];
                    let n = match seen.iter_mut().find(|(s, _)| s == name) {
                        Some((_, n)) => {
                            *n += 1;
                            *n
                        }
                        None => {
                            seen.push((name.to_owned(), 1));
                            1
                        }
                    };
                    out.push_str(prefix);
                    out.push_str(name);
                    if n > 1 {
                        out.push_str(&format!("__{n}"));
                    }
                    out.push('>');
                    i = name_start + len + 1;
                    continue;
                }
            }
        }
        // Copy one UTF-8 character.
        let ch_len = pat[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&pat[i..i + ch_len]);
        i += ch_len;
    }
    out
}

/// Checks that an id is kebab-case-ish (letters, digits, `-`, `_`, `.`).
fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

impl Rule {
    pub(crate) fn compile(spec: &RuleSpec) -> Result<Rule, Error> {
        let id = spec.id.as_str();
        if !valid_id(id) {
            return Err(bad(id, "invalid rule id"));
        }
        let pattern = match (&spec.regex, &spec.assign) {
            (Some(r), None) => r.clone(),
            (None, Some(a)) => assign_regex(&a.key, &a.value),
            (Some(_), Some(_)) => return Err(bad(id, "both regex and assign")),
            (None, None) => return Err(bad(id, "no regex")),
        };
        let pattern = dedupe_group_names(&pattern);
        let re = meta::Regex::builder()
            .syntax(syntax::Config::new().utf8(false))
            .configure(
                meta::Config::new()
                    .utf8_empty(false)
                    .nfa_size_limit(Some(16 << 20)),
            )
            .build(&pattern)
            .map_err(|e| bad(id, format_args!("invalid regex: {e}")))?;
        let group = spec.secret_group_name.as_deref().unwrap_or("secret");
        let suffix = format!("{group}__");
        let secret_groups: Vec<usize> = re
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
            .enumerate()
            .filter_map(|(i, name)| {
                let name = name?;
                (name == group || name.strip_prefix(&suffix).is_some()).then_some(i)
            })
            .collect();
        if spec.secret_group_name.is_some() && secret_groups.is_empty() {
            return Err(bad(id, format_args!("no group named {group}")));
        }
        let mut keywords = Vec::new();
        for k in &spec.keywords {
            if k.is_empty() {
                return Err(bad(id, "empty keyword"));
            }
            keywords.push(k.to_ascii_lowercase());
        }
        let path = spec
            .path
            .as_deref()
            .map(|p| compile_str_regex(id, p))
            .transpose()?;
        let allow_secret = spec
            .allow
            .iter()
            .map(|a| compile_bytes_regex(id, a))
            .collect::<Result<Vec<_>, _>>()?;
        let (allow_match, allow_path) = compile_allow_rules(id, &spec.allow_rules)?;
        let exclude_blocks = match &spec.exclude_block {
            Some(b) => b
                .regexes
                .iter()
                .map(|r| compile_bytes_regex(id, r))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(Rule {
            id: spec.id.clone(),
            category: spec.category.clone(),
            title: if spec.title.is_empty() {
                spec.id.clone()
            } else {
                spec.title.clone()
            },
            severity: Severity::parse_lenient(&spec.severity),
            keywords,
            re,
            secret_groups,
            entropy: spec.entropy,
            path,
            allow_secret,
            allow_match,
            allow_path,
            exclude_blocks,
            keep: spec.keep.unwrap_or(0).min(MAX_KEEP),
            redact: spec.redact,
            window: spec.window.map(|w| w.min(MAX_WINDOW)),
            generic: spec.generic,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_groups_are_renamed() {
        let p =
            r#"user:\s*"(?P<secret>\w+)"\s*password:\s*"(?P<secret>\w+)" [(?P<x>] (?<secret>a)"#;
        assert_eq!(
            dedupe_group_names(p),
            r#"user:\s*"(?P<secret>\w+)"\s*password:\s*"(?P<secret__2>\w+)" [(?P<x>] (?<secret__3>a)"#
        );
        assert_eq!(dedupe_group_names(r"\(?P<a>x(?<=y)"), r"\(?P<a>x(?<=y)");
    }

    #[test]
    fn builtin_file_parses() {
        assert!(builtin_rules().len() >= 150);
    }
}
