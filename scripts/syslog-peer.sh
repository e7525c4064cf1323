#!/usr/bin/env bash
# A private rsyslog on loopback, as a real peer for the syslogout tests
# (splunk-platform.md §6.2). It never touches the system's rsyslog: its own
# config, work directory and pid file in DIR, no /dev/log (imuxsock) and no
# kernel log (imklog) module, unprivileged port, foreground process.
#
# Usage:
#   scripts/syslog-peer.sh install      install rsyslog (Debian) if rsyslogd is missing
#   scripts/syslog-peer.sh start DIR PORT
#       (installs if needed) writes DIR/rsyslog.conf — imtcp and imudp on
#       127.0.0.1:PORT, every message written to DIR/received.log as
#       fromhost-ip|facility.severity|timereported (RFC 3339)|hostname|
#       app-name|procid|msgid|msg|RAW=rawmsg — validates it (rsyslogd -N1),
#       starts rsyslogd in the background and waits until PORT listens.
#   scripts/syslog-peer.sh stop DIR      stops the rsyslogd started in DIR
#
# Exit status: 0 done, 1 failure, 2 rsyslog missing and cannot be installed.
set -euo pipefail
# shellcheck source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
export LC_ALL=C
PATH=$PATH:/usr/sbin:/sbin

die() { echo "syslog-peer: $*" >&2; exit 1; }

find_rsyslogd() { command -v rsyslogd 2>/dev/null || true; }

install_rsyslog() {
	[[ -n $(find_rsyslogd) ]] && return 0
	apt_prefix syslog-peer rsyslogd
	local sudo=("${SUDO[@]}")
	echo "syslog-peer: installing rsyslog (apt-get)" >&2
	# Do not let the package start the system daemon (containers without
	# systemd are not affected; this covers those with a SysV init).
	local policy=/usr/sbin/policy-rc.d created=
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
		"${sudo[@]}" chmod 755 "$policy"
		created=1
	fi
	local rc=0
	{ "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends rsyslog >&2; } || rc=$?
	[[ -n $created ]] && "${sudo[@]}" rm -f "$policy"
	if [[ $rc != 0 || -z $(find_rsyslogd) ]]; then
		echo "syslog-peer: apt-get could not install rsyslog (exit $rc)" >&2
		exit 2
	fi
}

# listening PORT: is something listening on 127.0.0.1:PORT (TCP)?
listening() {
	if command -v ss >/dev/null 2>&1; then
		ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
	else
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
	fi
}

start() {
	local dir=$1 port=$2
	if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
		die "bad port: $port"
	fi
	install_rsyslog
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	local pidfile=$dir/rsyslogd.pid
	if [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
		die "an rsyslogd started here is already running (pid $(cat "$pidfile")); stop it first"
	fi
	rm -f "$pidfile"
	cat >"$dir/rsyslog.conf" <<EOF
global(workDirectory="$dir")
module(load="imtcp")
module(load="imudp")
input(type="imtcp" address="127.0.0.1" port="$port" ruleset="peer")
input(type="imudp" address="127.0.0.1" port="$port" ruleset="peer")
template(name="peerfmt" type="string" string="%fromhost-ip%|%syslogfacility-text%.%syslogseverity-text%|%timereported:::date-rfc3339%|%hostname%|%app-name%|%procid%|%msgid%|%msg%|RAW=%rawmsg%\n")
ruleset(name="peer") { action(type="omfile" file="$dir/received.log" template="peerfmt") }
EOF
	local rsyslogd
	rsyslogd=$(find_rsyslogd)
	"$rsyslogd" -N1 -f "$dir/rsyslog.conf" >"$dir/validate.log" 2>&1 ||
		die "rsyslogd -N1 rejected $dir/rsyslog.conf: $(cat "$dir/validate.log")"
	# -n: foreground (we background it ourselves), -i: our pid file.
	nohup "$rsyslogd" -n -f "$dir/rsyslog.conf" -i "$pidfile" >"$dir/rsyslogd.out" 2>&1 &
	local pid=$!
	echo "$pid" >"$dir/rsyslogd.launcher.pid"
	for _ in $(seq 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			die "rsyslogd exited: $(cat "$dir/rsyslogd.out")"
		fi
		if listening "$port" && [[ -s $pidfile ]]; then
			echo "syslog-peer: rsyslogd (pid $(cat "$pidfile")) listening on 127.0.0.1:$port (TCP and UDP), writing $dir/received.log"
			return 0
		fi
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	die "rsyslogd did not listen on 127.0.0.1:$port within 10 s: $(cat "$dir/rsyslogd.out")"
}

stop() {
	local dir=$1 pid=
	if [[ -s $dir/rsyslogd.pid ]]; then
		pid=$(cat "$dir/rsyslogd.pid")
	elif [[ -s $dir/rsyslogd.launcher.pid ]]; then
		pid=$(cat "$dir/rsyslogd.launcher.pid")
	fi
	[[ -n $pid ]] || { echo "syslog-peer: nothing started in $dir" >&2; return 0; }
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || { rm -f "$dir/rsyslogd.pid" "$dir/rsyslogd.launcher.pid"; return 0; }
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/rsyslogd.pid" "$dir/rsyslogd.launcher.pid"
}

case ${1:-} in
install) install_rsyslog ;;
start)
	(($# == 3)) || die "usage: $0 start DIR PORT"
	start "$2" "$3"
	;;
stop)
	(($# == 2)) || die "usage: $0 stop DIR"
	stop "$2"
	;;
*)
	echo "usage: $0 install | start DIR PORT | stop DIR" >&2
	exit 1
	;;
esac
