package defaultgen

import (
	"fmt"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// isoMillis is the token autotimestamp adds for a csv sample with a _time
// column (Eventgen's Config.parse, inventory §1.5).
var isoMillis = [2]string{`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}`, "%Y-%m-%dT%H:%M:%S.%f"}

// detectTimestamps is autotimestamp (inventory §1.5): the timestamp
// tokens it adds after the stanza's own ones (have). As Eventgen did,
// events are grouped by their punctuation (punct); for the first event
// of each group the pairs are tried in order, and the first whose regex
// matches and whose format parses the match (group 1, else the whole
// match) becomes a timestamp token and is not tried again.
func detectTimestamps(events []sample.Event, pairs [][2]string, have []token.Spec) ([]token.Spec, error) {
	exists := func(re, f string, added []token.Spec) bool {
		for _, l := range [][]token.Spec{have, added} {
			for _, t := range l {
				if t.Regex == re && t.Replacement == f {
					return true
				}
			}
		}
		return false
	}
	var out []token.Spec
	add := func(p [2]string) {
		out = append(out, token.Spec{N: -2, Label: fmt.Sprintf("autotimestamp %q", p[1]), Regex: p[0], Type: "timestamp", Replacement: p[1]})
	}
	if len(events) > 0 {
		if _, ok := events[0].Fields["_time"]; ok && !exists(isoMillis[0], isoMillis[1], nil) {
			add(isoMillis)
		}
	}
	type candidate struct {
		pair   [2]string
		tok    *token.Token
		layout *timeutil.Layout
	}
	var cands []candidate
	for i, p := range pairs {
		spec := token.Spec{N: -2, Label: fmt.Sprintf("autotimestamps pair %d", i+1), Regex: p[0], Type: "timestamp", Replacement: p[1]}
		tok, err := token.Compile(spec, token.Env{}) // warnings come when the token is compiled for use
		if err != nil {
			return nil, err
		}
		l, err := timeutil.CompileLayout(p[1])
		if err != nil {
			return nil, fmt.Errorf("autotimestamps pair %d: format %q cannot read timestamps: %v", i+1, p[1], err)
		}
		cands = append(cands, candidate{p, tok, l})
	}
	seen := map[string]bool{}
	for _, ev := range events {
		p := punct(ev.Raw)
		if seen[p] {
			continue
		}
		seen[p] = true
		for i, c := range cands {
			m, ok := c.tok.Match(ev.Raw)
			if !ok {
				continue
			}
			if _, err := c.layout.Parse(m, time.UTC); err != nil {
				continue
			}
			if !exists(c.pair[0], c.pair[1], out) {
				add(c.pair)
				// Eventgen dropped every pair with this regex
				kept := cands[:i:i]
				for _, d := range cands[i+1:] {
					if d.pair[0] != c.pair[0] {
						kept = append(kept, d)
					}
				}
				cands = kept
			}
			break
		}
	}
	return out, nil
}

// punct is Eventgen's Config._punct: the event's punctuation, a rough
// signature of its shape ("this-is-a: test \ntest $^" gives "--:\n$^").
func punct(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\'':
			b.WriteString(`\'`)
		default:
			if strings.ContainsRune(",;-#$%&+./:=?@|*\n\r(){}<>[]^!", r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
