package token

import (
	"encoding/binary"
	"fmt"
)

// Template is one sample event compiled against its tokens: literal
// segments and token slots. Eventgen ran every token's regex over every
// event it generated; here each regex runs once per sample event, when
// the template is built, and generation only appends bytes.
type Template struct {
	segs []segment
	// Unmatched lists the tokens whose regex matched nothing in this event.
	Unmatched []int
}

type segment struct {
	lit []byte // literal text before the token (or the template's tail)
	// words is lit, when at most 16 bytes long, in two little-endian
	// words padded with zeros: Append stores them whole where there is
	// room, instead of a memmove call per literal.
	words [2]uint64
	tok   int // index into the token list; -1 for the tail literal
	// first is, for a token used more than once in the template, the index
	// of the segment where its value is rendered; later uses copy those
	// bytes (one value per token per event, as Eventgen did). -1 for the
	// first use and for tokens used once.
	first int
	memo  bool  // a later segment copies this one's value
	fmt   uint8 // the timestamp format of the text replaced (Token.FormatFor)
	// What Append's fast paths need of the token, copied here so that a
	// value is rendered from the segment alone, without loading the
	// token and what it points to (they are immutable and shared by
	// Token.Clone, so a template serves clones of its tokens too).
	fast  fastKind // fastNone for the tail, later uses and memo segments too (setMemo)
	lo    int64    // fastInteger: the lower bound
	n     uint64   // fastInteger: the number of values; fastLine: of lines
	lines []string // fastLine: the file's lines
}

// span is a replaced part of the sample text and the token that fills it.
type span struct{ start, end, tok int }

// NewTemplate builds the template of text for tokens, applied in order
// as Eventgen applied them: each token replaces capture group 1 when its
// regex has one, otherwise the whole match, at every match.
//
// Every token's regex runs on the sample text as written. Eventgen ran
// later tokens on the text after earlier replacements; since a value has
// the shape of the text it replaces (a timestamp for a timestamp, digits
// for digits), matching the original usually gives the same spans and
// lets a template be built once; NeedsChain tells, at start, the stanzas
// where it does not, which render with a Chain instead. Where a later
// token's span equals or encloses an earlier one's, the later token
// wins, as it did in Eventgen; a span that cuts an earlier one in part
// is skipped (see docs/compatibility.md).
func NewTemplate(text string, tokens []*Token) (*Template, error) {
	var spans []span // sorted, non-overlapping
	var unmatched []int
	for ti, t := range tokens {
		matches, err := t.re.FindAll(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", t.Spec, err)
		}
		hit := false
		for _, m := range matches {
			sp := span{m.Start, m.End, ti}
			if m.HasGroup1 {
				sp.start, sp.end = m.Group1[0], m.Group1[1]
			} else if m.GroupCount >= 1 {
				continue // group 1 exists but did not take part: nothing to replace
			}
			var ok bool
			if spans, ok = insert(spans, sp); ok {
				hit = true
			}
		}
		if !hit {
			unmatched = append(unmatched, ti)
		}
	}
	// Each segment is the literal before a token and the token, so that
	// rendering takes one step per token rather than two.
	tpl := &Template{Unmatched: unmatched}
	last := 0
	type use struct {
		tok int
		fmt uint8
	}
	firstSeg := map[use]int{} // token and format -> segment of its first use
	for _, sp := range spans {
		seg := newSegment(text[last:sp.start], sp.tok)
		switch t := tokens[sp.tok]; t.fast {
		case fastInteger:
			seg.lo, seg.n = t.random.lo, uint64(t.random.hi-t.random.lo)+1
		case fastLine:
			seg.lines, seg.n = t.file.lines, uint64(len(t.file.lines))
		}
		seg.fast = tokens[sp.tok].fast
		if t := tokens[sp.tok]; t.IsTime() {
			if f := t.FormatFor(text[sp.start:sp.end]); f < 256 {
				seg.fmt = uint8(f)
			}
		}
		if f, ok := firstSeg[use{sp.tok, seg.fmt}]; ok {
			seg.first, seg.fast = f, fastNone
			tpl.segs[f].setMemo()
		} else {
			firstSeg[use{sp.tok, seg.fmt}] = len(tpl.segs)
		}
		tpl.segs = append(tpl.segs, seg)
		last = sp.end
	}
	if last < len(text) {
		tpl.segs = append(tpl.segs, newSegment(text[last:], -1))
	}
	return tpl, nil
}

