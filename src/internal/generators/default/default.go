// Package defaultgen is Eventgen's default generator (generator =
// default, also perDayVolume's): the events of a sample file, in order
// or at random, with their tokens replaced. The package lives in the
// folder generators/default ("default" is a Go keyword).
package defaultgen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/token"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// Gen is Eventgen's default generator: events of a sample file
// with their tokens replaced (inventory §3.1 default). Replay renders
// its events with one (see Load).
type Gen struct {
	s         *config.Sample
	rng       *rand.Rand
	events    []sample.Event
	templates []*token.Template
	chains    []*token.Chain // per sample event, when the stanza takes the chained path (token.NeedsChain); else nil
	tokens    []*token.Token
	hostTok   []*token.Token
	hostTpls  []*token.Template // per sample event: host.token over its host
	ctx       *token.Context
	hostCtx   *token.Context
	meta      output.Event
	ev        output.Event // handed to emit, reused: one allocation per batch otherwise
	buf       []byte
	hostBuf   []byte
	ends      []int         // repeat: where each event of the rendered cycle ends
	ownMeta   bool          // some events have metadata of their own (Render), or hostSlots: no GenerateFramed
	text      []output.Text // per sample event: what its text is known to be (Template.XMLClean, LineFree); 0 with chains
	hostSlots []int         // per sample event: the slot of the host_type = event token, or -1 (hostfield.go)
	avgLen    int64
	timeOnly  bool         // every template renders from the time alone (Template.TimeOnly)
	auto      []token.Spec // the timestamp tokens autotimestamp found
}

func init() {
	generate.Register("default", func(p generate.Params) (any, error) { return Load(p) })
}

