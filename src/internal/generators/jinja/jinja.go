// Package jinja is Eventgen's jinja generator (generator = jinja): events
// rendered from a Jinja template, one JSON object each.
package jinja

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nikolalohinski/gonja/v2/builtins"
	gonjacfg "github.com/nikolalohinski/gonja/v2/config"
	"github.com/nikolalohinski/gonja/v2/exec"
	"github.com/nikolalohinski/gonja/v2/loaders"
	"github.com/nikolalohinski/gonja/v2/nodes"
	"github.com/nikolalohinski/gonja/v2/parser"
	"github.com/nikolalohinski/gonja/v2/tokens"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
)

// The jinja generator (inventory §3.1 jinja) renders a Jinja template,
// with gonja, a Go implementation of Jinja2, and reads every event of the
// output as a JSON object {"_time": epoch, "_raw": text, ...}.
//
// Differences from Eventgen 7.2.1 (bugs of §6 item 22 fixed):
//   - jinja_variables is optional;
//   - jinja_count_type = line_count works (render until count events);
//   - {% time_delta %} and {% time_backfill %} are rejected when the
//     template is compiled, with a clear message (Eventgen crashed on them);
//   - an output that is not such a JSON object stops the interval with an
//     error naming the template and the output line (Eventgen logged
//     and skipped it, or crashed);
//   - "now" is the engine's clock (Batch.Latest), and times are zoned:
//     the default date_format's %z renders the sample's offset (Eventgen
//     formatted naive local times, so %z was empty), and the
//     eventgen_*_epoch variables are true epochs (Eventgen read naive
//     local times as UTC).
//
// The custom tags are real gonja control structures that set variables
// in the current scope, as Eventgen's Jinja extension did, so no
// pre-processing of the template text is needed. Eventgen's
// line_statement_prefix "#" and line_comment_prefix "##" are set.

// jinjaMaxRange bounds range(): gonja's own range feeds a goroutine per
// call that leaks when the result is not fully iterated; ours returns a
// slice, which needs a bound.
const jinjaMaxRange = 10_000_000

// jinjaMaxEmptyRenders stops line_count and byte targets when the
// template keeps producing nothing, which would otherwise loop forever.
const jinjaMaxEmptyRenders = 1000

const jinjaDefaultDateFormat = "%Y-%m-%dT%H:%M:%S%z"

// jinja count types (jinja_count_type).
const (
	jinjaCycles    = "cycles"
	jinjaLineCount = "line_count"
	jinjaVolume    = "perDayVolume"
)

type jinjaGen struct {
	s         *config.Sample
	rng       *rand.Rand
	loc       *time.Location
	meta      output.Event
	name      string // the template, for messages
	tpl       *exec.Template
	vars      []byte // jinja_variables (a JSON object), nil when unset
	countType string

	now     time.Time // {% time_now %}; set by Generate before rendering
	formats map[string]*timeutil.Format
	out     bytes.Buffer
	lines   []jinjaEvent
	raw     []byte
}

// jinjaEvent is one parsed output object.
type jinjaEvent struct {
	time                            time.Time
	raw                             string
	index, host, source, sourcetype string
}

func init() {
	generate.Register("jinja", func(p generate.Params) (any, error) { return newJinja(p.Sample, p.Rand, p.Warn) })
}

// newJinja builds the jinja generator of a sample (generator = jinja).
func newJinja(s *config.Sample, rng *rand.Rand, warn func(string)) (generate.Generator, error) {
	c := readConfig(s)
	if err := c.Validate(warn); err != nil {
		return nil, err
	}
	g := &jinjaGen{
		s: s, rng: rng, loc: s.Location, meta: generate.Meta(s), name: c.Path,
		countType: c.CountType, vars: c.Variables, formats: map[string]*timeutil.Format{},
	}
	if g.loc == nil {
		g.loc = time.Local
	}
	tpl, err := g.compile(c.Dir, c.Target)
	if err != nil {
		return nil, err
	}
	g.tpl = tpl
	return g, nil
}

