#!/usr/bin/env bash
# The performance benchmark suite (docs/performance.md).
#
#   bash scripts/bench.sh
#
# Builds the CLI and the suite's Go helpers (src/bench/...) into a temp
# dir, then runs the six scenarios of bench/scenarios and the two
# references several times, each into /dev/null and into a pipe read by
# a byte counter, and prints medians: events/s, MB/s, heap allocations
# per event, peak RSS, the ratio to the reference, the target, PASS/FAIL.
#
#   (a) src/bench/refwrite  the write ceiling: scenario 1's bytes, pre-formatted,
#                           written line by line through one 64 KiB bufio.Writer
#   (b) src/bench/refgen    the generation floor: scenario 2's line shape from a
#                           hand-written loop with no configuration
#
# Ratios are what is tracked; absolute numbers drift between machines.
# It exits 0 whether targets hold or not (it reports them), non-zero only
# when something could not be built or run.
#
# Environment:
#   BENCH_RUNS=3        runs of each scenario and reference per sink (medians)
#   BENCH_DAY_RUNS=1    runs of scenario 6 (one simulated day, ~40 s each) per sink;
#                       0 skips it (quick runs; its target is then not checked)
#   BENCH_STEADY=0      1: also the steady-state check, each scenario run without
#                       end for 60 s, RSS sampled at 10 s and 60 s (about 6.5 minutes)
#   BENCH_STEADY_SECS=60  length of each steady-state run (sampled at 10 s and at the end)
#   BENCH_NO_GNU_TIME=1 measure peak RSS by polling /proc/PID/status (VmHWM) even
#                       when GNU time is installed
#   BENCH_ITEMS="refA s1 refB1 s2p1 refB s2 s3 s4 s5"  the items of each round, in
#                       order (a subset for quick comparisons; a scenario's ratio
#                       needs its reference: refA for s1, refB1 for s2p1, refB
#                       for the others)
#   BENCH_NET=1         0 skips the delivery benchmark (network outputs into
#                       src/bench/netsink, ceilings from src/bench/netpost)
#   BENCH_NET_RUNS=3    runs of each delivery item (medians, and the range)
#   BENCH_NET_TCP_REPS=3  runs of tcpout, syslogout and devnull per round (short runs)
#   BENCH_NET_EVENTS=500000  events per delivery run (a multiple of 100,000)
#   BENCH_SLOW_RATE=20000000 bytes/s of the simulated slow link (gzip rows)
#   EVENTGEN_HEC_PEER   the OpenTelemetry HEC receiver (scripts/hec-peer.sh);
#                       default: its cache; missing: that row is skipped
#   BENCH_KEEP=1        keep the temp dir (binaries, generated samples, raw results)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-3}
DAY_RUNS=${BENCH_DAY_RUNS:-1}
STEADY=${BENCH_STEADY:-0}
STEADY_SECS=${BENCH_STEADY_SECS:-60}
NOW=2024-03-04T00:00:00Z
SEED=1
unset GOMAXPROCS # "default" runs use every core

die() {
	echo "bench: $*" >&2
	exit 1
}
for v in RUNS STEADY_SECS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "BENCH_$v must be a positive whole number, not '${!v}'"
done
[[ $DAY_RUNS =~ ^[0-9]+$ ]] || die "BENCH_DAY_RUNS must be a whole number, not '$DAY_RUNS'"
[ "$STEADY_SECS" -gt 10 ] || die "BENCH_STEADY_SECS must be above 10"
ALL_ITEMS="refA s1 refB1 s2p1 refB s2 s3 s4 s5"
read -r -a ITEMS <<<"${BENCH_ITEMS:-$ALL_ITEMS}" # one round; s6 runs apart
for it in "${ITEMS[@]}"; do
	[[ " $ALL_ITEMS " == *" $it "* ]] || die "BENCH_ITEMS: unknown item '$it' (items: $ALL_ITEMS)"
