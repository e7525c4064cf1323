package token

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/pyregex"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
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
}

// Error is a token that cannot be compiled, with its spec for location.
type Error struct {
	Spec Spec
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func (s Spec) String() string {
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

	kind    string
	static  []byte
	formats []*timeutil.Formatter // timestamp, replaytimestamp
	layouts []string
	random  *Random // random, rated
	file    *File   // file, mvfile, seqfile
	column  int     // 1-based; 0 = whole line
	counter int64   // seqfile position, integerid next value
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
	t := &Token{Spec: spec, re: re, kind: spec.Type}
	if err := t.prepare(env); err != nil {
		return nil, &Error{spec, fmt.Errorf("%s (%s = %q): %w", spec, spec.Type, spec.Replacement, err)}
	}
	return t, nil
}

func (t *Token) prepare(env Env) error {
	r := t.Spec.Replacement
	switch t.kind {
	case "static":
		t.static = []byte(r)
	case "timestamp", "replaytimestamp":
		layouts := []string{r}
		// Older apps give replaytimestamp a JSON list of formats; the
		// first one renders (Eventgen 7.2.1 inserted the list literally).
		if strings.HasPrefix(strings.TrimSpace(r), "[") {
			var list []string
			if err := json.Unmarshal([]byte(r), &list); err != nil || len(list) == 0 {
				return fmt.Errorf("a list of formats must be a JSON list of strings, as in [\"%%Y-%%m-%%d\",\"%%s\"]")
			}
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
		}
	case "random", "rated":
		rnd, err := ParseRandom(r)
		if err != nil {
			return err
		}
		if t.kind == "rated" && !rnd.Numeric() {
			warn(env, fmt.Sprintf("%s: rated only scales integer[...] and float[...]; %q is used unscaled", t.Spec, r))
		}
		t.random = rnd
	case "file", "mvfile", "seqfile":
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
	case "integerid":
		n, err := strconv.ParseInt(strings.TrimSpace(r), 10, 64)
		if err != nil {
			return fmt.Errorf("integerid needs a whole number to start from, as in 1000")
		}
		t.counter = n
	case "":
		return fmt.Errorf("replacementType is missing; use one of %s", strings.Join(Types, ", "))
	default:
		return fmt.Errorf("unknown replacementType %q; use one of %s", t.kind, strings.Join(Types, ", "))
	}
	return nil
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
// event's time, the rate factor, the row chosen per token file (mvfile
// semantics) and the values already computed (one value per token per
// event, used for every match, as Eventgen did).
type Context struct {
	Rand   *rand.Rand
	Time   time.Time // the event's time; timestamp tokens render it
	Latest time.Time // the interval's latest time; replaytimestamp renders it in sample mode
	Rate   float64   // rated tokens multiply by it

	epoch    uint32
	rowEpoch []uint32
	rows     []int
	valEpoch []uint32
	valStart []int
	valEnd   []int
	scratch  []byte
}

// NewContext returns a Context for tokens drawing from rng.
func NewContext(rng *rand.Rand) *Context {
	return &Context{Rand: rng, Rate: 1}
}

// Reset starts a new event: values and file rows are chosen afresh.
func (c *Context) Reset() {
	c.epoch++
	c.scratch = c.scratch[:0]
}

// value returns the value of token i for the current event, computing
// it on first use.
func (c *Context) value(i int, t *Token) []byte {
	if i >= len(c.valEpoch) {
		n := i + 1
		c.valEpoch = append(c.valEpoch, make([]uint32, n-len(c.valEpoch))...)
		c.valStart = append(c.valStart, make([]int, n-len(c.valStart))...)
		c.valEnd = append(c.valEnd, make([]int, n-len(c.valEnd))...)
	}
	if c.valEpoch[i] != c.epoch {
		start := len(c.scratch)
		c.scratch = t.AppendValue(c.scratch, c)
		c.valEpoch[i], c.valStart[i], c.valEnd[i] = c.epoch, start, len(c.scratch)
	}
	return c.scratch[c.valStart[i]:c.valEnd[i]]
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
	switch t.kind {
	case "static":
		return append(dst, t.static...)
	case "timestamp":
		return t.formats[0].Append(dst, c.Time)
	case "replaytimestamp":
		at := c.Latest
		if at.IsZero() {
			at = c.Time
		}
		return t.formats[0].Append(dst, at)
	case "random":
		return t.random.Append(dst, c.Rand, 1)
	case "rated":
		return t.random.Append(dst, c.Rand, c.Rate)
	case "file", "mvfile":
		if t.column > 0 {
			return append(dst, t.file.column(c.row(t.file), t.column)...)
		}
		return append(dst, t.file.lines[c.Rand.IntN(len(t.file.lines))]...)
	case "seqfile":
		i := int(t.counter % int64(len(t.file.lines)))
		t.counter++
		if t.column > 0 {
			return append(dst, t.file.column(i, t.column)...)
		}
		return append(dst, t.file.lines[i]...)
	case "integerid":
		v := t.counter
		t.counter++
		return strconv.AppendInt(dst, v, 10)
	}
	return dst
}

// IsTime reports whether the token renders a timestamp.
func (t *Token) IsTime() bool { return t.kind == "timestamp" || t.kind == "replaytimestamp" }

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
