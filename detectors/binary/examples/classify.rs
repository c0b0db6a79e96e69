//! Classifies files given on the command line: `cargo run -p strata-detect-binary
//! --example classify -- /usr/sbin/nginx ...` prints `path<TAB>name<TAB>version<TAB>cpe`.

fn main() {
    for arg in std::env::args().skip(1) {
        let data = match std::fs::read(&arg) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{arg}: {e}");
                continue;
            }
        };
        let cap = data.len().min(64 << 20);
        match strata_detect_binary::classify(&arg, &data[..cap]) {
            Some(c) => println!("{arg}\t{}\t{}\t{}", c.package, c.version, c.cpe),
            None => println!("{arg}\t-"),
        }
    }
}