done
[ "${#ITEMS[@]}" -gt 0 ] || die "BENCH_ITEMS is empty"
want_ref() { # ID REF: dies when ID is selected without REF
	[[ " ${ITEMS[*]} " != *" $1 "* || " ${ITEMS[*]} " == *" $2 "* ]] || die "BENCH_ITEMS: $1 needs $2 for its ratio"
}
want_ref s1 refA
want_ref s2p1 refB1
for it in s2 s3 s4 s5; do want_ref "$it" refB; done
[ "$DAY_RUNS" -eq 0 ] || [[ " ${ITEMS[*]} " == *" refB "* ]] || die "scenario 6 needs refB in BENCH_ITEMS (or BENCH_DAY_RUNS=0)"
command -v go >/dev/null || die "go is not on PATH"
[ -r /proc/self/status ] || die "needs Linux /proc to measure memory"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/eventgen-bench.XXXXXX")
cleanup() {
	local pid
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A read with a timeout on a fifo nobody writes to: a sleep without a fork.
mkfifo "$tmp/sleep.fifo"
exec {SLEEPFD}<>"$tmp/sleep.fifo"
nap() { read -r -t "$1" -u "$SLEEPFD" _ || true; }

# Peak RSS: GNU time's %M when present, else polling VmHWM.
GNU_TIME=
if [ "${BENCH_NO_GNU_TIME:-0}" != 1 ]; then
	for t in /usr/bin/time "$(command -v gtime || true)"; do
		if [ -n "$t" ] && [ -x "$t" ] && "$t" --version 2>&1 | grep -q GNU; then
			GNU_TIME=$t
			break
		fi
	done
fi

# ---------------------------------------------------------------- build
# As package.sh builds what the app ships (static, CGO_ENABLED=0,
# -trimpath), references and receivers alike: a cgo build is a dynamic
# executable whose start (the loader, ~2 ms) the short delivery runs would
# count, and users never run one.
echo "building into $tmp/bin ..."
mkdir -p "$tmp/bin"
gob() { CGO_ENABLED=0 go build -trimpath "$@"; }
gob -o "$tmp/bin/eventgen" ./src/cmd/eventgen || die "cannot build the CLI"
for p in refwrite refgen bytecount netsink netpost; do
	gob -o "$tmp/bin/$p" "./src/bench/$p" || die "cannot build src/bench/$p"
done
EG=$tmp/bin/eventgen

# ---------------------------------------------------------------- inputs
cp -R bench/scenarios "$tmp/scenarios"
S=$tmp/scenarios
mkdir -p "$S/4-replay/samples" # git keeps no empty folder: a fresh clone has none
# Scenario 4's sample: 10,000 timestamped lines, about 67 minutes of
# events 100 ms to 700 ms apart, deterministic.
awk 'BEGIN {
  split("GET POST GET GET PUT DELETE GET", meth, " ")
  split("/api/v1/items /api/v1/items/42 /api/v1/cart /login /api/v1/search /healthz /api/v1/orders", path, " ")
  split("INFO INFO INFO WARN INFO ERROR INFO INFO", lvl, " ")
  ms = 0
  for (i = 0; i < 10000; i++) {
    s = int(ms / 1000); us = (ms % 1000) * 1000 + (i * 37) % 1000
    printf "2024-03-04 %02d:%02d:%02d.%06d %s [worker-%d] %s %s id=%06d user=u%03d status=%d duration_ms=%d\n", int(s / 3600), int(s / 60) % 60, s % 60, us, lvl[i % 8 + 1], i % 4, meth[i % 7 + 1], path[(i * 3) % 7 + 1], i, (i * 17) % 500, (i % 13 == 0) ? 500 : 200, (i * 7919) % 900 + 3
    ms += 100 + (i * 7919) % 600
  }
}' >"$S/4-replay/samples/app.log"
[ "$(wc -l <"$S/4-replay/samples/app.log")" -eq 10000 ] || die "could not generate the replay sample"
# Reference (a)'s input: one interval of scenario 1 (100,000 lines).
"$EG" generate --now "$NOW" --seed "$SEED" --end 1 "$S/1-windbag" >"$tmp/ref-a.txt" 2>"$tmp/ref-a.err" ||
	die "cannot generate reference (a)'s input: $(tail -3 "$tmp/ref-a.err")"
