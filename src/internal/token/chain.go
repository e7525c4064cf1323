package token

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Chain is one sample event rendered as Eventgen rendered it: token 0's
// regex runs on the event text with its line ending, token 1's on the
// result, and so on (inventory §2.1), every event anew. It is the slow
// path, for the stanzas where a compiled Template would not give the
// same text (see NeedsChain): a token whose values contain text a later
// token replaces ($trackId$-style placeholders in a token file), or a
// regex that matches the line ending.
type Chain struct {
	text string // the event's text and its line ending
}

// NewChain returns the chain of an event's text (without its line
// ending, which the chain adds as Eventgen did).
func NewChain(text string) *Chain { return &Chain{text: text + "\n"} }

// Append renders the event for c (call c.Reset before each event) and
// appends it to dst without the trailing line ending: outputs add their
// own, so it is not written twice. Each token that matches draws one
// value per event, used at all its matches, as Eventgen did.
func (ch *Chain) Append(dst []byte, c *Context, tokens []*Token) []byte {
	cur := append(c.chainCur[:0], ch.text...)
	next := c.chainNext[:0]
	for _, t := range tokens {
		spans := t.spans(string(cur), c.chainSpans[:0])
		c.chainSpans = spans
		if len(spans) == 0 {
			continue
		}
		val := t.AppendValue(c.chainVal[:0], c)
		c.chainVal = val
		next = splice(next[:0], cur, spans, func(int) []byte { return val })
		cur, next = next, cur
	}
	c.chainCur, c.chainNext = cur, next
	if n := len(cur); n > 0 && cur[n-1] == '\n' {
		cur = cur[:n-1]
	}
	return append(dst, cur...)
}

// spans returns where t replaces text in s: group 1 of each match when
// the regex has one, else the whole match. A match whose group 1 did not
// take part is skipped (Eventgen inserted the value at a wrong offset).
func (t *Token) spans(s string, out [][2]int) [][2]int {
	ms, err := t.re.FindAll(s)
	if err != nil {
		return out
	}
	for _, m := range ms {
		switch {
		case m.HasGroup1:
			out = append(out, m.Group1)
		case m.GroupCount == 0:
			out = append(out, [2]int{m.Start, m.End})
		}
	}
	return out
}

// Replaces reports whether t replaces some of s.
func (t *Token) Replaces(s string) bool { return len(t.spans(s, nil)) > 0 }

// splice appends text with each span replaced by value(span index).
func splice(dst, text []byte, spans [][2]int, value func(int) []byte) []byte {
	last := 0
	for i, sp := range spans {
		dst = append(dst, text[last:sp[0]]...)
		dst = append(dst, value(i)...)
		last = sp[1]
	}
	return append(dst, text[last:]...)
}

// candidateDraws is how many values of a token with unbounded values
// (numbers, addresses, timestamps) NeedsChain tries.
const candidateDraws = 16

// maxCandidates bounds the values of a token file or list NeedsChain tries.
const maxCandidates = 5000

// candidates returns values t can give: every line (or column value) of
// its file, every item of its list, else candidateDraws values drawn
// from a fixed source at spread-out times. The first is the baseline.
func (t *Token) candidates() []string {
	var vals []string
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] && len(vals) < maxCandidates {
			seen[v] = true
			vals = append(vals, v)
		}
	}
	switch {
	case t.kind == kindStatic:
		add(string(t.static))
	case t.file != nil:
		for i, l := range t.file.lines {
			if t.column > 0 {
				add(t.file.column(i, t.column))
			} else {
				add(l)
			}
		}
	case t.random != nil && t.random.kind == kindList:
		for _, v := range t.random.list {
			add(v)
		}
	default:
		c := t.Clone() // counters and timestamp caches stay the token's own
		ctx := NewContext(rand.New(rand.NewPCG(1, 2)))
		at := time.Date(2024, 3, 5, 12, 34, 56, 789012000, time.UTC)
		for i := 0; i < candidateDraws; i++ {
			ctx.Reset()
			ctx.Time = at.Add(time.Duration(i) * (37*time.Hour + 13*time.Minute + 7*time.Second + 123457*time.Microsecond))
			ctx.Latest = ctx.Time
			add(string(c.AppendValue(nil, ctx)))
		}
	}
	if len(vals) == 0 {
		vals = append(vals, "")
	}
	return vals
}

