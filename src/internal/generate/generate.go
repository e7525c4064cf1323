// Package generate holds the generators: given how many events an
// interval needs and its time window, a generator produces events and
// hands them, one at a time and in a reused buffer, to emit.
package generate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// Batch is one interval's work.
type Batch struct {
	Count    int       // events wanted; -1 = the generator's natural count
	Bytes    int64     // when > 0, generate until this many bytes of _raw instead of Count
	Earliest time.Time // event times are drawn from [Earliest, Latest]
	Latest   time.Time
}

// Generator produces the events of a batch. emit must not keep ev or
// ev.Raw after it returns; when it returns false the generator stops
// (shutdown, or the output failed).
type Generator interface {
	Generate(b Batch, emit func(ev *output.Event) bool) error
}

// New builds the generator of a sample: it loads the sample file and
// compiles its tokens once. warn receives non-fatal findings.
func New(s *config.Sample, rng *rand.Rand, files *token.FileCache, warn func(string)) (Generator, error) {
	switch s.Generator {
	case "default":
		return newSampleGen(s, rng, files, warn)
	case "windbag":
		return &windbag{s: s, meta: metaOf(s)}, nil
	case "counter":
		return newCounter(s, warn)
	case "weblog":
		return newWeblog(s, rng), nil
	case "jinja":
		return newJinja(s, rng, warn)
	}
	return nil, fmt.Errorf("generator %q is not available in this version", s.Generator)
}

func metaOf(s *config.Sample) output.Event {
	return output.Event{Index: s.Index, Host: s.Host, Source: s.Source, Sourcetype: s.Sourcetype, Stanza: s.Stanza}
}

// windbag emits "<time> -0700 WINDBAG Event i of count", the Python
// generator's fixed load-test line, with times spread evenly over the
// window (inventory §3.1).
type windbag struct {
	s    *config.Sample
	meta output.Event
	buf  []byte
}

func (w *windbag) Generate(b Batch, emit func(*output.Event) bool) error {
	n := b.Count
	if n < 0 {
		n = 60
	}
	span := b.Latest.Sub(b.Earliest)
	ev := w.meta
	for i := 1; i <= n; i++ {
		t := b.Earliest.Add(time.Duration(float64(span) / float64(n) * float64(i))).In(w.s.Location)
		buf := appendPyDatetime(w.buf[:0], t)
		buf = append(buf, " -0700 WINDBAG Event "...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, " of "...)
		buf = strconv.AppendInt(buf, int64(n), 10)
		w.buf = buf
		ev.Time, ev.Raw = t, buf
		if !emit(&ev) {
			return nil
		}
	}
	return nil
}

