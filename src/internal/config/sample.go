package config

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/settings"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// Sample is one thing to generate: a stanza applied to one sample file
// (or, for generators that need none, to no file).
type Sample struct {
	Stanza    string   // the master stanza
	Layered   []string // other stanzas layered under it, in precedence order
	File      string   // stanza header location, for messages
	Line      int
	Path      string // sample file; "" when the generator needs none
	SampleDir string

	Generator  string
	Mode       string
	Rater      string
	OutputMode string
	SampleType string
	Breaker    string

	Count int // events per interval; -1 = every event of the sample
	// Volume targets (at most one is set): GiB of _raw per day (Eventgen's
	// perDayVolume), events per second, KiB of _raw per second.
	PerDayVolume    float64
	EPS             float64
	KBps            float64
	Interval        int // seconds; 0 = generate once
	Delay           time.Duration
	End             End
	Earliest        timeutil.Relative
	Latest          timeutil.Relative
	Backfill        *timeutil.Relative // generate from this time before now, as fast as possible
	RandomizeCount  float64
	RandomizeEvents bool
	BundleLines     bool
	Sequential      bool
	Location        *time.Location
	TimeField       string  // replay: where each event's original time is (default _raw)
	TimeMultiple    float64 // replay: gaps between events are multiplied by it
	// AutoTimestamps are the [regex, format] pairs autotimestamp tries
	// (nil: autotimestamp is off).
	AutoTimestamps [][2]string
	Rates          Rates

	Index         string
	Host          string
	Source        string
	Sourcetype    string
	HostRegex     string
	ExtendIndexes []string

	FileName        string
	FileMaxBytes    int64
	FileBackupFiles int
	SpoolDir        string
	SpoolFile       string

	Tokens []token.Spec
	// AllTokens are pytest-splunk-addon's replacementType = all tokens:
	// each sample event they match is generated once per value (psa.go).
	AllTokens []token.Spec
	// HostField is 1 + the index in Tokens of the token whose value is
	// each event's host (host_type = event, token.<n>.field = host); 0
	// when the host is not taken from a token.
	HostField int
	HostToken *token.Spec
	// LeftOut lists the tokens left out because they are incomplete or
	// of an unknown replacementType (reported by Load as warnings): the
	// stanza generates without them, their text as written.
	LeftOut []Problem
	// Values holds every effective setting, for features that read more.
	Values map[string]conf.Value
}

// Name is how the sample is called in logs: the stanza, and the file
// when the stanza is a regex.
func (s *Sample) Name() string {
	if s.Path == "" || filepath.Base(s.Path) == s.Stanza {
		return s.Stanza
	}
	return s.Stanza + " (" + filepath.Base(s.Path) + ")"
}

// End says when a sample stops: after Intervals intervals (-1 = never),
// or at a time.
type End struct {
	Intervals int
	At        *timeutil.Relative
}

// Rates are Eventgen's rate tables (inventory §1.4): count per interval
// is multiplied by the value for the current hour, weekday (0 = Sunday),
// minute, day of month and month.
type Rates struct {
	Hour, Weekday, Minute, MonthDay, Month map[int]float64
}

// Empty reports whether no table is set.
func (r Rates) Empty() bool {
	return r.Hour == nil && r.Weekday == nil && r.Minute == nil && r.MonthDay == nil && r.Month == nil
}

// Factor is the product of the tables' values at t; a missing key
// counts as 1.
func (r Rates) Factor(t time.Time) float64 {
	f := 1.0
	for _, x := range []struct {
		m map[int]float64
		k int
	}{{r.Hour, t.Hour()}, {r.Weekday, int(t.Weekday())}, {r.Minute, t.Minute()}, {r.MonthDay, t.Day()}, {r.Month, int(t.Month())}} {
		if v, ok := x.m[x.k]; ok {
			f *= v
		}
	}
	return f
}

// LocalOutputs are the outputs every build has.
var LocalOutputs = []string{"modinput", "stdout", "devnull", "file", "spool"}

// KnownGenerators are the generator names of the schema (Eventgen's),
// perdayvolumegenerator aside (it is the default generator).
func KnownGenerators() []string {
	st, _ := settings.Lookup("generator")
	var out []string
	for _, g := range st.Values {
		if g != "perdayvolumegenerator" {
			out = append(out, g)
		}
	}
	return out
}

