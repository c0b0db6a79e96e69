#!/usr/bin/env bash
# Builds every fuzz target (cargo-fuzz, libFuzzer, no sanitizer: stable toolchain) and runs
# each one briefly from an empty corpus with a fixed seed and a fixed number of runs, so the
# stage is deterministic (same result on every run of the same code) and a parser that
# crashes on easy inputs fails CI.
# Longer campaigns: cargo fuzz run TARGET -s none -- -max_total_time=600
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="${STRATA_FUZZ_TARGET_DIR:-$HOME/.cache/strata-fuzz-target}"
cargo fuzz build -s none
runs="${STRATA_FUZZ_RUNS:-5000}"
targets=$(cargo fuzz list)
n=0
for t in $targets; do
    corpus=$(mktemp -d)
    cargo fuzz run "$t" -s none "$corpus" -- -seed=1 -runs="$runs" -max_total_time=300 -rss_limit_mb=2048 -print_final_stats=0 >/tmp/strata-fuzz-$t.log 2>&1 \
        || { echo "fuzz target $t failed:"; tail -40 /tmp/strata-fuzz-$t.log; exit 1; }
    rm -rf "$corpus"
    n=$((n + 1))
done
echo "fuzz: $n passed, 0 failed"
