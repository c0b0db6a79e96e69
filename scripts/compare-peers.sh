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
#       where the peer found the package, made absolute; empty for OS
#       packages in Trivy; Trivy writes a nested jar as OUTER.jar/INNER.jar)
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

for tool in trivy syft jq skopeo; do
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

# Trivy refuses to analyse jars without its Java index database, which
# only its own registry serves. An EMPTY database with the same schema lets
# it run offline: jars are then identified from their own metadata
# (pom.properties, MANIFEST.MF) only, never from the sha1 index.
empty_java_db() {
    mkdir -p "$1"
    python3 - "$1/trivy-java.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT,
                     FOREIGN KEY (artifact_id) REFERENCES artifacts(id));
CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
CREATE INDEX indices_artifact_idx ON indices(artifact_id);
CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);
""")
db.close()
EOF
    printf '{"Version":1,"NextUpdate":"2099-01-01T00:00:00Z","UpdatedAt":"2023-11-14T22:13:20Z","DownloadedAt":"2023-11-14T22:13:20Z"}\n' \
        >"$1/metadata.json"
}

# scan NAME INPUT SYFT_SOURCE: both peers on one single-platform image.
scan() {
    local image=$1 input=$2 syft_src=$3 cache
    cache=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$cache'" RETURN
    empty_java_db "$cache/java-db"
    local trivy=(trivy image --input "$input" --cache-dir "$cache"
        --offline-scan --skip-db-update --skip-java-db-update --skip-version-check
        --disable-telemetry --no-progress --quiet)

    log "trivy $image (packages)"
    "${OFFLINE[@]}" "${trivy[@]}" --format cyclonedx --output "$PEERS/$image.trivy.cdx.json"
    jq -r '.components[]? | select(.type != "operating-system")
        | [ .name, .version,
            ((.properties // []) | map(select(.name == "aquasecurity:trivy:PkgType")) | .[0].value // ""),
            (.purl // ""),
            ((.properties // []) | map(select(.name == "aquasecurity:trivy:FilePath")) | .[0].value // ""
             | if . == "" then . else "/" + ltrimstr("/") end) ]
        | @tsv' "$PEERS/$image.trivy.cdx.json" | LC_ALL=C sort -u >"$PEERS/$image.trivy.tsv"

    log "trivy $image (secrets)"
    "${OFFLINE[@]}" "${trivy[@]}" --scanners secret --format json --output "$PEERS/$image.trivy-secrets.json"
    jq -r '.Results[]? | select(.Class == "secret") | .Target as $t | .Secrets[]?
        | [ ("/" + ($t | ltrimstr("/"))), .RuleID, .Severity, (.StartLine | tostring), (.Layer.DiffID // "") ]
        | @tsv' "$PEERS/$image.trivy-secrets.json" | LC_ALL=C sort -u >"$PEERS/$image.trivy-secrets.tsv"

    log "syft $image"
    "${OFFLINE[@]}" syft scan "$syft_src" --quiet --output "json=$PEERS/$image.syft.json"
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
    if [ "$image" = multiarch ]; then
        # Syft cannot read an OCI layout whose tag is an image index: each
        # platform is copied out to a single-image layout first. The amd64
        # results are multiarch.*, the i386 ones multiarch-i386.*.
        tmp=$(mktemp -d)
        for arch in amd64 386; do
            skopeo --insecure-policy copy --quiet --override-os linux --override-arch "$arch" \
                "oci:$OUT/multiarch.oci:latest" "oci:$tmp/$arch:latest"
        done
        scan multiarch "$tmp/amd64" "oci-dir:$tmp/amd64"
        scan multiarch-i386 "$tmp/386" "oci-dir:$tmp/386"
        rm -rf "$tmp"
    elif [ -f "$OUT/$image.tar" ]; then
        scan "$image" "$OUT/$image.tar" "docker-archive:$OUT/$image.tar"
    elif [ -f "$OUT/$image.oci/index.json" ]; then
        scan "$image" "$OUT/$image.oci" "oci-dir:$OUT/$image.oci"
    else
        echo "no image $image in $OUT: run scripts/build-test-images.sh" >&2
        exit 1
    fi
done