[ -s "$tmp/ref-a.txt" ] || die "reference (a)'s input is empty"

# ---------------------------------------------------------------- runner
# measure ID SINK GOMAXPROCS EVENTS CMD... runs CMD once with stdout into
# SINK (null: /dev/null; pipe: a fifo read by bytecount) and appends to
# $tmp/results: id sink wall_ns rss_kb pipe_bytes events allocs_per_event.
# EVENTS is a reference's known event count; "-" for eventgen, whose
# events and allocations come from its --stats line.
RESULTS=$tmp/results
: >"$RESULTS"
measure() {
	local id=$1 sink=$2 gmp=$3 events=$4
	shift 4
	local cmd=("$@")
	[ "$gmp" = default ] || cmd=(env "GOMAXPROCS=$gmp" "${cmd[@]}")
	local out=/dev/null rpid='' rc=0 t0 t1 rss=0 bytes=- ape=-
	local err=$tmp/run.err
	if [ "$sink" = pipe ]; then
		rm -f "$tmp/pipe.fifo"
		mkfifo "$tmp/pipe.fifo"
		"$tmp/bin/bytecount" <"$tmp/pipe.fifo" >"$tmp/pipe.count" &
		rpid=$!
		out=$tmp/pipe.fifo
	fi
	t0=$(date +%s%N)
	if [ -n "$GNU_TIME" ]; then
		"$GNU_TIME" -f %M -o "$tmp/rss" "${cmd[@]}" >"$out" 2>"$err" || rc=$?
		t1=$(date +%s%N)
		rss=$(tail -1 "$tmp/rss")
	else
		"${cmd[@]}" >"$out" 2>"$err" &
		local pid=$! k v state
		# poll VmHWM (the peak so far) until the process is a zombie or gone;
		# builtins only, so that polling costs the run almost nothing
		while :; do
			state=
			{ while read -r k v _; do
				case $k in
				State:) state=$v ;;
				VmHWM:) rss=$v ;;
				esac
			done; } 2>/dev/null <"/proc/$pid/status" || break
			[ "$state" = Z ] && break
			nap 0.02
		done
		wait "$pid" || rc=$?
		t1=$(date +%s%N)
	fi
	if [ -n "$rpid" ]; then
		wait "$rpid" || die "$id: the byte counter failed"
		t1=$(date +%s%N) # a pipe run ends when the reader has everything
		bytes=$(cat "$tmp/pipe.count")
	fi
	if [ "$rc" -ne 0 ]; then
		echo "bench: $id ($sink) exited $rc:" >&2
		tail -5 "$err" >&2
		exit 1
	fi
	if [ "$events" = - ]; then
		local st
		st=$(grep '^{"stats":' "$err" | tail -1) || die "$id ($sink): no --stats line on stderr"
		events=$(sed -E 's/.*"events":([0-9]+).*/\1/' <<<"$st")
		ape=$(sed -E 's/.*"allocs_per_event":([0-9.]+).*/\1/' <<<"$st")
	fi
	echo "$id $sink $((t1 - t0)) $rss $bytes $events $ape" >>"$RESULTS"
}

