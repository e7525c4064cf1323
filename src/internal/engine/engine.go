// Package engine runs samples: one schedule per sample, on a real or
// simulated clock, each interval's events flowing generator → encoder →
// the single writer of their destination.
//
// The event path, top to bottom: run picks the next due sample →
// runInterval decides the count (count, rate tables, randomizeCount) →
// the generator fills token slots into a reused buffer → the encoder
// appends the wire form to a 64 KiB chunk → the destination's Writer
// writes whole chunks from its own goroutine.
package engine

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math"
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
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// chunkSize is the size at which an interval's encoded events are handed
// to the writer: large writes, few syscalls.
const chunkSize = 64 << 10

// Options configure a run.
type Options struct {
	Clock   clock.Clock // nil = real clock
	Seed    uint64      // with HasSeed, makes output reproducible
	HasSeed bool
	// EndIntervals overrides every sample's end when > 0.
	EndIntervals int
	// OutputMode overrides every sample's outputMode when set.
	OutputMode string
	// Stdout receives modinput/stdout samples, encoded as Format.
	Stdout io.Writer
	Format string
	Log    *slog.Logger
	// NoOutput prepares generators without opening outputs (validate).
	NoOutput bool
	// StreamStanza, when set, is the stanza attribute of events written to
	// Stdout (the modular input's own stanza, e.g. modinput_eventgen://default).
	StreamStanza string
	// Checkpoints, when set, remembers each sample's schedule so that a
	// restart continues where the last run stopped.
	Checkpoints Checkpoints
	// OutputFallback, when set, replaces an outputMode this build does not
	// have (e.g. network outputs in the Splunk Cloud build) with a warning
	// instead of an error. Inside Splunk, Eventgen 7.2.1 sent every stanza
	// that was not spool or file to the modular input; ours does the same
	// for outputs it lacks.
	OutputFallback string
	// Watch keeps Run going when no stanza is left, until ctx is done, so
	// that Reload can start new ones (the modular input, which splunkd
	// would otherwise restart in a loop).
	Watch bool
}

