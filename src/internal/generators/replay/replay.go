// Package replay is Eventgen's replay mode (mode = replay): a sample's
// events replayed with their original spacing. It is a
// generate.Replayer: the engine schedules it event by event.
package replay

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/generate"
	defaultgen "github.com/eventgen-go/eventgen/src/internal/generators/default"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

func init() {
	generate.Register("replay", func(p generate.Params) (any, error) { return NewReplay(p) })
}

// Replay replays a sample with its events' original spacing (inventory
// §3.1 replay, clarifications.md): event i of a pass is due at the
// pass's start plus the time from the sample's first event to event i,
// scaled by timeMultiple. The engine schedules passes and stamps each
// event with its due time; Replay renders events.
type Replay struct {
	g       *defaultgen.Gen
	order   []int           // sample events that have a timestamp, in file order
	offsets []time.Duration // due time of order[i] relative to the pass start
	index   string
	loc     *time.Location
	meta    output.Event
	ev      output.Event // reused: a local would escape to the heap per event
}

// NewReplay loads a replay sample and reads its events' timestamps with
// the stanza's timestamp tokens (their replacement is the strptime
// format of the sample's timestamps) or its timeField column. Events
// whose timestamp cannot be read are skipped, and so reported; when no
// event's can, all are replayed in order with no gaps, with a warning.
func NewReplay(p generate.Params) (*Replay, error) {
	s, warn, year := p.Sample, p.Warn, p.Year
	g, err := defaultgen.Load(p)
	if err != nil {
		return nil, err
	}
	type layout struct {
		tok *token.Token
		l   *timeutil.Layout
	}
	var layouts []layout
	for _, t := range g.Tokens() {
		if !t.IsTime() {
			continue
		}
		for _, text := range t.Layouts() {
			l, err := timeutil.CompileLayout(text)
			if err != nil {
				return nil, fmt.Errorf("%s: replay reads sample timestamps with its format %q: %v", t.Spec, text, err)
			}
			layouts = append(layouts, layout{t, l})
		}
	}
	field := s.TimeField
	if field == "" {
		field = "_raw"
	}
	// Eventgen's rule (Sample.getTSFromEvent): each timestamp token's
	// regex is searched in the timeField value and its match read with
	// the token's format; the first that reads wins. A CSV column is
	// also read whole with the formats, then as epoch or ISO time.
	parse := func(text string) (time.Time, bool) {
		fix := func(t time.Time, l *timeutil.Layout) time.Time {
			if !l.HasYear() {
				t = t.AddDate(year-t.Year(), 0, 0)
			}
			return t
		}
		for _, lt := range layouts {
			if m, ok := lt.tok.Match(text); ok {
				if t, err := lt.l.Parse(m, s.Location); err == nil {
					return fix(t, lt.l), true
				}
			}
		}
		if field == "_raw" {
			return time.Time{}, false
		}
		for _, lt := range layouts {
			if t, err := lt.l.Parse(strings.TrimSpace(text), s.Location); err == nil {
				return fix(t, lt.l), true
			}
		}
		return parseColumnTime(text, s.Location)
	}
	r := &Replay{g: g, index: s.Index, loc: s.Location, meta: generate.Meta(s)}
	var times []time.Time
	skipped := 0
	for k, ev := range g.Events() {
		text := ev.Raw
		if field != "_raw" {
			v, ok := ev.Fields[field]
			if !ok {
				return nil, fmt.Errorf("timeField %q is not a column of %s (sampletype = csv needed, with that column)", field, s.Path)
			}
			text = v
		}
		t, ok := parse(text)
		if !ok {
			skipped++
			continue
		}
		r.order = append(r.order, k)
		times = append(times, t)
	}
	if len(r.order) == 0 {
		// Single JSON events and the like: replayed in order, every
		// event of a pass at once, one pass per interval.
		how := "no timestamp token (nor autotimestamp) reads them"
		if len(layouts) > 0 {
			how = "the timestamp tokens' regexes and formats read none"
		}
		if field != "_raw" {
			how = fmt.Sprintf("timeField %s holds no time the tokens, epoch or ISO forms read", field)
		}
		warn(fmt.Sprintf("no event of %s has a readable time (%s): its %d events are replayed in order with no gaps, one pass per interval, stamped when written", s.Path, how, g.Len()))
		r.order = make([]int, g.Len())
		for k := range r.order {
			r.order[k] = k
		}
		r.offsets = make([]time.Duration, len(r.order))
		return r, nil
	}
	if skipped > 0 && warn != nil {
		warn(fmt.Sprintf("%d of %d events of %s have no readable timestamp and are not replayed", skipped, g.Len(), s.Path))
	}
	mult := s.TimeMultiple
	if mult <= 0 {
		mult = 1
	}
	backwards := 0
	var off time.Duration
	r.offsets = make([]time.Duration, len(times))
	for i := 1; i < len(times); i++ {
		gap := times[i].Sub(times[i-1])
		if gap < 0 {
			// Eventgen logged an error and did not wait; so do we, once.
			backwards++
			gap = 0
		}
		off += time.Duration(float64(gap) * mult)
		r.offsets[i] = off
	}
	if backwards > 0 && warn != nil {
		warn(fmt.Sprintf("%d events of %s are earlier than the event before them; they follow it with no gap (a sample exported newest-first should be reversed)", backwards, s.Path))
	}
	return r, nil
}

// parseColumnTime reads a timeField value that no token format matched:
// epoch seconds, or the common ISO-like forms.
func parseColumnTime(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).In(loc), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02 15:04:05,999999999", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Len is the number of events a pass replays.
func (r *Replay) Len() int { return len(r.order) }

// Offset is when event i is due, relative to its pass's start.
func (r *Replay) Offset(i int) time.Duration { return r.offsets[i] }

// Span is the offset of the last event.
func (r *Replay) Span() time.Duration { return r.offsets[len(r.offsets)-1] }

// Emit renders event i of a pass stamped at t (timestamp and
// replaytimestamp tokens render t) and hands it to emit.
func (r *Replay) Emit(i int, t time.Time, emit func(*output.Event) bool) bool {
	r.ev = r.meta
	t = t.In(r.loc)
	r.g.Render(&r.ev, r.order[i], t, t, r.index)
	return emit(&r.ev)
}

// AutoTimestamps are the timestamp tokens autotimestamp found in the
// sample.
func (r *Replay) AutoTimestamps() []token.Spec { return r.g.AutoTimestamps() }
