// Package config turns layered eventgen.conf stanzas into typed,
// validated samples: one per sample file a stanza matches, with the
// stanza layering rules of Eventgen 7.2.1 (inventory §1.3), and a
// Problem for everything that is wrong or will not generate.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/pyregex"
	"github.com/eventgen-go/eventgen/src/internal/settings"
	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

const builtinName = settings.BuiltinName

// Builtin returns Eventgen's built-in [global] defaults (from the schema).
func Builtin() *conf.File { return settings.BuiltinGlobal() }

// Severity of a Problem.
type Severity uint8

const (
	Warning Severity = iota + 1
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "ERROR"
	}
	return "WARN"
}

// Problem is something wrong with the configuration, located as
// precisely as known, with what to do about it.
type Problem struct {
	Severity Severity
	File     string
	Line     int
	Stanza   string
	Key      string
	Msg      string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
	}
	if p.Stanza != "" {
		b.WriteString("[" + p.Stanza + "] ")
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Source is one eventgen.conf and the app it belongs to.
type Source struct {
	File   *conf.File
	AppDir string // default sampleDir is AppDir/samples
}

// Options change how stanzas become samples.
type Options struct {
	SampleDir string         // overrides every stanza's sampleDir (CLI --sample-dir)
	Location  *time.Location // timezone when a stanza sets none (nil = time.Local)
	Now       time.Time      // the run's start, to check earliest/latest (zero = time.Now())
	// Overrides from the command line, applied as samples are built so
	// that the engine never edits a sample: EndIntervals > 0 ends every
	// sample after that many intervals (--end); OutputMode sends every
	// sample there (--output).
	EndIntervals int
	OutputMode   string
	// Outputs, when set, lists the output modes this build has. A sample
	// whose outputMode is missing is an error, or, with OutputFallback
	// set, goes to OutputFallback with a warning (inside Splunk, Eventgen
	// 7.2.1 sent every stanza that was not spool or file to the modular
	// input; ours does the same for outputs it lacks).
	Outputs        []string
	OutputFallback string
	// Generators, when set, lists the generators this build has
	// (generate.Available()); nil: the schema's generator names.
	Generators []string
	// CheckOutput, for CheckStanza, checks a sample's output settings as
	// the engine does before it starts a stanza (outputs.Validate).
	CheckOutput func(*Sample) error
}

// Result is what Load found.
type Result struct {
	Samples  []*Sample
	Skipped  []Skip
	Problems []Problem
	Global   map[string]conf.Value
}

// Skip is a stanza that will not generate, and why.
type Skip struct {
	Stanza string
	Reason string
	File   string // the eventgen.conf that defines the stanza: tells its app
}

// Errors returns the problems of Error severity.
func (r *Result) Errors() []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if p.Severity == Error {
			out = append(out, p)
		}
	}
	return out
}

// loader carries the state of one Load.
type loader struct {
	opts     Options
	res      *Result
	global   map[string]conf.Value // built-in < [global]
	deflt    map[string]conf.Value // [default], applied by splunkd to every stanza
	listings map[string][]string
	// editor: CheckStanza, where a token that cannot work is an error (the
	// form refuses to save it) rather than left out with a warning.
	editor bool
}

// Load layers the sources in order (later wins key by key) and builds
// the samples.
func Load(sources []Source, opts Options) *Result {
	l := &loader{opts: opts, res: &Result{}, listings: map[string][]string{}}
	files := []*conf.File{Builtin()}
	owner := map[string]string{} // stanza → app dir of the last source defining it
	for _, s := range sources {
		files = append(files, s.File)
		for _, st := range s.File.Stanzas {
			owner[st.Name] = s.AppDir
		}
		for _, w := range s.File.Warnings {
			l.res.Problems = append(l.res.Problems, Problem{Severity: Warning, File: w.File, Line: w.Line, Stanza: w.Stanza, Key: w.Key, Msg: w.Err.Error()})
		}
	}
	layered := conf.Layer(files...)
	l.global = layered.Stanza("global").Values
	if d := layered.Stanza("default"); d != nil && len(d.Keys) > 0 {
		l.deflt = d.Values
		// pytest-splunk-addon-data.conf documents its defaults under [default].
		if filepath.Base(d.File) != "pytest-splunk-addon-data.conf" {
			l.warn(Problem{File: d.File, Line: d.Line, Stanza: "default", Msg: "settings under [default] are applied to every stanza, as splunkd does; put defaults under [global] instead"})
		}
	}
	l.res.Global = l.global
	for k, v := range l.global {
		l.checkKey("global", k, v)
	}

	var stanzas []*conf.Stanza
	for _, st := range layered.Stanzas {
		if st.Name == "global" || st.Name == "default" {
			continue
		}
		for _, k := range st.Keys {
			l.checkKey(st.Name, k, st.Values[k])
		}
		if v, ok := l.lookup(st, "disabled"); ok {
			b, err := settings.ParseBool(v.Text)
			if err != nil {
				l.fail(st.Name, "disabled", v, err.Error())
				continue
			}
			if b {
				l.res.Skipped = append(l.res.Skipped, Skip{st.Name, fmt.Sprintf("disabled (disabled = %s at %s:%d)", v.Text, v.File, v.Line), st.File})
				continue
			}
		}
		stanzas = append(stanzas, st)
	}
	l.match(stanzas, owner)
	return l.res
}

