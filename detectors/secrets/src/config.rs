//! Configuration: the built-in defaults, user rules and switches, read from YAML or TOML.
//!
//! The keys follow Trivy's `trivy-secret.yaml` (`rules`, `disable-rules`,
//! `enable-builtin-rules`, `allow-rules`, `disable-allow-rules`, `exclude-block`), so an
//! existing Trivy secret config works unchanged, plus our own switches (`exclude-paths`,
//! `default-exclude-paths`, `max-file-size`, `scan-binaries`).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;

/// Default cap: files larger than this are not scanned (as the service we replace does).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 20 * 1024 * 1024;

/// Paths excluded by default (globs on absolute paths; `*` crosses `/`).
pub const DEFAULT_EXCLUDE_PATHS: &[&str] = &[
    "/usr/*",
    "/lib/*",
    "/lib32/*",
    "/bin/*",
    "/sbin/*",
    "/var/lib/*",
    "/var/log/*",
    "*/node_modules/*/*.md",
    "*/node_modules/*/test/*",
    "*/service/iam/examples_test.go",
    "*/grafana/public/build/*.js",
];

/// Everything that shapes a secret scan. `Default` is the built-in rule set with the
/// default exclusions, a 20 MiB size cap and binaries skipped.
///
/// Unknown top-level keys are errors (a misspelt `exclude-path` must not silently scan
/// everything).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case", deny_unknown_fields)]
pub struct SecretConfig {
    /// Extra rules. A rule whose id equals a built-in rule's id replaces it.
    pub rules: Vec<RuleSpec>,
    /// Rule ids (built-in or extra) to turn off.
    #[serde(alias = "disable_rules")]
    pub disable_rules: Vec<String>,
    /// When not empty, only these built-in rules are on (extra rules stay on).
    #[serde(alias = "enable_builtin_rules")]
    pub enable_builtin_rules: Vec<String>,
    /// Extra global allow rules (a match or a path they match is not reported).
    #[serde(alias = "allow_rules")]
    pub allow_rules: Vec<AllowRuleSpec>,
    /// Ids of built-in allow rules to turn off (`tests`, `examples`, `markdown`, ...).
    #[serde(alias = "disable_allow_rules")]
    pub disable_allow_rules: Vec<String>,
    /// Global exclude blocks: matches inside a block these regexes find are dropped.
    #[serde(alias = "exclude_block")]
    pub exclude_block: Option<ExcludeBlockSpec>,
    /// Extra excluded paths (globs on absolute paths, `*` crosses `/`), added to the
    /// defaults.
    #[serde(alias = "exclude_paths")]
    pub exclude_paths: Vec<String>,
    /// Replaces [`DEFAULT_EXCLUDE_PATHS`] when set (an empty list scans everything).
    #[serde(alias = "default_exclude_paths")]
    pub default_exclude_paths: Option<Vec<String>>,
    /// Files larger than this many bytes are skipped.
    #[serde(alias = "max_file_size")]
    pub max_file_size: u64,
    /// Scan files that look binary (a NUL byte in the first 8 KiB).
    #[serde(alias = "scan_binaries")]
    pub scan_binaries: bool,
}

impl Default for SecretConfig {
    fn default() -> Self {
        SecretConfig {
            rules: Vec::new(),
            disable_rules: Vec::new(),
            enable_builtin_rules: Vec::new(),
            allow_rules: Vec::new(),
            disable_allow_rules: Vec::new(),
            exclude_block: None,
            exclude_paths: Vec::new(),
            default_exclude_paths: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            scan_binaries: false,
        }
    }
}

impl SecretConfig {
    /// Reads a config file: TOML when the name ends in `.toml`, YAML otherwise (JSON is
    /// accepted as YAML).
    pub fn from_file(path: impl AsRef<Path>) -> Result<SecretConfig, Error> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        if is_toml {
            Self::from_toml_str(&text)
        } else {
            Self::from_yaml_str(&text)
        }
    }

    /// Parses a YAML config (Trivy's secret-config format plus our keys).
    pub fn from_yaml_str(text: &str) -> Result<SecretConfig, Error> {
        if text.trim().is_empty() {
            return Ok(SecretConfig::default());
        }
        serde_yaml_ng::from_str(text).map_err(|source| Error::Yaml { source })
    }

    /// Parses a TOML config (same keys as the YAML form).
    pub fn from_toml_str(text: &str) -> Result<SecretConfig, Error> {
        toml::from_str(text).map_err(|source| Error::Toml { source })
    }

    /// The excluded path globs in force: the defaults (or their replacement) plus the
    /// extra ones.
    pub fn effective_exclude_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = match &self.default_exclude_paths {
            Some(list) => list.clone(),
            None => DEFAULT_EXCLUDE_PATHS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        };
        out.extend(self.exclude_paths.iter().cloned());
        out
    }
}

