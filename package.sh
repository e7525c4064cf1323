#!/usr/bin/env bash
# Builds the Splunk app package dist/SA-Eventgen-<version>.tgz (also a valid
# .spl): cross-compiles the modular input and the CLI for Linux, macOS and
# Windows (x86_64), assembles build/SA-Eventgen from app/ and samples/, and
# writes a reproducible gzip tar: the same commit gives the same bytes.
#
# Needs Go (go.mod's version), GNU tar (tar or gtar) and gzip. Run from
# anywhere: bash package.sh. Check the result with
# go run ./src/cmd/checkapp dist/SA-Eventgen-<version>.tgz.
#
# Environment (all optional):
#   TAGS               Go build tags. Empty (the default) builds the standard
#                      package and then the Splunk Cloud variant
#                      (TAGS=cloud: every network output compiled out, so
#                      events only leave through splunkd's own stream or
#                      local files), dist/SA-Eventgen-<version>-cloud.tgz.
#                      Set TAGS to build one variant only.
#   EVENTGEN_CMDS      the programs to build, as name=package-dir pairs;
#                      default "modinput_eventgen=src/cmd/modinput_eventgen
#                      eventgen=src/cmd/eventgen". For tests of this script.
#   BUILD_DIR, DIST_DIR  where to assemble and where to write (build, dist).
#   EVENTGEN_IMAGE     0: do not build the container image
#                      (dist/eventgen-<version>.oci.tar, scripts/image.sh).
#   SOURCE_DATE_EPOCH  mtime of every archive entry; default: the time of the
#                      last commit (0 outside git).
set -euo pipefail
umask 022
export LC_ALL=C

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)