// compile parses the template once, in an environment of its own: the
// gonja builtins plus Eventgen's time tags, a seeded random filter and a
// range() that returns a list.
func (g *jinjaGen) compile(dir, target string) (tpl *exec.Template, err error) {
	loader, err := loaders.NewFileSystemLoader(dir)
	if err != nil {
		return nil, fmt.Errorf("jinja_template_dir %s: %v", dir, err)
	}
	cfg := gonjacfg.New()
	cfg.LineStatementPrefix = "#"
	cfg.LineCommentPrefix = "##"

	structures := exec.NewControlStructureSet(map[string]parser.ControlStructureParser{}).Update(builtins.ControlStructures)
	for _, tag := range jinjaBuiltinTags {
		if p, ok := structures.Get(tag); ok {
			if err := structures.Replace(tag, withTagLine(p)); err != nil {
				return nil, err
			}
		}
	}
	for _, tag := range []string{"time_now", "time_slice", "time_delta", "time_backfill"} {
		if err := structures.Register(tag, withTagLine(g.timeTagParser(tag))); err != nil {
			return nil, err
		}
	}
	filters := exec.NewFilterSet(map[string]exec.FilterFunction{}).Update(builtins.Filters)
	if err := filters.Replace("random", g.randomFilter); err != nil {
		return nil, err
	}
	ctx := exec.EmptyContext().Update(builtins.GlobalFunctions).Update(builtins.GlobalVariables)
	ctx.Set("range", jinjaRange)
	env := &exec.Environment{
		Context:           ctx,
		Filters:           filters,
		Tests:             builtins.Tests,
		ControlStructures: structures,
		Methods:           builtins.Methods,
	}
	defer func() {
		if r := recover(); r != nil {
			tpl, err = nil, fmt.Errorf("jinja template %s: cannot compile: %v", g.name, r)
		}
	}()
	tpl, err = exec.NewTemplate(target, cfg, loader, env)
	if err != nil {
		return nil, g.compileError(err, cfg)
	}
	return tpl, nil
}

// lexError finds a lexer error of the template (an unterminated string,
// say), which gonja's parser reports without a line.
func (g *jinjaGen) lexError(cfg *gonjacfg.Config) (int, string) {
	src, err := os.ReadFile(g.name)
	if err != nil {
		return 0, ""
	}
	st := tokens.LexAll(string(src), cfg)
	for !st.EOF() {
		if t := st.Current(); t.Type == tokens.Error {
			pos := min(max(t.Pos, 0), len(src))
			msg := t.Val
			if !strings.HasPrefix(msg, "Unexpected") && !strings.HasPrefix(msg, "Unbalanced") && !strings.HasPrefix(msg, "Unable") && !strings.HasPrefix(msg, "unclosed") {
				msg = fmt.Sprintf("unterminated string %q", msg) // gonja gives the string's text
			}
			return 1 + bytes.Count(src[:pos], []byte{'\n'}), msg
		}
		st.Next()
	}
	return 0, ""
}

// jinjaBuiltinTags are gonja's tags; their parse errors get the line of
// the tag when gonja gives none.
var jinjaBuiltinTags = []string{"autoescape", "block", "call", "continue", "break", "do", "extends", "filter", "for", "from", "if", "import", "include", "macro", "raw", "set", "trans", "with"}

// tagError is a tag's parse error that gonja reported without a line.
type tagError struct {
	line int
	err  error
}

func (e *tagError) Error() string { return e.err.Error() }
func (e *tagError) Unwrap() error { return e.err }

// withTagLine wraps a tag parser so that its errors carry a line: the
// line of the tag's first argument, else the line the tag ends on.
func withTagLine(parse parser.ControlStructureParser) parser.ControlStructureParser {
	return func(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
		line := 0
		if t := args.Current(); t != nil && t.Type != tokens.EOF {
			line = t.Line
		} else if t := p.Current(); t != nil {
			line = t.Line
		}
		cs, err := parse(p, args)
		if err != nil && errorLine(err) == 0 && line > 0 {
			err = &tagError{line: line, err: err}
		}
		return cs, err
	}
}

// errorLine is the template line a parse error names, 0 when none.
func errorLine(err error) int {
	var te *tagError
	var se *parser.SyntaxError
	switch {
	case errors.As(err, &te):
		return te.line
	case errors.As(err, &se):
		return se.Line
	}
	return 0
}

// compileError drops the template source gonja puts in its message and
// leads with the line of a syntax error.
func (g *jinjaGen) compileError(err error, cfg *gonjacfg.Config) error {
	inner := err
	if u := errors.Unwrap(err); u != nil && strings.HasPrefix(err.Error(), "failed to parse template") {
		inner = u
	}
	if line := errorLine(inner); line > 0 {
		return fmt.Errorf("jinja template %s, line %d: syntax error: %v", g.name, line, inner)
	}
	if line, msg := g.lexError(cfg); line > 0 {
		return fmt.Errorf("jinja template %s, line %d: syntax error: %s", g.name, line, msg)
	}
	return fmt.Errorf("jinja template %s: syntax error: %v", g.name, inner)
}

