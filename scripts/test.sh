#!/usr/bin/env bash
# Runs every test: formatting, vet, and the whole test suite with the race
# detector. This is the README's test command and what CI runs.
#
# Tests that need a real peer find it installed by the project's own
# scripts: rsyslog (scripts/syslog-peer.sh install, from Debian), Chromium
# for the editor page's browser test (scripts/browser.sh install, from
# Debian) and the OpenTelemetry HEC receiver (scripts/hec-peer.sh, built
# from the module proxy and cached). Where a peer cannot be installed, its tests skip and
# say why; set EVENTGEN_NO_PEERS=1 to skip installing them.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l src scripts/imagetool)
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
GOOS=windows go vet ./src/...
go vet -tags cloud ./src/...
# The browser tests are a nested module (chromedp stays out of the app's
# build graph): ./... above does not reach them.
browsertest=src/internal/splunktest/browsertest
(cd "$browsertest" && go vet ./...)
# The same for the scale tests (k8s.io/api, the Prometheus text parser)
# and the container image builder (go-containerregistry).
scaletest=src/internal/scaletest
imagetool=scripts/imagetool
(cd "$scaletest" && go vet ./...)
(cd "$imagetool" && go vet ./...)

if [ -z "${EVENTGEN_NO_PEERS:-}" ]; then
  bash scripts/syslog-peer.sh install || echo "test.sh: rsyslog not installed; its tests will skip" >&2
  # Headless Chromium for the eventgen.conf editor's browser tests
  # (src/internal/splunktest/browsertest), from Debian's chromium package.
  if bash scripts/browser.sh install && chromium=$(bash scripts/browser.sh path); then
    export EVENTGEN_CHROMIUM="$chromium"
  else
    echo "test.sh: chromium not installed; the editor's browser test will skip" >&2
  fi
  if [ -f scripts/hec-peer.sh ]; then
    if peer=$(bash scripts/hec-peer.sh); then
      export EVENTGEN_HEC_PEER="$peer"
    else
      echo "test.sh: the HEC peer could not be built; its tests will skip" >&2
    fi
  fi
fi
go test -race -count=1 -timeout 20m ./...
(cd "$browsertest" && go test -race -count=1 -timeout 10m ./...)
(cd "$scaletest" && go test -race -count=1 -timeout 10m ./...)
(cd "$imagetool" && go test -race -count=1 -timeout 10m ./...)
