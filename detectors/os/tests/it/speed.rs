//! A 1,000-package status file: the parse is checked for its result; its time is printed
//! (run with `--nocapture`), never asserted.

use std::time::Instant;

use crate::harness::{packages, read, run};

#[test]
fn thousand_package_status() {
    let body = read("dpkg/trivy-ubuntu-18.04-valid/rootfs/var/lib/dpkg/status");
    let text = String::from_utf8(body).unwrap();
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .filter(|p| p.contains("install ok installed"))
        .collect();
    let mut big = String::new();
    for i in 0..1000 {
        let p = paragraphs[i % paragraphs.len()];
        let p = p.replacen("Package: ", &format!("Package: p{i}-"), 1);
        big.push_str(&p);
        big.push_str("\n\n");
    }
    // The best of a few runs: the machine is shared, a single run measures the neighbours.
    let mut best = None;
    for _ in 0..10 {
        let start = Instant::now();
        let (findings, diags) = run("os/dpkg", &[("/var/lib/dpkg/status", big.as_bytes())]);
        let elapsed = start.elapsed();
        assert!(diags.is_empty());
        assert_eq!(packages(&findings).len(), 1000);
        best = Some(best.map_or(elapsed, |b: std::time::Duration| b.min(elapsed)));
    }
    eprintln!(
        "1,000-package status ({} bytes): best of 10 runs {:?}",
        big.len(),
        best.unwrap()
    );
}
