#!/usr/bin/env bash
# Builds the real container images that Strata's tests scan, from Debian's
# packages, without any container daemon: mmdebstrap makes the root
# filesystems, umoci turns them into OCI layers, skopeo converts to
# docker-archive and to zstd-compressed layers.
#
# Usage (as root): scripts/build-test-images.sh
#   STRATA_IMAGES=DIR      output directory (default ~/.cache/strata-images)
#   STRATA_BIG=1           also build the optional `big` benchmark image
#   STRATA_DEBIAN_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   STRATA_FORCE=1         rebuild even if the stamp says the outputs are current
#
# Cached: when every output exists and the stamp file holds this script's
# own hash, it exits at once. The mmdebstrap root filesystems are cached
# separately under $STRATA_IMAGES/cache/, keyed by their exact command line,
# so that an edit of this script does not download Debian again.
#
# Layout and the meaning of each output: testdata-images/README.md.
set -euo pipefail

OUT=${STRATA_IMAGES:-$HOME/.cache/strata-images}
MIRROR=${STRATA_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
BIG=${STRATA_BIG:-0}
# Fixed timestamps so that rebuilding from the same Debian packages gives
# the same file times (mmdebstrap clamps to SOURCE_DATE_EPOCH).
export SOURCE_DATE_EPOCH=1700000000
CREATED=2023-11-14T22:13:20Z
EICAR_SHA256=275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f

SELF=$(readlink -f "$0")
HASH=$(sha256sum "$SELF" | cut -d' ' -f1)

IMAGES=(minbase layered zstd multiarch apps)
[ "$BIG" = 1 ] && IMAGES+=(big)

# outputs IMAGE: the files whose presence means "built".
outputs() {
    echo "$OUT/$1.oci/index.json"
    case $1 in
        minbase | layered | apps | big)
            echo "$OUT/$1.tar" "$OUT/$1.rootfs/etc/os-release" "$OUT/$1.dpkg-query.txt" ;;
    esac
    case $1 in
        layered | apps) echo "$OUT/$1.expected.json" ;;
    esac
}

# current IMAGE: built by this very script (stamp $OUT/.stamp-IMAGE holds
# its hash) and complete.
current() {
    [ "${STRATA_FORCE:-0}" != 1 ] || return 1
    [ "$(cat "$OUT/.stamp-$1" 2>/dev/null)" = "$HASH" ] || return 1
    local f
    for f in $(outputs "$1"); do [ -e "$f" ] || return 1; done
}

# One build at a time per output directory (tests of several crates may
# call this script at once); the check below runs after the lock, so a
# waiting caller sees what the other one built.
mkdir -p "$OUT" 2>/dev/null || true
if exec 9>>"$OUT/.lock"; then
    flock 9
fi 2>/dev/null

TODO=()
for i in "${IMAGES[@]}"; do
    current "$i" || TODO+=("$i")