func (l *loader) warn(p Problem) {
	p.Severity = Warning
	l.res.Problems = append(l.res.Problems, p)
}

func (l *loader) fail(stanza, key string, v conf.Value, msg string) {
	l.res.Problems = append(l.res.Problems, Problem{Severity: Error, File: v.File, Line: v.Line, Stanza: stanza, Key: key, Msg: msg})
}

var tokenKeyRE = regexp.MustCompile(`^token\.(\d+)\.(\w+)$`)

// tokenKey splits token.<n>.<field>.
func tokenKey(key string) (int, string, bool) {
	m := tokenKeyRE.FindStringSubmatch(key)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, "", false
	}
	return n, m[2], true
}

func (l *loader) checkKey(stanza, key string, v conf.Value) {
	if n, field, ok := tokenKey(key); ok {
		switch field {
		case "token", "replacementType", "replacement":
		case "field": // pytest-splunk-addon: the field of the value (host_type = event)
		default:
			l.warn(Problem{File: v.File, Line: v.Line, Stanza: stanza, Key: key, Msg: fmt.Sprintf("unknown token field %q; token.%d takes token, replacementType, replacement and field (this key is ignored)", field, n)})
		}
		return
	}
	if knownKey(key) {
		return
	}
	msg := "unknown setting; it has no effect"
	if s := settings.Suggest(key); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	l.warn(Problem{File: v.File, Line: v.Line, Stanza: stanza, Key: key, Msg: msg})
}

// lookup finds a setting for a stanza: the stanza, then [default], then
// [global] and the built-in defaults when the setting is defaultable.
func (l *loader) lookup(st *conf.Stanza, key string) (conf.Value, bool) {
	if v, ok := st.Values[key]; ok {
		return v, true
	}
	if v, ok := l.deflt[key]; ok {
		return v, true
	}
	if s, ok := settings.Lookup(key); ok && s.Scope == settings.Both {
		v, ok := l.global[key]
		return v, ok
	}
	return conf.Value{}, false
}

