#!/usr/bin/env bash
# check-app.sh PACKAGE.tgz ... — checks Splunk app packages against the
# AppInspect rules that apply to SA-Eventgen. The rules are Go code,
# src/internal/appcheck (see its doc.go for the list); this builds and runs
# src/cmd/checkapp, which prints "PASS <rule>" or "FAIL <rule>: <detail>"
# lines and exits 0 if every package passed, 1 if one failed, 2 on a usage
# error. Paths are relative to the current folder, as before.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$(mktemp -d "${TMPDIR:-/tmp}/checkapp.XXXXXX")
trap 'rm -rf "$BIN"' EXIT
(cd "$ROOT" && go build -o "$BIN/checkapp" ./src/cmd/checkapp)
rc=0
"$BIN/checkapp" "$@" || rc=$?
exit "$rc"
