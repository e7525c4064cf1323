package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/all" // every generator, by name
	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/shard"
)

// Exit codes.
const (
	exitOK       = 0
	exitNoGen    = 1 // validate: a stanza cannot generate; generate: runtime failure
	exitBadInput = 2
)

const usage = `usage: eventgen <command> [flags] [APP_DIR | eventgen.conf ...]

commands:
  generate   generate events (default output: stdout)
  validate   check configuration and say what each stanza will generate
  serve      run a configuration until stopped, applying its changes, with
             HTTP /healthz, /readyz, /status and /metrics (for containers)
  version    print the version

With no path, the bundled demo samples/eventgen.conf is used. An APP_DIR is
read as Splunk does: APP_DIR/default/eventgen.conf, then APP_DIR/local/eventgen.conf;
several paths layer in order. Run 'eventgen <command> -h' for its flags.
`

func run(ctx context.Context, args []string, io *stdio) int {
	if len(args) == 0 {
		fmt.Fprint(io.err, usage)
		return exitBadInput
	}
	switch args[0] {
	case "generate":
		return generateCmd(ctx, args[1:], io)
	case "validate":
		return validateCmd(args[1:], io)
	case "serve":
		return serveCmd(ctx, args[1:], io)
	case "version", "--version", "-version":
		fmt.Fprintln(io.out, "eventgen", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(io.out, usage)
		return exitOK
	}
	fmt.Fprintf(io.err, "eventgen: unknown command %q\n\n%s", args[0], usage)
	return exitBadInput
}

// common are the flags generate and validate share.
type common struct {
	sampleDir string
	stanza    string
	now       string
	verbose   bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.sampleDir, "sample-dir", "", "look for sample files in `DIR` instead of each stanza's sampleDir")
	fs.StringVar(&c.stanza, "stanza", "", "only stanzas whose name matches `REGEX`")
	fs.StringVar(&c.now, "now", "", "start at `TIME` (RFC3339) on a simulated clock: no sleeping, reproducible with --seed")
	fs.BoolVar(&c.verbose, "v", false, "verbose: debug messages on stderr")
}

// parseInterleaved lets flags follow positional arguments
// ("eventgen generate myapp --end 1").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// loaded is configuration ready to run.
type loaded struct {
	res     *config.Result
	samples []*config.Sample
	start   time.Time
	sim     bool
}

// load reads the configuration named by paths and applies the common
// flags and the overrides in opts.
func load(c *common, paths []string, errw io.Writer, opts config.Options) (*loaded, int) {
	l := &loaded{}
	opts.SampleDir = c.sampleDir
	opts.Outputs = engine.Outputs()
	opts.Generators = generate.Available()
	if c.now != "" {
		t, err := time.Parse(time.RFC3339Nano, c.now)
		if err != nil {
			fmt.Fprintf(errw, "eventgen: --now %q: use RFC3339, as in 2024-01-02T15:04:05Z\n", c.now)
			return nil, exitBadInput
		}
		l.start, l.sim = t, true
		// Under --now, timestamps render in UTC unless a stanza sets a
		// timezone (reproducible whatever the host's zone).
		opts.Location = time.UTC
		opts.Now = t
	}
	sources, err := sourcesOf(paths)
	if err != nil {
		fmt.Fprintf(errw, "eventgen: %v\n", err)
		return nil, exitBadInput
	}
	l.res = config.Load(sources, opts)
	var re *regexp.Regexp
	if c.stanza != "" {
		if re, err = regexp.Compile(c.stanza); err != nil {
			fmt.Fprintf(errw, "eventgen: --stanza %q: %v\n", c.stanza, err)
			return nil, exitBadInput
		}
	}
	for _, s := range l.res.Samples {
		if re == nil || re.MatchString(s.Stanza) {
			l.samples = append(l.samples, s)
		}
	}
	if re != nil && len(l.samples) == 0 {
		fmt.Fprintf(errw, "eventgen: --stanza %q matches no runnable stanza\n", c.stanza)
	}
	return l, exitOK
}

