// Command egprof is the profiling harness of the benchmark suite
// (docs/performance.md): it runs an app directory as
// `eventgen generate --now NOW --seed N [--format F] APP_DIR` does,
// writing the events to stdout, with a CPU profile and/or a heap
// allocation profile, so that the suite's scenarios can be profiled
// exactly as they are benchmarked:
//
//	go build -o /tmp/egprof ./src/bench/egprof
//	/tmp/egprof -cpuprofile s2.cpu bench/scenarios/2-webaccess > /dev/null
//	go tool pprof -top /tmp/egprof s2.cpu
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/all" // every generator, by name
	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all"    // registers the outputs this build has
)

func main() {
	cpu := flag.String("cpuprofile", "", "write a CPU profile to `FILE`")
	mem := flag.String("memprofile", "", "write a heap profile (every allocation sampled) to `FILE`")
	nowFlag := flag.String("now", "2024-03-04T00:00:00Z", "simulated start (RFC3339)")
	seed := flag.Uint64("seed", 1, "random seed")
	format := flag.String("format", "raw", "raw, jsonl or modinput")
	end := flag.Int("end", 0, "intervals per stanza (0 = as configured)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: egprof [flags] APP_DIR")
		os.Exit(2)
	}
	now, err := time.Parse(time.RFC3339Nano, *nowFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "egprof: -now:", err)
		os.Exit(2)
	}
	app := flag.Arg(0)
	f, err := conf.ReadFile(filepath.Join(app, "default", "eventgen.conf"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "egprof:", err)
		os.Exit(2)
	}
	if *mem != "" {
		runtime.MemProfileRate = 1
	}
	res := config.Load([]config.Source{{File: f, AppDir: app}}, config.Options{Location: time.UTC, Now: now, EndIntervals: *end})
	if len(res.Errors()) > 0 {
		fmt.Fprintln(os.Stderr, "egprof:", res.Errors())
		os.Exit(2)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e, problems := engine.Prepare(res.Samples, engine.Options{Stdout: os.Stdout, Format: *format,
		Clock: clock.NewSim(now), Seed: *seed, HasSeed: true, Log: log})
	if len(e.Stanzas()) == 0 {
		fmt.Fprintln(os.Stderr, "egprof: nothing to run:", problems)
		os.Exit(2)
	}
	if *cpu != "" {
		pf, err := os.Create(*cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, "egprof:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(pf)
		defer pf.Close()
	}
	began := time.Now()
	err = e.Run(context.Background())
	if *cpu != "" {
		pprof.StopCPUProfile()
	}
	var events int64
	for _, st := range e.Stanzas() {
		events += st.Stats().Events
	}
	fmt.Fprintf(os.Stderr, "egprof: %d events in %.3f s\n", events, time.Since(began).Seconds())
	if *mem != "" {
		pf, err := os.Create(*mem)
		if err == nil {
			pprof.Lookup("allocs").WriteTo(pf, 0)
			pf.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "egprof:", err)
		os.Exit(1)
	}
}
