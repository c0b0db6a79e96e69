#!/usr/bin/env bash
# Runs the peer scanners, Trivy and Syft (installed from PyPI by
# scripts/setup.sh), offline on one test image built by
# scripts/build-test-images.sh, and writes what they found as sorted TSV
# files that Strata's tests compare against.
#
# Usage: scripts/compare-peers.sh IMAGE [IMAGE...]
#   IMAGE is a name under $STRATA_IMAGES (minbase, layered, zstd, multiarch,
#   apps, big) or `all` for every built image.
# Outputs, in ${STRATA_IMAGES:-~/.cache/strata-images}/peers/:
#   IMAGE.trivy.tsv          packages found by Trivy
#   IMAGE.syft.tsv           packages found by Syft
#       columns: name, version, type, purl, path (tab-separated, LC_ALL=C sorted,
#       no header; type is Trivy's PkgType / Syft's artifact type; path is
#       where the peer found the package, empty for OS packages in Trivy)
#   IMAGE.trivy-secrets.tsv  Trivy's secret findings
#       columns: path, rule id, severity, start line, layer diff_id
#   IMAGE.trivy.cdx.json, IMAGE.trivy-secrets.json, IMAGE.syft.json: the raw reports
#
# When run as root the peers run in a fresh network namespace without any
# interface (unshare -n), which proves that they work offline.
set -euo pipefail

OUT=${STRATA_IMAGES:-$HOME/.cache/strata-images}
PEERS=$OUT/peers
mkdir -p "$PEERS"

for tool in trivy syft jq; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/setup.sh" >&2; exit 1; }
done
[ $# -ge 1 ] || { echo "usage: $0 IMAGE... | all" >&2; exit 2; }

OFFLINE=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
    OFFLINE=(unshare -n)
fi

export SYFT_CHECK_FOR_APP_UPDATE=false
export TRIVY_DISABLE_TELEMETRY=true

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

scan() {
    local image=$1 input syft_src platform=()
    if [ -f "$OUT/$image.tar" ]; then
        input=$OUT/$image.tar
        syft_src=docker-archive:$input
    elif [ -f "$OUT/$image.oci/index.json" ]; then
        input=$OUT/$image.oci
        syft_src=oci-dir:$input
        # Both peers take the amd64 image of a multi-platform index.
        if [ "$image" = multiarch ]; then platform=(--platform linux/amd64); fi
    else
        echo "no image $image in $OUT: run scripts/build-test-images.sh" >&2
        return 1
    fi

    local cache
    cache=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$cache'" RETURN
    local trivy=(trivy image --input "$input" "${platform[@]}" --cache-dir "$cache"
        --offline-scan --skip-db-update --skip-java-db-update --skip-version-check
        --disable-telemetry --no-progress --quiet)

    log "trivy $image (packages)"
    "${OFFLINE[@]}" "${trivy[@]}" --format cyclonedx --output "$PEERS/$image.trivy.cdx.json"
    jq -r '.components[]? | select(.type != "operating-system")
        | [ .name, .version,
            ((.properties // []) | map(select(.name == "aquasecurity:trivy:PkgType")) | .[0].value // ""),
            (.purl // ""),
            ((.properties // []) | map(select(.name == "aquasecurity:trivy:FilePath")) | .[0].value // "") ]
        | @tsv' "$PEERS/$image.trivy.cdx.json" | LC_ALL=C sort -u >"$PEERS/$image.trivy.tsv"

    log "trivy $image (secrets)"
    "${OFFLINE[@]}" "${trivy[@]}" --scanners secret --format json --output "$PEERS/$image.trivy-secrets.json"
    jq -r '.Results[]? | select(.Class == "secret") | .Target as $t | .Secrets[]?
        | [ ("/" + ($t | ltrimstr("/"))), .RuleID, .Severity, (.StartLine | tostring), (.Layer.DiffID // "") ]
        | @tsv' "$PEERS/$image.trivy-secrets.json" | LC_ALL=C sort -u >"$PEERS/$image.trivy-secrets.tsv"

    log "syft $image"
    "${OFFLINE[@]}" syft scan "$syft_src" "${platform[@]}" --quiet --output "json=$PEERS/$image.syft.json"
    jq -r '.artifacts[] | [ .name, .version, .type, (.purl // ""), (.locations[0].path // "") ] | @tsv' \
        "$PEERS/$image.syft.json" | LC_ALL=C sort -u >"$PEERS/$image.syft.tsv"

    log "$image: trivy $(wc -l <"$PEERS/$image.trivy.tsv") packages, $(wc -l <"$PEERS/$image.trivy-secrets.tsv") secrets; syft $(wc -l <"$PEERS/$image.syft.tsv") packages"
}

images=("$@")
if [ "$1" = all ]; then
    images=()
    for i in minbase layered zstd multiarch apps big; do
        [ -f "$OUT/$i.oci/index.json" ] && images+=("$i")
    done
fi
for image in "${images[@]}"; do
    scan "$image"
done
