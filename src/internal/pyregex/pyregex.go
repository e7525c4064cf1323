// Package pyregex compiles regular expressions written for Python's re
// module, as eventgen.conf files are (stanza names, token.N.token,
// breaker). Go's regexp (RE2) lacks look-around and back-references,
// which real token regexes use, so expressions are compiled with
// github.com/dlclark/regexp2 after translating the few Python-only
// spellings. Regexes run only when samples are compiled into templates,
// never per event, so backtracking speed does not matter; a match
// timeout bounds pathological patterns.
package pyregex

import (
	"fmt"
	"strings"
	"time"

	"github.com/dlclark/regexp2"
)

// Timeout bounds a single match so that a catastrophic pattern fails
// with an error instead of hanging start-up.
const Timeout = 2 * time.Second

// Regexp is a compiled Python-syntax regular expression.
type Regexp struct {
	expr string
	opts regexp2.RegexOptions
	re   *regexp2.Regexp
	full *regexp2.Regexp // anchored at both ends, built on first FullMatch
}

// Compile compiles a Python re expression. multiline sets re.M.
func Compile(expr string, multiline bool) (*Regexp, error) {
	opts := regexp2.None
	if multiline {
		opts |= regexp2.Multiline
	}
	re, err := regexp2.Compile(translate(expr), opts)
	if err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "error parsing regexp: ")
		return nil, fmt.Errorf("regex %q does not compile: %s", expr, msg)
	}
	re.MatchTimeout = Timeout
	return &Regexp{expr: expr, opts: opts, re: re}, nil
}

// String returns the expression as written.
func (r *Regexp) String() string { return r.expr }

// translate rewrites Python-only group syntax into the .NET syntax
// regexp2 understands: (?P<name>...) → (?<name>...), (?P=name) → \k<name>.
func translate(expr string) string {
	if !strings.Contains(expr, "(?P") {
		return expr
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '\\' && i+1 < len(expr):
			b.WriteString(expr[i : i+2])
			i++
			continue
		case inClass:
			if c == ']' {
				inClass = false
			}
		case c == '[':
			inClass = true
			// "[]" and "[^]" open a class whose first member is a literal ']'
			j := i + 1
			if j < len(expr) && expr[j] == '^' {
				j++
			}
			if j < len(expr) && expr[j] == ']' {
				j++
			}
			b.WriteString(expr[i:j])
			i = j - 1
			continue
		case strings.HasPrefix(expr[i:], "(?P<"):
			b.WriteString("(?<")
			i += 3
			continue
		case strings.HasPrefix(expr[i:], "(?P="):
			if end := strings.IndexByte(expr[i:], ')'); end > 0 {
				b.WriteString(`\k<` + expr[i+4:i+end] + ">")
				i += end
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Match is one match with byte offsets into the searched string.
// Group1 is the span of capture group 1, or {-1,-1} when the expression
// has no group 1 or it did not take part in the match.
type Match struct {
	Start, End int
	Group1     [2]int
	HasGroup1  bool
	GroupCount int
}

// FindAll returns every non-overlapping match in s, left to right.
func (r *Regexp) FindAll(s string) ([]Match, error) {
	// regexp2 reports rune offsets; map them back to bytes.
	offs := runeOffsets(s)
	var out []Match
	m, err := r.re.FindStringMatch(s)
	for ; m != nil && err == nil; m, err = r.re.FindNextMatch(m) {
		mm := Match{Start: offs[m.Index], End: offs[m.Index+m.Length], Group1: [2]int{-1, -1}, GroupCount: m.GroupCount() - 1}
		if g := m.GroupByNumber(1); g != nil && len(g.Captures) > 0 {
			mm.HasGroup1 = true
			mm.Group1 = [2]int{offs[g.Index], offs[g.Index+g.Length]}
		}
		out = append(out, mm)
	}
	if err != nil {
		return nil, fmt.Errorf("regex %q: %v", r.expr, err)
	}
	return out, nil
}

// FullMatch reports whether the whole of s matches, as Eventgen requires
// of stanza names against sample file names.
func (r *Regexp) FullMatch(s string) (bool, error) {
	if r.full == nil {
		full, err := regexp2.Compile(`\A(?:`+translate(r.expr)+`)\z`, r.opts)
		if err != nil {
			return false, err
		}
		full.MatchTimeout = Timeout
		r.full = full
	}
	return r.full.MatchString(s)
}

// runeOffsets maps rune index → byte offset (one extra entry for the end).
func runeOffsets(s string) []int {
	offs := make([]int, 0, len(s)+1)
	for i := range s {
		offs = append(offs, i)
	}
	// regexp2 decodes invalid bytes to one rune each, as range does.
	return append(offs, len(s))
}