// listing returns the regular files of dir, sorted (os.listdir order is
// arbitrary; sorted is reproducible).
func (l *loader) listing(dir string) ([]string, error) {
	if names, ok := l.listings[dir]; ok {
		return names, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil && st.Mode().IsRegular() {
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	l.listings[dir] = names
	return names, nil
}

// sampleDir resolves a stanza's sample directory: --sample-dir, else
// sampleDir (relative to the conf file that set it), else the owning
// app's samples folder.
func (l *loader) sampleDir(st *conf.Stanza, appDir string) string {
	if l.opts.SampleDir != "" {
		return l.opts.SampleDir
	}
	if v, ok := l.lookup(st, "sampleDir"); ok && v.Text != "" {
		p := textfile.ExpandPath(v.Text)
		if !filepath.IsAbs(p) && v.File != "" && !strings.HasPrefix(v.File, "(") {
			p = filepath.Join(filepath.Dir(v.File), p)
		}
		return p
	}
	return filepath.Join(appDir, "samples")
}

// candidate is a stanza with its resolved sample directory and regex.
type candidate struct {
	st    *conf.Stanza
	order int
	dir   string
	re    *pyregex.Regexp
	files []string
}

// match assigns sample files to stanzas (inventory §1.3 steps 6–9):
// a stanza name is an exact file name or a regex matched against the
// whole file name; when several stanzas match one file, the exact name,
// else the longest pattern, is the master and the others layer under it.
// Unlike Eventgen 7.2.1 (bug 1) every matched file is generated.
func (l *loader) match(stanzas []*conf.Stanza, owner map[string]string) {
	type fileKey struct{ dir, name string }
	byFile := map[fileKey][]*candidate{}
	var fileOrder []fileKey
	var cands []*candidate
	for i, st := range stanzas {
		c := &candidate{st: st, order: i, dir: l.sampleDir(st, owner[st.Name])}
		cands = append(cands, c)
		names, err := l.listing(c.dir)
		if err != nil {
			if !l.needsSample(st) {
				continue
			}
			why := err.Error()
			if os.IsNotExist(err) {
				why = "does not exist"
			}
			v, _ := l.lookup(st, "sampleDir")
			l.res.Problems = append(l.res.Problems, Problem{Severity: Error, File: firstNonEmpty(v.File, st.File), Line: max(v.Line, st.Line), Stanza: st.Name, Key: "sampleDir",
				Msg: fmt.Sprintf("sample directory %s %s; set sampleDir, or pass --sample-dir", c.dir, why)})
			l.res.Skipped = append(l.res.Skipped, Skip{st.Name, "sample directory " + c.dir + " " + why, st.File})
			c.dir = ""
			continue
		}
		var reErr error
		for _, n := range names {
			if n == st.Name {
				c.files = append(c.files, n)
				continue
			}
			if c.re == nil && reErr == nil {
				c.re, reErr = pyregex.Compile(st.Name, false)
			}
			if c.re != nil {
				if ok, _ := c.re.FullMatch(n); ok {
					c.files = append(c.files, n)
				}
			}
		}
		if reErr != nil && len(c.files) == 0 {
			l.res.Problems = append(l.res.Problems, Problem{Severity: Error, File: st.File, Line: st.Line, Stanza: st.Name,
				Msg: fmt.Sprintf("stanza name is neither a file in %s nor a valid regex: %v; escape it (e.g. .*\\.perfmon) or rename the stanza", c.dir, reErr)})
			l.res.Skipped = append(l.res.Skipped, Skip{st.Name, "stanza name is not a valid regex", st.File})
			c.dir = ""
			continue
		}
		for _, f := range c.files {
			k := fileKey{c.dir, f}
			if _, seen := byFile[k]; !seen {
				fileOrder = append(fileOrder, k)
			}
			byFile[k] = append(byFile[k], c)
		}
	}

	// Stanzas that matched nothing: fine for generators that need no
	// sample, a reported problem otherwise.
	for _, c := range cands {
		if len(c.files) > 0 || c.dir == "" {
			continue
		}
		if !l.needsSample(c.st) {
			l.build(c.st, []*candidate{c}, "", c.dir)
			continue
		}
		l.res.Problems = append(l.res.Problems, Problem{Severity: Error, File: c.st.File, Line: c.st.Line, Stanza: c.st.Name,
			Msg: fmt.Sprintf("matches no file in %s; the stanza name must be a sample file name or a regex matching whole file names", c.dir)})
		l.res.Skipped = append(l.res.Skipped, Skip{c.st.Name, "matches no sample file in " + c.dir, c.st.File})
	}

	sort.SliceStable(fileOrder, func(i, j int) bool {
		return byFile[fileOrder[i]][0].order < byFile[fileOrder[j]][0].order
	})
	for _, k := range fileOrder {
		group := byFile[k]
		master := group[0]
		for _, c := range group[1:] {
			if master.st.Name == k.name {
				break
			}
			if c.st.Name == k.name || len(c.st.Name) > len(master.st.Name) {
				master = c
			}
		}
		ordered := []*candidate{master}
		for i := len(group) - 1; i >= 0; i-- { // later stanzas first
			if group[i] != master {
				ordered = append(ordered, group[i])
			}
		}
		l.build(master.st, ordered, filepath.Join(k.dir, k.name), k.dir)
	}
}

// needsSample reports whether a stanza's generator reads a sample file.
// As in Eventgen, only the sample-based generators need one; a stanza of
// another generator that matches no file still runs (or is reported for
// its generator).
func (l *loader) needsSample(st *conf.Stanza) bool {
	g, _ := l.lookup(st, "generator")
	m, _ := l.lookup(st, "mode")
	switch g.Text {
	case "", "default", "replay", "perdayvolumegenerator":
		return true
	}
	return strings.EqualFold(strings.TrimSpace(m.Text), "replay")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