EGRUN=("$EG" generate --now "$NOW" --seed "$SEED" --stats)
REFGEN=("$tmp/bin/refgen" -n 2000000 -per 100000 -now "$NOW")
run_item() { # ID SINK
	local s=$2
	case $1 in
	refA) measure refA "$s" default 20000000 "$tmp/bin/refwrite" -in "$tmp/ref-a.txt" -n 20000000 ;;
	s1) measure s1 "$s" default - "${EGRUN[@]}" "$S/1-windbag" ;;
	refB1) measure refB1 "$s" 1 2000000 "${REFGEN[@]}" ;;
	s2p1) measure s2p1 "$s" 1 - "${EGRUN[@]}" "$S/2-webaccess" ;;
	refB) measure refB "$s" default 2000000 "${REFGEN[@]}" ;;
	s2) measure s2 "$s" default - "${EGRUN[@]}" "$S/2-webaccess" ;;
	s3) measure s3 "$s" default - "${EGRUN[@]}" "$S/3-csv" ;;
	s4) measure s4 "$s" default - "${EGRUN[@]}" "$S/4-replay" ;;
	s5) measure s5 "$s" default - env EVENTGEN_VMSPLICE=1 "${EGRUN[@]}" --format modinput "$S/5-modinput" ;;
	s6) measure s6 "$s" default - "${EGRUN[@]}" "$S/6-perdayvolume" ;;
	esac
}

# ---------------------------------------------------------------- runs
echo "eventgen-go benchmark suite"
echo "  date      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  commit    $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' (src modified)')"
echo "  go        $(go env GOVERSION) $(go env GOOS)/$(go env GOARCH)"
echo "  cpu       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') x $(nproc) cores (default GOMAXPROCS $(nproc))"
if [ -n "$GNU_TIME" ]; then
	echo "  peak RSS  GNU time -f %M ($GNU_TIME)"
else
	echo "  peak RSS  polling VmHWM in /proc/PID/status every 20 ms (no GNU time)"
fi
echo "  runs      $RUNS per sink (scenario 6: $DAY_RUNS); sinks: /dev/null, pipe to a byte counter (src/bench/bytecount)"
echo
started=$(date +%s)
for ((r = 1; r <= RUNS; r++)); do
	printf 'round %d/%d:' "$r" "$RUNS"
	# every round runs every item once on both sinks, so that drift on a
	# shared machine hits scenarios and references alike
	for it in "${ITEMS[@]}"; do
		printf ' %s' "$it"
		run_item "$it" null
		run_item "$it" pipe
	done
	echo
done
for ((r = 1; r <= DAY_RUNS; r++)); do
	printf 'scenario 6 (one simulated day, 10 GiB) %d/%d: null' "$r" "$DAY_RUNS"
	run_item s6 null
	printf ', pipe'
	run_item s6 pipe
	echo
done
[ "$DAY_RUNS" -gt 0 ] || echo "scenario 6: SKIPPED (BENCH_DAY_RUNS=0)"
echo "runs took $(($(date +%s) - started)) s"
echo

# ---------------------------------------------------------------- report
# Medians per (id, sink); the byte count of the pipe runs (identical
# across runs: same seed, same --now) gives the MB of the /dev/null runs.
SUMMARY=$tmp/summary
awk '
function median(list,   a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
  k = $1 " " $2
  if (!(k in wall)) order[++nk] = k
  wall[k] = wall[k] " " $3; rss[k] = ($4 + 0 > rss[k] + 0) ? $4 : rss[k]
  if ($5 != "-") { bytes[$1] = $5; if (($1 in seen) && seen[$1] != $5) varied[$1] = 1; seen[$1] = $5 }
  events[k] = $6; ape[k] = ape[k] " " $7
}
END {
  for (i = 1; i <= nk; i++) {
    k = order[i]; split(k, p, " ")
    a = (ape[k] ~ /-/) ? "-" : median(ape[k])
    # id sink median_wall_s peak_rss_kb bytes events allocs/event bytes_varied
    printf "%s %s %.6f %d %s %s %s %d\n", p[1], p[2], median(wall[k]) / 1e9, rss[k], bytes[p[1]], events[k], a, (p[1] in varied)
  }
}' "$RESULTS" >"$SUMMARY"

get() { # ID SINK FIELD(3..8)
	awk -v id="$1" -v s="$2" -v f="$3" '$1 == id && $2 == s { print $f }' "$SUMMARY"
}
if awk '$8 == 1 { exit 1 }' "$SUMMARY"; then :; else
	echo "warning: the byte count of some pipe runs differed between runs (expected identical output)"
