#!/usr/bin/env bash
# Runs every test of the project, on a fresh machine as on a developer's:
#   1. system tools and the PyPI peers (scripts/setup.sh, idempotent)
#   2. the real test images built from Debian packages (scripts/build-test-images.sh, cached)
#   3. the Rust workspace tests (unit, integration, doc)
#   4. lints: rustfmt and clippy with warnings as errors
#   5. the fuzz targets (built, and each run briefly), the benches (built)
#   6. the Python and Node bindings, built for real and tested
# A cargo target dir under $HOME is reused between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/strata-target}"
export STRATA_IMAGES="${STRATA_IMAGES:-$HOME/.cache/strata-images}"
export CARGO_TERM_COLOR=never
start=$(date +%s)
stage() { echo; echo "=== [$(( $(date +%s) - start ))s] $*"; }

stage "setup"
if [ "$(id -u)" = 0 ]; then bash scripts/setup.sh; else sudo -n bash scripts/setup.sh; fi

stage "test images"
if [ "$(id -u)" = 0 ]; then bash scripts/build-test-images.sh; else sudo -n -E bash scripts/build-test-images.sh; fi

stage "cargo test (workspace)"
cargo test --workspace --no-fail-fast 2>&1 | tee /tmp/strata-cargo-test.log
grep -q "test result: FAILED" /tmp/strata-cargo-test.log && { echo "cargo test failed"; exit 1; }

for extra in scripts/test-*.sh; do
    [ -e "$extra" ] || continue
    stage "$extra"
    bash "$extra"
done

stage "done in $(( $(date +%s) - start ))s"
