package config

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/pyregex"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// CheckStanza validates one stanza's settings with the rules of Load and
// of eventgen validate, but with nothing read from disk. It exists for the
// eventgen.conf editor in Splunk Web (src/cmd/validate-wasm), which has a
// stanza's key/values from splunkd REST and no access to the app's files.
//
// global holds the [global] stanza's values (nil: the built-in defaults
// only), which fill the settings the stanza leaves unset, as in Load.
// Keys splunkd adds ("eai:*") are ignored.
//
// What needs files is not checked: which sample files the stanza name
// matches, the sample's content, and the files of file/mvfile/seqfile
// tokens (only their regex and column syntax are). A stanza name that is
// not a valid regex is a warning, since a sample file may carry exactly
// that name. Problems carry the stanza and key, and no file or line.
func CheckStanza(name string, values, global map[string]string, opts Options) []Problem {
	l := &loader{opts: opts, res: &Result{}, listings: map[string][]string{}, editor: true}
	f := &conf.File{}
	if len(global) > 0 && name != "global" {
		f.Stanzas = append(f.Stanzas, stanzaOf("global", global))
	}
	f.Stanzas = append(f.Stanzas, stanzaOf(name, values))
	layered := conf.Layer(Builtin(), f)
	st := layered.Stanza(name)
	l.global = layered.Stanza("global").Values
	own := stanzaOf(name, values)
	for _, k := range own.Keys {
		if !strings.HasPrefix(k, "eai:") {
			l.checkKey(name, k, own.Values[k])
		}
	}
	if name == "global" || name == "default" {
		return l.res.Problems
	}
	if strings.TrimSpace(name) == "" {
		l.res.Problems = append(l.res.Problems, Problem{Severity: Error, Msg: "the stanza has no name; give the sample file's name or a regex matching sample file names"})
		return l.res.Problems
	}
	if _, err := pyregex.Compile(name, false); err != nil {
		l.warn(Problem{Stanza: name, Msg: fmt.Sprintf("the stanza name is not a valid regex (%v); it only works if a sample file has exactly this name", err)})
	}
	l.build(st, []*candidate{{st: st}}, "", "")
	if len(l.res.Samples) == 1 && opts.CheckOutput != nil {
		s := l.res.Samples[0]
		l.res.Problems = append(l.res.Problems, s.SettingProblems(opts.CheckOutput(s))...)
	}
	l.checkTokens(st)
	return l.res.Problems
}

// stanzaOf makes a conf stanza from key/values, keys sorted so that
// problems come in a stable order.
func stanzaOf(name string, values map[string]string) *conf.Stanza {
	st := &conf.Stanza{Name: name, Values: make(map[string]conf.Value, len(values))}
	for k, v := range values {
		st.Keys = append(st.Keys, k)
		st.Values[k] = conf.Value{Text: strings.TrimSpace(v)}
	}
	sort.Slice(st.Keys, func(i, j int) bool { return keyLess(st.Keys[i], st.Keys[j]) })
	return st
}

// keyLess orders keys alphabetically, but token.<n>.* by number.
func keyLess(a, b string) bool {
	na, fa, oka := tokenKey(a)
	nb, fb, okb := tokenKey(b)
	if oka && okb {
		if na != nb {
			return na < nb
		}
		return fa < fb
	}
	return a < b
}

// checkTokens compiles each complete token of st the way the engine
// does (token.Compile), except that file-based tokens get only their
// regex and "path:column" checked: their files are not readable here.
// build has already reported incomplete tokens and unknown types.
//
// A token that does not compile is an error here, although the engine
// runs its stanza without it (a warning in eventgen validate, an error
// with validate --strict): the editor is where the token is being
// written, so it refuses to save one that cannot work.
func (l *loader) checkTokens(st *conf.Stanza) {
	byN, ns := stanzaTokens(st)
	sort.Ints(ns)
	for _, n := range ns {
		t := *byN[n]
		prefix := "token." + strconv.Itoa(n) + "."
		all, _, skip := psaToken(&t)
		if skip {
			continue
		}
		if all {
			low := strings.ToLower(strings.TrimSpace(t.Replacement))
			if strings.HasPrefix(low, "integer[") || strings.HasPrefix(low, "list[") {
				if _, err := token.AllValues(t, token.Env{}); err != nil {
					l.warn(Problem{Stanza: st.Name, Key: prefix + "replacement", Msg: err.Error() + "; this token is left out and its text stays as it is"})
				}
			}
			continue
		}
		if t.Regex != "" {
			if _, err := pyregex.Compile(t.Regex, false); err != nil {
				l.fail(st.Name, prefix+"token", conf.Value{}, regexProblem(err))
				continue
			}
		}
		if t.Regex == "" || !contains(token.Types, t.Type) {
			continue
		}
		switch t.Type {
		case "file", "mvfile", "seqfile":
			if strings.TrimSpace(t.Replacement) == "" {
				l.fail(st.Name, prefix+"replacement", conf.Value{}, fmt.Sprintf("replacementType %s needs the path of a file (path or path:column)", t.Type))
			}
			continue
		}
		warn := func(msg string) { l.warn(Problem{Stanza: st.Name, Key: prefix + "replacement", Msg: msg}) }
		if _, err := token.Compile(t, token.Env{Warn: warn}); err != nil {
			msg := err.Error()
			var te *token.Error
			if errors.As(err, &te) {
				msg = te.Err.Error()
			}
			l.fail(st.Name, prefix+"replacement", conf.Value{}, msg)
		}
	}
	if v, ok := st.Values["host.token"]; ok && v.Text != "" {
		if _, err := pyregex.Compile(v.Text, false); err != nil {
			l.fail(st.Name, "host.token", conf.Value{}, regexProblem(err))
		}
	}
}

// regexProblem rewords pyregex's error for a form field: the field shows
// the regex as typed, so the message gives only the cause (pyregex's own
// quotes it in Go syntax, doubling every backslash).
func regexProblem(err error) string {
	msg := err.Error()
	if _, cause, ok := strings.Cut(msg, " does not compile: "); ok {
		msg = "the regex does not compile: " + cause
	}
	return msg + " (Python regex syntax, as in \\d{4}-\\d\\d-\\d\\d)"
}
