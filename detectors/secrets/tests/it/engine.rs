//! Detector/analyzer wiring, windowing, redaction, binaries, caps.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use strata_core::{EntryKind, FileMeta, FileRef, History, ImageInfo, ImagePath, Inventory, Output};
use strata_detect_secrets::{RuleSpec, Scanner, SecretConfig, analyzers, builtin_rules, detectors};

const PAT: &str = "ghp_012345678901234567890123456789abcdef";

fn meta(size: usize) -> FileMeta {
    FileMeta {
        kind: EntryKind::File,
        mode: 0o100644,
        uid: 0,
        gid: 0,
        size: size as u64,
        mtime: 0,
        link: None,
    }
}

fn run_detector(cfg: &SecretConfig, path: &str, data: &[u8]) -> Output {
    let dets = detectors(cfg).unwrap();
    assert_eq!(dets.len(), 1);
    let d = &dets[0];
    let p = ImagePath::from_str_lossy(path);
    let m = meta(data.len());
    let mut out = Output::new();
    let mut run = d.start();
    run.file(&FileRef::new(&p, &m, false), data, &mut out);
    run.finish(&mut out);
    out
}

#[test]
fn detector_ids_and_interest() {
    let dets = detectors(&SecretConfig::default()).unwrap();
    assert_eq!(dets[0].id(), "secrets");
    assert_eq!(dets[0].group(), "secret");
    assert!(!dets[0].interest().is_empty());
    let an = analyzers(&SecretConfig::default()).unwrap();
    assert_eq!(an[0].id(), "secrets/image-config");
    assert_eq!(an[0].group(), "secret");
    // Config changes the cache key.
    let other = SecretConfig {
        scan_binaries: true,
        ..Default::default()
    };
    assert_ne!(
        dets[0].config_fingerprint(),
        detectors(&other).unwrap()[0].config_fingerprint()
    );
}

#[test]
fn detector_reports_line_redaction_fingerprint_origin() {
    let body = format!("# settings\n\nexport GITHUB_TOKEN={PAT}\n");
    let out = run_detector(&SecretConfig::default(), "/app/.env", body.as_bytes());
    let (findings, diags) = out.into_parts();
    assert!(diags.is_empty());
    assert_eq!(findings.len(), 1);
    let strata_core::Finding::Secret(s) = &findings[0] else {
        panic!("not a secret")
    };
    assert_eq!(s.rule_id, "github-pat");
    assert_eq!(s.category, "GitHub");
    assert_eq!(s.line, Some(3));
    assert_eq!(
        s.redacted,
        "export GITHUB_TOKEN=ghp_************************************"
    );
    assert_eq!(s.origin.path, "/app/.env");
    assert_eq!(
        s.fingerprint,
        hex::encode(Sha256::digest(b"github-pat:/app/.env:3"))
    );
}

#[test]
fn binaries_are_skipped_unless_configured() {
    let mut body = b"\x7fELF\0\0\0".to_vec();
    body.extend_from_slice(format!(" token {PAT} ").as_bytes());
    let scanner = Scanner::new(&SecretConfig::default()).unwrap();
    let res = scanner.scan("/bin/app", &body);
    assert!(res.skipped_binary);
    assert!(res.findings.is_empty());
    let scanner = Scanner::new(&SecretConfig {
        scan_binaries: true,
        ..Default::default()
    })
    .unwrap();
    let res = scanner.scan("/bin/app", &body);
    assert!(!res.skipped_binary);
    assert_eq!(res.findings.len(), 1);
    assert_eq!(res.findings[0].rule_id, "github-pat");
    // A NUL after the first 8 KiB does not make a file binary.
    let mut late = vec![b'x'; 9000];
    late.push(0);
    late.extend_from_slice(format!("\n{PAT}\n").as_bytes());
    let res = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/x", &late);
    assert_eq!(res.findings.len(), 1);
    assert_eq!(res.findings[0].line, Some(2));
}

#[test]
fn long_lines_are_cut_around_the_secret() {
    let body = format!("{}KEY={PAT}{}", "a".repeat(5000), "b".repeat(5000));
    let f = &Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/x.js", body.as_bytes())
        .findings;
    assert_eq!(f.len(), 1);
    let r = &f[0].redacted;
    assert_eq!(
        r,
        &format!(
            "{}KEY=ghp_{}{}",
            "a".repeat(26),
            "*".repeat(36),
            "b".repeat(20)
        )
    );
}