// Load reads the sample file of p.Sample and compiles its tokens once.
func Load(p generate.Params) (*Gen, error) {
	s, rng, files, warn := p.Sample, p.Rand, p.Files, p.Warn
	events, err := sample.Load(s.Path, sample.Options{Type: s.SampleType, Breaker: s.Breaker, Warn: warn})
	if err != nil {
		return nil, err
	}
	env := token.Env{SampleDir: s.SampleDir, Files: files, Warn: warn}
	if len(s.AllTokens) > 0 {
		if events, err = expandAll(events, s.AllTokens, env); err != nil {
			return nil, err
		}
	}
	ctx := token.NewContext(rng)
	if p.PCG != nil {
		ctx = token.NewPCGContext(p.PCG)
		rng = ctx.Rand
	}
	g := &Gen{s: s, rng: rng, events: events, meta: generate.Meta(s), ctx: ctx}
	specs := s.Tokens
	if s.AutoTimestamps != nil {
		if g.auto, err = detectTimestamps(events, s.AutoTimestamps, s.Tokens); err != nil {
			return nil, err
		}
		if len(g.auto) == 0 && warn != nil {
			warn(fmt.Sprintf("autotimestamp found no timestamp in %s (none of the %d autotimestamps patterns matches and parses); its events keep their text", s.Path, len(s.AutoTimestamps)))
		}
		specs = append(specs[:len(specs):len(specs)], g.auto...)
	}
	// A token that cannot produce a value is left out: the text it
	// matches stays as written (Eventgen logged and went on too), and
	// the rest of the stanza generates. Leaving it out is exact, since
	// tokens apply in order and an unchanged text is what the next
	// token would have seen.
	broken := func(err error) error {
		var te *token.Error
		if !errors.As(err, &te) {
			return err
		}
		if p.Broken != nil {
			p.Broken(te)
		} else if warn != nil {
			warn(te.Error())
		}
		return nil
	}
	compile := func(spec token.Spec) (*token.Token, error) {
		env := env
		if p.TokenWarn != nil {
			env.Warn = func(msg string) { p.TokenWarn(spec, msg) }
		}
		return token.Compile(spec, env)
	}
	for _, spec := range specs {
		t, err := compile(spec)
		if err != nil {
			if err = broken(err); err != nil {
				return nil, err
			}
			continue
		}
		g.tokens = append(g.tokens, t)
	}
	if s.HostToken != nil {
		t, err := compile(*s.HostToken)
		if err != nil {
			if err = broken(err); err != nil {
				return nil, err
			}
		} else {
			g.hostTok = []*token.Token{t}
			g.hostCtx = token.NewContext(rng)
			if p.PCG != nil {
				g.hostCtx = token.NewPCGContext(p.PCG)
			}
		}
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
	g.timeOnly = true
	for _, ev := range events {
		tpl, err := token.NewTemplate(ev.Raw, g.tokens)
		if err != nil {
			return nil, err
		}
		g.templates = append(g.templates, tpl)
		g.timeOnly = g.timeOnly && tpl.TimeOnly(g.tokens)
		seen := make([]bool, len(g.tokens))
		for _, i := range tpl.Unmatched {
			seen[i] = true
		}
		for i := range matched {
			matched[i] = matched[i] || !seen[i]
		}
	}
	g.recordHostField()
	g.ownMeta = g.hostSlots != nil
	for _, ev := range events {
		g.ownMeta = g.ownMeta || ev.Index != "" || ev.Host != "" || ev.Source != "" || ev.Sourcetype != ""
	}
	texts := make([]string, len(events))
	for i, ev := range events {
		texts[i] = ev.Raw
	}
	chain, why, feeds := token.NeedsChain(texts, g.templates, g.tokens)
	if chain {
		// Eventgen's order, every event anew: the compiled templates would
		// not give the same text (inventory §2.1).
		g.chains = make([]*token.Chain, len(events))
		for i, t := range texts {
			g.chains[i] = token.NewChain(t)
		}
		g.timeOnly = true
		for _, t := range g.tokens {
			g.timeOnly = g.timeOnly && t.TimeOnly()
		}
		if p.Log != nil {
			p.Log.Debug("tokens are applied one after the other on each event, as Eventgen did, not compiled", "sample", s.Path, "why", why)
		}
	}
	for i, m := range matched {
		if !m && chain {
			// With its line ending, or text an earlier token writes.
			m = feeds[i]
			for _, t := range texts {
				m = m || g.tokens[i].Replaces(t+"\n")
			}
		}
		if !m && warn != nil {
			warn(fmt.Sprintf("%s regex %q matches nothing in %s; it has no effect", g.tokens[i].Spec, g.tokens[i].Spec.Regex, s.Path))
		}
	}
	g.text = make([]output.Text, len(g.templates)) // nothing known with chains
	if g.chains == nil {
		for k, tpl := range g.templates {
			if tpl.XMLClean(g.tokens) {
				g.text[k] |= output.TextPlain
			}
			if tpl.LineFree(g.tokens) {
				g.text[k] |= output.TextOneLine
			}
		}
	}
	return g, nil
}

// AvgLen is the mean length of the sample's events, in bytes.
func (g *Gen) AvgLen() int64 { return g.avgLen }

// Len is the number of events in the sample.
func (g *Gen) Len() int { return len(g.events) }

// Events are the sample's events, as read from its file.
func (g *Gen) Events() []sample.Event { return g.events }

// AutoTimestamps are the timestamp tokens autotimestamp found in the
// sample (in Tokens too, after the stanza's own).
func (g *Gen) AutoTimestamps() []token.Spec { return g.auto }

// Tokens are the stanza's compiled tokens.
func (g *Gen) Tokens() []*token.Token { return g.tokens }

// plan is what a batch's events share: how many there are, which of
// them this call renders, and their time window.
type plan struct {
	total    int // events of the interval (math.MaxInt under a byte budget)
	from, to int // the events this call renders
	seqN     int // sequential timestamps spread over this many events
	span     time.Duration
	earliest time.Time // in the stanza's location: event times are it plus an offset
	unix     int64     // earliest's Unix second (at)
	nsec     int64     // and nanosecond
	latest   time.Time
	index    string
}

func (g *Gen) plan(b generate.Batch) plan {
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
		total = count * n // count copies of the sample: 0 when the rate tables say so
		if b.Count < 0 {
			total = n
		}
	}
	p := plan{total: total, to: total, seqN: total, span: b.Latest.Sub(b.Earliest), earliest: b.Earliest.In(g.s.Location), latest: b.Latest.In(g.s.Location), index: g.s.Index}
	if b.To > 0 {
		p.from, p.to = min(b.From, total), min(b.To, total)
	}
	p.unix, p.nsec = p.earliest.Unix(), int64(p.earliest.Nanosecond())
	if b.Bytes > 0 { // spread over the events the budget should take
		p.seqN = max(int(b.Bytes/g.avgLen), 1)
	}
	if len(g.s.ExtendIndexes) > 0 {
		if b.Stream != nil {
			b.Stream(-1)
		}
		p.index = g.s.ExtendIndexes[g.rng.IntN(len(g.s.ExtendIndexes))]
	}
	return p
}

