// Package engine runs samples: one schedule per sample, on a real or
// simulated clock, each interval's events flowing generator → encoder →
// the single writer of their destination.
//
// The event path, top to bottom: Run picks the next due sample and step
// runs it (schedule.go: clock, backfill, end, checkpoints) →
// runInterval asks the stanza's Rater for the interval's volume
// (rate.go: count, eps, perDayVolume, kbps, rate tables, randomizeCount,
// carry-over) → the generator fills token slots into a reused buffer →
// the encoder appends the wire form to a 64 KiB chunk → the
// destination's Writer writes whole chunks from its own goroutine
// (fill.go). Replay mode is scheduled event by event (replay.go).
package engine

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/shard"
	"github.com/eventgen-go/eventgen/src/internal/token"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// chunkSize is the size at which an interval's encoded events are handed
// to the writer: large writes, few syscalls.
const chunkSize = 64 << 10

// Options configure a run.
type Options struct {
	Clock   clock.Clock // nil = real clock
	Seed    uint64      // with HasSeed, makes output reproducible
	HasSeed bool
	// Stdout receives modinput/stdout samples, encoded as Format.
	Stdout io.Writer
	Format string
	Log    *slog.Logger
	// NoOutput prepares generators without opening outputs (validate).
	NoOutput bool
	// StreamStanza, when set, is the stanza attribute of events written to
	// Stdout (the modular input's own stanza, e.g. modinput_eventgen://default).
	StreamStanza string
	// Splice lets the modinput output hand the XML stream to a stdout
	// pipe with vmsplice(2) (output.Splice): on under splunkd, whose
	// reader copies; the command line turns it on only when asked
	// (EVENTGEN_VMSPLICE=1), since a reader that splices pages onward
	// could see buffers reused.
	Splice bool
	// Checkpoints, when set, remembers each sample's schedule so that a
	// restart continues where the last run stopped.
	Checkpoints Checkpoints
	// Watch keeps Run going when no stanza is left, until ctx is done, so
	// that Reload can start new ones (the modular input, which splunkd
	// would otherwise restart in a loop).
	Watch bool
	// Shard makes this process instance K of N: it generates its share of
	// every stanza (see shard.Shard and fill.go). The zero value is all.
	Shard shard.Shard
}

// Stanza is a prepared sample: its generator and destination.
type Stanza struct {
	Sample *config.Sample
	gen    generate.Generator // nil in replay mode
	replay *replayState       // replay mode: events at their own times
	rate   Rater              // how much each interval generates
	rng    *rand.Rand         // the generator's, drawing from pcg
	pcg    *rand.PCG
	// rgen is a fork of gen drawing from src, when gen can render any
	// range of an interval alike (see ranged): ranged intervals are
	// rendered by it, every event from its own stream (eventStream).
	rgen  generate.Generator
	src   wyrand.Source
	key64 uint64 // the seed and the stanza: the root of its event streams
	// countKey is key64 for what decides counts (see Engine.countSeed)
	countKey uint64
	evs      eventStream
	ranged   bool // the generator renders any range of an interval alike: rgen is set
	w        *output.Writer
	enc      output.Encoder
	// spans: the destination takes batches (output.BatchWriter), so each
	// event's span is recorded, and with keyed, its group key's end.
	spans bool
	keyed output.KeyedEncoder
	// rawLines: the encoder's wire form is _raw + "\n" (trimmed with
	// trim), which generate.RawGenerator writes straight into the chunk.
	rawLines, trim bool
	flush          bool // flush the writer at each interval end (spool)
	stream         string
	fill           filler   // runInterval's state, kept across intervals
	broken         []string // the tokens left out because they cannot produce a value, as problems

	next          time.Time
	intervals     int       // intervals done that count towards end
	backfillUntil time.Time // intervals scheduled up to this time are backfill
	backfillTotal int
	backfillDone  int
	order         int
	key           string    // checkpoint key
	fp            string    // configuration fingerprint: a reload restarts the stanza when it changes
	start         time.Time // when the stanza was scheduled (run start or the reload that added it)

	events atomic.Int64
	bytes  atomic.Int64
	done   atomic.Int64                // intervals done
	lag    atomic.Int64                // ns between an interval's scheduled time and its start
	lastMu sync.Mutex                  // guards last: no allocation per interval
	last   Interval                    // the last completed interval
	ended  atomic.Bool                 // reached its end
	err    atomic.Pointer[stanzaError] // why the stanza stopped early
}

type stanzaError struct{ err error }

// Shard is the share of every stanza this engine generates (Options.Shard).
func (e *Engine) Shard() shard.Shard { return e.opts.Shard }

// Err is why the stanza stopped before its end, or nil.
func (st *Stanza) Err() error {
	if p := st.err.Load(); p != nil {
		return p.err
	}
	return nil
}

