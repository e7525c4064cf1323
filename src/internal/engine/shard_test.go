package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/shard"
)

// shardRun runs a configuration as shard sh on the simulated clock with
// GOMAXPROCS procs and returns its jsonl lines.
func shardRun(t *testing.T, dir, confText string, samples map[string]string, seed uint64, sh shard.Shard, procs int) []string {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	var out bytes.Buffer
	e, problems := Prepare(loadSamples(t, dir, confText, samples), Options{Stdout: &out, Format: "jsonl", Clock: clock.NewSim(start), Seed: seed, HasSeed: true, Shard: sh})
	for _, p := range problems {
		if p.Severity == config.Error {
			t.Fatalf("prepare: %v", p)
		}
	}
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(out.String(), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// randomShardConf is a configuration drawn from r: the default generator
// with random tokens and every way of deciding a count (count, -1,
// randomizeCount, randomizeEvents, rate tables, eps, perDayVolume, kbps,
// intervals large enough to be sliced), or another generator, or replay.
// Every event falls in its interval's window (earliest = -59s), so an
// event's _time says its interval.
func randomShardConf(r *rand.Rand) (string, map[string]string) {
	tokens := []string{
		"token.0.token = @ts\ntoken.0.replacementType = timestamp\ntoken.0.replacement = %Y-%m-%dT%H:%M:%S.%6N\n",
		"token.1.token = @ip\ntoken.1.replacementType = random\ntoken.1.replacement = ipv4\n",
		"token.2.token = @n\ntoken.2.replacementType = random\ntoken.2.replacement = integer[0:100000]\n",
		"token.3.token = @l\ntoken.3.replacementType = random\ntoken.3.replacement = list[\"GET\",\"POST\",\"DELETE\"]\n",
		"token.4.token = @h\ntoken.4.replacementType = random\ntoken.4.replacement = hex(8)\n",
	}
	lines := []string{"@ts @ip GET /a @n", "@ts user=@h @l status=@n", "@ts a much longer line with @ip and @ip and @n bytes", "@ts x"}
	var sample strings.Builder
	for range 1 + r.IntN(5) {
		sample.WriteString(lines[r.IntN(len(lines))] + "\n")
	}
	c := "[a.log]\ninterval = 60\nearliest = -59s\nlatest = now\nend = " + fmt.Sprint(1+r.IntN(4)) + "\n" + strings.Join(tokens, "")
	switch r.IntN(13) {
	case 0:
		c += "count = -1\n"
	case 1:
		c += fmt.Sprintf("count = %d\nrandomizeCount = 0.4\n", r.IntN(3000))
	case 2:
		c += fmt.Sprintf("count = %d\nrandomizeEvents = true\n", r.IntN(2000))
	case 3:
		c += fmt.Sprintf("count = %d\nhourOfDayRate = {\"12\": 1.7, \"13\": 0.3}\nminuteOfHourRate = {\"1\": 0.5, \"2\": 2}\n", r.IntN(2000))
	case 4:
		c += fmt.Sprintf("eps = %.2f\nrandomizeCount = 0.2\n", 0.3+r.Float64()*40)
	case 5:
		c += fmt.Sprintf("perDayVolume = %.4f\nrandomizeCount = 0.1\n", 0.001+r.Float64()*0.02)
	case 6:
		c += fmt.Sprintf("kbps = %.2f\n", 0.1+r.Float64()*5)
	case 7:
		c += fmt.Sprintf("count = %d\n", 8192+r.IntN(40000)) // sliced on every core
	case 8:
		return "[w]\ngenerator = weblog\ninterval = 60\nearliest = -59s\nlatest = now\nend = 2\ncount = " + fmt.Sprint(r.IntN(20000)) + "\nrandomizeCount = 0.5\n", nil
	case 9:
		return "[w]\ngenerator = windbag\ninterval = 60\nearliest = -59s\nlatest = now\nend = 3\ncount = " + fmt.Sprint(r.IntN(30000)) + "\n", nil
	case 10:
		return replayConf + "end = 3\n" + tokens[2], map[string]string{"r.log": "2015-07-09 10:11:00.000 a @n\n2015-07-09 10:11:01.500 b @n\n2015-07-09 10:11:01.700 c @n\n2015-07-09 10:11:04.000 d @n\n"}
	case 11: // filtered: every shard renders the interval, keeps its events
		return "[c]\ngenerator = counter\ninterval = 60\nearliest = -59s\nlatest = now\nend = 3\nend_count = " + fmt.Sprint(1+r.IntN(300)) + "\ncount = " + fmt.Sprint(r.IntN(300)) + "\n", nil
	default:
		c += fmt.Sprintf("count = %d\n", r.IntN(5000))
	}
	return c, map[string]string{"a.log": sample.String()}
}

// intervalOf is the interval an event's _time falls in (see randomShardConf).
func intervalOf(t *testing.T, line string) int64 {
	var ev jsonEvent
	if err := json.Unmarshal([]byte(line), &ev); err != nil {
		t.Fatal(err)
	}
	d := time.Duration(ev.Time*1e6)*time.Microsecond - time.Duration(start.UnixMicro())*time.Microsecond
	return int64((d + 60*time.Second - 1) / (60 * time.Second))
}

// TestShardsAddUp is the property of issue 15: for random configurations,
// seeds and N from 1 to 16, the N shards' events, each shard run on a
// different number of cores, are exactly the unsharded events as a
// multiset, and in every interval their counts sum to the unsharded count.
func TestShardsAddUp(t *testing.T) {
	configs := 60
	if testing.Short() || raceEnabled {
		configs = 12 // the race detector makes each run about ten times slower
	}
	draw := uint64(time.Now().UnixNano())
	if v := os.Getenv("SHARD_TEST_DRAW"); v != "" { // to replay a failure logged below
		d, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SHARD_TEST_DRAW=%q: %v", v, err)
		}
		draw = d
	}
	r := rand.New(rand.NewPCG(15, draw))
	t.Logf("configurations drawn from PCG(15, %d); SHARD_TEST_DRAW=%d replays them", draw, draw)
	for c := range configs {
		confText, samples := randomShardConf(r)
		seed, n := r.Uint64(), 1+r.IntN(16)
		t.Run(fmt.Sprintf("%d/N=%d", c, n), func(t *testing.T) {
			dir := t.TempDir()
			whole := shardRun(t, dir, confText, samples, seed, shard.Shard{}, 2)
			var all []string
			perInterval := map[int64]int{}
			for k := range n {
				got := shardRun(t, dir, confText, samples, seed, shard.Shard{K: k, N: n}, 1+k%4)
				if max := len(whole)/n + 8; len(got) > max {
					t.Errorf("shard %d/%d made %d of %d events: more than its share", k, n, len(got), len(whole))
				}
				all = append(all, got...)
			}
			for _, l := range all {
				perInterval[intervalOf(t, l)]++
			}
			for _, l := range whole {
				perInterval[intervalOf(t, l)]--
			}
			for iv, d := range perInterval {
				if d != 0 {
					t.Errorf("interval %d: the shards made %+d events more than the whole", iv, d)
				}
			}
			t.Logf("%d events in %d intervals", len(whole), len(perInterval))
			slices.Sort(whole)
			slices.Sort(all)
			if !slices.Equal(whole, all) {
				t.Fatalf("seed %d, %d shards: %d events against %d unsharded, or different events\n%s", seed, n, len(all), len(whole), confText)
			}
		})
	}
}

// TestShardsAddUpWithoutSeed: without a seed the shards' event values
// are their own, but their counts still add up, interval by interval, to
// those of a run with seed 0 (what decides counts when shards have no
// seed), randomizeCount and byte budgets included.
func TestShardsAddUpWithoutSeed(t *testing.T) {
	samples := map[string]string{"a.log": "@n short\n@n a longer line @n\n"}
	tok := "token.2.token = @n\ntoken.2.replacementType = random\ntoken.2.replacement = integer[0:100000]\n"
	for _, c := range []string{
		"[a.log]\ninterval = 60\nearliest = -59s\nend = 4\ncount = 3000\nrandomizeCount = 0.8\n" + tok,
		"[a.log]\ninterval = 60\nearliest = -59s\nend = 4\nperDayVolume = 0.02\nrandomizeCount = 0.3\nrandomizeEvents = true\n" + tok,
	} {
		dir := t.TempDir()
		counts := func(lines []string) map[int64]int {
			m := map[int64]int{}
			for _, l := range lines {
				m[intervalOf(t, l)]++
			}
			return m
		}
		want := counts(shardRun(t, dir, c, samples, 0, shard.Shard{}, 2))
		got := map[int64]int{}
		n := 5
		for k := range n {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
			var out bytes.Buffer
			e, _ := Prepare(loadSamples(t, dir, c, samples), Options{Stdout: &out, Format: "jsonl", Clock: clock.NewSim(start), Shard: shard.Shard{K: k, N: n}})
			if err := e.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			for iv, m := range counts(strings.Split(strings.TrimSpace(out.String()), "\n")) {
				got[iv] += m
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("without a seed, per interval: shards %v, seed 0 %v\n%s", got, want, c)
		}
	}
}
