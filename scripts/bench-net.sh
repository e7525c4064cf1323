# shellcheck shell=bash
# The delivery benchmark, sourced by scripts/bench.sh (its variables and
# helpers: $tmp, $EG, $S, nap, verdict, ge, die). docs/performance.md,
# "Delivery", says what each row is.
#
# Scenario 2's stanza (BENCH_NET_EVENTS events) through each network
# output into src/bench/netsink on 127.0.0.1, against a ceiling: the same
# events, pre-rendered (a capture of what our output sent), posted or
# written by src/bench/netpost on as many connections as the output uses.
# Every item runs once per round, output then ceiling, so drift hits both.

NET=${BENCH_NET:-1}
NET_RUNS=${BENCH_NET_RUNS:-3}
# The TCP rows' runs are short (~40 ms for 500,000 events), so a core
# taken for a few ms by another job moves one by 20% or more: each round
# runs them TCP_REPS times (output, ceiling, output, ceiling ...).
TCP_REPS=${BENCH_NET_TCP_REPS:-3}
NET_EVENTS=${BENCH_NET_EVENTS:-500000}
TOKEN=00000000-0000-0000-0000-000000000000
# What the outputs use by default (src/internal/settings/schema.go,
# src/internal/delivery/http.go): the ceilings use the same.
HEC_DEF_PAYLOAD=${BENCH_HEC_DEF_PAYLOAD:-1000000}
HEC_DEF_CONNS=${BENCH_HEC_DEF_CONNS:-1}
HEC_TUNED_PAYLOAD=1048576
HEC_TUNED_CONNS=4
STREAM_PAYLOAD=1048576
SLOW_RATE=${BENCH_SLOW_RATE:-20000000} # bytes/s of the simulated slow link (gzip)

