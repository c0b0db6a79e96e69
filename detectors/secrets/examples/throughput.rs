//! Throughput of the secret scanner on generated text (release build):
//! `cargo run --release -p strata-detect-secrets --example throughput [MiB]`.

use std::time::Instant;

use strata_detect_secrets::{Scanner, SecretConfig};

fn text(size: usize, words: &[&str]) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(size + 256);
    while out.len() < size {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let n = 4 + x % 12;
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(words[(x % words.len() as u64) as usize].as_bytes());
        }
        out.push(b'\n');
    }
    out
}

fn run(name: &str, cfg: &SecretConfig, data: &[u8]) {
    let scanner = Scanner::new(cfg).expect("rules compile");
    let start = Instant::now();
    let mut n = 0;
    for chunk in data.chunks(1 << 20) {
        n += scanner.scan("/srv/data.txt", chunk).findings.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let mib = data.len() as f64 / (1024.0 * 1024.0);
    println!(
        "{name}: {mib:.0} MiB in {secs:.2} s = {:.1} MiB/s ({n} findings)",
        mib / secs
    );
}

fn main() {
    let mib: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let size = mib << 20;
    let prose = text(
        size,
        &[
            "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be",
            "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but",
            "have", "an", "had", "they", "you", "were", "their", "one", "all", "we", "can", "her",
            "has", "there", "been", "if", "more", "when", "will", "would", "who", "so", "no",
            "value", "config", "return", "function", "const",
        ],
    );
    let dense = text(
        size,
        &[
            "let",
            "value",
            "config",
            "return",
            "if",
            "else",
            "self",
            "data",
            "key",
            "token",
            "the",
            "password_hint",
            "secret_sauce",
            "http://example.org/path",
            "Asia/Tokyo",
            "import",
            "from",
            "const",
            "result",
            "error",
            "name",
            "user",
            "id",
            "aws",
            "region",
            "akid",
            "hf_",
            "api_key_name",
            "x=1",
            "mode: fast",
            "{",
            "}",
            "(",
            ")",
            ";",
        ],
    );
    let one = SecretConfig {
        enable_builtin_rules: vec!["github-pat".into()],
        ..Default::default()
    };
    run("prose, all rules", &SecretConfig::default(), &prose);
    run("prose, one rule", &one, &prose);
    run("keyword-dense, all rules", &SecretConfig::default(), &dense);
    run("keyword-dense, one rule", &one, &dense);
}
