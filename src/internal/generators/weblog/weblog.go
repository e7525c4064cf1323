// Package weblog is Eventgen's weblog generator (generator = weblog):
// Apache-style lines for performance tests, no sample file.
package weblog

import (
	"math/rand/v2"
	"strconv"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// weblog is Eventgen's performance-test generator: Apache-style lines
// from built-in value lists, all stamped with the interval's latest
// time. (7.2.1 read its lists from test files relative to the working
// directory, bug 24; ours are built in.)
type weblog struct {
	s    *config.Sample
	rng  *rand.Rand
	meta output.Event
	ev   output.Event // handed to emit, reused: one allocation per batch otherwise
	ts   *timeutil.Formatter
	buf  []byte
}

var (
	weblogIPs      = []string{"1.16.0.18", "27.96.128.3", "62.216.64.19", "74.125.19.106", "91.205.40.22", "110.159.208.78", "125.17.14.100", "141.146.8.66", "193.33.170.23", "203.92.58.136"}
	weblogHosts    = []string{"10.2.1.33", "10.2.1.34"}
	weblogStatus   = []string{"200", "200", "200", "200", "200", "301", "404", "500", "503"}
	weblogAgents   = []string{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"}
	weblogTSFormat = mustFormat("%d/%b/%Y %H:%M:%S:%f")
)

func mustFormat(layout string) *timeutil.Format {
	f, err := timeutil.ParseFormat(layout)
	if err != nil {
		panic(err)
	}
	return f
}

func init() {
	generate.Register("weblog", func(p generate.Params) (any, error) { return newWeblog(p.Sample, p.Rand), nil })
}

func newWeblog(s *config.Sample, rng *rand.Rand) *weblog {
	return &weblog{s: s, rng: rng, meta: generate.Meta(s), ts: weblogTSFormat.NewFormatter()}
}

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

func (w *weblog) Generate(b generate.Batch, emit func(*output.Event) bool) error {
	n := b.Count
	if n < 0 {
		n = 1
	}
	t := b.Latest.In(w.s.Location)
	ev := &w.ev // a local would escape: emit is a func value
	*ev = w.meta
	from, to := 0, n
	if b.To > 0 { // a slice or a shard's share (see generate.Batch)
		from, to = min(b.From, n), min(b.To, n)
	}
	for i := from; i < to; i++ {
		if b.Stream != nil {
			b.Stream(i)
		}
		buf := append(w.buf[:0], pick(w.rng, weblogIPs)...)
		buf = append(buf, ' ')
		buf = append(buf, pick(w.rng, weblogHosts)...)
		buf = append(buf, " - - ["...)
		buf = w.ts.Append(buf, t)
		buf = append(buf, `] "GET /product.screen?product_id=HolyGouda&JSESSIONID=SD3SL1FF7ADFF8 HTTP 1.1" `...)
		buf = append(buf, pick(w.rng, weblogStatus)...)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(100+w.rng.IntN(901)), 10)
		buf = append(buf, ` "http://shop.buttercupgames.com/cart.do?action=view&itemId=HolyGouda" "`...)
		buf = append(buf, pick(w.rng, weblogAgents)...)
		buf = append(buf, `" `...)
		buf = strconv.AppendInt(buf, int64(200+w.rng.IntN(1801)), 10)
		w.buf = buf
		ev.Time, ev.Raw = t, buf
		if !emit(ev) {
			return nil
		}
	}
	return nil
}

// Fork returns a weblog drawing from src: its events depend on nothing
// but their draws (see generate.Forker).
func (w *weblog) Fork(src *wyrand.Source) generate.Generator { return newWeblog(w.s, rand.New(src)) }
