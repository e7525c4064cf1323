package engine

import (
	"context"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// Replay mode is scheduled event by event, not by intervals: each event
// of the sample is due at its pass's start plus its offset in the sample
// (generate.Replayer), a pass follows the last one after interval
// seconds, and the engine wakes for the next due events. Backfill starts
// in an earlier pass; checkpoints record the pass and the event.

// replayState is where a replaying stanza is: the pass it is in (passes
// before 0 are backfill), when that pass started, and the next event.
type replayState struct {
	r         generate.Replayer
	pass      int
	passStart time.Time
	idx       int
	period    time.Duration // from one pass's start to the next
	chunk     *output.Batch
}

func (st *Stanza) replayIndex() int {
	if st.replay == nil {
		return 0
	}
	return st.replay.idx
}

// setupReplay places a replaying stanza at its first event: the first
// live pass starts at start (after delay); with backfill, it starts in an
// earlier pass at the first event not before start+backfill, so that the
// events of the backfill window come first, in time order, stamped in
// the past (clarifications.md). A checkpoint puts it where the last run
// stopped. It reports false when there is nothing left to do.
func (e *Engine) setupReplay(st *Stanza, start time.Time, restore bool) bool {
	s, rs := st.Sample, st.replay
	rs.period = rs.r.Span() + time.Duration(s.Interval)*time.Second
	if rs.period <= 0 {
		rs.period = time.Second // a one-instant sample: one pass per second, not a busy loop
	}
	rs.passStart = st.next
	if s.Backfill != nil {
		base := st.next // after delay, as the first live pass
		if from := s.Backfill.Resolve(base.In(s.Location)); from.Before(base) {
			k := int((base.Sub(from) + rs.period - 1) / rs.period)
			rs.pass, rs.passStart = -k, base.Add(-time.Duration(k)*rs.period)
			for rs.passStart.Add(rs.r.Offset(rs.idx)).Before(from) {
				rs.advance()
			}
			st.backfillUntil = base
		}
	}
	var cp Checkpoint
	var ok bool
	if restore {
		cp, ok = e.restore(st)
	}
	if ok {
		if cp.Finished || (s.End.Intervals > 0 && cp.Intervals >= s.End.Intervals) {
			e.log.Info("stanza already reached its end in an earlier run (checkpoint): nothing to generate", "stanza", s.Name(), "passes", cp.Intervals)
			return false
		}
		rs.passStart, rs.idx, st.intervals, st.backfillUntil = cp.Next, min(cp.Index, rs.r.Len()-1), cp.Intervals, cp.BackfillUntil
		rs.pass = 0
		if !cp.Next.After(cp.BackfillUntil) && !cp.BackfillUntil.IsZero() {
			rs.pass = -1
		}
		st.done.Store(int64(cp.Intervals))
		e.log.Info("resuming replay from checkpoint", "stanza", s.Name(), "pass_start", cp.Next.Format(time.RFC3339Nano), "event", cp.Index)
	}
	st.next = rs.passStart.Add(rs.r.Offset(rs.idx))
	return true
}

// advance moves to the next event, wrapping to the next pass.
func (rs *replayState) advance() (passDone bool) {
	rs.idx++
	if rs.idx < rs.r.Len() {
		return false
	}
	rs.idx = 0
	rs.pass++
	rs.passStart = rs.passStart.Add(rs.period)
	return true
}

// replayStep emits every event that is due: up to now on the real clock;
// on the simulated clock up to the next other stanza's due time, so that
// a replay runs in long batches but stays in time order with the others.
func (e *Engine) replayStep(ctx context.Context, st *Stanza, q *queue, start time.Time) (finished bool, err error) {
	s, rs := st.Sample, st.replay
	limit := e.opts.Clock.Now()
	sim := false
	if _, ok := e.opts.Clock.(*clock.Sim); ok {
		sim = true
		limit = time.Unix(1<<40, 0)
		if q.Len() > 0 {
			limit = (*q)[0].next
		}
	}
	var endAt time.Time
	if s.End.At != nil {
		endAt = s.End.At.Resolve(start.In(s.Location))
	}
	if rs.chunk == nil {
		rs.chunk = st.w.Buffer()
	}
	var events, bytes int64
	emit := func(ev *output.Event) bool {
		if st.stream != "" {
			ev.Stanza = st.stream
		}
		rs.chunk.Buf = st.appendEvent(rs.chunk.Buf, &rs.chunk.Ends, rs.chunk, ev)
		events++
		bytes += int64(len(ev.Raw))
		return true
	}
	discard := func(*output.Event) bool { return true }
	flush := func() error {
		st.events.Add(events)
		st.bytes.Add(bytes)
		events, bytes = 0, 0
		if len(rs.chunk.Buf) == 0 {
			return nil
		}
		err := st.w.Submit(rs.chunk)
		rs.chunk = st.w.Buffer()
		return err
	}
	defer func() {
		if ferr := flush(); err == nil {
			err = ferr
		}
		st.next = rs.passStart.Add(rs.r.Offset(rs.idx))
		if sim && !finished {
			e.opts.Clock.SleepUntil(ctx, st.next)
		}
		if finished || ctx.Err() != nil {
			e.save(st, finished)
		}
	}()
	for {
		t := rs.passStart.Add(rs.r.Offset(rs.idx))
		if !endAt.IsZero() && !t.Before(endAt) {
			e.log.Info("stanza reached its end time", "stanza", s.Name())
			return true, nil
		}
		if t.After(limit) {
			return false, nil
		}
		if sh := e.opts.Shard; sh.Owns(rs.idx) {
			rs.r.Emit(rs.idx, t, emit)
		} else {
			// another shard's event: rendered all the same, so that the
			// random draws of the events after it are every shard's
			rs.r.Emit(rs.idx, t, discard)
		}
		if len(rs.chunk.Buf) >= chunkSize {
			if err := flush(); err != nil {
				return false, err
			}
			if ctx.Err() != nil {
				return false, nil
			}
		}
		pass := rs.pass
		if rs.advance() {
			st.done.Add(1)
			if pass >= 0 {
				st.intervals++
			} else if rs.pass == 0 {
				e.log.Info("replay backfill done; continuing in real time", "stanza", s.Name(), "reached", t.Format(time.RFC3339))
			}
			done := s.End.Intervals > 0 && st.intervals >= s.End.Intervals
			if done {
				return true, nil
			}
			if e.opts.Checkpoints != nil {
				// recorded before the pass's last events are handed over,
				// as for intervals (step, schedule.go)
				e.save(st, false)
				if err := flush(); err != nil {
					return false, err
				}
			}
			if ctx.Err() != nil {
				return false, nil
			}
		}
	}
}