// Stanza is a prepared sample: its generator and destination.
type Stanza struct {
	Sample *config.Sample
	gen    generate.Generator
	replay *replayState
	rng    *rand.Rand
	w      *output.Writer
	enc    output.Encoder
	flush  bool // flush the writer at each interval end (spool)
	stream string
	fill   filler // runInterval's state, kept across intervals

	next          time.Time
	intervals     int       // intervals done that count towards end
	backfillUntil time.Time // intervals scheduled up to this time are backfill
	backfillTotal int
	backfillDone  int
	carry         float64 // volume targets: what earlier intervals owe (+) or overshot (-)
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
	nextOrder int // configuration order of the next prepared stanza

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
	e.seed = opts.Seed
	if !opts.HasSeed {
		e.seed = rand.Uint64()
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
	if opts.OutputMode != "" {
		s.OutputMode = opts.OutputMode
		if s.OutputMode == "file" && s.FileName == "" {
			s.FileName = filepath.Join(s.SpoolDir, s.SpoolFile)
		}
	}
	if opts.EndIntervals > 0 {
		s.End = config.End{Intervals: opts.EndIntervals}
	}
	// The stream depends on the stanza and the file's name, not on
	// where the app is installed, so a seed reproduces anywhere.
	key := stanzaKey(s)
	st := &Stanza{Sample: s, order: e.nextOrder, key: key, fp: fingerprint(s), rng: rand.New(rand.NewPCG(e.seed, hash(key)))}
	e.nextOrder++
	warn := func(msg string) {
		problems = append(problems, config.Problem{Severity: config.Warning, File: s.File, Line: s.Line, Stanza: s.Stanza, Msg: msg})
	}
	var gen generate.Generator
	var err error
	if s.Generator == "replay" {
		var r *generate.Replay
		if r, err = generate.NewReplay(s, st.rng, files, warn, opts.Clock.Now().Year()); err == nil {
			st.replay = &replayState{r: r}
			gen = replayCounter{r}
		}
	} else {
		gen, err = generate.New(s, st.rng, files, warn)
	}
	if err != nil {
		p := config.Problem{Severity: config.Error, File: s.File, Line: s.Line, Stanza: s.Stanza, Msg: err.Error()}
		var te *token.Error
		if errors.As(err, &te) && te.Spec.File != "" {
			p.File, p.Line, p.Msg = te.Spec.File, te.Spec.Line, te.Error()
		}
		return nil, append(problems, p)
	}
	st.gen = gen
	if !e.available(s.OutputMode) {
		v := s.Values["outputMode"]
		if opts.OutputFallback == "" {
			return nil, append(problems, config.Problem{Severity: config.Error, File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "outputMode",
				Msg: fmt.Sprintf("outputMode %s is not available in this build (available: %s); the CLI can redirect with --output stdout", s.OutputMode, strings.Join(Outputs(), ", "))})
		}
		problems = append(problems, config.Problem{Severity: config.Warning, File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "outputMode",
			Msg: fmt.Sprintf("outputMode %s is not available in this build; events go to %s instead, as Eventgen 7.2.1 did inside Splunk", s.OutputMode, opts.OutputFallback)})
		s.OutputMode = opts.OutputFallback
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
		Log:          e.log.With("stanza", s.Name(), "output", s.OutputMode),
	})
	if err != nil {
		return err
	}
	qb := o.QueueBytes
	if qb == 0 {
		qb = queueBytes(s)
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

// queue orders stanzas by next run time, then configuration order, so
// that runs on the simulated clock are reproducible.
type queue []*Stanza

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].next.Equal(q[j].next) {
		return q[i].next.Before(q[j].next)
	}
	return q[i].order < q[j].order
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*Stanza)) }
func (q *queue) Pop() any     { old := *q; x := old[len(old)-1]; *q = old[:len(old)-1]; return x }

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
				closeErr = e.stdout.Submit(b)
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
		return e.stdout.Submit(b)
	}
	return nil
}

// schedule places a stanza at its first interval: start (after delay),
// or the start of its backfill, or with restore where its checkpoint says
// the last run stopped. It reports false when there is nothing to do.
func (e *Engine) schedule(st *Stanza, start time.Time, restore bool) bool {
	s := st.Sample
	st.start = start
	if s.End.Intervals == 0 {
		e.log.Info("stanza ends before its first interval (end = 0): nothing to generate", "stanza", s.Name())
		st.ended.Store(true)
		return false
	}
	st.next = start.Add(s.Delay)
	if st.replay != nil {
		if !e.setupReplay(st, start, restore) {
			st.ended.Store(true)
			return false
		}
		return true
	}
	if s.Backfill != nil {
		step := time.Duration(s.Interval) * time.Second
		if from := s.Backfill.Resolve(start.In(s.Location)); from.Before(start) {
			st.next, st.backfillUntil = from, start
			st.backfillTotal = int(start.Sub(from)/step) + 1
		}
	}
	if !restore {
		return true
	}
	if cp, ok := e.restore(st); ok {
		if cp.Finished || (s.End.Intervals > 0 && cp.Intervals >= s.End.Intervals) {
			e.log.Info("stanza already reached its end in an earlier run (checkpoint): nothing to generate", "stanza", s.Name(), "intervals", cp.Intervals)
			st.ended.Store(true)
			return false
		}
		st.next, st.intervals, st.backfillUntil = cp.Next, cp.Intervals, cp.BackfillUntil
		st.done.Store(int64(cp.Intervals))
		if behind := start.Sub(cp.Next); behind > 0 && s.Interval > 0 {
			e.log.Info("resuming from checkpoint: catching up the intervals missed while stopped", "stanza", s.Name(),
				"from", cp.Next.Format(time.RFC3339), "intervals", int(behind/(time.Duration(s.Interval)*time.Second))+1)
		}
	}
	return true
}

