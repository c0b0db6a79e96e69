//! Benchmarks live in `benches/`; run `cargo bench -p strata-benches`.
