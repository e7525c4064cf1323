package engine

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// ReloadResult says what a Reload did, by stanza name (Sample.Name).
type ReloadResult struct {
	Started   []string // new samples, scheduled from now
	Stopped   []string // samples no longer configured (removed, disabled, or now failing to prepare)
	Restarted []string // samples whose configuration changed
	Unchanged []string // samples left running as they were
	Problems  []config.Problem
}

// Changed reports whether the reload started, stopped or restarted anything.
func (r ReloadResult) Changed() bool {
	return len(r.Started)+len(r.Stopped)+len(r.Restarted) > 0
}

// ErrSuperseded is what Reload returns when a newer Reload replaced its
// request before Run applied it.
var ErrSuperseded = errors.New("reload superseded by a newer one")

// ErrStopped is what Reload returns once Run has returned.
var ErrStopped = errors.New("the engine has stopped")

type reloadRequest struct {
	samples []*config.Sample
	done    chan ReloadResult // closed without a value when superseded
}

// Reload replaces the configuration of a running engine (Options.Watch)
// and returns once Run has applied it, between two intervals:
//
//   - a sample whose configuration (every effective setting, its sample
//     file's size and modification time) is unchanged keeps running as it
//     was: same schedule, same random stream, same checkpoint;
//   - a changed sample is prepared again and continues the old one's
//     schedule (next interval, intervals done towards end, backfill
//     progress), so no interval is generated twice or skipped; a replay,
//     or one that had ended or failed, starts afresh;
//   - a new sample starts now, with its backfill if it has one;
//   - a removed sample stops and its checkpoint is deleted, so that it
//     starts afresh if it comes back.
//
// A sample that fails to prepare is reported in Problems; if it was
// running it is stopped (its old configuration is not kept running, since
// what runs must be what the configuration says).
func (e *Engine) Reload(ctx context.Context, samples []*config.Sample) (ReloadResult, error) {
	if !e.opts.Watch {
		return ReloadResult{}, errors.New("engine: Reload needs Options.Watch")
	}
	req := &reloadRequest{samples: samples, done: make(chan ReloadResult, 1)}
	e.mu.Lock()
	if e.ended {
		e.mu.Unlock()
		return ReloadResult{}, ErrStopped
	}
	if e.pending != nil {
		close(e.pending.done)
	}
	e.pending = req
	if e.wake != nil {
		e.wake()
	}
	e.mu.Unlock()
	select {
	case r, ok := <-req.done:
		if !ok {
			e.mu.Lock()
			ended := e.ended
			e.mu.Unlock()
			if ended {
				return ReloadResult{}, ErrStopped
			}
			return ReloadResult{}, ErrSuperseded
		}
		return r, nil
	case <-ctx.Done():
		return ReloadResult{}, ctx.Err()
	}
}

// stop marks Run as returned and releases a waiting Reload.
func (e *Engine) stop() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ended = true
	if e.pending != nil {
		close(e.pending.done)
		e.pending = nil
	}
}