// fixed renders the template with the given value per token.
func (t *Template) fixed(values []string) string {
	var b []byte
	for _, s := range t.segs {
		b = append(b, s.lit...)
		if s.tok >= 0 {
			b = append(b, values[s.tok]...)
		}
	}
	return string(b)
}

// chainFixed renders text (with its line ending) as Eventgen did, with
// the given value per token, and drops one trailing line ending.
func chainFixed(text string, tokens []*Token, values []string) string {
	cur := []byte(text)
	var next []byte
	for i, t := range tokens {
		spans := t.spans(string(cur), nil)
		if len(spans) == 0 {
			continue
		}
		next = splice(next[:0], cur, spans, func(int) []byte { return []byte(values[i]) })
		cur, next = next, cur
	}
	return strings.TrimSuffix(string(cur), "\n")
}

// NeedsChain decides, at start, whether the events texts (compiled as
// templates, one per text) must be rendered by a Chain to give the text
// Eventgen would give. It renders every event both ways with the same
// values and compares: first with each token's first candidate value,
// then, for each token, with each of its candidate values that a later
// token's regex matches (the values that can bring a later token into
// play). A difference means the chain. reason says why, for the log;
// feeds lists, per token, whether an earlier token's values can give it
// text to match (so that matching nothing in the sample is expected).
func NeedsChain(texts []string, templates []*Template, tokens []*Token) (chain bool, reason string, feeds []bool) {
	feeds = make([]bool, len(tokens))
	if len(tokens) == 0 {
		return false, "", feeds
	}
	cands := make([][]string, len(tokens))
	base := make([]string, len(tokens))
	for i, t := range tokens {
		cands[i] = t.candidates()
		base[i] = cands[i][0]
	}
	// Values of token i a later token's regex matches.
	const perToken = 8
	suspect := make([][]string, len(tokens))
	for i := range tokens {
		for _, v := range cands[i] {
			hit := false
			for j := i + 1; j < len(tokens); j++ {
				if ms, err := tokens[j].re.FindAll(v); err == nil && len(ms) > 0 {
					feeds[j], hit = true, true
				}
			}
			if hit && len(suspect[i]) < perToken {
				suspect[i] = append(suspect[i], v)
			}
		}
	}
	for k, text := range texts {
		want := templates[k].fixed(base)
		if got := chainFixed(text+"\n", tokens, base); got != want {
			if chainFixed(text, tokens, base) == want {
				return true, fmt.Sprintf("a token regex matches the line ending of event %d", k+1), feeds
			}
			return true, fmt.Sprintf("a token regex matches text an earlier token wrote in event %d", k+1), feeds
		}
	}
	// The suspect values, in up to suspectEvents events that use the token:
	// whether a later regex takes a value depends on the value and the
	// text around it, which a sample's events mostly share.
	for i := range tokens {
		if len(suspect[i]) == 0 {
			continue
		}
		var uses []int
		for k, tpl := range templates {
			if tpl.uses(i) {
				uses = append(uses, k)
			}
		}
		step := max(len(uses)/suspectEvents, 1)
		for n := 0; n < len(uses); n += step {
			k := uses[n]
			for _, v := range suspect[i] {
				vals := append([]string(nil), base...)
				vals[i] = v
				if chainFixed(texts[k]+"\n", tokens, vals) != templates[k].fixed(vals) {
					return true, fmt.Sprintf("%s can give %q, which a later token's regex matches (event %d)", tokens[i].Spec, clipValue(v), k+1), feeds
				}
			}
		}
	}
	return false, "", feeds
}

// suspectEvents bounds the events NeedsChain renders with each suspect
// value, so that start-up stays short on samples of many events.
const suspectEvents = 64

// uses reports whether token i fills a slot of the template.
func (t *Template) uses(i int) bool {
	for _, s := range t.segs {
		if s.tok == i {
			return true
		}
	}
	return false
}

func clipValue(v string) string {
	if len(v) > 60 {
		return v[:60] + "..."
	}
	return v
}