// step runs a due stanza's interval (or, for replay, its due events) and
// reports whether it has more to do.
func (e *Engine) step(ctx context.Context, st *Stanza, q *queue) bool {
	// An interval's "now" is its scheduled time: on the real clock that
	// is the moment it wakes; when catching up after a restart it is
	// the missed interval's own time, so its events land where they
	// would have.
	now := st.next
	s := st.Sample
	if at := s.End.At; at != nil && !now.Before(at.Resolve(st.start.In(s.Location))) {
		e.log.Info("stanza reached its end time", "stanza", s.Name())
		e.save(st, true)
		st.ended.Store(true)
		return false
	}
	st.lag.Store(int64(e.opts.Clock.Now().Sub(now)))
	events, bytes := st.events.Load(), st.bytes.Load()
	defer func() {
		te, tb := st.events.Load(), st.bytes.Load()
		st.lastMu.Lock()
		st.last = Interval{Done: st.done.Load(), Events: te - events, Bytes: tb - bytes, TotalEvents: te, TotalBytes: tb}
		st.lastMu.Unlock()
	}()
	if st.replay != nil {
		finished, err := e.replayStep(ctx, st, q, st.start)
		if err != nil {
			if ctx.Err() == nil {
				e.fail(st, err)
			}
			return false
		}
		if finished {
			st.ended.Store(true)
		}
		return !finished
	}
	last, err := e.runInterval(ctx, st, now)
	if err != nil {
		if ctx.Err() == nil { // else stopped mid-interval; the interval is redone after a restart
			e.fail(st, err)
		}
		return false
	}
	if now.After(st.backfillUntil) {
		st.intervals++
	} else {
		e.backfillProgress(st, now)
	}
	st.done.Add(1)
	finished := s.Interval == 0 || (s.End.Intervals > 0 && st.intervals >= s.End.Intervals)
	st.next = st.next.Add(time.Duration(s.Interval) * time.Second)
	// The checkpoint is saved before the interval's last chunk is
	// handed to the writer: a process killed once its output was seen
	// does not repeat that interval after a restart.
	if err := e.save(st, finished); err != nil {
		e.log.Warn("cannot write checkpoint; a restart may repeat this interval", "stanza", s.Name(), "error", err)
	}
	if len(last) > 0 {
		if err := st.w.Submit(last); err != nil {
			e.fail(st, err)
			return false
		}
	}
	if st.flush {
		if err := st.w.Flush(); err != nil {
			e.fail(st, err)
			return false
		}
	}
	if finished {
		st.ended.Store(true)
	}
	return !finished
}

// backfillProgress logs a backfilling stanza's progress about every
// tenth of the way, and when it reaches the present.
func (e *Engine) backfillProgress(st *Stanza, reached time.Time) {
	st.backfillDone++
	step := max(st.backfillTotal/10, 1)
	next := st.next.Add(time.Duration(st.Sample.Interval) * time.Second)
	switch {
	case next.After(st.backfillUntil):
		e.log.Info("backfill done; continuing in real time", "stanza", st.Sample.Name(), "intervals", st.backfillDone, "reached", reached.Format(time.RFC3339))
	case st.backfillDone%step == 0:
		e.log.Info("backfill progress", "stanza", st.Sample.Name(), "intervals_done", st.backfillDone, "intervals_total", st.backfillTotal, "reached", reached.Format(time.RFC3339))
	}
}

// Count returns how many events an interval at now should have:
// count (or the sample's length for -1) × rate tables × randomizeCount,
// rounded half to even as Python's round() (inventory §3.2); under eps,
// eps × interval × rates, the fraction carried to the next interval.
// It draws from the stanza's random stream: call it once per interval.
func (st *Stanza) Count(now time.Time) int {
	s := st.Sample
	if s.EPS > 0 {
		exact := s.EPS*float64(max(s.Interval, 1))*st.factor(now, true) + st.carry
		n := math.Floor(exact)
		st.carry = exact - n
		return int(n)
	}
	if s.Count < 0 && s.Rates.Empty() && s.RandomizeCount == 0 {
		return -1
	}
	base := s.Count
	if base < 0 {
		base = st.naturalCount()
	}
	return int(math.RoundToEven(float64(base) * st.factor(now, true)))
}

