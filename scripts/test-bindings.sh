#!/usr/bin/env bash
# Builds the Python and Node bindings for real and runs their tests (a stage of
# scripts/test.sh; runs on its own too):
#   1. the release CLI, whose JSON reports the bindings' reports are compared with
#   2. Python: `pip install ./bindings-python` into a venv (PEP 517 through maturin),
#      `mypy --strict` on the example, pytest
#   3. Node: `npm install`, `npm run build` (napi build --release), drift check of the
#      committed index.d.ts/index.js, `tsc --noEmit` on the example, `node --test`
# Exits non-zero on any failure. Fast on a second run: the cargo target dir and the venv
# under ~/.cache are reused; release builds without LTO.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/strata-target}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
export STRATA_IMAGES="${STRATA_IMAGES:-$HOME/.cache/strata-images}"
VENV="${STRATA_BINDINGS_VENV:-$HOME/.cache/strata-bindings-venv}"
# `napi build` always passes --target: build everything for the explicit host triple so the
# CLI, maturin and napi share one set of release artifacts.
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}"
RELEASE_DIR="$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release"
PYTHON="${PYTHON:-python3}"
start=$(date +%s)
step() { echo; echo "--- [bindings $(( $(date +%s) - start ))s] $*"; }
failed=()

step "release CLI (reference reports)"
cargo build --release -p strata-cli
export STRATA_CLI="$RELEASE_DIR/strata"

step "python: venv, pip install ./bindings-python"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check pytest mypy
"$VENV/bin/python" -m pip install --disable-pip-version-check --force-reinstall --no-deps ./bindings-python

step "python: mypy --strict"
(cd bindings-python && "$VENV/bin/python" -m mypy --strict examples/scan.py python/strata) || failed+=("mypy")

step "python: pytest"
(cd bindings-python && "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests) || failed+=("pytest")

step "node: npm install, napi build"
cd bindings-node
npm install --no-audit --no-fund
npm run build
if ! git -C "$ROOT" diff --quiet -- bindings-node/index.d.ts bindings-node/index.js; then
    echo "generated bindings-node/index.d.ts or index.js differ from the committed ones:"
    git -C "$ROOT" diff --stat -- bindings-node/index.d.ts bindings-node/index.js
    failed+=("index.d.ts drift")
fi

step "node: tsc --noEmit"
npx tsc --noEmit -p examples || failed+=("tsc")

step "node: node --test"
STRATA_PYTHON="$VENV/bin/python" node --test test/*.test.js || failed+=("node --test")
cd "$ROOT"

step "done"
if [ ${#failed[@]} -gt 0 ]; then
    echo "bindings: FAILED: ${failed[*]}"
    exit 1
fi
echo "bindings: all passed"