// event picks the sample event and the time of event i of the interval,
// drawing from the generator's random source in Eventgen's order. The
// time is time.Unix(sec, nsec).In(g.s.Location) (eventTime), left as
// integers for Context.SetUnix: most events need no time.Time.
func (g *Gen) event(p *plan, b *generate.Batch, i int) (k int, sec, nsec int64) {
	if b.Stream != nil {
		b.Stream(i)
	}
	if g.s.RandomizeEvents && !g.s.BundleLines {
		k = int(g.ctx.Uint64N(uint64(len(g.events)))) // g.rng.IntN's draw
	} else {
		k = i % len(g.events)
	}
	switch {
	case p.span <= 0:
		sec, nsec = p.unix, p.nsec
	case g.s.Sequential:
		t := p.earliest.Add(time.Duration(float64(p.span) * float64(min(i, p.seqN)) / float64(p.seqN)))
		sec, nsec = t.Unix(), int64(t.Nanosecond())
	default:
		// microsecond precision (7.2.1 had whole seconds, bug 26)
		// g.rng.Int64N's draw, as g.ctx.Uint64N makes it, with the
		// source's step inline (a call per event through Uint64N)
		n := uint64(p.span/time.Microsecond) + 1
		var v uint64
		if w := g.ctx.Source(); w != nil {
			v = w.Uint64()
		} else if pcg := g.ctx.PCG(); pcg != nil {
			v = pcg.Uint64()
		} else {
			v = g.ctx.Rand.Uint64()
		}
		if r, ok := token.Reduce(v, n); ok {
			v = r
		} else {
			v = g.ctx.Redraw(v, n)
		}
		sec, nsec = p.at(v)
	}
	return k, sec, nsec
}

// eventTime is the Time of an event's time from event: the Time that
// p.earliest plus the offset is, to the representation (In strips the
// monotonic reading as earliest's In did; TestPlanAt).
func (g *Gen) eventTime(sec, nsec int64) time.Time {
	return time.Unix(sec, nsec).In(g.s.Location)
}

// at returns the Unix second and nanosecond of
// p.earliest.Add(time.Duration(u) * time.Microsecond), from unsigned
// integers: Time.Add's signed divisions and range checks were a tenth
// of an event's time.
func (p *plan) at(u uint64) (sec, nsec int64) {
	sec, nsec = int64(u/1e6), p.nsec+int64(u%1e6)*1000
	if nsec >= 1e9 {
		sec, nsec = sec+1, nsec-1e9
	}
	return p.unix + sec, nsec
}

// Generate emits b.Count events: the first Count sample events in order
// (cycling), or random picks with randomizeEvents, or Count whole copies
// of the sample with bundlelines.
func (g *Gen) Generate(b generate.Batch, emit func(*output.Event) bool) error {
	p := g.plan(b)
	ev := &g.ev // a local would escape: emit is a func value
	*ev = g.meta
	var produced int64
	for i := p.from; i < p.to; i++ {
		if b.Bytes > 0 && produced >= b.Bytes {
			break
		}
		k, sec, nsec := g.event(&p, &b, i)
		g.Render(ev, k, g.eventTime(sec, nsec), p.latest, p.index)
		produced += int64(len(g.buf))
		if !emit(ev) {
			return nil
		}
	}
	return nil
}

