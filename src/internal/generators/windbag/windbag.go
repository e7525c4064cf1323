// Package windbag is Eventgen's windbag generator (generator =
// windbag): a fixed load-test line, no sample file.
package windbag

import (
	"strconv"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

func init() {
	generate.Register("windbag", func(p generate.Params) (any, error) {
		return &windbag{s: p.Sample, meta: generate.Meta(p.Sample)}, nil
	})
}

// windbag emits "<time> -0700 WINDBAG Event i of count", the Python
// generator's fixed load-test line, with times spread evenly over the
// window (inventory §3.1).
type windbag struct {
	s    *config.Sample
	meta output.Event
	ev   output.Event // handed to emit, reused: one allocation per batch otherwise
	buf  []byte
}

func (w *windbag) Generate(b generate.Batch, emit func(*output.Event) bool) error {
	n := b.Count
	if n < 0 {
		n = 60
	}
	span := b.Latest.Sub(b.Earliest)
	ev := &w.ev // a local would escape: emit is a func value
	*ev = w.meta
	from, to := 0, n
	if b.To > 0 { // a slice or a shard's share (see generate.Batch)
		from, to = min(b.From, n), min(b.To, n)
	}
	for i := from + 1; i <= to; i++ {
		t := b.Earliest.Add(time.Duration(float64(span) / float64(n) * float64(i))).In(w.s.Location)
		buf := timeutil.AppendPyDatetime(w.buf[:0], t)
		buf = append(buf, " -0700 WINDBAG Event "...)
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, " of "...)
		buf = strconv.AppendInt(buf, int64(n), 10)
		w.buf = buf
		ev.Time, ev.Raw = t, buf
		if !emit(ev) {
			return nil
		}
	}
	return nil
}

// Fork returns another windbag: its events depend on their index alone
// (see generate.Forker).
func (w *windbag) Fork(*wyrand.Source) generate.Generator {
	return &windbag{s: w.s, meta: w.meta}
}