fi

name() {
	case $1 in
	refA) echo "(a) refwrite: write ceiling" ;;
	refB1) echo "(b) refgen GOMAXPROCS=1" ;;
	refB) echo "(b) refgen: generation floor" ;;
	s1) echo "1 windbag (1 token)" ;;
	s2p1) echo "2 web access GOMAXPROCS=1" ;;
	s2) echo "2 web access (5 tokens)" ;;
	s3) echo "3 CSV, 12 tokens, mvfile" ;;
	s4) echo "4 replay 10,000 lines" ;;
	s5) echo "5 web access, modinput" ;;
	s6) echo "6 perDayVolume 10 GiB day" ;;
	esac
}

PASSES=0
FAILS=0
RESULT=
verdict() { # OK(1/0): sets RESULT and counts (no subshell, so the counts stick)
	if [ "$1" = 1 ]; then
		PASSES=$((PASSES + 1))
		RESULT=PASS
	else
		FAILS=$((FAILS + 1))
		RESULT=FAIL
	fi
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }' && echo 1 || echo 0; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }' && echo 1 || echo 0; }

fmt='%-28s %-4s %8s %11s %9s %9s %8s %10s  %-22s %s\n'
# shellcheck disable=SC2059
printf "$fmt" scenario sink "wall s" "events/s" "MB/s" allocs/ev "peak RSS" ratio target result
printf '%s\n' "$(printf '%.0s-' {1..124})"
OTHER=()
for id in refA s1 refB1 s2p1 refB s2 s3 s4 s5 s6; do
	for sink in null pipe; do
		line=$(awk -v id="$id" -v s="$sink" '$1 == id && $2 == s' "$SUMMARY")
		[ -n "$line" ] || continue
		read -r _ _ wall rss bytes events ape _ <<<"$line"
		eps=$(awk -v e="$events" -v w="$wall" 'BEGIN { printf "%.0f", e / w }')
		epsc=$(sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta' <<<"$eps") # 1234567 -> 1,234,567
		mbs=$(awk -v b="$bytes" -v w="$wall" 'BEGIN { printf "%.1f", b / w / 1e6 }')
		ratio=- target=- result=
		case $id in
		s1)
			ratio=$(awk -v m="$mbs" -v w="$(get refA "$sink" 3)" -v b="$(get refA "$sink" 5)" 'BEGIN { printf "%.2f", m / (b / w / 1e6) }')
			target=">= 0.5x (a) MB/s"
			verdict "$(ge "$ratio" 0.5)" && result=$RESULT
			ratio="${ratio}x (a)"
			;;
		s2p1 | s2 | s3 | s4 | s5 | s6)
			ref=refB
			[ "$id" = s2p1 ] && ref=refB1
			ratio=$(awk -v e="$eps" -v w="$(get "$ref" "$sink" 3)" -v n="$(get "$ref" "$sink" 6)" 'BEGIN { printf "%.2f", e / (n / w) }')
			case $id in
			s2p1) target=">= 0.6x (b)" && verdict "$(ge "$ratio" 0.6)" && result=$RESULT ;;
			s2) target=">= 1.0x (b)" && verdict "$(ge "$ratio" 1.0)" && result=$RESULT ;;
			s5)
				# issue 14: the XML stream into a pipe (splunkd's path) at
				# reference (b)'s speed; into /dev/null the older floor
				if [ "$sink" = pipe ]; then
					target=">= 1.0x (b)" && verdict "$(ge "$ratio" 1.0)" && result=$RESULT
				else
					target=">= 0.4x (b)" && verdict "$(ge "$ratio" 0.4)" && result=$RESULT
				fi
				;;
			s4) target=">= 1,000,000 events/s" && verdict "$(ge "$eps" 1000000)" && result=$RESULT ;;
			s6)
				target="< 60 s, < 100 MB RSS"
				verdict "$(awk -v w="$wall" -v r="$rss" 'BEGIN { print (w < 60 && r * 1024 < 100e6) ? 1 : 0 }')" && result=$RESULT
				;;
			esac
			ratio="${ratio}x (b)"
			;;
		esac
		case $id in s1 | s2p1 | s2 | s5)
			verdict "$(awk -v a="$ape" 'BEGIN { print (a <= 1) ? 1 : 0 }')"
			OTHER+=("$(name "$id")|$sink|$ape|$RESULT")
			;;
		esac
		[ "$ape" = - ] || ape=$(awk -v a="$ape" 'BEGIN { printf "%.4f", a }')
		# shellcheck disable=SC2059
		printf "$fmt" "$(name "$id")" "$sink" "$(printf %.2f "$wall")" "$epsc" "$mbs" "$ape" "$((rss / 1024)) MiB" "$ratio" "$target" "$result"
	done
