//! Every built-in rule fires on its own examples, and no output ever carries the secret.

use strata_detect_secrets::{RuleSpec, Scanner, SecretConfig, builtin_rules};

/// Paths that satisfy the rules with a path filter.
const RULE_PATHS: &[(&str, &str)] = &[
    ("docker-config-auth", "/root/.docker/config.json"),
    ("pypirc-password", "/root/.pypirc"),
    ("git-credentials", "/root/.git-credentials"),
    ("netrc-password", "/root/.netrc"),
    ("pgpass-password", "/root/.pgpass"),
    ("kubeconfig-token", "/root/.kube/config"),
];

fn path_for(rule: &RuleSpec) -> &'static str {
    match RULE_PATHS.iter().find(|(id, _)| *id == rule.id) {
        Some((_, p)) => p,
        None => {
            assert!(
                rule.path.is_none(),
                "{}: path-filtered rule needs an entry in RULE_PATHS",
                rule.id
            );
            "/srv/app/settings.env"
        }
    }
}

/// The secret of an example, found with the rule's own regex (outside the scanner).
fn secrets_of(rule: &RuleSpec, example: &str) -> Vec<String> {
    let re = regex::Regex::new(&rule.regex_source().unwrap()).unwrap();
    re.captures_iter(example)
        .map(|c| {
            c.name("secret")
                .unwrap_or_else(|| c.get(0).unwrap())
                .as_str()
                .to_owned()
        })
        .collect()
}

#[test]
fn rule_file_is_well_formed() {
    let rules = builtin_rules();
    assert!(rules.len() >= 150, "{} rules", rules.len());
    let mut ids = std::collections::BTreeSet::new();
    for r in &rules {
        assert!(ids.insert(r.id.clone()), "duplicate id {}", r.id);
        assert!(
            r.id.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-'),
            "{} is not kebab-case",
            r.id
        );
        assert!(!r.examples.is_empty(), "{} has no examples", r.id);
        assert!(!r.title.is_empty() && !r.category.is_empty(), "{}", r.id);
        assert!(
            !r.keywords.is_empty() || r.path.is_some(),
            "{}: no keyword and no path filter",
            r.id
        );
        for k in &r.keywords {
            assert_eq!(
                k,
                &k.to_ascii_lowercase(),
                "{}: keyword {k} not lowercase",
                r.id
            );
        }
        assert!(r.keep.unwrap_or(0) <= 4, "{}", r.id);
    }
    // The categories the brief asks for are all covered.
    for id in [
        "aws-access-key-id",
        "aws-secret-access-key",
        "azure-storage-account-key",
        "azure-ad-client-secret",
        "gcp-service-account-key",
        "gcp-api-key",
        "alibaba-access-key-id",
        "huawei-cloud-access-key",
        "huawei-cloud-secret-key",
        "tencent-cloud-secret-id",
        "digitalocean-pat",
        "heroku-api-key",
        "github-pat",
        "github-oauth",
        "github-app-token",
        "github-refresh-token",
        "github-fine-grained-pat",
        "gitlab-pat",
        "bitbucket-app-password",
        "circleci-personal-token",
        "travis-ci-token",
        "npm-access-token",
        "pypi-upload-token",
        "docker-hub-pat",
        "rubygems-api-token",
        "nuget-api-key",
        "slack-bot-token",
        "slack-web-hook",
        "stripe-secret-token",
        "twilio-api-key",
        "sendgrid-api-token",
        "mailgun-private-api-token",
        "shopify-token",
        "square-access-token",
        "telegram-bot-token",
        "discord-bot-token",
        "openai-api-key",
        "anthropic-api-key",
        "hugging-face-access-token",
        "rsa-private-key",
        "ec-private-key",
        "dsa-private-key",
        "openssh-private-key",
        "pgp-private-key",
        "pkcs8-private-key",
        "encrypted-private-key",
        "jwt-token",
        "postgres-url-password",
        "mysql-url-password",
        "mongodb-url-password",
        "redis-url-password",
        "generic-password",
        "kubeconfig-token",
        "kubeconfig-client-key-data",
        "docker-config-auth",
        "npmrc-auth-token",
        "pypirc-password",
        "git-credentials",
    ] {
        assert!(ids.contains(id), "missing rule {id}");
    }
}

#[test]
fn every_rule_fires_on_its_examples_without_leaking() {
    let scanner = Scanner::new(&SecretConfig::default()).unwrap();
    let mut checked = 0;
    for rule in builtin_rules() {
        let path = path_for(&rule);
        for ex in &rule.examples {
            let secrets = secrets_of(&rule, ex);
            assert!(
                !secrets.is_empty(),
                "{}: its regex does not match its example",
                rule.id
            );
            let res = scanner.scan(path, ex.as_bytes());
            assert!(
                res.findings.iter().any(|f| f.rule_id == rule.id),
                "{}: not found in its example; found {:?}",
                rule.id,
                res.findings.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
            );
            for f in &res.findings {
                let shown = format!("{f:?} {}", serde_json::to_string(f).unwrap());
                for s in &secrets {
                    assert!(
                        !shown.contains(s.as_str()),
                        "{}: output contains the secret",
                        rule.id
                    );
                    // Not even a long piece of it: at most the kept prefix (4 chars).
                    let b = s.as_bytes();
                    if b.len() >= 12 {
                        for w in b.windows(8) {
                            let w = String::from_utf8_lossy(w);
                            if w.contains('\n') || w.chars().all(|c| c == 'A') {
                                continue;
                            }
                            assert!(
                                !f.redacted.contains(w.as_ref()),
                                "{}: redacted shows {w:?}",
                                rule.id
                            );
                        }
                    }
                }
                assert_eq!(f.fingerprint.len(), 64);
                assert_eq!(f.line, Some(f.line.unwrap().max(1)));
            }
            checked += 1;
        }
    }
    assert!(checked >= 150);
}

#[test]
fn examples_are_not_found_when_their_rule_is_disabled() {
    // Each rule's examples produce no finding of that rule once it is disabled: the
    // finding above really comes from that rule.
    let rules = builtin_rules();
    let cfg = SecretConfig {
        disable_rules: rules.iter().map(|r| r.id.clone()).collect(),
        ..Default::default()
    };
    let scanner = Scanner::new(&cfg).unwrap();
    assert_eq!(scanner.rule_count(), 0);
    for rule in &rules {
        for ex in &rule.examples {
            assert!(
                scanner
                    .scan(path_for(rule), ex.as_bytes())
                    .findings
                    .is_empty()
            );
        }
    }
}
