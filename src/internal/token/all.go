package token

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/pyregex"
)

// AllValues returns the values of a replacementType = all token, a
// pytest-splunk-addon extension (rule.py, Rule.apply): every sample event
// the token matches is generated once per value. integer[a:b] gives a to
// b-1 (Python's range, as rule.py's IntRule has it), list[...] its items,
// and a file (path or path:column, after file[...] is unwrapped) each of
// its non-blank lines, or that column of each.
func AllValues(spec Spec, env Env) ([]string, error) {
	r := strings.TrimSpace(spec.Replacement)
	low := strings.ToLower(r)
	switch {
	case strings.HasPrefix(low, "integer["):
		rnd, err := ParseRandom(r)
		if err != nil {
			return nil, err
		}
		if rnd.hi-rnd.lo > 1_000_000 {
			return nil, fmt.Errorf("%q gives %d values, one event each; at most 1000000", r, rnd.hi-rnd.lo)
		}
		var out []string
		for v := rnd.lo; v < rnd.hi; v++ {
			out = append(out, strconv.FormatInt(v, 10))
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("%q gives no value: the upper bound is left out, as in Python's range; write integer[%d:%d]", r, rnd.lo, rnd.lo+1)
		}
		return out, nil
	case strings.HasPrefix(low, "list["):
		rnd, err := ParseRandom(r)
		if err != nil {
			return nil, err
		}
		return rnd.list, nil
	}
	path, col, err := splitColumn(r)
	if err != nil {
		return nil, err
	}
	if env.Files == nil {
		env.Files = NewFileCache()
	}
	f, note, err := env.Files.Open(path, env.SampleDir)
	if err != nil {
		return nil, err
	}
	if note != "" {
		warn(env, fmt.Sprintf("%s: %s", spec, note))
	}
	out := make([]string, len(f.lines))
	for i := range f.lines {
		if col > 0 {
			out[i] = f.column(i, col)
		} else {
			out[i] = f.lines[i]
		}
	}
	return out, nil
}

// ExpandAll returns text once per value with every match of regex (its
// group 1 when it has one) replaced by that value, or nil when regex
// matches nothing in text.
func ExpandAll(text, regex string, values []string) ([]string, error) {
	re, err := pyregex.Compile(regex, false)
	if err != nil {
		return nil, err
	}
	ms, err := re.FindAll(text)
	if err != nil {
		return nil, err
	}
	type cut struct{ start, end int }
	var cuts []cut
	for _, m := range ms {
		switch {
		case m.HasGroup1:
			cuts = append(cuts, cut{m.Group1[0], m.Group1[1]})
		case m.GroupCount == 0:
			cuts = append(cuts, cut{m.Start, m.End})
		}
	}
	if len(cuts) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(values))
	var b strings.Builder
	for _, v := range values {
		b.Reset()
		last := 0
		for _, c := range cuts {
			if c.start < last {
				continue
			}
			b.WriteString(text[last:c.start])
			b.WriteString(v)
			last = c.end
		}
		b.WriteString(text[last:])
		out = append(out, b.String())
	}
	return out, nil
}