#[test]
fn several_secrets_on_a_line_are_all_masked_in_each_finding() {
    let gh2 = "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij";
    let body = format!("a={PAT} b=AKIA0123456789ABCDEF c={gh2}\n");
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/x", body.as_bytes())
        .findings;
    assert_eq!(f.len(), 3);
    for s in &f {
        assert!(!s.redacted.contains("0123456789"), "{}", s.redacted);
        assert!(!s.redacted.contains("ABCDEFGH"), "{}", s.redacted);
    }
}

#[test]
fn generic_rules_yield_to_specific_ones() {
    let body = format!("API_TOKEN={PAT}\nAPI_TOKEN=Zq8rT2mNv5LxW9cKp3HdYs7B\n");
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/srv/.env", body.as_bytes())
        .findings;
    let ids: Vec<(&str, u32)> = f
        .iter()
        .map(|s| (s.rule_id.as_str(), s.line.unwrap()))
        .collect();
    assert_eq!(ids, vec![("github-pat", 1), ("generic-api-key", 2)]);
}

#[test]
fn placeholders_and_low_entropy_values_are_not_reported() {
    let body = "DB_PASSWORD=changeme\nDB_PASSWORD=${DB_PASSWORD}\npassword: <password>\nPASSWORD=xxxxxxxxxx\n\
                SECRET_KEY=$(cat /run/secrets/key)\napi_key = os.environ[\"API_KEY\"]\npassword = aaaaaaaaaaaa\n\
                token: {{ .Values.token }}\nPWD=/home/app/src\nclient_secret = settings.CLIENT_SECRET\n";
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/srv/app.env", body.as_bytes())
        .findings;
    assert!(
        f.is_empty(),
        "{:?}",
        f.iter()
            .map(|s| (&s.rule_id, &s.redacted))
            .collect::<Vec<_>>()
    );
    let real = "DB_PASSWORD=Vq7#mZ2!pL9x\n";
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/srv/app.env", real.as_bytes())
        .findings;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule_id, "generic-password");
    assert_eq!(f[0].redacted, "DB_PASSWORD=************");
}

#[test]
fn database_urls_and_credential_files() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "/app/.env",
            "DATABASE_URL=postgres://app:Pg5ecr3tPw@db:5432/app\n",
            "postgres-url-password",
        ),
        (
            "/app/.env",
            "MONGO=mongodb+srv://u:M0ng0Pa55w0rd@c0.x.mongodb.net/db\n",
            "mongodb-url-password",
        ),
        (
            "/app/.env",
            "REDIS_URL=redis://:R3disPassw0rd@cache:6379/0\n",
            "redis-url-password",
        ),
        (
            "/app/.env",
            "DSN=mysql://root:My5qlPassw0rd@db/shop\n",
            "mysql-url-password",
        ),
        (
            "/root/.git-credentials",
            "https://bot:Zq8rT2mNv5LxW9cKp3HdYs7B@git.corp\n",
            "git-credentials",
        ),
        (
            "/home/u/.npmrc",
            "//registry.npmjs.org/:_authToken=4f1c2a7e-9b3d-4e5f-8a6b-1c2d3e4f5a6b\n",
            "npmrc-auth-token",
        ),
        (
            "/root/.docker/config.json",
            "{\"auths\":{\"r.corp\":{\"auth\":\"ZGVwbG95OnMzY3IzdA==\"}}}",
            "docker-config-auth",
        ),
        (
            "/root/.kube/config",
            "users:\n- name: a\n  user:\n    token: eyXbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9abc\n",
            "kubeconfig-token",
        ),
    ];
    let scanner = Scanner::new(&SecretConfig::default()).unwrap();
    for (path, body, rule) in cases {
        let f = scanner.scan(path, body.as_bytes()).findings;
        assert_eq!(
            f.iter().map(|s| s.rule_id.as_str()).collect::<Vec<_>>(),
            vec![*rule],
            "{body}"
        );
    }
    // `postgres://user:${PASS}@` is a template, not a password.
    assert!(
        scanner
            .scan("/app/.env", b"URL=postgres://app:${PGPASS}@db/app\n")
            .findings
            .is_empty()
    );
}

#[test]
fn private_keys_show_only_their_begin_line() {
    let body = "x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACB2dW1teWtleWR1bW15a2V5ZHVtbXlrZXlkdW1teWtleQAAAJg=\n-----END OPENSSH PRIVATE KEY-----\n";
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/root/.ssh/id_ed25519", body.as_bytes())
        .findings;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule_id, "openssh-private-key");
    assert_eq!(f[0].redacted, "-----BEGIN OPENSSH PRIVATE KEY-----");
    assert_eq!(f[0].line, Some(3));
}

