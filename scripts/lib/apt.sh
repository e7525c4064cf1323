# Shared by the scripts that install a test peer from Debian's packages
# (scripts/browser.sh, scripts/syslog-peer.sh). Source it; it defines:
#
#   apt_prefix NAME WHAT   sets the array SUDO to what runs a command as root
#                          (empty when root, "sudo -n" with password-less sudo)
#                          or exits 2 with a message saying what to do.
#                          NAME prefixes messages, WHAT is the missing program.

apt_prefix() {
	local name=$1 what=$2
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "$name: $what is not installed and apt-get is not available (not a Debian/Ubuntu system): install $what by hand" >&2
		exit 2
	fi
	SUDO=()
	if [[ $(id -u) != 0 ]]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			SUDO=(sudo -n)
		else
			echo "$name: $what is not installed and installing it needs root (run as root or with password-less sudo)" >&2
			exit 2
		fi
	fi
}
