//! Throughput on a generated 100 MB text (printed, not asserted) and a count check of the
//! planted secrets.

use std::time::Instant;

use strata_detect_secrets::{Scanner, SecretConfig};

/// A deterministic text of `size` bytes: code-ish lines that contain many rule keywords
/// (key, token, password, secret, http://, asia...), with `planted` GitHub tokens spread
/// through it. Returns the text and the 1-based lines of the planted tokens.
pub(crate) fn generate(size: usize, planted: usize) -> (Vec<u8>, Vec<u32>) {
    const WORDS: &[&str] = &[
        "let",
        "value",
        "config",
        "return",
        "if",
        "else",
        "for",
        "in",
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
        "function",
        "const",
        "result",
        "error",
        "name",
        "user",
        "id",
        "map",
        "list",
        "string",
        "0x1f",
        "42",
        "true",
        "false",
        "null",
        "auth",
        "session",
        "private",
        "public",
        "aws",
        "region",
        "akid",
        "hf_",
        "sk_",
        "api_key_name",
        "x=1",
        "mode: fast",
        "{",
        "}",
        "(",
        ")",
        "\"",
        ";",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = Vec::with_capacity(size + 1024);
    let mut lines = Vec::new();
    let mut line = 1u32;
    let every = size / planted.max(1);
    let mut next_plant = every / 2;
    while out.len() < size {
        if lines.len() < planted && out.len() >= next_plant {
            out.extend_from_slice(b"export GITHUB_TOKEN=ghp_");
            for _ in 0..36 {
                out.push(
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                        [(next() % 62) as usize],
                );
            }
            out.push(b'\n');
            lines.push(line);
            line += 1;
            next_plant += every;
            continue;
        }
        let n = 4 + next() % 12;
        for i in 0..n {
            if i > 0 {
                out.push(b' ');
            }
            out.extend_from_slice(WORDS[(next() % WORDS.len() as u64) as usize].as_bytes());
        }
        out.push(b'\n');
        line += 1;
    }
    (out, lines)
}

#[test]
fn throughput_on_100_mb_of_text() {
    let size = std::env::var("STRATA_SECRETS_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100usize);
    let (text, planted) = generate(size * 1024 * 1024, 100);
    let scanner = Scanner::new(&SecretConfig::default()).unwrap();
    let start = Instant::now();
    // Scan as 1 MiB files, as an image would present them.
    let mut found = Vec::new();
    let mut base_line = 0u32;
    // Cut at a newline so no line spans two files.
    let mut rest: &[u8] = &text;
    while !rest.is_empty() {
        let cut = if rest.len() <= 1 << 20 {
            rest.len()
        } else {
            memchr_last_newline(&rest[..1 << 20]).map_or(1 << 20, |i| i + 1)
        };
        let (file, tail) = rest.split_at(cut);
        for f in scanner.scan("/srv/data.txt", file).findings {
            found.push((f.rule_id, base_line + f.line.unwrap()));
        }
        base_line += file.iter().filter(|&&b| b == b'\n').count() as u32;
        rest = tail;
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "secrets throughput: {size} MiB in {secs:.2} s = {:.1} MiB/s",
        size as f64 / secs
    );
    let lines: Vec<u32> = found
        .iter()
        .filter(|(r, _)| r == "github-pat")
        .map(|(_, l)| *l)
        .collect();
    assert_eq!(lines, planted);
    assert_eq!(
        found.len(),
        planted.len(),
        "{:?}",
        &found[..found.len().min(10)]
    );
}

fn memchr_last_newline(b: &[u8]) -> Option<usize> {
    b.iter().rposition(|&c| c == b'\n')
}