func appendPadded(dst []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// sampleGen is Eventgen's default generator: events of a sample file
// with their tokens replaced (inventory §3.1 default).
type sampleGen struct {
	s         *config.Sample
	rng       *rand.Rand
	events    []sample.Event
	templates []*token.Template
	tokens    []*token.Token
	hostTok   []*token.Token
	hostTpls  []*token.Template // per sample event: host.token over its host
	ctx       *token.Context
	hostCtx   *token.Context
	meta      output.Event
	buf       []byte
	hostBuf   []byte
	avgLen    int64
}

func newSampleGen(s *config.Sample, rng *rand.Rand, files *token.FileCache, warn func(string)) (*sampleGen, error) {
	events, err := sample.Load(s.Path, sample.Options{Type: s.SampleType, Breaker: s.Breaker})
	if err != nil {
		return nil, err
	}
	env := token.Env{SampleDir: s.SampleDir, Files: files, Warn: warn}
	g := &sampleGen{s: s, rng: rng, events: events, meta: metaOf(s), ctx: token.NewContext(rng)}
	for _, spec := range s.Tokens {
		t, err := token.Compile(spec, env)
		if err != nil {
			return nil, err
		}
		g.tokens = append(g.tokens, t)
	}
	if s.HostToken != nil {
		t, err := token.Compile(*s.HostToken, env)
		if err != nil {
			return nil, err
		}
		g.hostTok = []*token.Token{t}
		g.hostCtx = token.NewContext(rng)
	}
	var sum int64
	for _, ev := range events {
		sum += int64(len(ev.Raw))
	}
	g.avgLen = max(sum/int64(len(events)), 1)
	if g.hostTok != nil {
		for _, ev := range events {
			h := s.Host
			if ev.Host != "" {
				h = ev.Host
			}
			tpl, err := token.NewTemplate(h, g.hostTok)
			if err != nil {
				return nil, err
			}
			g.hostTpls = append(g.hostTpls, tpl)
		}
	}
	matched := make([]bool, len(g.tokens))
	for _, ev := range events {
		tpl, err := token.NewTemplate(ev.Raw, g.tokens)
		if err != nil {
			return nil, err
		}
		g.templates = append(g.templates, tpl)
		seen := make([]bool, len(g.tokens))
		for _, i := range tpl.Unmatched {
			seen[i] = true
		}
		for i := range matched {
			matched[i] = matched[i] || !seen[i]
		}
	}
	for i, m := range matched {
		if !m && warn != nil {
			warn(fmt.Sprintf("%s regex %q matches nothing in %s; it has no effect", g.tokens[i].Spec, g.tokens[i].Spec.Regex, s.Path))
		}
	}
	return g, nil
}

// AvgLen is the mean length of the sample's events, in bytes.
func (g *sampleGen) AvgLen() int64 { return g.avgLen }

// Len is the number of events in the sample.
func (g *sampleGen) Len() int { return len(g.events) }

// Generate emits b.Count events: the first Count sample events in order
// (cycling), or random picks with randomizeEvents, or Count whole copies
// of the sample with bundlelines.
func (g *sampleGen) Generate(b Batch, emit func(*output.Event) bool) error {
	n := len(g.events)
	count := b.Count
	if count < 0 {
		count = n
	}
	total := count
	if b.Bytes > 0 {
		total = math.MaxInt
	}
	if g.s.BundleLines && b.Bytes <= 0 {
		total = max(count, 1) * n
		if b.Count < 0 {
			total = n
		}
	}
	index := g.s.Index
	if len(g.s.ExtendIndexes) > 0 {
		index = g.s.ExtendIndexes[g.rng.IntN(len(g.s.ExtendIndexes))]
	}
	span := b.Latest.Sub(b.Earliest)
	latest := b.Latest.In(g.s.Location)
	ev := g.meta
	var produced int64
	for i := 0; i < total; i++ {
		if b.Bytes > 0 && produced >= b.Bytes {
			break
		}
		var k int
		switch {
		case g.s.RandomizeEvents && !g.s.BundleLines:
			k = g.rng.IntN(n)
		default:
			k = i % n
		}
		var t time.Time
		switch {
		case span <= 0:
			t = b.Earliest
		case g.s.Sequential:
			n := total
			if b.Bytes > 0 { // spread over the events the budget should take
				n = max(int(b.Bytes/g.avgLen), 1)
			}
			t = b.Earliest.Add(time.Duration(float64(span) * float64(min(i, n)) / float64(n)))
		default:
			// microsecond precision (7.2.1 had whole seconds, bug 26)
			t = b.Earliest.Add(time.Duration(g.rng.Int64N(int64(span/time.Microsecond)+1)) * time.Microsecond)
		}
		g.render(&ev, k, t.In(g.s.Location), latest, index)
		produced += int64(len(g.buf))
		if !emit(&ev) {
			return nil
		}
	}
	return nil
}

// render fills ev with sample event k at time t: tokens replaced, the
// stanza's metadata, CSV rows' own metadata, host.token.
func (g *sampleGen) render(ev *output.Event, k int, t, latest time.Time, index string) {
	se := &g.events[k]
	g.ctx.Reset()
	g.ctx.Time, g.ctx.Latest = t, latest
	g.buf = g.templates[k].Append(g.buf[:0], g.ctx, g.tokens)
	ev.Time, ev.Raw = t, g.buf
	ev.Index, ev.Host, ev.Source, ev.Sourcetype = index, g.s.Host, g.s.Source, g.s.Sourcetype
	// CSV rows and ***SPLUNK*** header lines carry their own metadata.
	if se.Index != "" {
		ev.Index = se.Index
	}
	if se.Host != "" {
		ev.Host = se.Host
	}
	if se.Source != "" {
		ev.Source = se.Source
	}
	if se.Sourcetype != "" {
		ev.Sourcetype = se.Sourcetype
	}
	if g.hostTpls != nil {
		ev.Host = g.host(k, t)
	}
}

// host renders host.token over the host of sample event k.
func (g *sampleGen) host(k int, t time.Time) string {
	tpl := g.hostTpls[k]
	g.hostCtx.Reset()
	g.hostCtx.Time = t
	g.hostBuf = tpl.Append(g.hostBuf[:0], g.hostCtx, g.hostTok)
	return string(g.hostBuf)
}
