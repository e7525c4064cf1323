// Package supervise runs a prepared engine for as long as a long-running
// command lives (the modular input, eventgen serve): it re-reads the
// configuration at an interval and applies changes without a restart
// (engine.Reload), and it keeps the status board current, logging each
// stanza's eventgen_status line.
package supervise

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/status"
)

// Defaults for Options.
const (
	// DefaultCheck is how often the status of running stanzas is checked
	// for a change worth a line of its own (a new stanza's first interval,
	// a failure), and how often the board's figures are refreshed.
	DefaultCheck = time.Second
	// DefaultStats is how often each stanza's status line is logged.
	DefaultStats = 30 * time.Second
)

// Options configure Run.
type Options struct {
	Log   *slog.Logger
	Board *status.Board
	// Poll is how often Reload is called; 0 reads the configuration only
	// at start.
	Poll time.Duration
	// Reload reads the configuration again; nil keeps what runs (a
	// configuration that cannot be read must not stop every stanza).
	Reload func(context.Context) *config.Result
	// Prepare adjusts a reloaded configuration before it is applied, as
	// the command did at start (a --stanza filter, a shard); may be nil.
	Prepare func(*config.Result) []*config.Sample
	// WillGenerate is called for each stanza that a reload starts or
	// restarts, to say what it will do; may be nil.
	WillGenerate func(*engine.Stanza)
	// Stats and Check default to DefaultStats and DefaultCheck.
	Stats, Check time.Duration
}

// Run runs e until it ends or ctx is done and returns Run's error. cfg
// is the configuration e was prepared from; the board must already know
// it (Board.Configure).
func Run(ctx context.Context, e *engine.Engine, cfg *config.Result, o Options) error {
	if o.Stats <= 0 {
		o.Stats = DefaultStats
	}
	if o.Check <= 0 {
		o.Check = DefaultCheck
	}
	runDone := make(chan error, 1)
	go func() { runDone <- e.Run(ctx) }()
	statusTick := time.NewTicker(o.Stats)
	defer statusTick.Stop()
	checkTick := time.NewTicker(o.Check)
	defer checkTick.Stop()
	var pollC <-chan time.Time
	if o.Poll > 0 && o.Reload != nil {
		t := time.NewTicker(o.Poll)
		defer t.Stop()
		pollC = t.C
	}
	b := o.Board
	b.Observe(e, time.Now())
	b.Log(e, true)
	for {
		select {
		case <-statusTick.C:
			b.Log(e, true)
		case now := <-checkTick.C:
			b.Observe(e, now)
			b.Log(e, false)
		case <-pollC:
			next := o.Reload(ctx)
			if next == nil {
				continue
			}
			samples := next.Samples
			if o.Prepare != nil {
				samples = o.Prepare(next)
			}
			res, err := e.Reload(ctx, samples)
			if err != nil {
				continue // stopping
			}
			changed := res.Changed() || !SameProblems(cfg, next)
			cfg = next
			if !changed {
				continue
			}
			o.Log.Info("eventgen.conf changed; applied without a restart", "started", strings.Join(res.Started, ","), "stopped", strings.Join(res.Stopped, ","),
				"restarted", strings.Join(res.Restarted, ","), "unchanged", len(res.Unchanged))
			LogConfig(o.Log, cfg)
			for _, pr := range res.Problems {
				LogProblem(o.Log, pr)
			}
			if o.WillGenerate != nil {
				for _, st := range e.Stanzas() {
					if slices.Contains(res.Started, st.Sample.Name()) || slices.Contains(res.Restarted, st.Sample.Name()) {
						o.WillGenerate(st)
					}
				}
			}
			b.Configure(cfg, res.Problems)
			b.Observe(e, time.Now())
			b.Log(e, true)
		case err := <-runDone:
			b.Observe(e, time.Now())
			b.Log(e, true)
			return err
		}
	}
}

// LogConfig logs what loading eventgen.conf found: problems and the
// stanzas that will not generate, with why.
func LogConfig(log *slog.Logger, res *config.Result) {
	for _, pr := range res.Problems {
		LogProblem(log, pr)
	}
	for _, s := range res.Skipped {
		log.Info("stanza will not generate", "stanza", s.Stanza, "why", s.Reason)
	}
}

// LogProblem logs a configuration problem at its severity.
func LogProblem(log *slog.Logger, p config.Problem) {
	if p.Severity == config.Error {
		log.Error(p.String())
		return
	}
	log.Warn(p.String())
}

// SameProblems reports whether two loads found the same problems and
// skipped stanzas, so that an unchanged configuration is not logged again
// at every poll.
func SameProblems(a, b *config.Result) bool {
	return slices.EqualFunc(a.Problems, b.Problems, func(x, y config.Problem) bool { return x.String() == y.String() }) &&
		slices.Equal(a.Skipped, b.Skipped)
}