// sleep waits until the next stanza is due (until; zero: no stanza, wait
// for a reload). With Options.Watch a Reload interrupts it: woken is then
// true.
func (e *Engine) sleep(ctx context.Context, until time.Time) (woken bool, err error) {
	if !e.opts.Watch {
		return false, e.opts.Clock.SleepUntil(ctx, until)
	}
	e.mu.Lock()
	if e.pending != nil {
		e.mu.Unlock()
		return true, nil
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	e.wake = cancel
	e.mu.Unlock()
	if until.IsZero() {
		<-sctx.Done()
		err = sctx.Err()
	} else {
		err = e.opts.Clock.SleepUntil(sctx, until)
	}
	e.mu.Lock()
	e.wake = nil
	woken = e.pending != nil
	e.mu.Unlock()
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if woken {
		return true, nil
	}
	return false, err
}

// applyReload carries out the pending Reload; it runs in Run's goroutine,
// so the schedule q and the stanzas change between intervals only.
func (e *Engine) applyReload(q *queue) error {
	e.mu.Lock()
	req := e.pending
	e.pending = nil
	e.mu.Unlock()
	if req == nil {
		return nil
	}
	now := e.opts.Clock.Now()
	cur := make(map[string]*Stanza, len(e.stanzas))
	for _, st := range e.stanzas {
		cur[st.key] = st
	}
	queued := make(map[*Stanza]int, q.Len())
	for i, st := range *q {
		queued[st] = i
	}
	var res ReloadResult
	files := token.NewFileCache()
	next := make([]*Stanza, 0, len(req.samples))
	seen := make(map[string]bool, len(req.samples))
	drop := func(old *Stanza) {
		if i, ok := queued[old]; ok {
			(*q)[i] = nil
			delete(queued, old)
		}
		e.forget(old)
	}
	for _, s := range req.samples {
		key := stanzaKey(s)
		if seen[key] {
			continue
		}
		seen[key] = true
		old := cur[key]
		if old != nil && old.fp == fingerprint(s) {
			next = append(next, old)
			res.Unchanged = append(res.Unchanged, old.Sample.Name())
			continue
		}
		st, problems := e.prepare(s, files)
		res.Problems = append(res.Problems, problems...)
		if st == nil {
			if old != nil {
				drop(old)
				res.Stopped = append(res.Stopped, old.Sample.Name())
			}
			continue
		}
		next = append(next, st)
		if old == nil {
			res.Started = append(res.Started, st.Sample.Name())
		} else {
			res.Restarted = append(res.Restarted, st.Sample.Name())
		}
		if i, ok := queued[old]; ok && old.replay == nil && st.replay == nil {
			st.continueFrom(old)
			(*q)[i] = st
			delete(queued, old)
			continue
		}
		if old != nil {
			drop(old)
		} else {
			e.forget(st) // a checkpoint left from before it was removed
		}
		if e.schedule(st, now, false) {
			*q = append(*q, st)
		}
	}
	for key, old := range cur {
		if !seen[key] {
			drop(old)
			res.Stopped = append(res.Stopped, old.Sample.Name())
		}
	}
	*q = slices.DeleteFunc(*q, func(st *Stanza) bool { return st == nil })
	heap.Init(q)
	slices.Sort(res.Stopped)
	e.mu.Lock()
	e.stanzas = next
	e.mu.Unlock()
	err := e.begin()
	req.done <- res
	return err
}

// continueFrom takes over a running stanza's schedule and counters: the
// new configuration applies from the next interval on.
func (st *Stanza) continueFrom(old *Stanza) {
	st.start, st.next, st.intervals = old.start, old.next, old.intervals
	st.backfillUntil, st.backfillTotal, st.backfillDone = old.backfillUntil, old.backfillTotal, old.backfillDone
	st.order = old.order
	*st.rate.carried() = *old.rate.carried() // what the old rater owed or overshot
	st.events.Store(old.events.Load())
	st.bytes.Store(old.bytes.Load())
	st.done.Store(old.done.Load())
	st.last = old.LastInterval()
}

// fingerprint identifies a sample's configuration: every effective
// setting and token (not where they were set), the stanzas layered under
// it, and the sample file's identity, so that a reload restarts exactly the samples
// whose output would change.
func fingerprint(s *config.Sample) string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(strconv.Itoa(len(p))))
			h.Write([]byte{':'})
			h.Write([]byte(p))
		}
	}
	w(s.Stanza, s.Path, s.SampleDir)
	w(s.Layered...)
	keys := make([]string, 0, len(s.Values))
	for k := range s.Values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w(k, s.Values[k].Text)
	}
	specs := s.Tokens
	if s.HostToken != nil {
		specs = append(slices.Clip(specs), *s.HostToken)
	}
	specs = append(slices.Clip(specs), s.AllTokens...)
	for _, sp := range specs {
		w(strconv.Itoa(sp.N), sp.Regex, sp.Type, sp.Replacement)
	}
	w(strconv.Itoa(s.HostField))
	if s.Path != "" {
		if fi, err := os.Stat(s.Path); err == nil {
			w(strconv.FormatInt(fi.Size(), 10), strconv.FormatInt(fi.ModTime().UnixNano(), 10))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