// decodeJinjaVars reads jinja_variables: a JSON object whose integers
// become ints (range() wants them) and other numbers float64, as Python's
// json module does.
func decodeJinjaVars(text []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not valid JSON: text after the object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("must be a JSON object, like {\"name\": value}")
	}
	return fixJSONNumbers(m).(map[string]any), nil
}

func fixJSONNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 0); err == nil {
			return int(i)
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = fixJSONNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = fixJSONNumbers(e)
		}
	}
	return v
}

// epochOf is t as float seconds, at microsecond precision.
func epochOf(t time.Time) float64 { return float64(t.UnixMicro()) / 1e6 }

// timeOfEpoch is the time of float epoch seconds, rounded to microseconds.
func timeOfEpoch(f float64, loc *time.Location) time.Time {
	return time.UnixMicro(int64(math.Round(f * 1e6))).In(loc)
}

// Generate renders the template until the interval's target is met:
// Count renders (cycles), Count events (line_count), or Bytes (or, for
// jinja_count_type = perDayVolume without a perDayVolume budget, Count)
// bytes of _raw. Count -1 renders once.
func (g *jinjaGen) Generate(b generate.Batch, emit func(*output.Event) bool) error {
	mode, target := g.countType, int64(b.Count)
	switch {
	case b.Bytes > 0:
		mode, target = jinjaVolume, b.Bytes
	case b.Count < 0:
		mode, target = jinjaCycles, 1
	}
	vars := map[string]any{}
	if g.vars != nil {
		var err error
		if vars, err = decodeJinjaVars(g.vars); err != nil { // fresh per interval: templates may mutate them
			return fmt.Errorf("jinja_variables: %v", err)
		}
	}
	earliest, latest := epochOf(b.Earliest), epochOf(b.Latest)
	vars["eventgen_maxcount"] = int(target)
	vars["eventgen_earliest"] = string(timeutil.AppendPyDatetime(nil, b.Earliest.In(g.loc)))
	vars["eventgen_earliest_epoch"] = earliest
	vars["eventgen_latest"] = string(timeutil.AppendPyDatetime(nil, b.Latest.In(g.loc)))
	vars["eventgen_latest_epoch"] = latest
	g.now = b.Latest.In(g.loc)

	// Each render gets its share of [earliest, latest], as in Eventgen:
	// slice done of target equal slices, and a random point in it.
	size := (latest - earliest) / float64(max(target, 1))
	ev := g.meta
	var done int64 // renders, events or bytes so far, by mode
	empty := 0
	for done < target {
		lo := size*float64(done) + earliest
		at := lo
		if size > 0 {
			at = lo + g.rng.Float64()*size
		}
		vars["eventgen_count"] = int(done)
		vars["eventgen_target_time_earliest"] = lo
		vars["eventgen_target_time_latest"] = lo + size
		vars["eventgen_target_time_slice_size"] = size
		vars["eventgen_target_time_epoch"] = at
		if err := g.render(vars); err != nil {
			return err
		}
		if err := g.parse(); err != nil {
			return err
		}
		if len(g.lines) == 0 && mode != jinjaCycles {
			if empty++; empty >= jinjaMaxEmptyRenders {
				return fmt.Errorf("jinja template %s: %d renders in a row produced no event; cannot reach the %s target", g.name, empty, mode)
			}
		} else {
			empty = 0
		}
		for i := range g.lines {
			if mode != jinjaCycles && done >= target {
				break
			}
			l := &g.lines[i]
			g.raw = append(g.raw[:0], l.raw...)
			ev.Time, ev.Raw = l.time, g.raw
			ev.Index, ev.Host, ev.Source, ev.Sourcetype = l.index, l.host, l.source, l.sourcetype
			if !emit(&ev) {
				return nil
			}
			switch mode {
			case jinjaLineCount:
				done++
			case jinjaVolume:
				done += int64(len(l.raw))
			}
		}
		if mode == jinjaCycles {
			done++
		}
	}
	return nil
}

