#!/usr/bin/env bash
# Runs every test: formatting, vet, and the whole test suite with the race
# detector. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

unformatted=$(gofmt -l src)
if [ -n "$unformatted" ]; then
  echo "gofmt: these files need formatting:" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go test -race -count=1 -timeout 15m ./...
