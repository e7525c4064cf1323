#!/usr/bin/env bash
# Headless Chromium (Debian's package) for the browser test of the
# eventgen.conf editor page (src/internal/splunktest/browsertest, a nested
# Go module).
#
# Usage:
#   scripts/browser.sh install   install chromium (apt-get) if /usr/bin/chromium is missing
#   scripts/browser.sh path      print the browser's path (exit 2 if none)
#
# The test finds the browser through EVENTGEN_CHROMIUM (set by
# scripts/test.sh from "path"), else /usr/bin/chromium; without one it skips
# and says why.
#
# Exit status: 0 done, 1 failure, 2 chromium missing and cannot be installed.
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
export LC_ALL=C

find_browser() {
	local b
	for b in "${EVENTGEN_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
		if [[ -n $b && -x $b ]]; then
			echo "$b"
			return 0
		fi
	done
	return 1
}

install_browser() {
	find_browser >/dev/null && return 0
	apt_prefix browser chromium
	local sudo=("${SUDO[@]}")
	echo "browser: installing chromium (apt-get)" >&2
	local rc=0
	{ "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-dejavu-core >&2; } || rc=$?
	if [[ $rc != 0 ]] || ! find_browser >/dev/null; then
		echo "browser: apt-get could not install chromium (exit $rc)" >&2
		exit 2
	fi
}

case ${1:-} in
install) install_browser ;;
path)
	find_browser || {
		echo "browser: no chromium found (run scripts/browser.sh install)" >&2
		exit 2
	}
	;;
*)
	echo "usage: $0 install | path" >&2
	exit 1
	;;
esac