func (st *Stanza) setErr(err error) { st.err.Store(&stanzaError{err}) }

// fail stops one stanza; the others keep running.
func (e *Engine) fail(st *Stanza, err error) {
	st.setErr(err)
	e.log.Error("stanza stopped", "stanza", st.Sample.Name(), "error", err)
}

// BrokenTokens describes the tokens the stanza runs without because they
// cannot produce a value (file:line, token and cause), one per token.
func (st *Stanza) BrokenTokens() []string { return st.broken }

// Stats are a sample's counters, safe to read while Run runs.
type Stats struct {
	Events, Bytes, Intervals int64
	Lag                      time.Duration
	// Ended is set once the stanza reached its end (end, an end time, or
	// a checkpoint that says so); Err says why it stopped otherwise.
	Ended bool
}

// Stats returns the sample's counters.
func (st *Stanza) Stats() Stats {
	return Stats{Events: st.events.Load(), Bytes: st.bytes.Load(), Intervals: st.done.Load(), Lag: time.Duration(st.lag.Load()),
		Ended: st.ended.Load()}
}

// Delivery returns the counters of the stanza's destination when it is
// an output that keeps them (the network outputs, delivery.Stats), the
// destination's key, and whether it does. Stanzas writing to the same
// destination share it, and its counters.
func (st *Stanza) Delivery() (stats delivery.Stats, dest string, ok bool) {
	if st.w == nil {
		return delivery.Stats{}, "", false
	}
	d, ok := st.w.Dst().(interface{ Stats() delivery.Stats })
	if !ok {
		return delivery.Stats{}, st.w.Name(), false
	}
	return d.Stats(), st.w.Name(), true
}

// Interval is a stanza's last completed interval (for replay, its last
// batch of due events), with the totals as they were at its end: figures
// published together, so that a status line built from them agrees with
// itself even while the next interval is running.
type Interval struct {
	Done                    int64 // intervals done, this one included
	Events, Bytes           int64 // of this interval
	TotalEvents, TotalBytes int64 // of the stanza, up to the end of this interval
}

// LastInterval returns the last completed interval; zero before the first.
func (st *Stanza) LastInterval() Interval {
	st.lastMu.Lock()
	defer st.lastMu.Unlock()
	return st.last
}

// Engine is a prepared run.
type Engine struct {
	opts    Options
	stanzas []*Stanza
	outs    *output.Set
	stdout  *output.Writer
	stdEnc  output.Encoder
	network []io.WriteCloser // destinations with a Shutdown method (network outputs), for Shutdown
	log     *slog.Logger

	seed      uint64
	countSeed uint64 // the rater's and eventLens' seed: seed, or 0 for shards without one
	nextOrder int    // configuration order of the next prepared stanza

	// mu guards what Reload and Stanzas share with Run.
	mu      sync.Mutex
	pending *reloadRequest     // the newest reload Run has not applied yet
	wake    context.CancelFunc // interrupts Run's sleep (Options.Watch)
	ended   bool               // Run has returned
	begun   bool               // the stdout stream's header is written
}

// Prepare compiles every sample (sample files read, tokens compiled,
// outputs opened). A sample that fails is reported in the returned
// problems and left out; the others still run.
func Prepare(samples []*config.Sample, opts Options) (*Engine, []config.Problem) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.Format == "" {
		opts.Format = "raw"
	}
	e := &Engine{opts: opts, outs: output.NewSet(), log: opts.Log}
	var problems []config.Problem
	enc, err := output.NewEncoder(opts.Format)
	if err != nil {
		problems = append(problems, config.Problem{Severity: config.Error, Msg: err.Error()})
		return e, problems
	}
	e.stdEnc = enc
	e.seed, e.countSeed = opts.Seed, opts.Seed
	if !opts.HasSeed {
		e.seed = rand.Uint64()
		if opts.Shard.Whole() {
			e.countSeed = e.seed
		}
		// else the counts' stream is the same in every shard (seed 0) so
		// that they add up without a seed; the values are the shard's own
	}
	files := token.NewFileCache()
	for _, s := range samples {
		st, ps := e.prepare(s, files)
		problems = append(problems, ps...)
		if st != nil {
			e.stanzas = append(e.stanzas, st)
		}
	}
	return e, problems
}

