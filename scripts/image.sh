#!/usr/bin/env bash
# Builds eventgen's container image without Docker: an OCI image archive
# dist/eventgen-<version>.oci.tar, assembled by scripts/imagetool (a
# nested Go module on github.com/google/go-containerregistry, so the app's
# own build does not depend on it). The image holds the static Linux
# eventgen binary, the bundled samples and a non-root user; no shell. Its
# entrypoint is `eventgen serve --listen 0.0.0.0:8090`.
#
#   bash scripts/image.sh                 # builds the binary, then the image
#   EVENTGEN_BINARY=path bash scripts/image.sh   # uses a binary already built (package.sh)
#
# Load it where a container runtime is:
#   podman load -i dist/eventgen-<version>.oci.tar      (or docker load, Docker 25+)
#   skopeo copy oci-archive:dist/eventgen-<version>.oci.tar docker://REGISTRY/eventgen:<version>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
DIST_DIR=${DIST_DIR:-dist}
[[ $DIST_DIR == /* ]] || DIST_DIR=$ROOT/$DIST_DIR
mkdir -p "$DIST_DIR"

VERSION=$(go run ./src/cmd/checkapp conf-value app/default/app.conf launcher version 2>/dev/null || true)
[[ -n $VERSION ]] || { echo "image.sh: no [launcher] version in app/default/app.conf" >&2; exit 1; }
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || true)
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 0)
fi
export SOURCE_DATE_EPOCH

BIN=${EVENTGEN_BINARY:-}
if [[ -z $BIN ]]; then
  BIN=$ROOT/build/image/eventgen
  mkdir -p "$(dirname "$BIN")"
  echo "  go build src/cmd/eventgen -> ${BIN#"$ROOT"/} (linux/amd64, static)"
  (cd src/cmd/eventgen && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOAMD64=v1 \
    go build -trimpath -ldflags "-s -w -buildid= -X main.version=$VERSION${COMMIT:++$COMMIT}" -o "$BIN" .)
fi
OUT=$DIST_DIR/eventgen-$VERSION.oci.tar
(cd scripts/imagetool && go run . -binary "$BIN" -samples "$ROOT/samples" -version "$VERSION" -revision "$COMMIT" -out "$OUT")
echo "${OUT#"$ROOT"/}"
