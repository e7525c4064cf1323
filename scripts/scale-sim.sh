#!/usr/bin/env bash
# The scale on paper, run here: N eventgen processes, each generating its
# shard K/N of one simulated day (--now: no sleeping), and the sum of
# their events and bytes against one unsharded process. With a seed the
# shards' events together are exactly the unsharded events, as a multiset
# (checked on sorted output for the smaller volume). Exits 1 on any
# difference. docs/scaling.md shows its output.
#
#   bash scripts/scale-sim.sh                 # N = 1 2 4 8 16, 1 GiB/day
#   SIM_GIB=0.05 bash scripts/scale-sim.sh 3 7
#   EVENTGEN_BIN=path   use that binary instead of building one
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
NS=${*:-1 2 4 8 16}
GIB=${SIM_GIB:-1}
SORT_GIB=${SIM_SORT_GIB:-0.02}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

BIN=${EVENTGEN_BIN:-}
if [[ -z $BIN ]]; then
  BIN=$tmp/eventgen
  go build -o "$BIN" ./src/cmd/eventgen
fi
help=$("$BIN" generate -h 2>&1 || true)
if [[ $help != *-shard* ]]; then
  echo "scale-sim.sh: this eventgen has no --shard (issue 15, item 1)" >&2
  exit 3
fi

# The demo's web access stanza at a daily volume: 1,440 one-minute
# intervals of one simulated day.
app=$tmp/app
mkdir -p "$app/default" "$app/samples"
cp samples/* "$app/samples/"
rm -f "$app/samples/eventgen.conf"
write_conf() {
  sed -n '/^\[web_access.log\]/,/^$/p' samples/eventgen.conf | grep -v -e '^interval' -e '^count' -e '^earliest' >"$app/default/eventgen.conf"
  printf 'interval = 60\nearliest = -60s\nend = 1440\nperDayVolume = %s\n' "$1" >>"$app/default/eventgen.conf"
}
gen() { # gen SHARD OUT: events of shard SHARD ("" = unsharded) to OUT
  local args=(generate --now 2026-01-01T00:00:00Z --seed 7 --output stdout)
  [[ -n $1 ]] && args+=(--shard "$1")
  "$BIN" "${args[@]}" "$app" 2>/dev/null >"$2"
}
count() { wc -lc <"$1" | awk '{print $1, $2}'; }

fail=0
write_conf "$GIB"
gen "" "$tmp/whole"
read -r wl wb < <(count "$tmp/whole")
printf 'one simulated day, perDayVolume = %s GiB, web access stanza, seed 7\n' "$GIB"
printf '%-4s %14s %16s %10s %s\n' N events bytes wall_s result
printf '%-4s %14d %16d %10s %s\n' 1 "$wl" "$wb" - "(unsharded)"
for n in $NS; do
  start=$(date +%s.%N)
  pids=()
  for ((k = 0; k < n; k++)); do
    gen "$k/$n" "$tmp/s$k" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  wall=$(echo "$(date +%s.%N) - $start" | bc)
  el=0 eb=0
  for ((k = 0; k < n; k++)); do
    read -r l b < <(count "$tmp/s$k")
    el=$((el + l)) eb=$((eb + b))
    rm -f "$tmp/s$k"
  done
  res=exact
  if [[ $el != "$wl" || $eb != "$wb" ]]; then res="DIFFERS"; fail=1; fi
  printf '%-4s %14d %16d %10.2f %s\n' "$n" "$el" "$eb" "$wall" "$res"
done

# The multiset: sorted, the shards' events are the unsharded events.
write_conf "$SORT_GIB"
gen "" "$tmp/whole"
whole=$(LC_ALL=C sort "$tmp/whole" | sha256sum | cut -c1-16)
for n in $NS; do
  for ((k = 0; k < n; k++)); do gen "$k/$n" "$tmp/s$k"; done
  got=$(cat "$tmp"/s* | LC_ALL=C sort | sha256sum | cut -c1-16)
  rm -f "$tmp"/s*
  res=exact
  [[ $got == "$whole" ]] || { res=DIFFERS; fail=1; }
  printf 'multiset, %s GiB/day, N=%-3s sorted sha256 %s (unsharded %s) %s\n' "$SORT_GIB" "$n" "$got" "$whole" "$res"
done
exit $fail