APP=SA-Eventgen
[[ -n ${TAGS:-} ]] && TAGS_GIVEN=1
TAGS=${TAGS:-}
EVENTGEN_CMDS=${EVENTGEN_CMDS:-"modinput_eventgen=src/cmd/modinput_eventgen eventgen=src/cmd/eventgen"}
BUILD_DIR=${BUILD_DIR:-build}
DIST_DIR=${DIST_DIR:-dist}
[[ $BUILD_DIR == /* ]] || BUILD_DIR=$ROOT/$BUILD_DIR
[[ $DIST_DIR == /* ]] || DIST_DIR=$ROOT/$DIST_DIR
# GOOS/GOARCH and the app folder splunkd looks in for each (x86_64 only:
# splunkd resolves no arm64 folder).
PLATFORMS="linux/amd64=linux_x86_64 darwin/amd64=darwin_x86_64 windows/amd64=windows_x86_64"

die() {
  echo "package.sh: $*" >&2
  exit 1
}

command -v go >/dev/null 2>&1 || die "go not found on PATH; install Go (see go.mod for the version)"
TAR=
for t in gtar tar; do
  if command -v "$t" >/dev/null 2>&1 && "$t" --version 2>/dev/null | grep -q 'GNU tar'; then
    TAR=$t
    break
  fi
done
[[ -n $TAR ]] || die "GNU tar not found (tar or gtar); it is needed for a reproducible archive"
command -v gzip >/dev/null 2>&1 || die "gzip not found on PATH"

# conf_value FILE STANZA KEY: the value of KEY in [STANZA], read with the
# project's conf reader (src/internal/conf, Splunk's rules).
conf_value() { go run ./src/cmd/checkapp conf-value "$@" 2>/dev/null || true; }

APP_CONF=app/default/app.conf
[[ -f $APP_CONF ]] || die "$APP_CONF is missing"
VERSION=$(conf_value "$APP_CONF" launcher version)
ID_VERSION=$(conf_value "$APP_CONF" id version)
[[ -n $VERSION ]] || die "$APP_CONF has no [launcher] version"
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "$APP_CONF: [launcher] version $VERSION is not MAJOR.MINOR.PATCH"
[[ $ID_VERSION == "$VERSION" ]] || die "$APP_CONF: [id] version ($ID_VERSION) differs from [launcher] version ($VERSION); make them equal"
PACKAGE_ID=$(conf_value "$APP_CONF" package id)
[[ $PACKAGE_ID == "$APP" ]] || die "$APP_CONF: [package] id is '$PACKAGE_ID', want $APP"

COMMIT=
BUILDVCS=-buildvcs=false
if command -v git >/dev/null 2>&1 && git rev-parse --git-dir >/dev/null 2>&1; then
  COMMIT=$(git rev-parse --short HEAD 2>/dev/null || true)
  BUILDVCS=-buildvcs=auto
fi
if [[ -z ${SOURCE_DATE_EPOCH:-} ]]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || true)
  SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
fi
[[ $SOURCE_DATE_EPOCH =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH is not a number of seconds"
export SOURCE_DATE_EPOCH

# What the binaries report as their version: semver build metadata names
# the commit.
BIN_VERSION=$VERSION${COMMIT:++$COMMIT}

NAME=$APP-$VERSION
if [[ -n $TAGS ]]; then
  NAME=$NAME-${TAGS//[ ,]/-}
fi
STAGE=$BUILD_DIR/$APP
OUT=$DIST_DIR/$NAME.tgz

echo "package.sh: $APP $VERSION (commit ${COMMIT:-unknown}, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH${TAGS:+, tags $TAGS})"

rm -rf "$STAGE"
mkdir -p "$STAGE" "$DIST_DIR"

# Programs first: a program that does not build stops the packaging.
for platform in $PLATFORMS; do
  goosarch=${platform%%=*}
  folder=${platform#*=}
  goos=${goosarch%/*}
  goarch=${goosarch#*/}
  ext=
  [[ $goos == windows ]] && ext=.exe
  mkdir -p "$STAGE/$folder/bin"
  for cmd in $EVENTGEN_CMDS; do
    name=${cmd%%=*}
    dir=${cmd#*=}
    [[ $name != "$cmd" && -n $name && -n $dir ]] || die "EVENTGEN_CMDS entry '$cmd' is not name=package-dir"
    [[ -d $dir ]] || die "$dir does not exist, so $name cannot be built; the package needs it (see EVENTGEN_CMDS)"
    out=$STAGE/$folder/bin/$name$ext
    echo "  go build $dir -> ${out#"$ROOT"/} ($goos/$goarch)"
    if ! (cd "$dir" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch GOAMD64=v1 \
      go build "$BUILDVCS" -trimpath ${TAGS:+-tags "$TAGS"} \
      -ldflags "-s -w -buildid= -X main.version=$BIN_VERSION" -o "$out" .); then
      die "building $name ($dir) for $goos/$goarch failed; see the errors above"
    fi
  done
done

# The editor page's validator: eventgen validate's checks compiled to
# WebAssembly, with the Go runtime glue (wasm_exec.js) of the same Go. Built
# output, not in the source tree (see .gitignore).
WASM_DIR=$BUILD_DIR/wasm
mkdir -p "$WASM_DIR"
echo "  go build src/cmd/validate-wasm -> appserver/static/validate.wasm (js/wasm)"
if ! (cd src/cmd/validate-wasm && CGO_ENABLED=0 GOOS=js GOARCH=wasm \
  go build "$BUILDVCS" -trimpath -ldflags "-s -w -buildid=" -o "$WASM_DIR/validate.wasm" .); then
  die "building validate.wasm (src/cmd/validate-wasm, GOOS=js GOARCH=wasm) failed; see the errors above"
fi
GOROOT_DIR=$(go env GOROOT)
WASM_EXEC=
for f in "$GOROOT_DIR/lib/wasm/wasm_exec.js" "$GOROOT_DIR/misc/wasm/wasm_exec.js"; do
  [[ -f $f ]] && WASM_EXEC=$f && break
done
[[ -n $WASM_EXEC ]] || die "wasm_exec.js not found in $GOROOT_DIR/lib/wasm or misc/wasm; the editor page needs it"
cp "$WASM_EXEC" "$WASM_DIR/wasm_exec.js"

# copy_tree SRC DST [EXCLUDED...]: copies the files of SRC into DST, except
# dotfiles and dot-directories, editor backups, and the paths given
# (relative to SRC, with everything under them).
copy_tree() {
  local src=$1 dst=$2 rel x skip
  shift 2
  while IFS= read -r -d '' rel; do
    rel=${rel#./}
    skip=
    for x in "$@"; do
      if [[ $rel == "$x" || $rel == "$x"/* ]]; then
        skip=1
      fi
    done
    [[ -z $skip ]] || continue
    if [[ -d $src/$rel ]]; then
      mkdir -p "$dst/$rel"
    else
      mkdir -p "$dst/$(dirname "$rel")"
      cp "$src/$rel" "$dst/$rel"
    fi
  done < <(cd "$src" && find . -mindepth 1 \( -name '.*' -o -name '*~' -o -name '*.swp' \) -prune -o -print0)
}

# The app: everything in app/ but a developer's local settings.
copy_tree app "$STAGE" local metadata/local.meta appserver/static/validate.wasm appserver/static/wasm_exec.js
cp "$WASM_DIR/validate.wasm" "$WASM_DIR/wasm_exec.js" "$STAGE/appserver/static/"
# The demo samples. samples/eventgen.conf is the CLI's demo configuration;
# the app carries the same stanzas, disabled, in default/eventgen.conf.
mkdir -p "$STAGE/samples"
copy_tree samples "$STAGE/samples" eventgen.conf

# Modes AppInspect expects: 0755 for directories and for programs (only in
# folders named bin), 0644 for everything else.
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE" -type f -exec chmod 0644 {} +
find "$STAGE" -type f -path '*/bin/*' -exec chmod 0755 {} +

tmp=$OUT.tmp.$$
trap 'rm -f "$tmp"' EXIT
"$TAR" --create --file=- --directory="$BUILD_DIR" \
  --format=ustar --sort=name \
  --owner=0 --group=0 --numeric-owner \
  --mtime="@$SOURCE_DATE_EPOCH" \
  "$APP" | gzip -9 -n >"$tmp"
mv "$tmp" "$OUT"
trap - EXIT

if command -v sha256sum >/dev/null 2>&1; then
  sum=$(sha256sum "$OUT" | cut -d' ' -f1)
else
  sum=$(shasum -a 256 "$OUT" | cut -d' ' -f1)
fi
size=$(wc -c <"$OUT" | tr -d ' ')
echo "${OUT#"$ROOT"/}"
echo "sha256 $sum  $size bytes"

# The container image (scripts/image.sh): the standard variant's Linux
# eventgen binary, the samples and nothing else, as an OCI image archive
# dist/eventgen-<version>.oci.tar. EVENTGEN_IMAGE=0 leaves it out.
if [[ -z $TAGS && ${EVENTGEN_IMAGE:-1} != 0 ]] && [[ $EVENTGEN_CMDS == *eventgen=* ]]; then
  EVENTGEN_BINARY=$STAGE/linux_x86_64/bin/eventgen DIST_DIR=$DIST_DIR bash "$ROOT/scripts/image.sh" ||
    die "building the container image (scripts/image.sh) failed; see the errors above"
fi

# The Splunk Cloud variant, unless a variant was asked for by name.
if [[ -z ${TAGS_GIVEN:-} && -z $TAGS ]]; then
  TAGS_GIVEN=1 TAGS=cloud bash "$ROOT/package.sh"
fi