// sourcesOf finds the eventgen.conf files of each path, in layering order.
func sourcesOf(paths []string) ([]config.Source, error) {
	if len(paths) == 0 {
		def := filepath.Join("samples", "eventgen.conf")
		if _, err := os.Stat(def); err != nil {
			return nil, fmt.Errorf("no configuration given and no %s here; pass an app directory or an eventgen.conf", def)
		}
		paths = []string{def}
	}
	var out []config.Source
	for _, p := range paths {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && os.Getenv("SPLUNK_HOME") != "" && !strings.ContainsAny(p, `/\`) {
			alt := filepath.Join(os.Getenv("SPLUNK_HOME"), "etc", "apps", p)
			if st2, err2 := os.Stat(alt); err2 == nil {
				p, st, err = alt, st2, nil
			}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, errors.Unwrap(err))
		}
		if !st.IsDir() {
			f, err := conf.ReadFile(p)
			if err != nil {
				return nil, err
			}
			// Eventgen: a conf file X/default/eventgen.conf has its samples in X/samples.
			out = append(out, config.Source{File: f, AppDir: psaAppDir(p)})
			continue
		}
		n := 0
		for _, layer := range []string{"default", "local"} {
			fp := filepath.Join(p, layer, "eventgen.conf")
			f, err := conf.ReadFile(fp)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, config.Source{File: f, AppDir: p})
			n++
		}
		if n == 0 {
			// A mounted configuration (a Kubernetes ConfigMap, a volume):
			// DIR/eventgen.conf, its samples in DIR/samples.
			fp := filepath.Join(p, "eventgen.conf")
			if f, err := conf.ReadFile(fp); err == nil {
				out = append(out, config.Source{File: f, AppDir: p})
				n++
			} else if !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
		if n == 0 {
			// pytest-splunk-addon's own file, in the folder it is given
			// (its --splunk-data-generator) or in default/.
			for _, fp := range []string{filepath.Join(p, psaDataConf), filepath.Join(p, "default", psaDataConf)} {
				if f, err := conf.ReadFile(fp); err == nil {
					out = append(out, config.Source{File: f, AppDir: psaAppDir(fp)})
					n++
					break
				} else if !errors.Is(err, fs.ErrNotExist) {
					return nil, err
				}
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%s has neither default/eventgen.conf nor local/eventgen.conf nor eventgen.conf (nor pytest-splunk-addon's %s)", p, psaDataConf)
		}
	}
	return out, nil
}

// psaDataConf is pytest-splunk-addon's name for eventgen.conf in its
// dialect (see docs/compatibility.md).
const psaDataConf = "pytest-splunk-addon-data.conf"

// psaAppDir is the folder whose samples folder a conf file's stanzas read
// by default: Eventgen's rule, X/default/eventgen.conf → X/samples; for
// pytest-splunk-addon-data.conf, pytest-splunk-addon's, which looks next
// to the file first.
func psaAppDir(confPath string) string {
	dir := filepath.Dir(confPath)
	if filepath.Base(confPath) == psaDataConf {
		if st, err := os.Stat(filepath.Join(dir, "samples")); err == nil && st.IsDir() {
			return dir
		}
	}
	return filepath.Dir(dir)
}

// newLogger returns the CLI's logger: slog's text format without the
// time, identical lines rate-limited as in the modular input.
func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return logging.New(w, logging.Options{Format: logging.Text, Level: level})
}

// report prints problems to w, one per line, warnings and errors alike.
func report(w io.Writer, problems []config.Problem) (errs, warns int) {
	for _, p := range problems {
		fmt.Fprintf(w, "%s %s\n", p.Severity, p)
		if p.Severity == config.Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

func generateCmd(ctx context.Context, args []string, io *stdio) int {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var c common
	c.register(fs)
	format := fs.String("format", "raw", "stdout format: raw, jsonl or modinput")
	seed := fs.Int64("seed", 0, "random seed: the same seed, configuration and --now give byte-identical output")
	end := fs.Int("end", 0, "stop after `N` intervals per stanza (overrides end; 0 = as configured)")
	outMode := fs.String("output", "", "send every stanza to `MODE` (stdout, devnull, file, spool, modinput) instead of its outputMode")
	shardFlag := fs.String("shard", "", "generate share `K/N` of every stanza: instance K (from 0) of N running the same configuration; their events add up exactly to one instance's (default: $"+shard.Env+")")
	stats := fs.Bool("stats", false, "at exit, print one JSON line of run statistics (events, bytes, seconds, heap allocations; for network outputs what their receivers took, requests, retries, in flight and mean latency) to stderr")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitBadInput
	}
	switch *format {
	case "raw", "jsonl", "modinput":
	default:
		fmt.Fprintf(io.err, "eventgen: --format %q: use raw, jsonl or modinput\n", *format)
		return exitBadInput
	}
	if *outMode != "" && !contains(engine.Outputs(), *outMode) {
		fmt.Fprintf(io.err, "eventgen: --output %q: use one of %s\n", *outMode, strings.Join(engine.Outputs(), ", "))
		return exitBadInput
	}
	if *end < 0 {
		fmt.Fprintf(io.err, "eventgen: --end %d: use a positive number of intervals\n", *end)
		return exitBadInput
	}
	sh, err := shardOption(*shardFlag)
	if err != nil {
		fmt.Fprintf(io.err, "eventgen: %v\n", err)
		return exitBadInput
	}
	l, code := load(&c, paths, io.err, config.Options{EndIntervals: *end, OutputMode: *outMode})
	if l == nil {
		return code
	}
	log := newLogger(io.err, c.verbose)
	// vmsplice only on request here: the reader of a command line's
	// stdout may splice the pages onward (see output.Splice)
	opts := engine.Options{Stdout: io.out, Format: *format, Log: log, Shard: sh, Splice: os.Getenv(output.SpliceEnv) == "1"}
	if !sh.Whole() {
		log.Info("generating a share of every stanza", "shard", sh.String())
	}
	seedSet := false
	fs.Visit(func(f *flag.Flag) { seedSet = seedSet || f.Name == "seed" })
	if seedSet {
		opts.Seed, opts.HasSeed = uint64(*seed), true
	} else if v, ok := l.res.Global["seed"]; ok && strings.TrimSpace(v.Text) != "" {
		var n int64
		if _, err := fmt.Sscan(v.Text, &n); err == nil {
			opts.Seed, opts.HasSeed = uint64(n), true
		}
	}
	if l.sim {
		opts.Clock = clock.NewSim(l.start)
	}
	e, problems := engine.Prepare(l.samples, opts)
	errs, _ := report(io.err, append(l.res.Problems, problems...))
	for _, s := range l.res.Skipped {
		log.Info("not generating", "stanza", s.Stanza, "why", s.Reason)
	}
	if len(e.Stanzas()) == 0 {
		fmt.Fprintln(io.err, "eventgen: nothing to generate: no stanza can run (see the messages above)")
		return exitBadInput
	}
	now := time.Now()
	if l.sim {
		now = l.start
	}
	for _, st := range e.Stanzas() {
		s := st.Sample
		log.Info("generating", "stanza", s.Name(), "sample", s.Path, "generator", s.Generator, "output", s.OutputMode,
			"events_per_interval", st.Estimate(now), "interval_s", s.Interval, "end", endText(s.End))
	}
	var before runtime.MemStats
	began := time.Now()
	if *stats {
		runtime.ReadMemStats(&before)
	}
	runErr := e.Run(ctx)
	if *stats {
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		var events, bytes int64
		for _, st := range e.Stanzas() {
			events += st.Stats().Events
			bytes += st.Stats().Bytes
		}
		secs := time.Since(began).Seconds()
		fmt.Fprintf(io.err, "{\"stats\":{\"events\":%d,\"bytes\":%d,\"seconds\":%.6f,\"mallocs\":%d,\"heap_sys\":%d,\"allocs_per_event\":%.4f%s}}\n",
			events, bytes, secs, after.Mallocs-before.Mallocs, after.HeapSys, float64(after.Mallocs-before.Mallocs)/float64(max(events, 1)),
			deliveryStats(e.Stanzas(), secs))
	}
	for _, st := range e.Stanzas() {
		stats := st.Stats()
		args := []any{"stanza", st.Sample.Name(), "events", stats.Events, "bytes", stats.Bytes, "intervals", stats.Intervals}
		if d, _, ok := st.Delivery(); ok {
			args = append(args, "delivered_events", d.Events, "delivered_bytes", d.Bytes, "requests", d.Requests, "retries", d.Retries,
				"dropped", d.Dropped, "latency_ms", fmt.Sprintf("%.3f", float64(d.Latency(delivery.Stats{}))/float64(time.Millisecond)))
		}
		log.Info("done", args...)
	}
	if runErr != nil {
		fmt.Fprintf(io.err, "eventgen: %v\n", runErr)
		return exitNoGen
	}
	if errs > 0 {
		return exitBadInput
	}
	return exitOK
}

func endText(e config.End) string {
	switch {
	case e.At != nil:
		return e.At.String()
	case e.Intervals < 0:
		return "never"
	}
	return fmt.Sprintf("%d intervals", e.Intervals)
}

func validateCmd(args []string, io *stdio) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var c common
	c.register(fs)
	strict := fs.Bool("strict", false, "fail (exit 1) on warnings too, such as a token left out because it cannot produce a value: for CI")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitBadInput
	}
	l, code := load(&c, paths, io.err, config.Options{})
	if l == nil {
		return code
	}
	e, problems := engine.Prepare(l.samples, engine.Options{NoOutput: true, Log: newLogger(io.err, c.verbose)})
	now := time.Now()
	if l.sim {
		now = l.start
	}
	for _, st := range e.Stanzas() {
		s := st.Sample
		file := s.Path
		if file == "" {
			file = "(none: generator " + s.Generator + ")"
		}
		layered := ""
		if len(s.Layered) > 0 {
			layered = " layered with [" + strings.Join(s.Layered, "], [") + "]"
		}
		fmt.Fprintf(io.out, "OK    [%s] sample %s%s: generator %s, rater %s, output %s, %d tokens, ~%d events per interval every %ds, end %s\n",
			s.Stanza, file, layered, s.Generator, s.Rater, s.OutputMode, len(s.Tokens)+len(s.AllTokens), st.Estimate(now), s.Interval, endText(s.End))
		if s.AutoTimestamps != nil {
			var found []string
			for _, t := range st.AutoTimestamps() {
				found = append(found, fmt.Sprintf("%q (regex %s)", t.Replacement, t.Regex))
			}
			if len(found) == 0 {
				found = []string{"none (the events keep their text)"}
			}
			fmt.Fprintf(io.out, "      autotimestamp found: %s\n", strings.Join(found, ", "))
		}
	}
	for _, s := range l.res.Skipped {
		fmt.Fprintf(io.out, "SKIP  [%s] %s\n", s.Stanza, s.Reason)
	}
	errs, warns := report(io.out, append(l.res.Problems, problems...))
	fmt.Fprintf(io.out, "%d stanza(s) will generate, %d skipped, %d error(s)\n", len(e.Stanzas()), len(l.res.Skipped), errs)
	if errs > 0 || len(e.Stanzas()) == 0 {
		return exitNoGen
	}
	if *strict && warns > 0 {
		fmt.Fprintf(io.out, "--strict: %d warning(s), so the check fails\n", warns)
		return exitNoGen
	}
	return exitOK
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// deliveryStats is the part of the --stats line about network outputs:
// what their receivers took over the run (each destination once, however
// many stanzas share it), per second over secs, their requests and
// retries, those in flight at the end, and the mean round trip of their
// requests; "" when no stanza writes to one.
func deliveryStats(stanzas []*engine.Stanza, secs float64) string {
	var sum delivery.Stats
	seen := map[string]bool{}
	for _, st := range stanzas {
		d, dest, ok := st.Delivery()
		if !ok || seen[dest] {
			continue
		}
		seen[dest] = true
		sum.Events += d.Events
		sum.Bytes += d.Bytes
		sum.Requests += d.Requests
		sum.Retries += d.Retries
		sum.Dropped += d.Dropped
		sum.InFlight += d.InFlight
		sum.RoundTrips += d.RoundTrips
		sum.RoundTripTime += d.RoundTripTime
	}
	if len(seen) == 0 {
		return ""
	}
	secs = max(secs, 1e-9)
	return fmt.Sprintf(",\"delivered_events\":%d,\"delivered_bytes\":%d,\"delivered_events_per_s\":%.1f,\"delivered_bytes_per_s\":%.1f,\"requests\":%d,\"retries\":%d,\"dropped\":%d,\"in_flight\":%d,\"latency_ms\":%.3f",
		sum.Events, sum.Bytes, float64(sum.Events)/secs, float64(sum.Bytes)/secs, sum.Requests, sum.Retries, sum.Dropped, sum.InFlight,
		float64(sum.Latency(delivery.Stats{}))/float64(time.Millisecond))
}

// shardOption is --shard, or when it is not given EVENTGEN_SHARD.
func shardOption(flagValue string) (shard.Shard, error) {
	if flagValue != "" {
		sh, err := shard.Parse(flagValue)
		if err != nil {
			return sh, fmt.Errorf("--shard: %w", err)
		}
		return sh, nil
	}
	sh, _, err := shard.FromEnv()
	return sh, err
}