// Estimate is about how many events an interval at now will have, for
// messages; unlike Count it changes nothing.
func (st *Stanza) Estimate(now time.Time) int {
	s := st.Sample
	f := st.factor(now, false)
	switch {
	case s.EPS > 0:
		return int(s.EPS * float64(max(s.Interval, 1)) * f)
	case s.PerDayVolume > 0 || s.KBps > 0:
		avg := int64(100)
		if a, ok := st.gen.(interface{ AvgLen() int64 }); ok {
			avg = a.AvgLen()
		}
		return int(st.budget(now, false) / avg)
	}
	base := s.Count
	if base < 0 {
		base = st.naturalCount()
	}
	n := int(math.RoundToEven(float64(base) * f))
	if s.BundleLines {
		n = max(n, 1) * st.naturalCount()
	}
	return n
}

// factor is the rate tables' value at now times, with draw, the
// randomizeCount draw.
func (st *Stanza) factor(now time.Time, draw bool) float64 {
	s := st.Sample
	f := s.Rates.Factor(now.In(s.Location))
	if draw && s.RandomizeCount > 0 {
		bound := int(math.Round(s.RandomizeCount * 1000))
		r := st.rng.IntN(bound + 1)
		f *= 1 + (float64(r)-float64(bound)/2)/1000
	}
	return f
}

// budget is the interval's byte budget under perDayVolume (GiB/day,
// Eventgen's perdayvolume rater: volume × interval / 86400, interval 0
// counting as a day) or kbps (KiB/s); 0 when neither is set.
func (st *Stanza) budget(now time.Time, draw bool) int64 {
	s := st.Sample
	var perInterval float64
	switch {
	case s.PerDayVolume > 0:
		iv := float64(s.Interval)
		if iv == 0 {
			iv = 86400
		}
		perInterval = s.PerDayVolume * (1 << 30) * iv / 86400
	case s.KBps > 0:
		perInterval = s.KBps * 1024 * float64(max(s.Interval, 1))
	default:
		return 0
	}
	return max(int64(math.Round(perInterval*st.factor(now, draw)+st.carry)), 1)
}

func (st *Stanza) naturalCount() int {
	if n, ok := st.gen.(interface{ Len() int }); ok {
		return n.Len()
	}
	return 60
}

// runInterval generates one interval's events into the stanza's writer.
// runInterval generates one interval's events into the stanza's writer,
// returning the last, partly filled chunk for the caller to submit.
func (e *Engine) runInterval(ctx context.Context, st *Stanza, now time.Time) ([]byte, error) {
	s := st.Sample
	loc := s.Location
	local := now.In(loc)
	earliest := s.Earliest.Resolve(local)
	latest := s.Latest.Resolve(local)
	if latest.Before(earliest) {
		return nil, fmt.Errorf("earliest (%s = %s) is after latest (%s = %s); swap them", s.Earliest, earliest.Format(time.RFC3339), s.Latest, latest.Format(time.RFC3339))
	}
	var count int
	budget := st.budget(now, true)
	if budget == 0 {
		count = st.Count(now)
	}
	k := intervalSink(ctx, st)
	produced := st.bytes.Load()
	if err := fill(k, st.gen, generate.Batch{Count: count, Bytes: budget, Earliest: earliest, Latest: latest}); err != nil {
		return nil, err
	}
	if budget > 0 {
		// Carry the difference over, so the volume over a day is exact
		// although intervals end on whole events.
		st.carry = float64(budget) - float64(st.bytes.Load()+k.Bytes-produced)
	}
	st.events.Add(int64(k.Events))
	st.bytes.Add(k.Bytes)
	if k.err != nil {
		return nil, k.err
	}
	if err := ctx.Err(); err != nil {
		// what was generated is written; the interval counts as not done
		if len(k.Buf) > 0 {
			st.w.Submit(k.Buf)
		}
		return nil, err
	}
	return k.Buf, nil
}
