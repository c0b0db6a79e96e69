//! Renders a `strata scan -f json` report in another format:
//! `cargo run -p strata-report --example render -- sarif < scan.json > scan.sarif`.

use std::io::Read;

fn main() {
    let name = std::env::args().nth(1).unwrap_or_else(|| "table".into());
    let Some(format) = strata_report::Format::parse(&name) else {
        eprintln!(
            "unknown format {name}; one of {}",
            strata_report::Format::NAMES.join(", ")
        );
        std::process::exit(2);
    };
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("read stdin");
    let out: strata_core::report::ScanOutput =
        serde_json::from_str(&input).expect("a strata JSON report");
    strata_report::render(format, &out, &mut std::io::stdout().lock()).expect("render");
}