#[test]
fn windowed_search_finds_what_a_whole_file_search_finds() {
    // The same rules without keywords run on whole files: the results must agree with
    // the keyword/window path on a document made of every example plus filler.
    let rules = builtin_rules();
    let mut doc = String::new();
    for (i, r) in rules.iter().enumerate() {
        if r.path.is_some() {
            continue;
        }
        for ex in &r.examples {
            doc.push_str(&format!(
                "line {i} of filler text with key and token words\n{ex}\n"
            ));
        }
    }
    let windowed = Scanner::new(&SecretConfig::default()).unwrap();
    let unkeyed: Vec<RuleSpec> = rules
        .iter()
        .map(|r| RuleSpec {
            keywords: Vec::new(),
            ..r.clone()
        })
        .collect();
    let cfg = SecretConfig {
        rules: unkeyed,
        ..Default::default()
    };
    let whole = Scanner::new(&cfg).unwrap();
    let key = |s: &strata_core::Secret| (s.line, s.rule_id.clone(), s.redacted.clone());
    let a: Vec<_> = windowed
        .scan("/srv/doc.txt", doc.as_bytes())
        .findings
        .iter()
        .map(key)
        .collect();
    let b: Vec<_> = whole
        .scan("/srv/doc.txt", doc.as_bytes())
        .findings
        .iter()
        .map(key)
        .collect();
    let only_a: Vec<_> = a.iter().filter(|x| !b.contains(x)).collect();
    let only_b: Vec<_> = b.iter().filter(|x| !a.contains(x)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "windowed only: {only_a:?}\nwhole only: {only_b:?}"
    );
    assert_eq!(a, b);
    assert!(a.len() >= 150, "{}", a.len());
}

#[test]
fn too_many_findings_are_capped_with_a_diagnostic() {
    let body: String = (0..1100).map(|_| format!("{PAT}\n")).collect();
    let out = run_detector(&SecretConfig::default(), "/x", body.as_bytes());
    assert_eq!(
        out.findings().len(),
        strata_detect_secrets::MAX_FINDINGS_PER_FILE
    );
    assert_eq!(out.diagnostics().len(), 1);
    assert_eq!(out.diagnostics()[0].code, "secrets-too-many");
    assert_eq!(out.diagnostics()[0].path.as_deref(), Some("/x"));
}

#[test]
fn image_config_env_labels_and_history() {
    let mut image = ImageInfo::default();
    image.config.env = vec![
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        "AWS_SECRET_ACCESS_KEY=Zk3uV8yq1LrT9wXo2bNc5HdQ7sJm4pEa6gFi0tKz".into(),
        "LANG=C.UTF-8".into(),
    ];
    image.config.labels = BTreeMap::from([
        ("maintainer".to_owned(), "ops@corp".to_owned()),
        ("deploy.token".to_owned(), PAT.to_owned()),
    ]);
    image.config.history = vec![
        History {
            created_by: "/bin/sh -c #(nop) ADD file:abc in / ".into(),
            ..Default::default()
        },
        History {
            created_by: "|1 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789 /bin/sh -c npm ci"
                .into(),
            ..Default::default()
        },
        History {
            created_by: "RUN echo glpat-Ab3dEf6hIj9kLm2nOp5q > /root/.tok".into(),
            ..Default::default()
        },
        History {
            created_by: "|2 DB_PASSWORD=Xy7kP9qLm2vT APP=web /bin/sh -c ./configure".into(),
            ..Default::default()
        },
    ];
    let files = BTreeMap::new();
    let inv = Inventory {
        image: &image,
        os: None,
        findings: &[],
        files: &files,
    };
    let an = analyzers(&SecretConfig::default()).unwrap();
    let mut out = Output::new();
    an[0].analyze(&inv, &mut out);
    let got: Vec<(String, String, Option<u32>)> = out
        .findings()
        .iter()
        .map(|f| match f {
            strata_core::Finding::Secret(s) => (s.origin.path.clone(), s.rule_id.clone(), s.line),
            _ => panic!("not a secret"),
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("config:env".into(), "aws-secret-access-key".into(), Some(2)),
            ("config:labels".into(), "github-pat".into(), Some(1)),
            (
                "config:history[1]".into(),
                "npm-access-token".into(),
                Some(1)
            ),
            ("config:history[2]".into(), "gitlab-pat".into(), Some(1)),
            (
                "config:history[3]".into(),
                "generic-password".into(),
                Some(1)
            ),
        ]
    );
    for f in out.findings() {
        let shown = format!("{f:?}");
        assert!(!shown.contains("Zk3uV8yq1LrT9wXo2bNc5HdQ7sJm4pEa6gFi0tKz"));
        assert!(!shown.contains("abcdefghijklmnopqrstuvwxyz0123456789"));
        assert!(!shown.contains("Ab3dEf6hIj9kLm2nOp5q"));
        assert!(!shown.contains("Xy7kP9qLm2vT"));
    }
}