// GenerateRaw writes the events Generate would emit as raw lines. When
// every event of the interval has the same time and the sample's text
// depends on nothing else (no random or counter token: a load-test
// line with a timestamp), the events repeat with the sample's period,
// and the interval is one rendering of the sample copied.
func (g *Gen) GenerateRaw(b generate.Batch, out *generate.Chunks) (bool, error) {
	return g.generateInPlace(b, out, nil)
}

// GenerateFramed writes the events Generate would emit framed by fr
// (generate.FramedGenerator): those of a sample whose events carry no
// metadata of their own.
func (g *Gen) GenerateFramed(b generate.Batch, out *generate.Chunks, fr output.Framer) (bool, error) {
	if g.ownMeta {
		return false, nil
	}
	return g.generateInPlace(b, out, fr)
}

// generateInPlace renders events straight into out: raw lines, or framed
// by fr.
func (g *Gen) generateInPlace(b generate.Batch, out *generate.Chunks, fr output.Framer) (bool, error) {
	if g.hostTpls != nil {
		return false, nil
	}
	p := g.plan(b)
	if fr == nil && !out.Trim && !out.Spans && p.span <= 0 && b.Bytes <= 0 && !g.s.RandomizeEvents && g.timeOnly {
		return true, g.repeat(&p, &b, out)
	}
	if fr != nil {
		ev := &g.ev // a local would escape: fr is an interface
		*ev = g.meta
		ev.Index = p.index
		fr.Meta(ev)
	}
	var produced int64
	for i := p.from; i < p.to; i++ {
		if b.Bytes > 0 && produced >= b.Bytes {
			break
		}
		k, sec, nsec := g.event(&p, &b, i)
		g.ctx.Reset()
		g.ctx.SetUnix(sec, nsec, g.s.Location)
		g.ctx.Latest = p.latest
		if fr != nil {
			out.Buf = fr.Open(out.Buf, output.Stamp{Sec: sec, Nsec: nsec, Loc: g.s.Location})
		}
		start := len(out.Buf)
		if g.chains != nil {
			out.Buf = g.chains[k].Append(out.Buf, g.ctx, g.tokens)
		} else {
			out.Buf = g.templates[k].Append(out.Buf, g.ctx, g.tokens)
		}
		n := int64(len(out.Buf) - start)
		if fr != nil {
			out.Buf = fr.Close(out.Buf, start, g.text[k])
			if out.Spans {
				out.Ends = append(out.Ends, int32(len(out.Buf)))
			}
		} else {
			out.EndLine(start)
		}
		out.Events++
		out.Bytes += n
		produced += n
		if len(out.Buf) >= out.Limit && !out.Full(out) {
			return true, nil
		}
	}
	return true, nil
}

// patternBytes is about how much repeat copies at once: large enough
// that a chunk is a few copies, small enough to stay in cache.
const patternBytes = 16 << 10