// newSegment is the segment of literal lit and token tok.
func newSegment(lit string, tok int) segment {
	s := segment{lit: []byte(lit), tok: tok, first: -1}
	if len(lit) <= 16 {
		var b [16]byte
		copy(b[:], lit)
		s.words = [2]uint64{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}
	}
	return s
}

// setMemo marks s as a value later segments copy: Append renders it
// through general, which keeps its span.
func (s *segment) setMemo() { s.memo, s.fast = true, fastNone }

// insert adds sp to the sorted spans, replacing the spans it encloses;
// it refuses a span that overlaps another in part. Templates have a
// handful of spans, so a linear pass is enough.
func insert(spans []span, sp span) ([]span, bool) {
	out := make([]span, 0, len(spans)+1)
	placed := false
	for _, x := range spans {
		switch {
		case x.start >= sp.start && x.end <= sp.end:
			continue // enclosed (or equal): the later token wins
		case x.end <= sp.start || x.start >= sp.end:
			if !placed && x.start >= sp.end {
				out = append(out, sp)
				placed = true
			}
			out = append(out, x)
		default:
			return spans, false // partial overlap
		}
	}
	if !placed {
		out = append(out, sp)
	}
	return out, true
}

// Append renders the template for the event described by c. Call
// c.Reset before each event.
//
// Values are appended straight to dst: a token used once costs its
// rendering and nothing else; a token used several times is rendered at
// its first use and its bytes copied from dst for the others.
func (t *Template) Append(dst []byte, c *Context, tokens []*Token) []byte {
	if len(c.spans) < len(t.segs) {
		c.spans = make([][2]int, len(t.segs))
	}
	for i := range t.segs {
		s := &t.segs[i]
		if n := len(s.lit); n <= 16 && cap(dst)-len(dst) >= 16 {
			b := dst[len(dst) : len(dst)+16]
			binary.LittleEndian.PutUint64(b[:8], s.words[0])
			binary.LittleEndian.PutUint64(b[8:], s.words[1])
			dst = dst[:len(dst)+n]
		} else {
			dst = append(dst, s.lit...)
		}
		// The same values as AppendValue, without its calls. s.fast is
		// fastNone for every segment general renders, so that a fast
		// value costs one test before its draw.
		switch s.fast {
		case fastTimestamp:
			dst = c.appendTime(dst, tokens[s.tok].formats[s.fmt])
			continue
		case fastNone:
			dst = t.general(dst, c, tokens, i)
			continue
		}
		// One draw: Rand.Uint32's for an address, else Uint64N(s.n)'s
		// as Context.Uint64N makes it, written out here so that the
		// source's step is inlined rather than a call per value.
		var v uint64
		if w := c.src; w != nil {
			v = w.Uint64()
		} else if p := c.pcg; p != nil {
			v = p.Uint64()
		} else {
			v = c.Rand.Uint64()
		}
		if s.fast == fastIPv4 {
			dst = appendIPv4(dst, uint32(v>>32))
			continue
		}
		if r, ok := Reduce(v, s.n); ok {
			v = r
		} else {
			v = c.Redraw(v, s.n)
		}
		if s.fast == fastInteger {
			dst = appendInt(dst, s.lo+int64(v))
		} else {
			dst = append(dst, s.lines[v]...)
		}
	}
	return dst
}

// general renders segment i's value when it has no fast path: the tail
// (no token), a later use of a token (a copy of its first value), a use
// whose value is kept for later ones (memo), or a token of another kind.
func (t *Template) general(dst []byte, c *Context, tokens []*Token, i int) []byte {
	switch s := &t.segs[i]; {
	case s.tok < 0:
	case s.first >= 0:
		sp := c.spans[s.first]
		dst = append(dst, dst[sp[0]:sp[1]]...)
	case s.memo:
		start := len(dst)
		dst = tokens[s.tok].appendValue(dst, c, s.fmt)
		c.spans[i] = [2]int{start, len(dst)}
	default:
		dst = tokens[s.tok].appendValue(dst, c, s.fmt)
	}
	return dst
}

// TimeOnly reports whether the rendered text depends on nothing but the
// event's time and the interval's latest time (literals, static and
// timestamp tokens): the same time gives the same text, so a generator
// may render such an event once and copy it.
func (t *Template) TimeOnly(tokens []*Token) bool {
	for i := range t.segs {
		if s := &t.segs[i]; s.tok >= 0 && !tokens[s.tok].timeOnly() {
			return false
		}
	}
	return true
}