// sampleBuilder reads the effective settings of one sample.
type sampleBuilder struct {
	l       *loader
	stanzas []*candidate
	s       *Sample
	bad     bool
	wrong   map[string]bool // keys whose value does not parse (reported)
}

// get finds a key: the master stanza, then the other matching stanzas
// (values equal to [global] do not override), then [default]/[global].
func (b *sampleBuilder) get(key string) (conf.Value, bool) {
	if v, ok := b.stanzas[0].st.Values[key]; ok {
		return v, true
	}
	g, hasG := b.l.global[key]
	for _, c := range b.stanzas[1:] {
		if v, ok := c.st.Values[key]; ok && (!hasG || v.Text != g.Text) {
			return v, true
		}
	}
	return b.l.lookup(b.stanzas[0].st, key)
}

// outputMode is the sample's output: the command line's, else its own.
func (b *sampleBuilder) outputMode() string {
	if b.l.opts.OutputMode != "" {
		return b.l.opts.OutputMode
	}
	return b.str("outputMode", "modinput")
}

func (b *sampleBuilder) fail(key string, v conf.Value, format string, args ...any) {
	b.bad = true
	b.l.fail(b.s.Stanza, key, v, fmt.Sprintf(format, args...))
}

// check parses every effective setting as the schema declares it, in
// file and line order. A wrong value is an error when a plugin in use
// (inUse: the generator and the output) or the engine reads it, and a
// warning when it has no effect on this stanza (said where the stanza
// sets it, not for values inherited from [global], which are checked
// once there).
func (b *sampleBuilder) check(inUse ...string) {
	b.wrong = map[string]bool{}
	keys := make([]string, 0, len(b.s.Values))
	for k := range b.s.Values {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		vi, vj := b.s.Values[keys[i]], b.s.Values[keys[j]]
		if vi.File != vj.File {
			return vi.File < vj.File
		}
		if vi.Line != vj.Line {
			return vi.Line < vj.Line
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		v := b.s.Values[k]
		err := settings.Check(k, v.Text)
		if err == nil {
			continue
		}
		b.wrong[k] = true
		st, _ := settings.Lookup(k)
		switch {
		case st.Lenient && st.Owned(inUse...):
			b.l.warn(Problem{File: v.File, Line: v.Line, Stanza: b.s.Stanza, Key: k,
				Msg: fmt.Sprintf("%v; read as %s = %s", err, k, st.Default)})
		case st.Owned(inUse...):
			b.fail(k, v, "%v", err)
		case v != b.l.global[k]:
			b.l.warn(Problem{File: v.File, Line: v.Line, Stanza: b.s.Stanza, Key: k,
				Msg: fmt.Sprintf("%v; this setting of %s has no effect on this stanza (generator %s, output %s)", err, strings.Join(st.Owners, "/"), inUse[0], inUse[1])})
		}
	}
}

// value returns key's effective value parsed as declared, else (unset,
// or wrong and reported by check) its declared default.
func (b *sampleBuilder) value(key string) any {
	st, _ := settings.Lookup(key)
	if v, ok := b.s.Values[key]; ok && !b.wrong[key] && strings.TrimSpace(v.Text) != "" {
		if x, err := st.Parse(v.Text); err == nil {
			return x
		}
	}
	x, _ := st.Parse(st.Default)
	return x
}

func (b *sampleBuilder) str(key, def string) string {
	if v, ok := b.get(key); ok {
		return v.Text
	}
	return def
}

func (b *sampleBuilder) boolean(key string) bool  { x, _ := b.value(key).(bool); return x }
func (b *sampleBuilder) integer(key string) int   { x, _ := b.value(key).(int); return x }
func (b *sampleBuilder) float(key string) float64 { x, _ := b.value(key).(float64); return x }
func (b *sampleBuilder) relative(key string) timeutil.Relative {
	x, _ := b.value(key).(timeutil.Relative)
	return x
}

// rates reads a rate table (checked by the schema).
func (b *sampleBuilder) rates(key string, lo, hi int) map[int]float64 {
	v, ok := b.s.Values[key]
	if !ok || b.wrong[key] || strings.TrimSpace(v.Text) == "" {
		return nil
	}
	m, _ := settings.RateTable(v.Text, lo, hi)
	return m
}

// build makes the Sample of a master stanza and the stanzas layered
// under it, for the sample file path (or none).
func (l *loader) build(master *conf.Stanza, stanzas []*candidate, path, dir string) {
	s := &Sample{Stanza: master.Name, File: master.File, Line: master.Line, Path: path, SampleDir: dir}
	for _, c := range stanzas[1:] {
		s.Layered = append(s.Layered, c.st.Name)
	}
	b := &sampleBuilder{l: l, stanzas: stanzas, s: s}
	s.Values = map[string]conf.Value{}
	for _, st := range settings.All() {
		if v, ok := b.get(st.Name); ok {
			s.Values[st.Name] = v
		}
	}
	inUse := [2]string{b.str("generator", "default"), b.outputMode()}
	if strings.EqualFold(b.str("mode", "sample"), "replay") && inUse[0] == "default" {
		inUse[0] = "replay"
	}
	b.check(inUse[:]...)

	s.Mode, _ = b.value("mode").(string)
	s.Generator = b.str("generator", "default")
	if s.Mode == "replay" && s.Generator == "default" {
		s.Generator = "replay"
	}
	s.PerDayVolume = b.float("perDayVolume")
	s.EPS = b.float("eps")
	s.KBps = b.float("kbps")
	if n := btoi(s.PerDayVolume > 0) + btoi(s.EPS > 0) + btoi(s.KBps > 0); n > 1 {
		v, _ := b.get("perDayVolume")
		b.fail("perDayVolume", v, "set only one of perDayVolume, eps and kbps: each sets the volume per interval")
	}
	if s.PerDayVolume > 0 && s.Generator != "default" && s.Generator != "replay" && s.Generator != "jinja" {
		// Eventgen: perDayVolume selects the perdayvolume generator, which
		// is the default generator run to a byte budget.
		v, _ := b.get("generator")
		l.warn(Problem{File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "generator", Msg: fmt.Sprintf("perDayVolume replaces generator %s with the sample generator, as in Eventgen", s.Generator)})
		s.Generator = "default"
	}
	if s.Generator == "perdayvolumegenerator" {
		s.Generator = "default"
	}
	avail := l.opts.Generators
	if avail == nil {
		avail = KnownGenerators()
	}
	if !contains(avail, s.Generator) {
		v, _ := b.get("generator")
		if s.Generator == "replay" {
			v, _ = b.get("mode")
		}
		b.fail("generator", v, "generator %q is not available in this version (available: %s)", s.Generator, strings.Join(avail, ", "))
	}
	s.Rater = b.rater()

	s.SampleType = b.str("sampletype", "raw")
	s.Breaker = b.str("breaker", sample.DefaultBreaker)
	if b.wrong["breaker"] {
		s.Breaker = sample.DefaultBreaker
	}

	s.Count = b.integer("count")
	if s.Count == 0 {
		// The spec says 0 means the whole sample; 7.2.1 generated
		// nothing (bug 6). Real configs mean the spec.
		s.Count = -1
	}
	s.Interval = b.integer("interval")
	if v, ok := b.get("interval"); s.Generator == "replay" && (!ok || v.File == builtinName) {
		// Replay's interval is the pause between passes; Eventgen's
		// default for it is 0 (the next pass follows at once).
		s.Interval = 0
	}
	s.TimeField = b.str("timeField", "_raw")
	s.TimeMultiple = b.float("timeMultiple")
	if s.TimeMultiple == 0 && s.Generator == "replay" {
		v, _ := b.get("timeMultiple")
		b.fail("timeMultiple", v, "timeMultiple must be above 0 (2 = gaps twice as long, 0.5 = half)")
	}
	s.Delay, _ = b.value("delay").(time.Duration)
	s.RandomizeCount = b.float("randomizeCount")
	s.RandomizeEvents = b.boolean("randomizeEvents")
	s.BundleLines = b.boolean("bundlelines")
	s.Sequential = b.boolean("sequentialTimestamp")
	s.Earliest = b.relative("earliest")
	s.Latest = b.relative("latest")
	if v, ok := b.get("backfill"); ok && strings.TrimSpace(v.Text) != "" && !b.wrong["backfill"] {
		r := b.relative("backfill")
		s.Backfill = &r
	}
	s.End = b.end()
	if l.opts.EndIntervals > 0 {
		s.End = End{Intervals: l.opts.EndIntervals}
	}
	if s.Backfill != nil && s.Interval == 0 && s.Generator != "replay" {
		v, _ := b.get("backfill")
		b.fail("backfill", v, "backfill needs interval > 0 to know how often to generate in the past (Eventgen 7.2.1 looped forever here)")
	}
	now := l.opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	if e, la := s.Earliest.Resolve(now), s.Latest.Resolve(now); la.Before(e) {
		v, _ := b.get("earliest")
		b.fail("earliest", v, "earliest (%s) is after latest (%s), so no time fits; swap them", s.Earliest, s.Latest)
	}

	s.Location = l.opts.Location
	if loc, _ := b.value("timezone").(*time.Location); loc != nil {
		s.Location = loc
	}
	if s.Location == nil {
		s.Location = time.Local
	}
	s.Rates = Rates{
		Hour:     b.rates("hourOfDayRate", 0, 23),
		Weekday:  b.rates("dayOfWeekRate", 0, 6),
		Minute:   b.rates("minuteOfHourRate", 0, 59),
		MonthDay: b.rates("dayOfMonthRate", 1, 31),
		Month:    b.rates("monthOfYearRate", 1, 12),
	}

	base := s.Generator
	if path != "" {
		base = filepath.Base(path)
	}
	s.Index = b.str("index", "main")
	s.Host = b.str("host", "127.0.0.1")
	s.Source = b.str("source", "")
	if s.Source == "" {
		s.Source = base
	}
	s.Sourcetype = b.str("sourcetype", "eventgen")
	s.HostRegex = b.str("hostRegex", "")
	if v, ok := b.get("extendIndexes"); ok && strings.TrimSpace(v.Text) != "" {
		idx, err := parseExtendIndexes(v.Text)
		if err != nil {
			b.fail("extendIndexes", v, "%v", err)
		}
		s.ExtendIndexes = idx
	}
	for _, k := range []string{"index", "host", "source", "sourcetype"} {
		if v, ok := b.get(k); ok && len(v.Text) >= 2 && v.Text[0] == '"' && v.Text[len(v.Text)-1] == '"' {
			l.warn(Problem{File: v.File, Line: v.Line, Stanza: s.Stanza, Key: k, Msg: fmt.Sprintf("value %s keeps its quotes, as Splunk does; remove them if they are not meant to be part of the %s", v.Text, k)})
		}
	}

	// check has reported unknown outputs; known ones this build lacks are
	// reported (or replaced by the fallback) here.
	s.OutputMode = inUse[1]
	if v := s.Values["outputMode"]; l.opts.Outputs != nil && !b.wrong["outputMode"] && !contains(l.opts.Outputs, s.OutputMode) {
		if l.opts.OutputFallback == "" {
			b.fail("outputMode", v, "outputMode %s is not available in this build (available: %s); the CLI can redirect with --output stdout", s.OutputMode, strings.Join(l.opts.Outputs, ", "))
		} else {
			l.warn(Problem{File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "outputMode",
				Msg: fmt.Sprintf("outputMode %s is not available in this build; events go to %s instead, as Eventgen 7.2.1 did inside Splunk", s.OutputMode, l.opts.OutputFallback)})
			s.OutputMode = l.opts.OutputFallback
		}
	}
	s.SpoolDir = b.str("spoolDir", "$SPLUNK_HOME/var/spool/splunk")
	s.SpoolFile = b.str("spoolFile", "<SAMPLE>")
	if s.SpoolFile == "<SAMPLE>" {
		s.SpoolFile = base
	}
	s.FileName = b.str("fileName", "")
	s.FileMaxBytes = int64(b.integer("fileMaxBytes"))
	s.FileBackupFiles = b.integer("fileBackupFiles")
	if s.OutputMode == "file" && s.FileName == "" {
		s.FileName = filepath.Join(s.SpoolDir, s.SpoolFile)
	}

	if b.boolean("autotimestamp") {
		v, _ := b.get("autotimestamp")
		if !contains([]string{"default", "perdayvolumegenerator", "replay"}, s.Generator) {
			l.warn(Problem{File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "autotimestamp", Msg: fmt.Sprintf("autotimestamp has no effect with generator %s (it finds timestamps in sample files: default and replay)", s.Generator)})
		} else if !b.wrong["autotimestamps"] {
			text := settings.BuiltinAutotimestamps
			if a, ok := b.get("autotimestamps"); ok && strings.TrimSpace(a.Text) != "" {
				text = a.Text
			}
			pairs, err := settings.AutoTimestamps(text)
			if err != nil {
				a, _ := b.get("autotimestamps")
				b.fail("autotimestamps", a, "%v", err)
			}
			if pairs == nil {
				pairs = [][2]string{}
			}
			s.AutoTimestamps = pairs
		}
	}
	s.Tokens = b.tokens()
	if ht, _ := b.value("host_type").(string); ht != "event" {
		s.HostField = 0
	} else if s.HostField == 0 {
		v, _ := b.get("host_type")
		l.warn(Problem{File: v.File, Line: v.Line, Stanza: s.Stanza, Key: "host_type", Msg: "host_type = event takes each event's host from the token whose token.<n>.field is host, and no token of this stanza has that field; the events get the host setting"})
	}
	if v, ok := b.get("host.token"); ok {
		r, _ := b.get("host.replacement")
		if r.Text == "" {
			b.fail("host.replacement", v, "host.token is set but host.replacement is missing; give the file (or file:column) to draw host names from")
		} else {
			s.HostToken = &token.Spec{N: -1, Regex: v.Text, Type: "file", Replacement: r.Text, File: r.File, Line: r.Line}
		}
	}

	if b.bad {
		l.res.Skipped = append(l.res.Skipped, Skip{s.Stanza, "configuration errors (see above)", s.File})
		return
	}
	l.res.Samples = append(l.res.Samples, s)
}

// rater reads rater: Eventgen 7.2.1's rater names all rate from count or
// the volume settings here (see the schema's doc); another name is a
// custom plugin this version cannot run, so the stanza is rated by its
// count, with a warning, rather than dropped.
func (b *sampleBuilder) rater() string {
	v, _ := b.get("rater")
	name := strings.ToLower(strings.TrimSpace(v.Text))
	warn := func(format string, args ...any) {
		b.l.warn(Problem{File: v.File, Line: v.Line, Stanza: b.s.Stanza, Key: "rater", Msg: fmt.Sprintf(format, args...)})
	}
	switch name {
	case "", "config", "counter":
		return "config"
	case "perdayvolume":
		if b.float("perDayVolume") <= 0 {
			warn("rater perdayvolume rates by perDayVolume, which this stanza does not set; count is used (Eventgen 7.2.1 failed here)")
		}
		return name
	case "backfill":
		if bf, ok := b.get("backfill"); !ok || strings.TrimSpace(bf.Text) == "" {
			warn("rater backfill generates the past from the backfill setting, which this stanza does not set; it rates as config")
		}
		return name
	}
	st, _ := settings.Lookup("rater")
	warn("rater %q is not one of Eventgen's (%s): a custom rater plugin is not available in this version; the config rater (count per interval) is used", v.Text, strings.Join(st.Values, ", "))
	return "config"
}

// end parses end = <intervals> | <time>.
func (b *sampleBuilder) end() End {
	v, ok := b.get("end")
	text := strings.TrimSpace(v.Text)
	if !ok || text == "" {
		return End{Intervals: -1}
	}
	if n, err := strconv.Atoi(text); err == nil {
		if n < -1 {
			b.fail("end", v, "%d intervals: use -1 (never end), 0 (generate nothing) or a positive number", n)
			return End{Intervals: -1}
		}
		return End{Intervals: n}
	}
	r, err := timeutil.ParseRelative(text)
	if err != nil {
		b.fail("end", v, "neither a number of intervals nor a time: %v", err)
		return End{Intervals: -1}
	}
	return End{Intervals: -1, At: &r}
}

// tokens collects token.<n>.* of every layered stanza: the master's
// first, then the others', each in numeric order (inventory §1.3).
func (b *sampleBuilder) tokens() []token.Spec {
	var out []token.Spec
	for _, c := range b.stanzas {
		byN, ns := stanzaTokens(c.st)
		sort.Ints(ns)
		for _, n := range ns {
			t := byN[n]
			prefix := "token." + strconv.Itoa(n) + "."
			var missing []string
			if t.Regex == "" {
				missing = append(missing, prefix+"token")
			}
			if t.Type == "" {
				missing = append(missing, prefix+"replacementType")
			}
			if len(missing) > 0 {
				v := c.st.Values[firstTokenKey(c.st, prefix)]
				b.leaveOut(prefix[:len(prefix)-1], v, "incomplete token: %s missing in [%s]", strings.Join(missing, " and "), c.st.Name)
				continue
			}
			// pytest-splunk-addon's dialect (real-world-configs §13, psa.go).
			all, msg, skip := psaToken(t)
			if msg != "" {
				v := c.st.Values[prefix+"replacement"]
				b.l.warn(Problem{File: v.File, Line: v.Line, Stanza: b.s.Stanza, Key: prefix + "replacement", Msg: msg})
			}
			if skip {
				continue
			}
			if all {
				b.s.AllTokens = append(b.s.AllTokens, *t)
				continue
			}
			if !contains(token.Types, t.Type) {
				v := c.st.Values[prefix+"replacementType"]
				b.leaveOut(prefix+"replacementType", v, "unknown replacementType %q; use one of %s", t.Type, strings.Join(token.Types, ", "))
				continue
			}
			if f := c.st.Values[prefix+"field"]; strings.TrimSpace(f.Text) == "host" && b.s.HostField == 0 {
				b.s.HostField = len(out) + 1
			}
			out = append(out, *t)
		}
	}
	return out
}

// leaveOut reports a token that cannot work: the stanza generates
// without it (as Eventgen dropped such tokens), with a warning; in the
// editor it is an error, so that the form is not saved with it.
func (b *sampleBuilder) leaveOut(key string, v conf.Value, format string, args ...any) {
	if b.l.editor {
		b.fail(key, v, format, args...)
		return
	}
	p := Problem{Severity: Warning, File: v.File, Line: v.Line, Stanza: b.s.Stanza, Key: key,
		Msg: fmt.Sprintf(format, args...) + "; the stanza generates without this token: the text it matches stays as written"}
	b.l.res.Problems = append(b.l.res.Problems, p)
	b.s.LeftOut = append(b.s.LeftOut, p)
}

func firstTokenKey(st *conf.Stanza, prefix string) string {
	for _, k := range st.Keys {
		if strings.HasPrefix(k, prefix) {
			return k
		}
	}
	return ""
}

// stanzaTokens groups the token.<n>.* keys of a stanza by <n>, with the
// location of each token's replacement (else its first key); ns lists the
// numbers in key order.
func stanzaTokens(st *conf.Stanza) (byN map[int]*token.Spec, ns []int) {
	byN = map[int]*token.Spec{}
	for _, k := range st.Keys {
		n, field, ok := tokenKey(k)
		if !ok {
			continue
		}
		t := byN[n]
		if t == nil {
			t = &token.Spec{N: n}
			byN[n] = t
			ns = append(ns, n)
		}
		v := st.Values[k]
		switch field {
		case "token":
			t.Regex = v.Text
		case "replacementType":
			t.Type = v.Text
		case "replacement":
			t.Replacement = v.Text
			t.File, t.Line = v.File, v.Line
		}
		if t.File == "" {
			t.File, t.Line = v.File, v.Line
		}
	}
	return byN, ns
}

// parseExtendIndexes expands "prefix:N, idx2" into prefix0..prefixN-1, idx2.
func parseExtendIndexes(s string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, n, ok := strings.Cut(part, ":"); ok {
			k, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil || k < 1 || k > 10000 {
				return nil, fmt.Errorf("%q: write prefix:N with N from 1 to 10000", part)
			}
			for i := 0; i < k; i++ {
				out = append(out, strings.TrimSpace(p)+strconv.Itoa(i))
			}
			continue
		}
		out = append(out, part)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no index given")
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SettingProblems turns a plugin's validation error (*settings.Error
// values, joined) into Problems located at each key's line; a key that
// is not set is reported at the outputMode line, else at the stanza.
func (s *Sample) SettingProblems(err error) []Problem {
	var out []Problem
	for _, e := range settings.Errors(err) {
		p := Problem{Severity: Error, File: e.Value.File, Line: e.Value.Line, Stanza: s.Stanza, Key: e.Key, Msg: e.Msg}
		if p.File == "" {
			if v, ok := s.Values["outputMode"]; ok && v.File != "" && v.File != builtinName {
				p.File, p.Line = v.File, v.Line
			} else {
				p.File, p.Line = s.File, s.Line
			}
		}
		out = append(out, p)
	}
	return out
}