// render executes the template into g.out.
func (g *jinjaGen) render(vars map[string]any) (err error) {
	g.out.Reset()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("jinja template %s: render failed: %v", g.name, r)
		}
	}()
	if err := g.tpl.Execute(&g.out, exec.NewContext(vars)); err != nil {
		return fmt.Errorf("jinja template %s: %v", g.name, err)
	}
	return nil
}

// parse reads g.out into g.lines: JSON objects separated by white space,
// normally one a line. A string may span lines (a multi-line _raw, which
// Eventgen's ujson accepted): raw control characters in strings are
// escaped before decoding.
func (g *jinjaGen) parse() error {
	out := g.out.Bytes()
	g.lines = g.lines[:0]
	line := 1
	for i := 0; i < len(out); {
		c := out[i]
		switch c {
		case '\n':
			line++
			i++
			continue
		case ' ', '\t', '\r', '\f', '\v':
			i++
			continue
		}
		startLine := line
		if c != '{' {
			return g.lineError(startLine, lineAt(out, i), "not a JSON object; each output line must be {\"_time\": <epoch>, \"_raw\": \"<event>\"}")
		}
		end, lines, ctrl := scanJSONObject(out, i)
		if end < 0 {
			return g.lineError(startLine, lineAt(out, i), "JSON object not terminated before the end of the output")
		}
		obj := out[i:end]
		if ctrl {
			obj = escapeControls(obj)
		}
		l, err := g.event(obj)
		if err != nil {
			return g.lineError(startLine, lineAt(out, i), err.Error())
		}
		g.lines = append(g.lines, l)
		line += lines
		i = end
	}
	return nil
}

func (g *jinjaGen) lineError(line int, text, msg string) error {
	const maxText = 200
	if len(text) > maxText {
		text = text[:maxText] + "..."
	}
	return fmt.Errorf("jinja template %s: output line %d: %s: %q", g.name, line, msg, text)
}

// lineAt is the rest of the output line from i.
func lineAt(out []byte, i int) string {
	rest := out[i:]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(string(rest))
}

// scanJSONObject finds the end of the object starting at out[i] == '{'
// by matching brackets outside strings. It returns the index after the
// closing brace (-1 when there is none), the newlines inside, and whether
// a string holds a raw control character.
func scanJSONObject(out []byte, i int) (end, lines int, ctrl bool) {
	depth, inStr, esc := 0, false, false
	for ; i < len(out); i++ {
		c := out[i]
		if c == '\n' {
			lines++
		}
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			case c < 0x20:
				ctrl = true
			}
			continue
		}
		switch c {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1, lines, ctrl
			}
		}
	}
	return -1, lines, ctrl
}

// escapeControls escapes the raw control characters inside the strings
// of a JSON text.
func escapeControls(obj []byte) []byte {
	dst := make([]byte, 0, len(obj)+16)
	inStr, esc := false, false
	for _, c := range obj {
		if inStr {
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			case c < 0x20:
				switch c {
				case '\n':
					dst = append(dst, '\\', 'n')
				case '\r':
					dst = append(dst, '\\', 'r')
				case '\t':
					dst = append(dst, '\\', 't')
				default:
					dst = append(dst, fmt.Sprintf("\\u%04x", c)...)
				}
				continue
			}
		} else if c == '"' {
			inStr = true
		}
		dst = append(dst, c)
	}
	return dst
}

// event decodes one output object.
func (g *jinjaGen) event(obj []byte) (jinjaEvent, error) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return jinjaEvent{}, fmt.Errorf("not valid JSON (%v)", err)
	}
	l := jinjaEvent{index: g.s.Index, host: g.s.Host, source: g.s.Source, sourcetype: g.s.Sourcetype}
	rawTime, ok := m["_time"]
	if !ok {
		return l, errors.New("no _time field; each output line must be {\"_time\": <epoch>, \"_raw\": \"<event>\"}")
	}
	rawText, ok := m["_raw"]
	if !ok {
		return l, errors.New("no _raw field; each output line must be {\"_time\": <epoch>, \"_raw\": \"<event>\"}")
	}
	ts, err := jsonScalar(rawTime)
	if err != nil {
		return l, fmt.Errorf("_time: %v", err)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(ts), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return l, fmt.Errorf("_time %q is not an epoch time in seconds", ts)
	}
	l.time = timeOfEpoch(f, g.loc)
	if l.raw, err = jsonScalar(rawText); err != nil {
		return l, fmt.Errorf("_raw: %v", err)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"index", &l.index}, {"host", &l.host}, {"source", &l.source}, {"sourcetype", &l.sourcetype}} {
		v, ok := m[f.key]
		if !ok || string(v) == "null" {
			continue
		}
		s, err := jsonScalar(v)
		if err != nil {
			return l, fmt.Errorf("%s: %v", f.key, err)
		}
		*f.dst = s
	}
	// hostRegex is accepted as in Eventgen; only its splunkstream output
	// used it, and output.Event does not carry it.
	return l, nil
}

