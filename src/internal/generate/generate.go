// Package generate defines what a generator is and finds one by name:
// given how many events an interval needs and its time window, a
// generator produces events and hands them, one at a time and in a
// reused buffer, to emit. The generators themselves live in
// src/internal/generators/<name>/ and register here (see Register);
// generators/all links them all in.
package generate

import (
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// Batch is one interval's work.
type Batch struct {
	Count    int       // events wanted; -1 = the generator's natural count
	Bytes    int64     // when > 0, generate until this many bytes of _raw instead of Count
	Earliest time.Time // event times are drawn from [Earliest, Latest]
	Latest   time.Time
	// From and To, when To > 0, select events From..To-1 of the interval:
	// a slice rendered by a Fork while other forks render the others.
	// Events keep their place in the interval (sample event, sequential
	// time); the random draws come from the fork's own source.
	From, To int
	// Stream, when not nil, reseeds the generator's random source before
	// event i of the interval is drawn (and with i = -1 before what the
	// interval draws once), so that an event's values depend on its index
	// alone, not on the events rendered before it in this call: any range
	// of an interval, in any slice, shard or goroutine, renders the same
	// events. Generators that cannot honour it render as if it were nil.
	Stream func(i int)
}

// Slice returns the batch of events from..to-1 of b.
func (b Batch) Slice(from, to int) Batch {
	b.From, b.To = from, to
	return b
}

// Chunks is where GenerateRaw writes: whole lines in the raw output
// format (_raw and "\n"), the bytes the raw encoder would have made. Two
// options make them the lines of tcpout and udpout (output.RawLiner):
// Trim drops each event's trailing white space before its "\n", and Spans
// records where each event ends in Ends (for a destination that takes
// events one by one, output.Batch).
type Chunks struct {
	Buf    []byte  // the chunk being filled
	Ends   []int32 // with Spans, the end of each event in Buf
	Limit  int     // hand Buf to Full once it holds this many bytes
	Events int     // events in Buf
	Bytes  int64   // bytes of _raw in Buf (without the newlines; before Trim)
	Trim   bool    // drop each event's trailing white space (Eventgen's _raw.rstrip())
	Spans  bool    // record each event's end in Ends
	// Full takes Buf (with its Ends, Events and Bytes) and leaves an
	// empty chunk in its place, with the counts at zero; false stops the
	// generator (shutdown, or the output failed).
	Full func(c *Chunks) bool
}

// EndLine ends the event rendered into Buf from start: its trailing white
// space dropped with Trim, a "\n" appended, and its end recorded with
// Spans.
func (c *Chunks) EndLine(start int) {
	if c.Trim {
		c.Buf = c.Buf[:start+len(output.TrimSpace(c.Buf[start:]))]
	}
	c.Buf = append(c.Buf, '\n')
	if c.Spans {
		c.Ends = append(c.Ends, int32(len(c.Buf)))
	}
}

// RawGenerator is implemented by generators that can write an interval
// straight into raw output chunks: each event is rendered where it will
// be written, with no Event hand-off and no encoder copy. The events
// (and the random draws) are those Generate would give.
type RawGenerator interface {
	// GenerateRaw writes b's events into out, calling out.Full when
	// out.Buf reaches out.Limit. ok is false when the generator cannot
	// write this batch in raw form (host.token, whose value raw output
	// drops but whose draws would be missed): then it wrote nothing.
	GenerateRaw(b Batch, out *Chunks) (ok bool, err error)
}

// FramedGenerator is a RawGenerator that can also write an interval
// straight into chunks of another output format (the modular input's
// XML): each event's text is rendered in place between fr.Open and
// fr.Close, with no Event hand-off and no copy of the text. ok is false
// when the generator cannot (events with metadata of their own: CSV rows,
// host.token, hostField): then it wrote nothing and Generate is used.
type FramedGenerator interface {
	RawGenerator
	GenerateFramed(b Batch, out *Chunks, fr output.Framer) (ok bool, err error)
}

// Forker is implemented by generators whose intervals can be rendered
// in slices by independent copies, one per goroutine.
type Forker interface {
	// Fork returns a copy of the generator for another goroutine, drawing
	// from src, and sharing the immutable parts (sample events, compiled
	// templates, token files). The engine renders every range of an
	// interval with forks, reseeding src before each event (engine's
	// eventStream). src is a wyrand.Source rather than a rand.Rand so
	// that the default generator's tokens can draw from it directly
	// (token.NewSourceContext). It returns nil when events depend on
	// the ones before them (seqfile and integerid counters, bundlelines,
	// extendIndexes' one draw per interval): such intervals stay whole.
	Fork(src *wyrand.Source) Generator
}

// SliceSizer is implemented by forking generators whose events are so
// cheap to render (copies of a pattern: the default generator with only
// timestamp tokens) that the engine's slices of an interval would be
// mostly their own set-up: SliceEvents returns how many events a slice
// should hold instead, 0 for the engine's choice. The output does not
// depend on it.
type SliceSizer interface {
	SliceEvents() int
}

// Generator produces the events of a batch. emit must not keep ev or
// ev.Raw after it returns; when it returns false the generator stops
// (shutdown, or the output failed).
type Generator interface {
	Generate(b Batch, emit func(ev *output.Event) bool) error
}

// Replayer is implemented by the generators of replay mode: a sample
// replayed with its events' own spacing (inventory §3.1 replay). The
// engine schedules a replay event by event, not by intervals: event i of
// a pass is due at the pass's start plus Offset(i).
type Replayer interface {
	// Len is the number of events a pass replays.
	Len() int
	// Offset is when event i is due, relative to its pass's start.
	Offset(i int) time.Duration
	// Span is the offset of the last event.
	Span() time.Duration
	// Emit renders event i of a pass stamped at t and hands it to emit;
	// it returns what emit returned.
	Emit(i int, t time.Time, emit func(ev *output.Event) bool) bool
}

// Meta is the metadata a sample's events carry unless a generator sets
// their own: index, host, source, sourcetype and the stanza.
func Meta(s *config.Sample) output.Event {
	return output.Event{Index: s.Index, Host: s.Host, Source: s.Source, Sourcetype: s.Sourcetype, Stanza: s.Stanza}
}