done
echo
echo "heap allocations per event (steady state, from --stats), target <= 1:"
for o in "${OTHER[@]}"; do
	IFS='|' read -r n s a v <<<"$o"
	printf '  %-28s %-4s %8s  %s\n' "$n" "$s" "$a" "$v"
done

# ---------------------------------------------------------------- delivery
. scripts/bench-net.sh

# ---------------------------------------------------------------- steady state
echo
if [ "$STEADY" != 1 ]; then
	echo "steady-state RSS check: SKIPPED (set BENCH_STEADY=1 to run it: each scenario for ${STEADY_SECS} s, about $((STEADY_SECS * 6 / 60 + 1)) minutes)"
else
	echo "steady-state RSS: each scenario without end for ${STEADY_SECS} s into /dev/null; change of VmRSS from 10 s to ${STEADY_SECS} s, target within 10%"
	for n in 1-windbag 2-webaccess 3-csv 4-replay 5-modinput 6-perdayvolume; do
		d=$tmp/steady/$n
		mkdir -p "$(dirname "$d")"
		cp -R "$S/$n" "$d"
		sed -i -E 's/^end = .*/end = -1/' "$d/default/eventgen.conf"
		args=()
		[ "$n" = 5-modinput ] && args=(--format modinput)
		"$EG" generate --now "$NOW" --seed "$SEED" "${args[@]}" "$d" >/dev/null 2>"$tmp/steady.err" &
		pid=$!
		samples=() # VmRSS (KiB) at 10 s, 20 s, ... and at the end
		next=10
		el=0
		t0=$(date +%s%N)
		while kill -0 "$pid" 2>/dev/null; do
			el=$((($(date +%s%N) - t0) / 1000000))
			if [ "$el" -ge $((next * 1000)) ] || [ "$el" -ge $((STEADY_SECS * 1000)) ]; then
				cur=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
				[ -n "$cur" ] && samples+=("$cur")
				[ "$el" -ge $((STEADY_SECS * 1000)) ] && break
				next=$((next + 10))
			fi
			nap 0.25
		done
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		if [ "${#samples[@]}" -lt 2 ] || [ "$el" -lt $((STEADY_SECS * 1000)) ]; then
			echo "bench: steady-state run of $n ended early:" >&2
			tail -5 "$tmp/steady.err" >&2
			exit 1
		fi
		r10=${samples[0]}
		rend=${samples[${#samples[@]} - 1]}
		pct=$(awk -v a="$r10" -v b="$rend" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')
		verdict "$(awk -v p="$pct" 'BEGIN { print (p <= 10 && p >= -10) ? 1 : 0 }')"
		traj=$(printf '%s\n' "${samples[@]}" | awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $1 / 1024 }')
		printf '  %-28s %6s%%  %s   (MiB every 10 s: %s)\n' "$(name "s${n%%-*}")" "$pct" "$RESULT" "$traj"
	done
fi
echo
echo "targets: $PASSES PASS, $FAILS FAIL (ratios are what is tracked; absolute numbers depend on the machine)"