// jsonScalar is the text of a JSON string or number (or boolean).
func jsonScalar(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", errors.New("empty value")
	}
	switch v[0] {
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	case '{', '[':
		return "", errors.New("must be a string or a number, not an object or a list")
	case 'n':
		return "", errors.New("must be a string or a number, not null")
	}
	return string(v), nil
}

// format returns the compiled strftime layout, cached.
func (g *jinjaGen) format(layout string) (*timeutil.Format, error) {
	if f, ok := g.formats[layout]; ok {
		return f, nil
	}
	f, err := timeutil.ParseFormat(layout)
	if err != nil {
		return nil, err
	}
	g.formats[layout] = f
	return f, nil
}

// jinjaRange is Python's range() as a list.
func jinjaRange(params *exec.VarArgs) ([]int, error) {
	ints := make([]int, len(params.Args))
	for i, a := range params.Args {
		if !a.IsInteger() {
			return nil, exec.ErrInvalidCall(fmt.Errorf("range() arguments must be integers, got %s", a.String()))
		}
		ints[i] = a.Integer()
	}
	if len(params.KwArgs) > 0 {
		return nil, exec.ErrInvalidCall(errors.New("range() takes no keyword arguments"))
	}
	start, stop, step := 0, 0, 1
	switch len(ints) {
	case 1:
		stop = ints[0]
	case 2:
		start, stop = ints[0], ints[1]
	case 3:
		start, stop, step = ints[0], ints[1], ints[2]
	default:
		return nil, exec.ErrInvalidCall(errors.New("expected signature is range([start, ]stop[, step])"))
	}
	if step == 0 {
		return nil, exec.ErrInvalidCall(errors.New("range() step must not be zero"))
	}
	n := 0
	if step > 0 && stop > start {
		n = (stop - start + step - 1) / step
	} else if step < 0 && stop < start {
		n = (start - stop - step - 1) / -step
	}
	if n > jinjaMaxRange {
		return nil, exec.ErrInvalidCall(fmt.Errorf("range() of %d numbers is over the limit of %d", n, jinjaMaxRange))
	}
	out := make([]int, n)
	for i := range out {
		out[i] = start + i*step
	}
	return out, nil
}

// randomFilter is Jinja's random filter drawing from the sample's rng, so
// that a seeded run reproduces.
func (g *jinjaGen) randomFilter(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	if in.IsError() {
		return in
	}
	if len(params.Args) > 0 || len(params.KwArgs) > 0 {
		return exec.AsValue(exec.ErrInvalidCall(errors.New("random takes no arguments")))
	}
	if !in.CanSlice() || in.Len() <= 0 {
		return in
	}
	return in.Index(g.rng.IntN(in.Len()))
}

// timeTag is {% time_now %} or {% time_slice %}: it sets <base>_epoch and
// <base>_formatted in the current scope.
type timeTag struct {
	g        *jinjaGen
	location *tokens.Token
	name     string
	args     map[string]nodes.Expression
}

func (t *timeTag) Position() *tokens.Token { return t.location }
func (t *timeTag) String() string {
	return fmt.Sprintf("%s(Line=%d Col=%d)", t.name, t.location.Line, t.location.Col)
}

// timeTagParams lists a tag's parameters in positional order and how many
// are required.
var timeTagParams = map[string]struct {
	names    []string
	required int
}{
	"time_now":   {[]string{"date_format"}, 0},
	"time_slice": {[]string{"earliest", "latest", "count", "slices", "date_format"}, 4},
}