// prepare compiles one sample: generator, tokens, output. It returns nil
// and the reasons when the sample cannot run.
func (e *Engine) prepare(s *config.Sample, files *token.FileCache) (*Stanza, []config.Problem) {
	opts := e.opts
	var problems []config.Problem
	// The stream depends on the stanza and the file's name, not on
	// where the app is installed, so a seed reproduces anywhere.
	key := stanzaKey(s)
	pcg := rand.NewPCG(e.seed, hash(key))
	st := &Stanza{Sample: s, order: e.nextOrder, key: key, fp: fingerprint(s), rng: rand.New(pcg), pcg: pcg, key64: mix(e.seed ^ mix(hash(key))), countKey: mix(e.countSeed ^ mix(hash(key)))}
	e.nextOrder++
	for _, p := range s.LeftOut {
		st.broken = append(st.broken, p.String())
	}
	warn := func(msg string) {
		problems = append(problems, config.Problem{Severity: config.Warning, File: s.File, Line: s.Line, Stanza: s.Stanza, Msg: msg})
	}
	tokenWarn := func(spec token.Spec, msg string) {
		p := config.Problem{Severity: config.Warning, File: s.File, Line: s.Line, Stanza: s.Stanza, Msg: msg}
		if spec.File != "" {
			p.File, p.Line = spec.File, spec.Line
		}
		problems = append(problems, p)
	}
	broken := func(te *token.Error) {
		p := config.Problem{Severity: config.Warning, File: s.File, Line: s.Line, Stanza: s.Stanza,
			Msg: te.Error() + "; the stanza generates without this token: the text it matches stays as written"}
		if te.Spec.File != "" {
			p.File, p.Line = te.Spec.File, te.Spec.Line
		}
		problems = append(problems, p)
		st.broken = append(st.broken, p.String())
	}
	gen, replay, err := generate.Open(generate.Params{Sample: s, Rand: st.rng, PCG: st.pcg, Files: files, Warn: warn, Broken: broken, TokenWarn: tokenWarn, Log: e.log.With("stanza", s.Name()),
		Year: opts.Clock.Now().Year()})
	if err != nil {
		p := config.Problem{Severity: config.Error, File: s.File, Line: s.Line, Stanza: s.Stanza, Msg: err.Error()}
		var te *token.Error
		if errors.As(err, &te) && te.Spec.File != "" {
			p.File, p.Line, p.Msg = te.Spec.File, te.Spec.Line, te.Error()
		}
		return nil, append(problems, p)
	}
	if replay != nil {
		st.replay = &replayState{r: replay}
	}
	st.gen = gen
	st.rgen = rangedFork(gen, &st.src)
	st.ranged = st.rgen != nil
	st.evs.init(&st.src)
	// The rater draws randomizeCount from a stream of its own, so that
	// every shard, whatever share of the events it renders, decides the
	// same counts.
	rrng := rand.New(rand.NewPCG(e.countSeed, hash(key)^0x9e3779b97f4a7c15))
	st.rate = newRater(s, rrng, naturalCount(gen, replay), avgLen(gen), st.eventLens())
	if !e.available(s.OutputMode) {
		// config.Load reports this (or applies its fallback) when given
		// the build's Outputs; this is the guard for callers that did not.
		v := s.Values["outputMode"]
		return nil, append(problems, config.Problem{Severity: config.Error, File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "outputMode",
			Msg: fmt.Sprintf("outputMode %s is not available in this build (available: %s); the CLI can redirect with --output stdout", s.OutputMode, strings.Join(Outputs(), ", "))})
	}
	// The output's settings are checked here, opening nothing, so that
	// eventgen validate (NoOutput) and generate agree.
	if err := outputs.Validate(s); err != nil {
		return nil, append(problems, s.SettingProblems(err)...)
	}
	if opts.NoOutput {
		return st, problems
	}
	if err := e.openOutput(st); err != nil {
		v := s.Values["outputMode"]
		return nil, append(problems, config.Problem{Severity: config.Error, File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "outputMode", Msg: err.Error()})
	}
	return st, problems
}

// stanzaKey names a sample across runs and reloads: its stanza and its
// file's name, not where the app is installed.
func stanzaKey(s *config.Sample) string { return s.Stanza + "\x00" + filepath.Base(s.Path) }

func hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// openOutput attaches a sample to the writer of its destination: the
// registry opens the sample's outputMode, and samples whose outputs have
// the same Key share one Writer.
func (e *Engine) openOutput(st *Stanza) error {
	s := st.Sample
	o, err := outputs.Open(s, outputs.Env{
		Stdout:       e.opts.Stdout,
		Format:       e.stdEnc,
		StreamStanza: e.opts.StreamStanza,
		Splice:       e.opts.Splice,
		Log:          e.log.With("stanza", s.Name(), "output", s.OutputMode),
	})
	if err != nil {
		return err
	}
	qb := o.QueueBytes
	if qb == 0 {
		qb = queueBytes(s)
	}
	if qb == 0 {
		qb = o.DefaultQueueBytes
	}
	var opened io.WriteCloser
	st.w, err = e.outs.GetSized(o.Key, qb, func() (io.WriteCloser, error) {
		if o.Dst != nil {
			opened = o.Dst
			return o.Dst, nil
		}
		d, err := o.Open()
		opened = d
		return d, err
	})
	if o.Dst != nil && opened == nil {
		o.Dst.Close() // the destination is shared with an earlier stanza
	}
	if _, ok := opened.(interface{ Shutdown(time.Duration) }); ok {
		e.network = append(e.network, opened)
	}
	if err != nil {
		return err
	}
	st.enc = o.Enc
	st.spans = st.w.TakesBatches()
	st.keyed = nil
	if k, ok := o.Enc.(output.KeyedEncoder); ok && st.spans {
		st.keyed = k
	}
	st.rawLines, st.trim = false, false
	if l, ok := o.Enc.(output.RawLiner); ok {
		st.rawLines, st.trim = true, l.RawLines()
	}
	st.stream = o.Stanza
	st.flush = o.Flush
	if o.Stdout {
		e.stdout = st.w
	}
	return nil
}

