package token

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/pyregex"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// Types lists the replacementType values Eventgen 7.2.1 accepts.
var Types = []string{"static", "timestamp", "replaytimestamp", "random", "rated", "file", "mvfile", "seqfile", "integerid"}

// Spec is a token as written in eventgen.conf:
// token.<N>.token, token.<N>.replacementType, token.<N>.replacement.
type Spec struct {
	N           int    // the <N> of token.<N>.*; -1 for host.token
	Regex       string // token.<N>.token
	Type        string // token.<N>.replacementType
	Replacement string // token.<N>.replacement
	File        string // where token.<N>.replacement (or .token) is set, for messages
	Line        int
	Label       string // names a token not written as token.<N> (autotimestamp's), for messages
}

// Error is a token that cannot be compiled, with its spec for location.
type Error struct {
	Spec Spec
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func (s Spec) String() string {
	if s.Label != "" {
		return s.Label
	}
	if s.N < 0 {
		return "host.token"
	}
	return "token." + strconv.Itoa(s.N)
}

// Env is what compiling a token needs from its stanza.
type Env struct {
	SampleDir string     // where token files are looked for after the literal path
	Files     *FileCache // token files shared by the tokens of a run
	Warn      func(msg string)
}

// Token is a compiled token: its regex and a way to produce a value.
// A Token belongs to one sample and is used by one goroutine at a time
// (it holds the timestamp cache and the seqfile/integerid counters).
type Token struct {
	Spec Spec
	re   *pyregex.Regexp

	kind    tokenKind
	static  []byte
	formats []*timeutil.Formatter // timestamp, replaytimestamp
	layouts []string
	parsers []*timeutil.Layout // layouts compiled for strptime; nil where one cannot read
	random  *Random            // random, rated
	file    *File              // file, mvfile, seqfile
	column  int                // 1-based; 0 = whole line
	counter int64              // seqfile position, integerid next value
	fast    fastKind
}

// fastKind marks the commonest values, which Template.Append renders in
// its own loop rather than through AppendValue and Random.Append: two
// calls and two switches per value were a fifth of an event's time.
type fastKind uint8

const (
	fastNone      fastKind = iota
	fastTimestamp          // timestamp
	fastIPv4               // random ipv4
	fastInteger            // random integer[a:b], short of the whole int64 range
	fastLine               // file or mvfile, a whole line
)

func (t *Token) fastKind() fastKind {
	switch {
	case t.kind == kindTimestamp:
		return fastTimestamp
	case t.kind == kindRandom && t.random.kind == kindIPv4:
		return fastIPv4
	case t.kind == kindRandom && t.random.kind == kindInteger && uint64(t.random.hi-t.random.lo)+1 != 0:
		return fastInteger
	case (t.kind == kindFile || t.kind == kindMVFile) && t.column == 0:
		return fastLine
	}
	return fastNone
}

// Compile checks a token spec and prepares its value source. Errors
// say what is wrong with the replacement and how to write it.
func Compile(spec Spec, env Env) (*Token, error) {
	if spec.Regex == "" {
		return nil, &Error{spec, fmt.Errorf("%s.token is empty: give the regex whose match (or group 1) is replaced", spec)}
	}
	re, err := pyregex.Compile(spec.Regex, false)
	if err != nil {
		return nil, &Error{spec, fmt.Errorf("%s.token: %v", spec, err)}
	}
	t := &Token{Spec: spec, re: re, kind: kindOf(spec.Type)}
	if err := t.prepare(env); err != nil {
		return nil, &Error{spec, fmt.Errorf("%s (%s = %q): %w", spec, spec.Type, spec.Replacement, err)}
	}
	t.fast = t.fastKind()
	return t, nil
}

// tokenKind is a replacementType resolved once at compile time, so that
// AppendValue, called for every value of every event, switches on a
// small integer (a jump table) rather than comparing strings.
type tokenKind uint8

const (
	kindUnknown tokenKind = iota
	kindStatic
	kindTimestamp
	kindReplayTimestamp
	kindRandom
	kindRated
	kindFile
	kindMVFile
	kindSeqFile
	kindIntegerID
)

func kindOf(typ string) tokenKind {
	switch typ {
	case "static":
		return kindStatic
	case "timestamp":
		return kindTimestamp
	case "replaytimestamp":
		return kindReplayTimestamp
	case "random":
		return kindRandom
	case "rated":
		return kindRated
	case "file":
		return kindFile
	case "mvfile":
		return kindMVFile
	case "seqfile":
		return kindSeqFile
	case "integerid":
		return kindIntegerID
	}
	return kindUnknown
}

func (t *Token) prepare(env Env) error {
	r := t.Spec.Replacement
	switch t.kind {
	case kindStatic:
		t.static = []byte(r)
	case kindTimestamp, kindReplayTimestamp:
		layouts := []string{r}
		// Older apps give replaytimestamp a JSON list of formats: each
		// event's timestamp is read with the first that parses it and
		// rendered in that one (Eventgen 7.2.1 inserted the list
		// literally). A format that merely begins with "[", as in
		// "[%d/%b/%Y:%H:%M:%S +0900]", is a plain format.
		if list, ok := formatList(r); ok {
			layouts = list
		}
		for _, l := range layouts {
			f, err := timeutil.ParseFormat(l)
			if err != nil {
				return fmt.Errorf("bad strftime format: %v", err)
			}
			if !f.HasDirective() {
				return fmt.Errorf("format %q has no %%-directive, so the token would never change; use replacementType = static for fixed text", l)
			}
			for _, w := range f.Warnings() {
				warn(env, fmt.Sprintf("%s: %s", t.Spec, w))
			}
			t.formats = append(t.formats, f.NewFormatter())
			t.layouts = append(t.layouts, l)
			p, _ := timeutil.CompileLayout(l) // replay reports a layout it cannot read
			t.parsers = append(t.parsers, p)
		}
	case kindRandom, kindRated:
		rnd, err := ParseRandom(r)
		if err != nil {
			return err
		}
		if t.kind == kindRated && !rnd.Numeric() {
			warn(env, fmt.Sprintf("%s: rated only scales integer[...] and float[...]; %q is used unscaled", t.Spec, r))
		}
		t.random = rnd
	case kindFile, kindMVFile, kindSeqFile:
		path, col, err := splitColumn(r)
		if err != nil {
			return err
		}
		if env.Files == nil {
			env.Files = NewFileCache()
		}
		f, note, err := env.Files.Open(path, env.SampleDir)
		if err != nil {
			return err
		}
		if note != "" {
			warn(env, fmt.Sprintf("%s: %s", t.Spec, note))
		}
		if col > 0 {
			if missing := f.rowsWithout(col); missing == len(f.lines) {
				return fmt.Errorf("no line of %s has a column %d (columns are split on commas)", f.Path, col)
			} else if missing > 0 {
				warn(env, fmt.Sprintf("%s: %d of %d lines of %s have no column %d; they give an empty value", t.Spec, missing, len(f.lines), f.Path, col))
			}
		}
		t.file, t.column = f, col
	case kindIntegerID:
		n, err := strconv.ParseInt(strings.TrimSpace(r), 10, 64)
		if err != nil {
			return fmt.Errorf("integerid needs a whole number to start from, as in 1000")
		}
		t.counter = n
	default:
		if t.Spec.Type == "" {
			return fmt.Errorf("replacementType is missing; use one of %s", strings.Join(Types, ", "))
		}
		return fmt.Errorf("unknown replacementType %q; use one of %s", t.Spec.Type, strings.Join(Types, ", "))
	}
	return nil
}

// formatList reads a JSON list of one or more strftime formats.
func formatList(r string) ([]string, bool) {
	r = strings.TrimSpace(r)
	if !strings.HasPrefix(r, "[") || !strings.HasSuffix(r, "]") {
		return nil, false
	}
	var list []string
	if err := json.Unmarshal([]byte(r), &list); err != nil || len(list) == 0 {
		return nil, false
	}
	return list, true
}

// FormatFor is the index of the first of a timestamp token's formats
// that reads text (the text its regex matched in a sample event), 0 when
// none does: the event is rendered in the format it was written in.
func (t *Token) FormatFor(text string) int {
	if len(t.parsers) < 2 {
		return 0
	}
	for i, p := range t.parsers {
		if p == nil {
			continue
		}
		if _, err := p.Parse(text, time.UTC); err == nil {
			return i
		}
	}
	return 0
}

func warn(env Env, msg string) {
	if env.Warn != nil {
		env.Warn(msg)
	}
}

// splitColumn splits "path:col" (col after the last colon, 1-based).
// "C:\x.csv" stays a path because "\x.csv" is not a number.
func splitColumn(r string) (string, int, error) {
	r = strings.TrimSpace(r)
	if r == "" {
		return "", 0, fmt.Errorf("no file given; write a path, or path:column for one comma-separated column")
	}
	i := strings.LastIndexByte(r, ':')
	if i < 0 {
		return r, 0, nil
	}
	col, err := strconv.Atoi(r[i+1:])
	if err != nil {
		return r, 0, nil
	}
	if col < 1 {
		return "", 0, fmt.Errorf("column %d: columns are numbered from 1", col)
	}
	return r[:i], col, nil
}

// Context carries what one event's tokens share: the random source, the
// event's time, the rate factor and the row chosen per token file
// (mvfile semantics).
type Context struct {
	Rand   *rand.Rand
	src    *wyrand.Source // Rand's source when it is a wyrand (NewSourceContext): values draw from it directly
	pcg    *rand.PCG      // Rand's source when it is a PCG (NewPCGContext): the same
	Time   time.Time      // the event's time; timestamp tokens render it (see SetUnix)
	Latest time.Time      // the interval's latest time; replaytimestamp renders it in sample mode
	Rate   float64        // rated tokens multiply by it

	// The event's time as SetUnix gave it, while unix is set: Time is
	// then built from it only when something reads it (EventTime).
	unix      bool
	sec, nsec int64
	loc       *time.Location

	epoch    uint32
	rowEpoch []uint32
	rows     []int
	spans    [][2]int // per template segment: where its value landed in dst

	// Chain.Append's buffers, reused from event to event.
	chainCur, chainNext, chainVal []byte
	chainSpans                    [][2]int
}

// NewContext returns a Context for tokens drawing from rng.
func NewContext(rng *rand.Rand) *Context {
	return &Context{Rand: rng, Rate: 1}
}

// NewPCGContext returns a Context for tokens drawing from src, through
// Rand (rand.New(src)) and, for the commonest values, from src directly:
// the same numbers in the same order, without a call through the
// rand.Source interface and one into Rand per draw (a quarter of an
// event's time in a web access log). Anything else drawing from src
// between events keeps the sequence, as it shares src's state.
func NewPCGContext(src *rand.PCG) *Context {
	return &Context{Rand: rand.New(src), pcg: src, Rate: 1}
}

// NewSourceContext is NewPCGContext for a wyrand source: what the
// engine's per-event streams are (engine/shard.go).
func NewSourceContext(src *wyrand.Source) *Context {
	return &Context{Rand: rand.New(src), src: src, Rate: 1}
}

// Uint64N returns c.Rand.Uint64N(n): a draw in [0, n) for n > 0.
//
// It is math/rand/v2's (*Rand).uint64n, operation for operation, on
// the source's values (drawn directly when the context knows its source:
// a PCG or a wyrand), so that it returns what Rand.Uint64N(n), Int64N
// and IntN return and draws as many times (TestPCGDrawsAsRand): a power
// of two masks one draw's low bits; any other n takes the high word of
// draw*n (Lemire), drawing again while the low word is below 2⁶⁴ mod n.
// (The uint32n path of rand/v2 on 32-bit platforms gives the same
// results.)
func (c *Context) Uint64N(n uint64) uint64 {
	v := c.next()
	if r, ok := Reduce(v, n); ok {
		return r
	}
	return c.Redraw(v, n)
}

// Source and PCG return the source the context draws from directly, or
// nil. A caller drawing Uint64N(n) per event takes the source's step
// inline (it is too large to inline through Uint64N):
//
//	if w := c.Source(); w != nil {
//		v = w.Uint64()
//	} else if p := c.PCG(); p != nil {
//		v = p.Uint64()
//	} else {
//		v = c.Rand.Uint64()
//	}
//	if r, ok := Reduce(v, n); ok {
//		v = r
//	} else {
//		v = c.Redraw(v, n)
//	}
//
// is c.Uint64N(n), whatever the source.
func (c *Context) Source() *wyrand.Source { return c.src }

// PCG: see Source.
func (c *Context) PCG() *rand.PCG { return c.pcg }

// Reduce turns v, the source's next value, into Uint64N(n)'s draw (n >
// 0): a power of two masks v's low bits; any other n takes the high word
// of v*n (Lemire). It returns false, rarely (only when n is large), when
// Uint64N would reject v and draw again: then the draw is Redraw(v, n).
func Reduce(v, n uint64) (uint64, bool) {
	if n&(n-1) == 0 {
		return v & (n - 1), true
	}
	hi, lo := bits.Mul64(v, n)
	return hi, lo >= n
}

// next is c.Rand.Uint64(): the source's next value, from the source
// directly when known.
func (c *Context) next() uint64 {
	if w := c.src; w != nil {
		return w.Uint64()
	}
	if p := c.pcg; p != nil {
		return p.Uint64()
	}
	return c.Rand.Uint64()
}

// Redraw is Uint64N(n)'s draw where Reduce(v, n) rejected v (n not a
// power of two, the low word of v*n below n): v*n's high word unless the
// low word is below 2⁶⁴ mod n, drawing again while it is. Out of line:
// it is rare.
//
//go:noinline
func (c *Context) Redraw(v, n uint64) uint64 {
	hi, lo := bits.Mul64(v, n)
	thresh := -n % n
	for lo < thresh {
		hi, lo = bits.Mul64(c.next(), n)
	}
	return hi
}

// Reset starts a new event: file rows are chosen afresh, and the time
// is c.Time again until SetUnix.
func (c *Context) Reset() {
	c.epoch++
	c.unix = false
}

// SetUnix sets the event's time to time.Unix(sec, nsec).In(loc) (nsec in
// [0, 1e9), loc not nil) until the next Reset, without building it:
// timestamp tokens render a cached second from the integers, and the
// time.Time, a tenth of an event's time in a web access log when made
// per event, is made only when something reads it (EventTime).
func (c *Context) SetUnix(sec, nsec int64, loc *time.Location) {
	c.unix, c.sec, c.nsec, c.loc = true, sec, nsec, loc
}

// EventTime returns the event's time: SetUnix's since the last Reset,
// else c.Time.
func (c *Context) EventTime() time.Time {
	if c.unix {
		c.Time, c.unix = time.Unix(c.sec, c.nsec).In(c.loc), false
	}
	return c.Time
}

// appendTime appends the event's time in format f.
func (c *Context) appendTime(dst []byte, f *timeutil.Formatter) []byte {
	if c.unix {
		return f.AppendUnix(dst, c.sec, c.nsec, c.loc)
	}
	return f.Append(dst, c.Time)
}

// row returns the line of f chosen for this event, so that every token
// reading a column of the same file takes it from the same line.
func (c *Context) row(f *File) int {
	if f.id >= len(c.rows) {
		n := f.id + 1
		c.rows = append(c.rows, make([]int, n-len(c.rows))...)
		c.rowEpoch = append(c.rowEpoch, make([]uint32, n-len(c.rowEpoch))...)
	}
	if c.rowEpoch[f.id] != c.epoch {
		c.rowEpoch[f.id] = c.epoch
		c.rows[f.id] = c.Rand.IntN(len(f.lines))
	}
	return c.rows[f.id]
}

// AppendValue appends this token's value for the event described by c.
func (t *Token) AppendValue(dst []byte, c *Context) []byte {
	return t.appendValue(dst, c, 0)
}

// appendValue is AppendValue with a timestamp token's format f (see
// FormatFor).
func (t *Token) appendValue(dst []byte, c *Context, f uint8) []byte {
	switch t.kind {
	case kindStatic:
		return append(dst, t.static...)
	case kindTimestamp:
		return c.appendTime(dst, t.formats[f])
	case kindReplayTimestamp:
		at := c.Latest
		if at.IsZero() {
			at = c.EventTime()
		}
		return t.formats[f].Append(dst, at)
	case kindRandom:
		return t.random.Append(dst, c.Rand, 1)
	case kindRated:
		return t.random.Append(dst, c.Rand, c.Rate)
	case kindFile, kindMVFile:
		if t.column > 0 {
			return append(dst, t.file.column(c.row(t.file), t.column)...)
		}
		return append(dst, t.file.lines[c.Rand.IntN(len(t.file.lines))]...)
	case kindSeqFile:
		i := int(t.counter % int64(len(t.file.lines)))
		t.counter++
		if t.column > 0 {
			return append(dst, t.file.column(i, t.column)...)
		}
		return append(dst, t.file.lines[i]...)
	case kindIntegerID:
		v := t.counter
		t.counter++
		return strconv.AppendInt(dst, v, 10)
	}
	return dst
}

// timeOnly reports whether the value is a function of the event's time
// and the interval's latest time alone (no random draw, no counter).
func (t *Token) timeOnly() bool {
	return t.kind == kindStatic || t.kind == kindTimestamp || t.kind == kindReplayTimestamp
}

// TimeOnly reports whether the token's value is a function of the
// event's time and the interval's latest time alone.
func (t *Token) TimeOnly() bool { return t.timeOnly() }

// Sequential reports whether the token's value depends on the values it
// gave before (seqfile, integerid counters): events using it must be
// rendered in order, by one goroutine.
func (t *Token) Sequential() bool { return t.kind == kindSeqFile || t.kind == kindIntegerID }

// Clone returns a copy of t for another goroutine: the same regex, value
// source and counter, with its own timestamp caches. The token files and
// random forms it uses are immutable and shared.
func (t *Token) Clone() *Token {
	c := *t
	c.formats = make([]*timeutil.Formatter, len(t.formats))
	for i, f := range t.formats {
		c.formats[i] = f.Format().NewFormatter()
	}
	return &c
}

// IsTime reports whether the token renders a timestamp.
func (t *Token) IsTime() bool { return t.kind == kindTimestamp || t.kind == kindReplayTimestamp }

// Layouts returns a timestamp token's strftime formats; replay parses
// sample timestamps with them (inventory §1.6).
func (t *Token) Layouts() []string { return t.layouts }

// Match returns the text the token would replace in s at its first
// match: group 1 when the regex has one, else the whole match.
func (t *Token) Match(s string) (string, bool) {
	ms, err := t.re.FindAll(s)
	if err != nil {
		return "", false
	}
	for _, m := range ms {
		if m.HasGroup1 {
			return s[m.Group1[0]:m.Group1[1]], true
		}
		if m.GroupCount == 0 {
			return s[m.Start:m.End], true
		}
	}
	return "", false
}

// Next returns the integerid/seqfile counter (for checkpoints).
func (t *Token) Next() int64 { return t.counter }