done
# layered is built on minbase, zstd on layered.
todo() { [[ " ${TODO[*]} " == *" $1 "* ]]; }
if todo minbase && ! todo layered; then TODO+=(layered); fi
if todo layered && ! todo zstd; then TODO+=(zstd); fi
if [ ${#TODO[@]} = 0 ]; then
    echo "strata test images are up to date in $OUT"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    echo "build-test-images.sh: must run as root (mmdebstrap and umoci unpack need it)" >&2
    exit 1
fi
for tool in mmdebstrap umoci skopeo zstd python3 jq npm pip3; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/setup.sh" >&2; exit 1; }
done

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

mkdir -p "$OUT/cache"
WORK=$(mktemp -d "$OUT/.work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Runs a command that talks to the Debian mirror; retries it when the log
# shows a transient mirror or network failure.
retry_mirror() {
    local attempt=1 logf="$WORK/retry.log"
    while :; do
        if "$@" >"$logf" 2>&1; then
            return 0
        fi
        if [ $attempt -ge 6 ] || ! grep -qiE 'Mirror sync in progress|Hash Sum mismatch|File has unexpected size|Failed to fetch|Temporary failure|Could not resolve|Connection (failed|timed out|reset|refused)|Unable to connect|50[0-9] |timed out|Clearsigned file isn.t valid|is not valid yet|Undetermined Error' "$logf"; then
            tail -n 40 "$logf" >&2
            return 1
        fi
        log "transient mirror failure (attempt $attempt), retrying in $((attempt * 20)) s"
        grep -iE 'Mirror sync|Failed|Err|error' "$logf" | tail -n 3 >&2 || true
        sleep $((attempt * 20))
        attempt=$((attempt + 1))
    done
}

# debootstrap NAME ARGS...: a cached mmdebstrap tarball for these arguments.
# Prints its path.
debootstrap() {
    local name=$1; shift
    local key
    key=$(printf '%s\n' "$SUITE" "$MIRROR" "$@" | sha256sum | cut -c1-16)
    local tarball=$OUT/cache/$name-$key.tar
    if [ ! -s "$tarball" ]; then
        log "mmdebstrap $name ($*)"
        rm -rf "$OUT/cache/$name-"*.tar "$OUT/cache/$name-"*.part
        retry_mirror mmdebstrap --quiet --aptopt='APT::Install-Recommends "false"' \
     --format=tar "$@" "$SUITE" "$tarball.part" "$MIRROR"
        mv "$tarball.part" "$tarball"
    fi
    echo "$tarball"
}

# new_image LAYOUT ARCH ROOTFS_TAR COMMENT [TAG]: a single-layer image.
new_image() {
    local layout=$1 arch=$2 tarball=$3 comment=$4 tag=${5:-latest}
    [ -d "$layout" ] || umoci init --layout "$layout"
    umoci new --image "$layout:$tag"
    umoci raw add-layer --image "$layout:$tag" --history.created "$CREATED" \
        --history.created_by "$comment" "$tarball"
    umoci config --image "$layout:$tag" --architecture "$arch" --os linux \
        --created "$CREATED" --author strata-test-images \
        --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --config.cmd /bin/bash --no-history
}

# finish_image NAME: docker-archive, unpacked rootfs and package list.
finish_image() {
    local name=$1
    umoci gc --layout "$OUT/$name.oci"
    rm -f "$OUT/$name.tar"
    skopeo --insecure-policy copy --quiet "oci:$OUT/$name.oci:latest" \
        "docker-archive:$OUT/$name.tar:strata-test/$name:latest"
    rm -rf "$OUT/$name.rootfs" "$WORK/unpack"
    umoci unpack --image "$OUT/$name.oci:latest" "$WORK/unpack"
    mv "$WORK/unpack/rootfs" "$OUT/$name.rootfs"
    rm -rf "$WORK/unpack"
    dpkg-query --admindir="$OUT/$name.rootfs/var/lib/dpkg" -W -f '${Package} ${Version}\n' |
        LC_ALL=C sort >"$OUT/$name.dpkg-query.txt"
}

# layer_json LAYOUT: the final image's layers as JSON (index, digest, diff_id,
# media type, history), for the expected files.
layer_json() {
    local layout=$1 manifest config
    manifest=$(jq -r '.manifests[] | select(.annotations."org.opencontainers.image.ref.name"=="latest") | .digest' "$layout/index.json")
    manifest=$layout/blobs/${manifest/://}
    config=$(jq -r .config.digest "$manifest")
    config=$layout/blobs/${config/://}
    jq -n --slurpfile m "$manifest" --slurpfile c "$config" '
        [ $c[0].history | map(select(.empty_layer | not)) ] as [$h]
        | [ range(0; $m[0].layers | length) as $i
            | { index: $i,
                digest: $m[0].layers[$i].digest,
                media_type: $m[0].layers[$i].mediaType,
                diff_id: $c[0].rootfs.diff_ids[$i],
                created_by: ($h[$i].created_by // null) } ]'
}

# ---------------------------------------------------------------- minbase
# The minbase root filesystem; the .debs that the layered image installs
# come out of the same run. ($1 in the hooks is mmdebstrap's chroot path.)
# shellcheck disable=SC2016
minbase_tarball() {
    ls "$DEBS_OUT"/hello_*.deb "$DEBS_OUT"/tree_*.deb "$DEBS_OUT"/less_*.deb >/dev/null 2>&1 ||
        rm -f "$OUT"/cache/minbase-amd64-*.tar
    debootstrap minbase-amd64 --variant=minbase --architectures=amd64 \
        --customize-hook='chroot "$1" sh -c "mkdir -p /tmp/debs && cd /tmp/debs && apt-get -q download hello tree less"' \
        --customize-hook="sync-out /tmp/debs $DEBS_OUT" \
        --customize-hook='rm -rf "$1/tmp/debs"'
}

build_minbase() {
    MINBASE_TAR=$(minbase_tarball)
    log "image minbase"
    rm -rf "$OUT/minbase.oci"
    new_image "$OUT/minbase.oci" amd64 "$MINBASE_TAR" "mmdebstrap --variant=minbase $SUITE"
    finish_image minbase
}

# ---------------------------------------------------------------- layered
# Layers (0-based): 0 = minbase; 1 = planted files + `hello` installed;
# 2 = deletions (whiteouts), `hello` purged, `tree` and `less` installed,
# config.yaml rewritten; 3 = hand-made tar making /app/conf opaque.
build_layered() {
    log "image layered"
    local L=$OUT/layered.oci B=$WORK/bundle R
    rm -rf "$L" "$B"
    cp -a "$OUT/minbase.oci" "$L"
    umoci unpack --image "$L:latest" "$B"
    R=$B/rootfs

    # Layer 1: planted files. Secrets are composed from pieces so that this
    # script itself does not look like a leaked credential.
    mkdir -p "$R/app/bin" "$R/app/conf" "$R/app/data"
    local akid="AKIA""QYLPMN5HHHFPZAM2" skey="6lxQ6pJ5hDMyF1vL9mSr""CtPZ7zvN3nBEh4ng8aWb"
    printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nAWS_REGION=eu-west-1\n' \
        "$akid" "$skey" >"$R/app/.env"
    local ghp="gh""p_""R7uXq2LmZ8vKc4TnWb9YsEa1Hd6Jf3Gp0Qx5"
    mkdir -p "$R/root"
    printf 'https://strata-bot:%s@github.com\n' "$ghp" >"$R/root/.git-credentials"
    chmod 600 "$R/root/.git-credentials"
    openssl genrsa -traditional -out "$R/app/id_rsa" 2048 2>/dev/null
    chmod 600 "$R/app/id_rsa"
    # The public EICAR anti-virus test string (68 bytes), split so that no
    # file in git carries it whole.
    # shellcheck disable=SC2016 # literal $ signs
    printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-' 'STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$R/app/eicar.com"
    [ "$(sha256sum <"$R/app/eicar.com")" = "$EICAR_SHA256  -" ] || { echo "EICAR string is wrong" >&2; exit 1; }
    printf '#!/bin/sh\necho tool\n' >"$R/app/bin/tool"
    chmod 755 "$R/app/bin/tool"
    ln "$R/app/bin/tool" "$R/app/bin/tool-hardlink"
    ln -s .env "$R/app/env-link"
    ln -s ../../../../../etc/passwd "$R/app/data/escape"
    ln -s /etc/shadow "$R/app/data/absolute"
    ln -s loop-b "$R/app/data/loop-a"
    ln -s loop-a "$R/app/data/loop-b"
    ln -s bin "$R/app/bin-link"
    printf 'listen: 8080\nversion: 1\n' >"$R/app/config.yaml"
    printf 'a = 1\n' >"$R/app/conf/a.conf"
    printf 'b = 2\n' >"$R/app/conf/b.conf"
    dpkg --root="$R" -i "$DEBS_OUT"/hello_*.deb >/dev/null
    umoci repack --refresh-bundle --image "$L:latest" --history.created "$CREATED" \
        --history.created_by "strata: plant files under /app and /root, dpkg -i hello" "$B"

    # Layer 2: deletions, package changes, an overwritten file.
    rm -f "$R/app/eicar.com" "$R/app/.env"
    dpkg --root="$R" -P hello >/dev/null
    dpkg --root="$R" -i "$DEBS_OUT"/tree_*.deb "$DEBS_OUT"/less_*.deb >/dev/null
    printf 'listen: 9090\nversion: 2\n' >"$R/app/config.yaml"
    umoci repack --refresh-bundle --image "$L:latest" --history.created "$CREATED" \
        --history.created_by "strata: rm eicar.com .env, dpkg -P hello, dpkg -i tree less" "$B"

    # Layer 3: /app/conf made opaque (umoci writes per-file whiteouts, so
    # this layer is a hand-made tar).
    local S=$WORK/opaque
    rm -rf "$S"
    mkdir -p "$S/app/conf"
    : >"$S/app/conf/.wh..wh..opq"
    printf 'c = 3\n' >"$S/app/conf/c.conf"
    touch -d "@$SOURCE_DATE_EPOCH" "$S/app" "$S/app/conf" "$S/app/conf/"*  "$S/app/conf/.wh..wh..opq"
    tar --numeric-owner --owner=0 --group=0 --sort=name -C "$S" -cf "$WORK/opaque.tar" app
    umoci raw add-layer --image "$L:latest" --history.created "$CREATED" \
        --history.created_by "strata: hand-made layer: /app/conf opaque, new c.conf" "$WORK/opaque.tar"
    rm -rf "$B" "$S" "$WORK/opaque.tar"
    finish_image layered

    jq -n --argjson layers "$(layer_json "$L")" \
        --arg akid "$akid" --arg ghp "$ghp" --arg eicar "$EICAR_SHA256" --arg hello "$(dpkg-deb -f "$DEBS_OUT"/hello_*.deb Version)" \
        --arg tree "$(dpkg-deb -f "$DEBS_OUT"/tree_*.deb Version)" \
        --arg less "$(dpkg-deb -f "$DEBS_OUT"/less_*.deb Version)" '
    {
      note: "layer indices are 0-based positions in the manifest; layer 0 is minbase. deleted_in is null when the file is in the final image",
      image: "layered",
      layers: $layers,
      planted: [
        {path: "/app/.env", kind: "secret", rule: "aws-access-key-id+aws-secret-access-key", match: $akid, layer: 1, deleted_in: 2},
        {path: "/root/.git-credentials", kind: "secret", rule: "github-pat", match: $ghp, layer: 1, deleted_in: null},
        {path: "/app/id_rsa", kind: "secret", rule: "private-key", match: "-----BEGIN RSA PRIVATE KEY-----", layer: 1, deleted_in: null},
        {path: "/app/eicar.com", kind: "malware", rule: "eicar", sha256: $eicar, layer: 1, deleted_in: 2},
        {path: "/app/bin/tool", kind: "file", layer: 1, deleted_in: null},
        {path: "/app/bin/tool-hardlink", kind: "hardlink", target: "/app/bin/tool", layer: 1, deleted_in: null},
        {path: "/app/env-link", kind: "symlink", target: ".env", note: "dangling in the final image", layer: 1, deleted_in: null},
        {path: "/app/data/escape", kind: "symlink", target: "../../../../../etc/passwd", note: "relative, climbs above /", layer: 1, deleted_in: null},
        {path: "/app/data/absolute", kind: "symlink", target: "/etc/shadow", layer: 1, deleted_in: null},
        {path: "/app/data/loop-a", kind: "symlink", target: "loop-b", note: "loop", layer: 1, deleted_in: null},
        {path: "/app/data/loop-b", kind: "symlink", target: "loop-a", note: "loop", layer: 1, deleted_in: null},
        {path: "/app/bin-link", kind: "symlink", target: "bin", note: "symlink to a directory", layer: 1, deleted_in: null},
        {path: "/app/config.yaml", kind: "file", content_in_final: "listen: 9090\nversion: 2\n", layer: 1, rewritten_in: 2, deleted_in: null},
        {path: "/app/conf/a.conf", kind: "file", layer: 1, deleted_in: 3, deleted_by: "opaque whiteout /app/conf/.wh..wh..opq"},
        {path: "/app/conf/b.conf", kind: "file", layer: 1, deleted_in: 3, deleted_by: "opaque whiteout /app/conf/.wh..wh..opq"},
        {path: "/app/conf/c.conf", kind: "file", layer: 3, deleted_in: null}
      ],
      whiteouts: [
        {layer: 2, path: "/app/.wh.eicar.com"},
        {layer: 2, path: "/app/.wh..env"},
        {layer: 3, path: "/app/conf/.wh..wh..opq", opaque: true}
      ],
      packages: [
        {name: "hello", version: $hello, installed_in: 1, removed_in: 2},
        {name: "tree", version: $tree, installed_in: 2, removed_in: null},
        {name: "less", version: $less, installed_in: 2, removed_in: null}
      ]
    }' >"$OUT/layered.expected.json"
}

# ---------------------------------------------------------------- zstd
build_zstd() {
    log "image zstd"
    rm -rf "$OUT/zstd.oci"
    skopeo --insecure-policy copy --quiet --dest-compress --dest-compress-format zstd \
        "oci:$OUT/layered.oci:latest" "oci:$OUT/zstd.oci:latest"
}

# ---------------------------------------------------------------- multiarch
# One OCI layout whose index.json has one descriptor, tag `latest`, of an
# image index with an amd64 and an i386 (OCI "386") manifest. The amd64
# image is minbase's root filesystem.
build_multiarch() {
    log "image multiarch"
    local L=$OUT/multiarch.oci amd i386
    amd=$(minbase_tarball)
    i386=$(debootstrap minbase-i386 --variant=minbase --architectures=i386)
    rm -rf "$L"
    new_image "$L" amd64 "$amd" "mmdebstrap --variant=minbase --architectures=amd64 $SUITE" amd64
    new_image "$L" 386 "$i386" "mmdebstrap --variant=minbase --architectures=i386 $SUITE" i386
    umoci gc --layout "$L"
    local index=$WORK/index.json digest size
    jq '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
         manifests: [ .manifests[]
           | { mediaType, digest, size,
               platform: { architecture: (if .annotations."org.opencontainers.image.ref.name" == "i386" then "386" else "amd64" end),
                           os: "linux" } } ] }' "$L/index.json" >"$index"
    digest=$(sha256sum "$index" | cut -d' ' -f1)
    size=$(stat -c %s "$index")
    cp "$index" "$L/blobs/sha256/$digest"
    jq --arg d "sha256:$digest" --argjson s "$size" \
        '.manifests = [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
                         annotations: {"org.opencontainers.image.ref.name": "latest"}}]' \
        "$L/index.json" >"$WORK/top.json"
    mv "$WORK/top.json" "$L/index.json"
}

# ---------------------------------------------------------------- apps
# Debian packages of several ecosystems, an npm project, pip-installed
# packages and a Spring-Boot-style fat jar with a synthetic log4j-core 2.14.1.
build_apps() {
    log "image apps"
    local tarball L=$OUT/apps.oci B=$WORK/apps R
    tarball=$(debootstrap apps-amd64 --variant=minbase --architectures=amd64 \
        --include=python3-requests,liblog4j2-java,nodejs)
    rm -rf "$L" "$B"
    new_image "$L" amd64 "$tarball" "mmdebstrap --variant=minbase --include=python3-requests,liblog4j2-java,nodejs $SUITE"
    umoci unpack --image "$L:latest" "$B"
    R=$B/rootfs

    # npm project with known-vulnerable versions.
    mkdir -p "$R/srv/webapp"
    cat >"$R/srv/webapp/package.json" <<'EOF'
{
  "name": "strata-test-webapp",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "lodash": "4.17.20",
    "minimist": "1.2.5",
    "express": "4.17.1"
  }
}
EOF
    (cd "$R/srv/webapp" && retry_mirror npm install --no-audit --no-fund --ignore-scripts --save-exact)
    printf 'console.log(require("lodash").VERSION)\n' >"$R/srv/webapp/index.js"

    # pip-installed (site-packages) packages with known advisories.
    retry_mirror pip3 install --quiet --no-deps --no-compile --disable-pip-version-check \
        --target "$R/usr/local/lib/python3.11/dist-packages" \
        --platform manylinux2014_x86_64 --python-version 3.11 --only-binary=:all: \
        requests==2.19.1 urllib3==1.24.1 Jinja2==2.11.2
    rm -rf "$R/usr/local/lib/python3.11/dist-packages/bin"

    # Fat jar. The inner log4j-core-2.14.1.jar is SYNTHETIC: the META-INF
    # of Debian's log4j-core jar, without classes, with the version changed.
    python3 - "$R" <<'EOF'
import io, os, re, sys, zipfile
root = sys.argv[1]
src = os.path.join(root, "usr/share/java/log4j-core.jar")
real_version = None
inner = io.BytesIO()
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        n = info.filename
        # META-INF only, without the multi-release classes under versions/.
        if not n.startswith("META-INF/") or n.startswith("META-INF/versions/") or n.endswith(".class"):
            continue
        data = zin.read(n)
        if n.endswith("log4j-core/pom.properties"):
            m = re.search(rb"^version=(.*)$", data, re.M)
            real_version = m.group(1).strip()
        zi = zipfile.ZipInfo(n, date_time=info.date_time)
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.external_attr = info.external_attr
        zout.writestr(zi, data)
    if real_version is None:
        sys.exit("log4j-core.jar has no pom.properties")
inner_bytes = inner.getvalue()
inner2 = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(inner_bytes)) as zin, zipfile.ZipFile(inner2, "w", zipfile.ZIP_DEFLATED) as zout:
    for info in zin.infolist():
        data = zin.read(info.filename)
        data = data.replace(real_version, b"2.14.1")
        zi = zipfile.ZipInfo(info.filename, date_time=(2021, 3, 6, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.external_attr = info.external_attr
        zout.writestr(zi, data)
os.makedirs(os.path.join(root, "app"), exist_ok=True)
out = os.path.join(root, "app/app.jar")
def entry(z, name, data, method=zipfile.ZIP_DEFLATED):
    zi = zipfile.ZipInfo(name, date_time=(2021, 12, 1, 0, 0, 0))
    zi.compress_type = method
    z.writestr(zi, data)
with zipfile.ZipFile(out, "w") as z:
    entry(z, "META-INF/MANIFEST.MF",
          b"Manifest-Version: 1.0\r\nMain-Class: org.springframework.boot.loader.JarLauncher\r\n"
          b"Start-Class: com.example.demo.DemoApplication\r\nSpring-Boot-Version: 2.5.6\r\n"
          b"Spring-Boot-Classes: BOOT-INF/classes/\r\nSpring-Boot-Lib: BOOT-INF/lib/\r\n"
          b"Implementation-Title: demo\r\nImplementation-Version: 0.0.1-SNAPSHOT\r\n\r\n")
    entry(z, "META-INF/maven/com.example/demo/pom.properties",
          b"artifactId=demo\ngroupId=com.example\nversion=0.0.1-SNAPSHOT\n")
    entry(z, "BOOT-INF/classes/application.properties", b"server.port=8080\n")
    # Spring Boot stores nested jars uncompressed.
    entry(z, "BOOT-INF/lib/log4j-core-2.14.1.jar", inner2.getvalue(), zipfile.ZIP_STORED)
print("synthetic log4j-core 2.14.1 made from Debian log4j-core " + real_version.decode(), file=sys.stderr)
EOF
    umoci repack --image "$L:latest" --history.created "$CREATED" \
        --history.created_by "strata: npm install in /srv/webapp, pip install --target, /app/app.jar" "$B"
    rm -rf "$B"
    finish_image apps
    local log4j
    log4j=$(unzip -p "$OUT/apps.rootfs/usr/share/java/log4j-core.jar" 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties' 2>/dev/null | sed -n 's/^version=//p' | tr -d '\r' || true)
    jq -n --argjson layers "$(layer_json "$L")" --arg log4j "$log4j" \
        --argjson npm "$(jq '[.packages | to_entries[] | select(.key != "") | {path: ("/srv/webapp/" + .key), name: (.key | sub(".*node_modules/"; "")), version: .value.version}]' "$OUT/apps.rootfs/srv/webapp/package-lock.json")" '
    {
      image: "apps",
      layers: $layers,
      debian: ["python3-requests", "liblog4j2-java", "nodejs"],
      npm: {lockfile: "/srv/webapp/package-lock.json", packages: $npm},
      python: [
        {name: "requests", version: "2.19.1", path: "/usr/local/lib/python3.11/dist-packages/requests-2.19.1.dist-info"},
        {name: "urllib3", version: "1.24.1", path: "/usr/local/lib/python3.11/dist-packages/urllib3-1.24.1.dist-info"},
        {name: "Jinja2", version: "2.11.2", path: "/usr/local/lib/python3.11/dist-packages/Jinja2-2.11.2.dist-info"}
      ],
      java: [
        {path: "/app/app.jar", nested: "BOOT-INF/lib/log4j-core-2.14.1.jar", group: "org.apache.logging.log4j", artifact: "log4j-core", version: "2.14.1", synthetic: true},
        {path: "/usr/share/java/log4j-core.jar", group: "org.apache.logging.log4j", artifact: "log4j-core", version: $log4j, synthetic: false}
      ]
    }' >"$OUT/apps.expected.json"
}

# ---------------------------------------------------------------- big
build_big() {
    log "image big"
    local tarball
    tarball=$(debootstrap big-amd64 --variant=standard --architectures=amd64 \
        --include=python3,perl,openssl,curl,git)
    rm -rf "$OUT/big.oci"
    new_image "$OUT/big.oci" amd64 "$tarball" "mmdebstrap --variant=standard $SUITE"
    finish_image big
}

START=$(date +%s)
export DEBS_OUT=$OUT/cache/debs
mkdir -p "$DEBS_OUT"
log "building: ${TODO[*]}"
for i in "${IMAGES[@]}"; do
    todo "$i" || continue
    rm -f "$OUT/.stamp-$i"
    "build_$i"
    echo "$HASH" >"$OUT/.stamp-$i"
done
log "done in $(($(date +%s) - START)) s: $OUT"
du -sh "$OUT"/*.oci "$OUT"/*.tar >&2 2>/dev/null || true
