package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/serve"
	"github.com/eventgen-go/eventgen/src/internal/shard"
	"github.com/eventgen-go/eventgen/src/internal/status"
	"github.com/eventgen-go/eventgen/src/internal/supervise"
)

// defaultListen is serve's address: loopback, so that nothing is exposed
// by accident; the container image passes --listen 0.0.0.0:8090.
const defaultListen = "127.0.0.1:8090"

// serveCmd is the long-running form for containers: it runs a
// configuration until stopped, re-reads it every --poll and applies
// changes without a restart (as the modular input does), and serves
// /healthz, /readyz, /status and /metrics. SIGTERM (ctx) stops
// generation, drains the outputs and exits 0 within --drain.
func serveCmd(ctx context.Context, args []string, io *stdio) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.err)
	var c common
	fs.StringVar(&c.sampleDir, "sample-dir", "", "look for sample files in `DIR` instead of each stanza's sampleDir")
	fs.StringVar(&c.stanza, "stanza", "", "only stanzas whose name matches `REGEX`")
	fs.BoolVar(&c.verbose, "v", false, "verbose: debug messages on stderr")
	listen := fs.String("listen", defaultListen, "serve HTTP on `HOST:PORT` (/healthz, /readyz, /status, /metrics)")
	poll := fs.Duration("poll", 10*time.Second, "re-read the configuration every `DURATION` and apply changes without a restart (0: read it once)")
	drain := fs.Duration("drain", 10*time.Second, "on SIGTERM, the bound on draining the outputs before exiting")
	shardFlag := fs.String("shard", "", "generate instance `K/N`'s share of every stanza (K from 0 to N-1); default $"+shard.Env)
	seed := fs.Int64("seed", 0, "random seed (all shards of one run take the same seed)")
	outMode := fs.String("output", "", "send every stanza to `MODE` ("+strings.Join(engine.Outputs(), ", ")+") instead of its outputMode")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return exitBadInput
	}
	sh, err := shardOption(*shardFlag)
	if err != nil {
		fmt.Fprintf(io.err, "eventgen: %v\n", err)
		return exitBadInput
	}
	if *outMode != "" && !contains(engine.Outputs(), *outMode) {
		fmt.Fprintf(io.err, "eventgen: --output %q: use one of %s\n", *outMode, strings.Join(engine.Outputs(), ", "))
		return exitBadInput
	}
	if *poll < 0 || *drain <= 0 {
		fmt.Fprintln(io.err, "eventgen: --poll must be 0 or more and --drain more than 0")
		return exitBadInput
	}
	loadOpts := config.Options{OutputMode: *outMode}
	l, code := load(&c, paths, io.err, loadOpts)
	if l == nil {
		return code
	}
	log := newLogger(io.err, c.verbose)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(io.err, "eventgen: --listen %s: %v\n", *listen, err)
		return exitBadInput
	}
	board := status.New(log)
	srv := &serve.Server{Board: board, Version: version, Shard: sh.String()}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	httpDone := make(chan error, 1)
	go func() { httpDone <- hs.Serve(ln) }()
	log.Info("serving HTTP", "addr", ln.Addr().String(), "endpoints", "/healthz /readyz /status /metrics", "shard", sh.String(), "version", version)

	opts := engine.Options{Stdout: io.out, Format: "raw", Log: log, Watch: true}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "seed" {
			opts.Seed, opts.HasSeed = uint64(*seed), true
		}
	})
	if v, ok := l.res.Global["seed"]; ok && !opts.HasSeed && strings.TrimSpace(v.Text) != "" {
		// As generate: [global] seed, unless --seed is given.
		var n int64
		if _, err := fmt.Sscan(v.Text, &n); err == nil {
			opts.Seed, opts.HasSeed = uint64(n), true
		} else {
			log.Warn("seed in [global] is not a whole number; ignored", "seed", v.Text)
		}
	}
	opts.Shard = sh
	e, problems := engine.Prepare(l.samples, opts)
	supervise.LogConfig(log, l.res)
	for _, pr := range problems {
		supervise.LogProblem(log, pr)
	}
	board.Configure(l.res, problems)
	now := time.Now()
	for _, st := range e.Stanzas() {
		logGenerating(log, st, now)
	}
	if len(e.Stanzas()) == 0 {
		log.Warn("nothing to generate: no stanza can run (see the messages above); serving and watching the configuration for a fix")
	}

	// The run stops on SIGTERM; the drain bound starts then.
	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	runDone := make(chan error, 1)
	go func() {
		runDone <- supervise.Run(runCtx, e, l.res, supervise.Options{Log: log, Board: board, Poll: *poll,
			Reload: func(context.Context) *config.Result {
				next, code := load(&c, paths, io.err, loadOpts)
				if next == nil || code != exitOK {
					log.Warn("cannot re-read the configuration; keeping the running one")
					return nil
				}
				next.res.Samples = next.samples // --stanza applies to reloads too
				return next.res
			},
			WillGenerate: func(st *engine.Stanza) { logGenerating(log, st, time.Now()) }})
	}()
	srv.SetReady(true)

	var runErr error
	exit := exitOK
	select {
	case runErr = <-runDone:
	case <-ctx.Done():
		srv.SetStopping()
		log.Info("stopping: draining the outputs", "bound_s", drain.Seconds())
		cancelRun()
		select {
		case runErr = <-runDone:
		case <-time.After(*drain):
			log.Error("the outputs did not drain within the bound; exiting", "bound_s", drain.Seconds())
			exit = exitNoGen
		}
	}
	srv.SetStopping()
	shutCtx, cancel := context.WithTimeout(context.Background(), time.Second)
	hs.Shutdown(shutCtx)
	cancel()
	if err := <-httpDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("HTTP server", "error", err)
	}
	for _, st := range e.Stanzas() {
		s := st.Stats()
		log.Info("done", "stanza", st.Sample.Name(), "events", s.Events, "bytes", s.Bytes, "intervals", s.Intervals)
	}
	if runErr != nil {
		log.Error("generation failed", "error", runErr)
		return exitNoGen
	}
	if exit == exitOK {
		log.Info("eventgen serve stopped")
	}
	return exit
}

func logGenerating(log *slog.Logger, st *engine.Stanza, now time.Time) {
	s := st.Sample
	log.Info("generating", "stanza", s.Name(), "sample", s.Path, "generator", s.Generator, "output", s.OutputMode,
		"events_per_interval", st.Estimate(now), "interval_s", s.Interval, "end", endText(s.End))
}