net_main() {
	[[ $NET_RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_NET_RUNS must be a positive whole number"
	[[ $TCP_REPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_NET_TCP_REPS must be a positive whole number"
	[[ $NET_EVENTS =~ ^[1-9][0-9]*00000$ ]] || die "BENCH_NET_EVENTS must be a multiple of 100000"
	local N=$tmp/net
	mkdir -p "$N/cap"
	"$tmp/bin/netsink" -addrs "$N/addrs" -capture "$N/cap" -token "$TOKEN" 2>"$N/sink.err" &
	local sinkpid=$! i
	for ((i = 0; i < 250; i++)); do
		[ -s "$N/addrs" ] && break
		nap 0.02
	done
	[ -s "$N/addrs" ] || die "netsink did not start: $(cat "$N/sink.err")"
	# A second HEC sink behind a slow link (request bodies read at
	# SLOW_RATE bytes/s), for gzip.
	"$tmp/bin/netsink" -addrs "$N/addrs.slow" -rate "$SLOW_RATE" -token "$TOKEN" 2>"$N/slow.err" &
	local slowpid=$!
	for ((i = 0; i < 250; i++)); do
		[ -s "$N/addrs.slow" ] && break
		nap 0.02
	done
	[ -s "$N/addrs.slow" ] || die "netsink (slow) did not start: $(cat "$N/slow.err")"
	local slowhec slowctl
	slowhec=$(awk '$1 == "hec" { print $2 }' "$N/addrs.slow")
	slowctl=$(awk '$1 == "ctl" { print $2 }' "$N/addrs.slow")
	local hec splunkd tcpa udpa ctl
	hec=$(awk '$1 == "hec" { print $2 }' "$N/addrs")
	splunkd=$(awk '$1 == "splunkd" { print $2 }' "$N/addrs")
	tcpa=$(awk '$1 == "tcp" { print $2 }' "$N/addrs")
	udpa=$(awk '$1 == "udp" { print $2 }' "$N/addrs")
	ctl=$(awk '$1 == "ctl" { print $2 }' "$N/addrs")

	# The peer: the OpenTelemetry Collector's splunk_hec receiver into its
	# debug exporter (no file to write), on a port of its own.
	local peer=${EVENTGEN_HEC_PEER:-${EVENTGEN_PEER_CACHE:-$HOME/.cache/eventgen-go}/hecpeer-v0.145.0/hecpeer} peerpid= peera=
	if [ -x "$peer" ]; then
		local port
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18088)
		peera=127.0.0.1:$port
		cat >"$N/peer.yaml" <<EOF
extensions:
  bearertokenauth/hec:
    scheme: "Splunk"
    token: "$TOKEN"
receivers:
  splunk_hec:
    endpoint: $peera
    auth:
      authenticator: bearertokenauth/hec
exporters:
  debug:
    verbosity: basic
service:
  extensions: [bearertokenauth/hec]
  telemetry:
    metrics:
      level: none
  pipelines:
    logs:
      receivers: [splunk_hec]
      exporters: [debug]
EOF
		"$peer" --config="file:$N/peer.yaml" >"$N/peer.log" 2>&1 &
		peerpid=$!
		for ((i = 0; i < 1500; i++)); do
			grep -q "Everything is ready" "$N/peer.log" 2>/dev/null && break
			kill -0 "$peerpid" 2>/dev/null || break
			nap 0.04
		done
		grep -q "Everything is ready" "$N/peer.log" || {
			echo "delivery: the HEC peer did not start; its row is skipped ($(tail -2 "$N/peer.log"))"
			kill "$peerpid" 2>/dev/null
			peerpid=
		}
	else
		echo "delivery: no HEC peer at $peer (bash scripts/hec-peer.sh builds it); its row is skipped"
	fi

	# One app per item: scenario 2's stanza, NET_EVENTS events, the output.
	local ends=$((NET_EVENTS / 100000))
	mkapp() { # NAME OUTPUT-SETTINGS...
		local d=$N/apps/$1
		shift
		mkdir -p "$d/default"
		cp -R "$S/2-webaccess/samples" "$d/samples"
		sed -E "s/^end = .*/end = $ends/" "$S/2-webaccess/default/eventgen.conf" >"$d/default/eventgen.conf"
		printf '%s\n' "$@" >>"$d/default/eventgen.conf"
	}
	local srv="httpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"${hec%:*}\",\"port\":\"${hec##*:}\",\"key\":\"$TOKEN\"}]}"
	mkapp hecdef "outputMode = httpevent" "$srv"
	mkapp hectuned "outputMode = httpevent" "$srv" "httpeventMaxPayloadSize = $HEC_TUNED_PAYLOAD" "httpeventWaitResponse = false"
	mkapp hecgz "outputMode = httpevent" "$srv" "httpeventGzip = true"
	local slowsrv="httpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"${slowhec%:*}\",\"port\":\"${slowhec##*:}\",\"key\":\"$TOKEN\"}]}"
	mkapp slow "outputMode = httpevent" "$slowsrv"
	mkapp slowgz "outputMode = httpevent" "$slowsrv" "httpeventGzip = true"
	mkapp stream "outputMode = splunkstream" "splunkHost = ${splunkd%:*}" "splunkPort = ${splunkd##*:}" "splunkMethod = http" "sessionKey = bench-session-key"
	mkapp tcp "outputMode = tcpout" "tcpDestinationHost = ${tcpa%:*}" "tcpDestinationPort = ${tcpa##*:}"
	mkapp syslog "outputMode = syslogout" "syslogProtocol = tcp" "syslogDestinationHost = ${tcpa%:*}" "syslogDestinationPort = ${tcpa##*:}"
	mkapp floor "outputMode = devnull"
	mkapp udp "outputMode = udpout" "udpDestinationHost = ${udpa%:*}" "udpDestinationPort = ${udpa##*:}"
	if [ -n "$peerpid" ]; then
		mkapp peer "outputMode = httpevent" "httpeventServers = {\"servers\":[{\"protocol\":\"http\",\"address\":\"${peera%:*}\",\"port\":\"${peera##*:}\",\"key\":\"$TOKEN\"}]}"
	fi
	# metric_httpevent: scenario 2's values as the fields of a metric event.
	local m=$N/apps/metric
	mkdir -p "$m/default" "$m/samples"
	cp "$S/2-webaccess/samples/requests.txt" "$m/samples/"
	echo '{"metric_name:web.bytes":1362,"metric_name:web.status":200,"clientip":"10.1.1.1","request":"GET /cart.do?action=view","time":"04/Mar/2024:13:40:02"}' >"$m/samples/web.metrics"
	cat >"$m/default/eventgen.conf" <<EOF
[web.metrics]
count = 100000
interval = 1
end = $ends
earliest = -1s
latest = now
outputMode = metric_httpevent
$srv
token.0.token = "time":"([^"]+)"
token.0.replacementType = timestamp
token.0.replacement = %d/%b/%Y:%H:%M:%S
token.1.token = "clientip":"([^"]+)"
token.1.replacementType = random
token.1.replacement = ipv4
token.2.token = "request":"([^"]+)"
token.2.replacementType = file
token.2.replacement = requests.txt
token.3.token = "metric_name:web.status":(\\d+)
token.3.replacementType = random
token.3.replacement = integer[200:599]
token.4.token = "metric_name:web.bytes":(\\d+)
token.4.replacementType = random
token.4.replacement = integer[100:100000]
EOF

	# count NAME: events received so far by one of netsink's sinks.
	count() { # NAME: events received so far by one of netsink's sinks (slow: the slow HEC sink)
		if [ "$1" = slow ]; then
			curl -s "http://$slowctl/count" | awk '$1 == "hec" { print $2 }'
		else
			curl -s "http://$ctl/count" | awk -v n="$1" '$1 == n { print $2 }'
		fi
	}
	NETRES=$N/results
	: >"$NETRES"
	# CPU accounting, for the bound of the TCP rows: children_us sets
	# CHILD_US to the CPU time (user + system, microseconds, ms steps) of
	# this shell's finished children, with the builtin times (no fork: a
	# forked subshell would count nothing). sink_us prints netsink's own.
	children_us() {
		local l u s
		times >"$N/times"
		{ read -r l; read -r u s; } <"$N/times"
		CHILD_US=0
		for l in "$u" "$s"; do
			[[ $l =~ ^([0-9]+)m([0-9]+)[.,]([0-9]{3})s$ ]] || die "cannot read the shell's times: '$l'"
			CHILD_US=$((CHILD_US + ((BASH_REMATCH[1] * 60 + BASH_REMATCH[2]) * 1000 + 10#${BASH_REMATCH[3]}) * 1000))
		done
	}
	sink_us() { curl -s "http://$ctl/count" | awk '$1 == "cpu" { print $2 + $3; f = 1 } END { if (!f) print 0 }'; }
	# nrun ID SINK CMD...: runs CMD, waits until SINK's count stops
	# growing, appends "id wall_ns received cmd_cpu_us sink_cpu_us".
	nrun() {
		local id=$1 sink=$2 before after t0 t1 prev rc=0 c0 c1 s0 s1
		shift 2
		# The peer answers after its pipeline took the events; its debug
		# exporter's log is sampled, so what the sender counts is used.
		# "none" (devnull) has no receiver: the events claimed count.
		case $sink in peer | none) before=0 ;; *) before=$(count "$sink") ;; esac
		s0=$(sink_us)
		t0=$(date +%s%N)
		children_us
		c0=$CHILD_US
		"$@" >"$N/run.out" 2>"$N/run.err" || rc=$?
		children_us
		c1=$CHILD_US
		t1=$(date +%s%N)
		if [ "$rc" -ne 0 ]; then
			echo >&2
			echo "bench: delivery $id exited $rc:" >&2
			tail -5 "$N/run.err" >&2
			exit 1
		fi
		# what is still in the receiver's socket buffers or, for the peer,
		# in its exporter, arrives within a few hundred ms
		prev=-1
		for ((i = 0; i < 100; i++)); do
			case $sink in peer | none) after=$NET_EVENTS ;; *) after=$(count "$sink") ;; esac
			[ "$after" = "$prev" ] && [ "$i" -ge 3 ] && break
			prev=$after
			nap 0.1
		done
		s1=$(sink_us)
		echo "$id $((t1 - t0)) $((after - before)) $((c1 - c0)) $((s1 - s0))" >>"$NETRES"
	}
	capture() { curl -s "http://$ctl/capture?name=$1" >/dev/null; }
	# cpubound ID: the CPU bound of a TCP row in this round, as two result
	# lines: "cpu-ID" (the output's run) and its ceiling "c-cpu-ID", the
	# wall time the round's CPU allows: generating (the devnull run's
	# CPU), writing the bytes (netpost's) and reading them (netsink's
	# during netpost's run) on NCPU cores, or the copy loop's own wall time
	# when that is longer. On a machine with few cores the output cannot
	# beat it: all three share the cores, where the copy loop spends no
	# CPU on generation.
	cpubound() {
		awk -v id="$1" -v ncpu="$NCPU" -v ev="$NET_EVENTS" '
			$1 == "floor" { g = $4 } $1 == "c-" id { cw = $2; cc = $4 + $5 } $1 == id { w = $2; n = $3 }
			END {
				if (g == "" || cw == "" || w == "") exit
				b = (g + cc) * 1000 / ncpu
				if (b < cw) b = cw
				printf "cpu-%s %d %d\nc-cpu-%s %.0f %d\n", id, w, n, id, b, ev
			}' "$NETRES" >>"$NETRES"
	}
	NCPU=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
	EGN=("$EG" generate --now "$NOW" --seed "$SEED" --stats)
	local hecurl=http://$hec/services/collector/event
	NETITEMS=(hecdef hectuned hecgz metric tcp stream syslog udp slow)
	[ -n "$peerpid" ] && NETITEMS+=(peer)
	local started r it
	started=$(date +%s)
	# The ceilings' input: what each output sends, captured by netsink in
	# a run of its own that is not measured (writing the capture slows
	# the receiver).
	printf 'delivery capture:'
	for it in hecdef metric tcp syslog; do
		printf ' %s' "$it"
		capture "$it"
		case $it in
		hecdef | metric) nrun "capture-$it" hec "${EGN[@]}" "$N/apps/$it" ;;
		*) nrun "capture-$it" tcp "${EGN[@]}" "$N/apps/$it" ;;
		esac
	done
	echo
	for ((r = 1; r <= NET_RUNS; r++)); do
		printf 'delivery round %d/%d:' "$r" "$NET_RUNS"
		for it in "${NETITEMS[@]}"; do
			printf ' %s' "$it"
			case $it in
			hecdef)
				nrun hecdef hec "${EGN[@]}" "$N/apps/hecdef"
				nrun c-hecdef hec "$tmp/bin/netpost" -url "$hecurl" -in "$N/cap/hecdef" -events "$NET_EVENTS" -payload "$HEC_DEF_PAYLOAD" -conns "$HEC_DEF_CONNS"
				;;
			hectuned)
				nrun hectuned hec "${EGN[@]}" "$N/apps/hectuned"
				nrun c-hectuned hec "$tmp/bin/netpost" -url "$hecurl" -in "$N/cap/hecdef" -events "$NET_EVENTS" -payload "$HEC_TUNED_PAYLOAD" -conns "$HEC_TUNED_CONNS"
				;;
			hecgz)
				nrun hecgz hec "${EGN[@]}" "$N/apps/hecgz"
				nrun c-hecgz hec "$tmp/bin/netpost" -url "$hecurl" -in "$N/cap/hecdef" -events "$NET_EVENTS" -payload "$HEC_DEF_PAYLOAD" -conns "$HEC_DEF_CONNS" -gzip
				;;
			metric)
				nrun metric hec "${EGN[@]}" "$N/apps/metric"
				nrun c-metric hec "$tmp/bin/netpost" -url "$hecurl" -in "$N/cap/metric" -events "$NET_EVENTS" -payload "$HEC_DEF_PAYLOAD" -conns "$HEC_DEF_CONNS"
				;;
			stream)
				nrun stream splunkd "${EGN[@]}" "$N/apps/stream"
				nrun c-stream splunkd "$tmp/bin/netpost" -url "http://$splunkd/services/receivers/simple?index=main&source=bench&sourcetype=access_combined&host=bench" -token bench-session-key -in "$N/cap/tcp" -events "$NET_EVENTS" -payload "$STREAM_PAYLOAD" -conns 1
				;;
			tcp)
				for ((q = 0; q < TCP_REPS; q++)); do
					nrun tcp tcp "${EGN[@]}" "$N/apps/tcp"
					nrun c-tcp tcp "$tmp/bin/netpost" -tcp "$tcpa" -in "$N/cap/tcp" -events "$NET_EVENTS"
					# the same stanza with no delivery at all (devnull), against
					# the same ceiling: what generation alone allows
					nrun floor none "${EGN[@]}" "$N/apps/floor"
					tail -1 "$NETRES" | grep -q '^floor ' && grep '^c-tcp ' "$NETRES" | tail -1 | sed 's/^c-tcp /c-floor /' >>"$NETRES"
					cpubound tcp
				done
				;;
			syslog)
				for ((q = 0; q < TCP_REPS; q++)); do
					nrun syslog tcp "${EGN[@]}" "$N/apps/syslog"
					nrun c-syslog tcp "$tmp/bin/netpost" -tcp "$tcpa" -in "$N/cap/syslog" -events "$NET_EVENTS"
					cpubound syslog
				done
				;;
			udp) nrun udp udp "${EGN[@]}" "$N/apps/udp" ;;
			slow) # once: the link, not the machine, bounds it
				if [ "$r" = 1 ]; then
					nrun slow slow "${EGN[@]}" "$N/apps/slow"
					nrun slowgz slow "${EGN[@]}" "$N/apps/slowgz"
				fi
				;;
			peer)
				nrun peer peer "${EGN[@]}" "$N/apps/peer"
				nrun c-peer peer "$tmp/bin/netpost" -url "http://$peera/services/collector/event" -in "$N/cap/hecdef" -events "$NET_EVENTS" -payload "$HEC_DEF_PAYLOAD" -conns "$HEC_DEF_CONNS"
				;;
			esac
		done
		echo
	done
	echo "delivery runs took $(($(date +%s) - started)) s"
	kill "$sinkpid" "$slowpid" 2>/dev/null || true
	wait "$slowpid" 2>/dev/null || true
	[ -n "$peerpid" ] && kill "$peerpid" 2>/dev/null
	wait "$sinkpid" 2>/dev/null || true
	[ -n "$peerpid" ] && { wait "$peerpid" 2>/dev/null || true; }

	# Report: median events/s of each item and its ceiling, the ratio of
	# the medians, and the range of the per-round ratios.
	echo
	echo "delivery: scenario 2's stanza, $NET_EVENTS events per run, into src/bench/netsink on 127.0.0.1 (medians of $NET_RUNS rounds, of $((NET_RUNS * TCP_REPS)) runs for tcpout, syslogout and devnull; range of the per-run ratios)"
	local nfmt='%-34s %11s %11s %6s %-13s %-24s %s\n'
	# shellcheck disable=SC2059
	printf "$nfmt" output events/s ceiling ratio range target result
	printf '%s\n' "$(printf '%.0s-' {1..112})"
	netrow() { # ID LABEL TARGET(ratio or -)
		local id=$1 label=$2 tgt=$3 line eps ceps ratio range lost result=
		line=$(awk -v id="$id" -v ev="$NET_EVENTS" '
			function median(l,   a, n, i, j, t) { n = split(l, a, " "); for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }; return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
			$1 == id { k++; e[k] = $3 / ($2 / 1e9); es = es " " e[k]; if ($3 < ev) lost += ev - $3; rcv += $3 }
			$1 == "c-" id { c++; ce[c] = $3 / ($2 / 1e9); cs = cs " " ce[c] }
			END {
				if (!k) exit
				lo = 1e9; hi = 0
				for (i = 1; i <= k && i <= c; i++) { r = e[i] / ce[i]; if (r < lo) lo = r; if (r > hi) hi = r }
				printf "%.0f %s %s %s %d", median(es), (c ? sprintf("%.0f", median(cs)) : "-"), (c ? sprintf("%.2f", median(es) / median(cs)) : "-"), (c ? sprintf("%.2f-%.2f", lo, hi) : "-"), lost
			}' "$NETRES")
		[ -n "$line" ] || return 0
		read -r eps ceps ratio range lost <<<"$line"
		if [ "$tgt" != - ]; then
			verdict "$(ge "$ratio" "$tgt")"
			result=$RESULT
			tgt=">= ${tgt}x ceiling"
		fi
		if [ "$id" = udp ]; then
			tgt="loss counted"
			result="lost $lost of $((NET_EVENTS * NET_RUNS)) ($(awk -v l="$lost" -v t="$((NET_EVENTS * NET_RUNS))" 'BEGIN { printf "%.1f", l * 100 / t }')%)"
		elif [ "$lost" -gt 0 ]; then
			result="$result LOST $lost"
			verdict 0
		fi
		local c3
		c3=$(sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta' <<<"$ceps")
		# shellcheck disable=SC2059
		printf "$nfmt" "$label" "$(sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta' <<<"$eps")" "$c3" "$ratio" "$range" "$tgt" "$result"
	}
	netrow hecdef "httpevent, defaults" 0.7
	netrow hectuned "httpevent, 1 MiB, 4 in flight" -
	netrow hecgz "httpevent, defaults + gzip" -
	netrow metric "metric_httpevent, defaults" 0.7
	netrow stream "splunkstream (splunktest)" 0.5
	netrow tcp "tcpout" 0.7
	netrow syslog "syslogout, TCP" 0.7
	netrow floor "devnull: no delivery (tcp ceiling)" -
	netrow cpu-tcp "tcpout vs its CPU bound" -
	netrow cpu-syslog "syslogout vs its CPU bound" -
	netrow udp "udpout" -
	netrow slow "httpevent, defaults, slow link" -
	netrow slowgz "httpevent, + gzip, slow link" -
	netrow peer "httpevent, defaults -> OTel peer" -
	echo "  ceilings: netpost, the same events pre-rendered (captured from the output), same payload size and connections"
	echo "  devnull: the same stanza generated and dropped, against tcpout's ceiling: generation alone, the bound of tcpout/syslogout"
	echo "  CPU bound: the wall time the CPU of generating (devnull), writing (netpost) and receiving (netsink) allows on $NCPU cores, or the ceiling's when longer"
	awk -v ncpu="$NCPU" '
		function median(l,   a, n, i, j, t) { n = split(l, a, " "); for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }; return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
		$1 ~ /^(floor|tcp|c-tcp|syslog|c-syslog)$/ && NF >= 5 { c[$1] = c[$1] " " $4 / 1000; r[$1] = r[$1] " " $5 / 1000 }
		END {
			if (!("floor" in c)) exit
			printf "  CPU, ms per run (medians): generation alone (devnull) %.0f; tcpout %.0f + receiver %.0f; its ceiling %.0f + receiver %.0f", median(c["floor"]), median(c["tcp"]), median(r["tcp"]), median(c["c-tcp"]), median(r["c-tcp"])
			if ("syslog" in c) printf "; syslogout %.0f + receiver %.0f; its ceiling %.0f + receiver %.0f", median(c["syslog"]), median(r["syslog"]), median(c["c-syslog"]), median(r["c-syslog"])
			printf "\n"
		}' "$NETRES"
	echo "  slow link: request bodies read at $((SLOW_RATE / 1000000)) MB/s (one run); gzip: Go's BestSpeed, 9.4x on these envelopes"
	echo "  (HEC defaults: ${HEC_DEF_PAYLOAD}-byte bodies on $HEC_DEF_CONNS connection(s); tuned: $HEC_TUNED_PAYLOAD on $HEC_TUNED_CONNS; splunkstream: $STREAM_PAYLOAD on 1)"
}

if [ "$NET" = 0 ]; then
	echo "delivery: SKIPPED (BENCH_NET=0)"
else
	net_main
fi