func (g *jinjaGen) timeTagParser(name string) parser.ControlStructureParser {
	return func(p *parser.Parser, args *parser.Parser) (nodes.ControlStructure, error) {
		loc := p.Current()
		spec, ok := timeTagParams[name]
		if !ok {
			return nil, fmt.Errorf("{%% %s %%} is not implemented (Eventgen declared it but could not run it); compute times with time_now/time_slice and arithmetic, e.g. {%% set t = time_now_epoch - 60 %%}", name)
		}
		tag := &timeTag{g: g, location: loc, name: name, args: map[string]nodes.Expression{}}
		keywords := false
		for i := 0; !args.End(); i++ {
			if i > 0 {
				if args.Match(tokens.Comma) == nil {
					return nil, args.Error(fmt.Sprintf("%s: expected ',' between arguments", name), args.Current())
				}
				if args.End() { // a trailing comma, as Jinja allows
					break
				}
			}
			at := args.Current()
			var key string
			if args.Current(tokens.Name) != nil && args.Peek(tokens.Assign) != nil {
				key = args.Pop().Val
				args.Pop()
				if !slices.Contains(spec.names, key) {
					return nil, args.Error(fmt.Sprintf("%s has no argument %q (it takes %s)", name, key, strings.Join(spec.names, ", ")), at)
				}
				keywords = true
			} else {
				if keywords {
					return nil, args.Error(fmt.Sprintf("%s: positional argument after a keyword argument", name), at)
				}
				if i >= len(spec.names) {
					return nil, args.Error(fmt.Sprintf("%s takes at most %d arguments (%s)", name, len(spec.names), strings.Join(spec.names, ", ")), at)
				}
				key = spec.names[i]
			}
			if _, dup := tag.args[key]; dup {
				return nil, args.Error(fmt.Sprintf("%s: argument %s given twice", name, key), at)
			}
			expr, err := args.ParseExpression()
			if err != nil {
				return nil, err
			}
			tag.args[key] = expr
		}
		for _, n := range spec.names[:spec.required] {
			if _, ok := tag.args[n]; !ok {
				return nil, fmt.Errorf("%s needs %s (it takes %s)", name, n, strings.Join(spec.names, ", "))
			}
		}
		return tag, nil
	}
}

func (t *timeTag) Execute(r *exec.Renderer, _ *nodes.ControlStructureBlock) error {
	g := t.g
	layout := jinjaDefaultDateFormat
	if e, ok := t.args["date_format"]; ok {
		v, err := t.eval(r, "date_format", e)
		if err != nil {
			return err
		}
		layout = v.String()
	}
	var at time.Time
	var epoch float64
	base := "time_now"
	switch t.name {
	case "time_now":
		at, epoch = g.now, epochOf(g.now)
	case "time_slice":
		base = "time_target"
		var n [4]float64
		for i, name := range timeTagParams["time_slice"].names[:4] {
			v, err := t.eval(r, name, t.args[name])
			if err != nil {
				return err
			}
			if n[i], err = jinjaNumber(v); err != nil {
				return fmt.Errorf("time_slice %s: %v", name, err)
			}
		}
		earliest, latest := n[0], n[1]
		count, nslices := math.Trunc(n[2]), math.Trunc(n[3]) // Python's int()
		if nslices <= 0 {
			return fmt.Errorf("time_slice slices must be at least 1, got %v", n[3])
		}
		// the lower bound of slice count (0-based) of slices
		size := (latest - earliest) / nslices
		epoch = size*count + earliest
		at = timeOfEpoch(epoch, g.loc)
	}
	f, err := g.format(layout)
	if err != nil {
		return fmt.Errorf("%s date_format %q: %v", t.name, layout, err)
	}
	r.Environment.Context.Set(base+"_epoch", epoch)
	r.Environment.Context.Set(base+"_formatted", string(f.Append(nil, at)))
	return nil
}

func (t *timeTag) eval(r *exec.Renderer, name string, e nodes.Expression) (*exec.Value, error) {
	v := r.Eval(e)
	if v.IsError() {
		return nil, fmt.Errorf("%s %s: %v", t.name, name, v.Error())
	}
	if v.IsNil() {
		return nil, fmt.Errorf("%s %s: %s is undefined", t.name, name, e)
	}
	return v, nil
}

// jinjaNumber reads a number or a numeric string, as Python's float().
func jinjaNumber(v *exec.Value) (float64, error) {
	switch {
	case v.IsInteger():
		return float64(v.Integer()), nil
	case v.IsFloat():
		return v.Float(), nil
	case v.IsString():
		f, err := strconv.ParseFloat(strings.TrimSpace(v.String()), 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("%q is not a number", v.String())
}
