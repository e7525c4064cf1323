package defaultgen

import (
	"fmt"

	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// expandAll applies the replacementType = all tokens of pytest-splunk-addon
// (config.Sample.AllTokens): each sample event a token matches becomes one
// event per value of the token, in the sample's order, before the other
// tokens apply (rule.py applies the all tokens first too). A sample of 3
// events and a token of 2 values that matches each gives 6 events. A
// token without values (a missing file, integer[5:5]) is left out with a
// warning: the stanza still generates.
func expandAll(events []sample.Event, specs []token.Spec, env token.Env) ([]sample.Event, error) {
	for _, spec := range specs {
		values, err := token.AllValues(spec, env)
		if err != nil {
			// The other tokens and the events can still generate: only
			// this token is left out (its text stays as it is).
			if env.Warn != nil {
				env.Warn(fmt.Sprintf("%s (all = %q): %v; this token is left out and its text stays as it is", spec, spec.Replacement, err))
			}
			continue
		}
		out := make([]sample.Event, 0, len(events))
		hit := false
		for _, ev := range events {
			texts, err := token.ExpandAll(ev.Raw, spec.Regex, values)
			if err != nil {
				return nil, &token.Error{Spec: spec, Err: fmt.Errorf("%s.token: %v", spec, err)}
			}
			if texts == nil {
				out = append(out, ev)
				continue
			}
			hit = true
			for _, t := range texts {
				e := ev
				e.Raw = t
				out = append(out, e)
			}
		}
		if !hit && env.Warn != nil {
			env.Warn(fmt.Sprintf("%s regex %q matches nothing in the sample; it has no effect", spec, spec.Regex))
		}
		events = out
	}
	return events, nil
}
