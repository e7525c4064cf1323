package engine

import (
	"context"
	"time"
)

// Scheduling: every stanza is due at its next time (st.next); Run sleeps
// until the earliest, and step runs it. A stanza's schedule starts at
// the run's start (after delay), or in the past with backfill, or where
// its checkpoint says the last run stopped; replay mode is scheduled
// event by event instead (replay.go).

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
		// The backfill is the first generation: after delay, as in
		// Eventgen, it fills the time up to then.
		base := st.next
		step := time.Duration(s.Interval) * time.Second
		if from := s.Backfill.Resolve(base.In(s.Location)); from.Before(base) {
			st.next, st.backfillUntil = from, base
			st.backfillTotal = int(base.Sub(from)/step) + 1
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
	} else if e.backfillProgress(st, now) {
		// The whole backfill counts as one execution toward end, as in
		// Eventgen (end = 1 generates the backfill only).
		st.intervals++
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
	if last != nil && len(last.Buf) > 0 {
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
// tenth of the way, and when it reaches the present; it reports whether
// this was the backfill's last interval.
func (e *Engine) backfillProgress(st *Stanza, reached time.Time) (last bool) {
	st.backfillDone++
	step := max(st.backfillTotal/10, 1)
	next := st.next.Add(time.Duration(st.Sample.Interval) * time.Second)
	switch {
	case next.After(st.backfillUntil):
		e.log.Info("backfill done; continuing in real time", "stanza", st.Sample.Name(), "intervals", st.backfillDone, "reached", reached.Format(time.RFC3339))
		return true
	case st.backfillDone%step == 0:
		e.log.Info("backfill progress", "stanza", st.Sample.Name(), "intervals_done", st.backfillDone, "intervals_total", st.backfillTotal, "reached", reached.Format(time.RFC3339))
	}
	return false
}