/// One detection rule, as written in `rules/builtin.toml` or in a user config.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct RuleSpec {
    /// Stable kebab-case id.
    pub id: String,
    /// Category (`AWS`, `GitHub`, `PrivateKey`, ...).
    pub category: String,
    /// Human title.
    pub title: String,
    /// Severity (`critical`, `high`, `medium`, `low`; anything else is unknown).
    pub severity: String,
    /// Lowercase literals of which one must occur (ASCII case-insensitively) for the rule
    /// to run; the regex runs only on a window around each occurrence. A rule without
    /// keywords runs on whole files.
    pub keywords: Vec<String>,
    /// The regex. Its group named `secret` (or `secret-group-name`) is the part redacted;
    /// without one, the whole match is the secret. Several groups may carry the name.
    pub regex: Option<String>,
    /// A template instead of `regex`: `KEY...` assigned (`=`, `:`, `:=`, `=>`) a value
    /// matching `value`.
    pub assign: Option<AssignSpec>,
    /// Name of the secret group (default `secret`).
    #[serde(alias = "secret_group_name")]
    pub secret_group_name: Option<String>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    pub entropy: Option<f64>,
    /// Only files whose path (relative to the root, no leading `/`) matches this regex.
    pub path: Option<String>,
    /// Allow-list regexes tested against the secret: a match is not reported.
    pub allow: Vec<String>,
    /// Trivy-style allow rules of this rule (regex on the whole match, or path).
    #[serde(alias = "allow_rules")]
    pub allow_rules: Vec<AllowRuleSpec>,
    /// Trivy-style exclude block of this rule.
    #[serde(alias = "exclude_block")]
    pub exclude_block: Option<ExcludeBlockSpec>,
    /// How many leading characters of the secret stay visible (at most 4, and at most a
    /// quarter of the secret): for tokens with well-known prefixes.
    pub keep: Option<usize>,
    /// How the finding shows the match.
    pub redact: RedactMode,
    /// Bytes after a keyword the search window reaches, across lines (multi-line
    /// secrets such as PEM blocks). Default: the keyword's line.
    pub window: Option<usize>,
    /// A catch-all rule: its findings yield to any specific rule's finding on the same
    /// bytes.
    pub generic: bool,
    /// Positive samples (tests run every rule on each and check the redaction).
    pub examples: Vec<String>,
}

impl RuleSpec {
    /// The regex this rule compiles (its `regex`, or the one its `assign` template
    /// builds), before duplicate group names are made unique.
    pub fn regex_source(&self) -> Option<String> {
        match (&self.regex, &self.assign) {
            (Some(r), _) => Some(r.clone()),
            (None, Some(a)) => Some(crate::rules::assign_regex(&a.key, &a.value)),
            (None, None) => None,
        }
    }
}

/// The `assign` template of a rule.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct AssignSpec {
    /// Regex of the key name part (matched case-insensitively), e.g. `asana`.
    pub key: String,
    /// Regex of the value (case-sensitive unless it says `(?i)`).
    pub value: String,
}

/// How a finding's `redacted` text is built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedactMode {
    /// The line holding the secret (cut around it when long), secret masked.
    #[default]
    Line,
    /// Only the text of the match before the secret (the `-----BEGIN ... KEY-----` line).
    Header,
}

/// A Trivy-style allow rule: a finding is dropped when `regex` matches the whole match
/// text, or the file's path (relative, no leading `/`) matches `path`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct AllowRuleSpec {
    /// Id (built-in allow rules can be disabled by id).
    pub id: String,
    /// Description.
    pub description: String,
    /// Regex on the matched text.
    pub regex: Option<String>,
    /// Regex on the path.
    pub path: Option<String>,
}

/// A Trivy-style exclude block.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct ExcludeBlockSpec {
    /// Description.
    pub description: String,
    /// Regexes finding blocks (run over whole files).
    pub regexes: Vec<String>,
}

/// The built-in allow rules (the same ideas as Trivy's): paths and matches that are
/// almost always documentation, tests or vendored code.
pub fn builtin_allow_rules() -> Vec<AllowRuleSpec> {
    let r = |id: &str, description: &str, path: Option<&str>, regex: Option<&str>| AllowRuleSpec {
        id: id.to_owned(),
        description: description.to_owned(),
        path: path.map(str::to_owned),
        regex: regex.map(str::to_owned),
    };
    vec![
        r(
            "tests",
            "Test files and paths",
            Some(r"(?i)(?:^test|/test|-test|_test|\.test)"),
            None,
        ),
        r(
            "examples",
            "Example files, paths and values",
            Some("example"),
            Some("(?i)example"),
        ),
        r("vendor", "Vendored code", Some("/vendor/"), None),
        r(
            "usr-dirs",
            "System directories",
            Some("^usr/(?:share|include|lib)/"),
            None,
        ),
        r("locale-dir", "Locale files", Some("/locales?/"), None),
        r("markdown", "Markdown files", Some(r"\.md$"), None),
        r(
            "node.js",
            "Yarn in Node images",
            Some(r"^opt/yarn-v[\d.]+/"),
            None,
        ),
        r(
            "golang",
            "Go toolchain in Go images",
            Some("^usr/local/go/"),
            None,
        ),
        r(
            "python",
            "Python standard library",
            Some(r"^usr/local/lib/python[\d.]+/"),
            None,
        ),
        r("rubygems", "Ruby gems", Some("^usr/lib/gems/"), None),
        r(
            "wordpress",
            "WordPress sources",
            Some("^usr/src/wordpress/"),
            None,
        ),
        r(
            "anaconda-log",
            "Anaconda CI logs",
            Some("^var/log/anaconda/"),
            None,
        ),
    ]
}