// queueBytes is the bound of the queue between a sample's generation and
// its output (outputQueueBytes): when the output is slower, generation
// waits instead of holding events in memory.
func queueBytes(s *config.Sample) int {
	if v, ok := s.Values["outputQueueBytes"]; ok {
		if n, err := strconv.Atoi(strings.TrimSpace(v.Text)); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// available reports whether this build can open an output mode.
func (e *Engine) available(mode string) bool { return slices.Contains(Outputs(), mode) }

// Outputs lists the output modes this build has: the local ones first,
// then the registered network outputs.
func Outputs() []string {
	avail := outputs.Available()
	var modes []string
	for _, m := range config.LocalOutputs {
		if slices.Contains(avail, m) {
			modes = append(modes, m)
		}
	}
	for _, m := range avail {
		if !slices.Contains(config.LocalOutputs, m) {
			modes = append(modes, m)
		}
	}
	return modes
}

// Stanzas returns the prepared samples: those of the last Reload, if any.
// It is safe to call while Run runs.
func (e *Engine) Stanzas() []*Stanza {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.stanzas)
}

// Run generates until every sample has ended or ctx is done, then
// flushes and closes the outputs.
func (e *Engine) Run(ctx context.Context) (err error) {
	defer func() {
		e.stop()
		// A network output whose receiver is down keeps retrying (nothing is
		// lost while it runs); at the end it gets a bounded grace: 2 s when
		// the run was stopped (splunkd's grace period), a minute otherwise.
		// What it could not deliver by then it reports as not sent.
		grace := time.Minute
		if ctx.Err() != nil {
			grace = 2 * time.Second
		}
		for _, d := range e.network {
			if s, ok := d.(interface{ Shutdown(time.Duration) }); ok {
				s.Shutdown(grace)
			}
		}
		var closeErr error
		if e.stdout != nil {
			if b := e.stdEnc.End(nil); len(b) > 0 {
				closeErr = e.stdout.Submit(&output.Batch{Buf: b})
			}
		}
		closeErr = errors.Join(closeErr, e.outs.CloseAll())
		// A write error shows up asynchronously: charge it to every stanza
		// of that output, so each says why it stopped.
		for _, st := range e.stanzas {
			if st.Err() == nil && st.w != nil && st.w.Err() != nil {
				st.setErr(st.w.Err())
			}
			if serr := st.Err(); serr != nil {
				err = errors.Join(err, fmt.Errorf("[%s]: %w", st.Sample.Name(), serr))
			}
		}
		if err == nil {
			err = closeErr
		}
	}()
	if err := e.begin(); err != nil {
		return err
	}
	start := e.opts.Clock.Now()
	q := &queue{}
	for _, st := range e.Stanzas() {
		if e.schedule(st, start, true) {
			heap.Push(q, st)
		}
	}
	for {
		if q.Len() == 0 && !e.opts.Watch {
			return nil
		}
		var st *Stanza
		var until time.Time
		if q.Len() > 0 {
			st = heap.Pop(q).(*Stanza)
			until = st.next
		}
		woken, err := e.sleep(ctx, until)
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return nil
			}
			return err
		}
		if woken {
			if st != nil {
				heap.Push(q, st)
			}
			if err := e.applyReload(q); err != nil {
				return err
			}
			continue
		}
		if e.step(ctx, st, q) {
			heap.Push(q, st)
		}
		if ctx.Err() != nil {
			return nil
		}
		if e.opts.Watch && e.stdout != nil && e.stdout.Err() != nil {
			// Under Watch stdout is splunkd (the modular input): once it
			// is gone nothing can be delivered, and waiting for a reload
			// would keep a process splunkd has left.
			return e.stdout.Err()
		}
	}
}

// begin writes the stdout stream's header once, when a stanza writes to
// stdout (at start, or when a reload adds the first such stanza).
func (e *Engine) begin() error {
	if e.stdout == nil || e.begun {
		return nil
	}
	e.begun = true
	if b := e.stdEnc.Begin(nil); len(b) > 0 {
		return e.stdout.Submit(&output.Batch{Buf: b})
	}
	return nil
}
