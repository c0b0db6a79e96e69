#!/usr/bin/env bash
# Builds every fuzz target (cargo-fuzz, libFuzzer, no sanitizer: stable toolchain) and runs
# each one briefly on an empty corpus, so a parser that crashes on easy inputs fails CI.
# Longer campaigns: cargo fuzz run TARGET -s none -- -max_total_time=600
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="${STRATA_FUZZ_TARGET_DIR:-$HOME/.cache/strata-fuzz-target}"
cargo fuzz build -s none
secs="${STRATA_FUZZ_SECONDS:-4}"
targets=$(cargo fuzz list)
n=0
for t in $targets; do
    mkdir -p "$CARGO_TARGET_DIR/corpus/$t"
    cargo fuzz run "$t" -s none "$CARGO_TARGET_DIR/corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=0 >/tmp/strata-fuzz-$t.log 2>&1 \
        || { echo "fuzz target $t failed:"; tail -40 /tmp/strata-fuzz-$t.log; exit 1; }
    n=$((n + 1))
done
echo "fuzz: $n passed, 0 failed"
