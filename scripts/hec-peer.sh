#!/usr/bin/env bash
# hec-peer.sh — builds the local Splunk HEC test peer (the OpenTelemetry
# Collector splunk_hec receiver wired to the file exporter, module
# src/testpeers/hecpeer, pinned to v0.145.0) and prints the binary's path.
#
# The binary is cached in
#   ${EVENTGEN_PEER_CACHE:-$HOME/.cache/eventgen-go}/hecpeer-v0.145.0/hecpeer
# and only built when it is not there yet. The first build downloads about
# 120 MB of modules from the Go module proxy and takes about 4 minutes on
# two cores; that is expected. Progress goes to stderr, the path to stdout,
# so tests and CI can do: EVENTGEN_HEC_PEER=$(bash scripts/hec-peer.sh)
#
# The peer module is separate from the eventgen-go module (its own go.mod),
# so none of the collector's dependencies enter eventgen-go.
set -euo pipefail

version=v0.145.0
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src="$here/../src/testpeers/hecpeer"
cache="${EVENTGEN_PEER_CACHE:-$HOME/.cache/eventgen-go}/hecpeer-$version"
bin="$cache/hecpeer"

if [[ -x "$bin" ]]; then
	echo "$bin"
	exit 0
fi

mkdir -p "$cache"
echo "hec-peer.sh: building the HEC peer (OpenTelemetry Collector $version) into $bin; the first build takes a few minutes" >&2
tmp="$bin.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(
	cd "$src"
	GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 go build -trimpath -o "$tmp" .
)
mv -f "$tmp" "$bin"
trap - EXIT
echo "$bin"