// repeat writes events p.from..p.to-1 when they all render the same text
// per sample event: one cycle of the sample is rendered, doubled into a
// pattern of whole cycles, and copied.
func (g *Gen) repeat(p *plan, b *generate.Batch, out *generate.Chunks) error {
	n := len(g.events)
	if p.from >= p.to {
		return nil
	}
	// One cycle, starting at the sample event of p.from; ends[j] is
	// where its event j ends (after the newline).
	block := g.buf[:0]
	ends := g.ends[:0]
	var t time.Time
	for j := 0; j < n; j++ {
		k, sec, nsec := g.event(p, b, p.from+j)
		t = g.eventTime(sec, nsec)
		g.ctx.Reset()
		g.ctx.Time, g.ctx.Latest = t, p.latest
		if g.chains != nil {
			block = g.chains[k].Append(block, g.ctx, g.tokens)
		} else {
			block = g.templates[k].Append(block, g.ctx, g.tokens)
		}
		block = append(block, '\n')
		ends = append(ends, len(block))
	}
	cycles := max(patternBytes/len(block), 1)
	pattern := block
	for 2*len(pattern) <= cycles*len(block) {
		pattern = append(pattern, pattern...)
	}
	g.buf, g.ends = pattern, ends
	perPattern := n * (len(pattern) / len(block))
	rawPattern := int64(len(pattern) - perPattern)
	left := p.to - p.from
	for left >= perPattern {
		if len(out.Buf) > 0 && len(out.Buf)+len(pattern) > cap(out.Buf) && !out.Full(out) {
			return nil
		}
		out.Buf = append(out.Buf, pattern...)
		out.Events += perPattern
		out.Bytes += rawPattern
		left -= perPattern
		if len(out.Buf) >= out.Limit && !out.Full(out) {
			return nil
		}
	}
	// The rest: fewer events than a pattern, whole cycles then a prefix.
	for left > 0 {
		m := min(left, n)
		end := ends[m-1]
		out.Buf = append(out.Buf, block[:end]...)
		out.Events += m
		out.Bytes += int64(end - m)
		left -= m
		if len(out.Buf) >= out.Limit && !out.Full(out) {
			return nil
		}
	}
	return nil
}

// Fork returns a copy of g drawing from src for another goroutine, or nil
// when g's events depend on the ones before them (see generate.Forker).
func (g *Gen) Fork(src *wyrand.Source) generate.Generator {
	if g.s.BundleLines || len(g.s.ExtendIndexes) > 0 {
		return nil
	}
	for _, t := range append(g.tokens[:len(g.tokens):len(g.tokens)], g.hostTok...) {
		if t.Sequential() {
			return nil
		}
	}
	f := *g
	f.ctx, f.buf, f.hostBuf, f.ends = token.NewSourceContext(src), nil, nil, nil
	f.rng = f.ctx.Rand
	f.tokens = cloneTokens(g.tokens)
	if g.hostTok != nil {
		f.hostTok, f.hostCtx = cloneTokens(g.hostTok), token.NewSourceContext(src)
	}
	return &f
}

// SliceEvents asks for slices of 8192 events when every event renders
// from its time alone (timeOnly): such an interval is mostly copies of a
// pattern that each slice renders afresh (repeat), a few ns per event,
// and with the engine's 2048 scenario 1 (windbag) ran 10% slower.
func (g *Gen) SliceEvents() int {
	if g.timeOnly {
		return 8192
	}
	return 0
}

func cloneTokens(ts []*token.Token) []*token.Token {
	out := make([]*token.Token, len(ts))
	for i, t := range ts {
		out[i] = t.Clone()
	}
	return out
}

// Render fills ev with sample event k at time t: tokens replaced, the
// stanza's metadata, CSV rows' own metadata, host.token.
func (g *Gen) Render(ev *output.Event, k int, t, latest time.Time, index string) {
	se := &g.events[k]
	g.ctx.Reset()
	g.ctx.Time, g.ctx.Latest = t, latest
	if g.chains != nil {
		g.buf = g.chains[k].Append(g.buf[:0], g.ctx, g.tokens)
	} else {
		g.buf = g.templates[k].Append(g.buf[:0], g.ctx, g.tokens)
	}
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
	if g.hostSlots != nil && g.hostSlots[k] >= 0 {
		a, b := g.ctx.Span(g.hostSlots[k])
		ev.Host = string(g.buf[a:b])
	}
}

// host renders host.token over the host of sample event k.
func (g *Gen) host(k int, t time.Time) string {
	tpl := g.hostTpls[k]
	g.hostCtx.Reset()
	g.hostCtx.Time = t
	g.hostBuf = tpl.Append(g.hostBuf[:0], g.hostCtx, g.hostTok)
	return string(g.hostBuf)
}