#[test]
fn scanner_debug_shows_no_rules_content() {
    let s = Scanner::new(&SecretConfig::default()).unwrap();
    let d = format!("{s:?}");
    assert!(d.starts_with("Scanner"));
    assert!(!d.contains("ghp_"));
}

#[test]
fn source_code_identifiers_are_not_reported() {
    // Seen as false positives when scanning real crates (windows-sys, twox-hash,
    // proc-macro2) and /etc: type annotations, constructor calls, constants.
    let body = "    pub ApplyControlToken: SpApplyControlTokenFn,\n\
                pub const BCRYPT_KDF_RAW_SECRET: PCWSTR = windows_sys::core::w!(\"x\");\n\
                fn f(passwd : windows_sys::core::PCSTR) -> u32;\n\
                let mut tokens = TokenStreamBuilder::new();\n\
                let secret = read_u64_le(secret_buf[i]);\n\
                pub StorageOffloadZeroDataToken: STORAGE_OFFLOAD_TOKEN_0_0,\n\
                pub data: [super::System::PasswordManagement::CYPHER_BLOCK; 2],\n\
                #password_encryption = scram-sha-256\n\
                pub SecretAgreement: BCryptSecretAgreementFn,\n\
                jmxremote.password.toHashes = true|false\n";
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/src/lib.rs", body.as_bytes())
        .findings;
    assert!(
        f.is_empty(),
        "{:?}",
        f.iter().map(|s| (&s.rule_id, s.line)).collect::<Vec<_>>()
    );
}

#[test]
fn hostile_file_full_of_tokens_stays_bounded() {
    // 50k lines where a specific and a generic rule both match: the generic/specific
    // overlap check must not be quadratic, and the output is capped.
    let body: String = (0..50_000)
        .map(|i| format!("API_TOKEN=ghp_{i:0>36}\n"))
        .collect();
    let res = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/x.env", body.as_bytes());
    assert!(res.capped);
    assert_eq!(
        res.findings.len(),
        strata_detect_secrets::MAX_FINDINGS_PER_FILE
    );
    assert!(res.findings.iter().all(|f| f.rule_id == "github-pat"));
    assert_eq!(res.findings.last().unwrap().line, Some(1000));
}

#[test]
fn multi_line_windows_reach_from_every_keyword_hit() {
    // Two PEM keys 50 KiB apart, the second longer than what remains of the first
    // hit's forward reach: both are found.
    let body_line = "MIIEowIBAAKCAQEAu/Nua0/1y08gkbnBfKd6VDHia8Na0ATgMQqZ4YEbi/t73g84\n";
    let key = |n: usize| {
        format!(
            "-----BEGIN RSA PRIVATE KEY-----\n{}-----END RSA PRIVATE KEY-----\n",
            body_line.repeat(n)
        )
    };
    let filler = "x\n".repeat(30_000);
    let text = format!("{}{filler}{}", key(2), key(400));
    let f = Scanner::new(&SecretConfig::default())
        .unwrap()
        .scan("/k.pem", text.as_bytes())
        .findings;
    let ids: Vec<_> = f
        .iter()
        .map(|s| (s.rule_id.as_str(), s.line.unwrap()))
        .collect();
    assert_eq!(
        ids,
        vec![("rsa-private-key", 2), ("rsa-private-key", 30_006)]
    );
}

#[test]
fn crlf_lines_count_and_print_like_lf_lines() {
    let body = format!("a=1\r\nKEY={PAT}\r\nb=2\r\n");
    let f = Scanner::new(&SecretConfig::default()).unwrap().scan("/x.ini", body.as_bytes()).findings;
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].line, Some(2));
    assert_eq!(f[0].redacted, format!("KEY=ghp_{}", "*".repeat(36)));
}
