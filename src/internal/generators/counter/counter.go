// Package counter is Eventgen's counter generator (generator = counter):
// one event per value from start_count to end_count by count_by.
package counter

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
)

// defaultCounterTemplate is Eventgen's count_template.
const defaultCounterTemplate = "{event_ts}-0700 Counter for sample:{samplename}, Now processing event counting {loop_count} of {max_loop} cycles. Counter Values: Start_Count: {start_count} Current_Counter:{current_count} End_Count:{end_count} Counting_By: {count_by}"

// counter is Eventgen's counter generator (inventory §3.1): one event per
// value from start_count to end_count by count_by, from a Python
// str.format template. A step that never lands on end_count stops past
// it (7.2.1 looped forever, bug 23).
type counter struct {
	s              *config.Sample
	meta           output.Event
	ev             output.Event // handed to emit, reused: one allocation per batch otherwise
	start, end, by float64
	endSet         bool
	float          bool // any setting written with a '.': values print as Python floats
	tpl            []string
	buf            []byte
}

func init() {
	generate.Register("counter", func(p generate.Params) (any, error) { return newCounter(p.Sample, p.Warn) })
}

func newCounter(s *config.Sample, warn func(string)) (*counter, error) {
	cfg, err := readConfig(s)
	if err != nil {
		return nil, err
	}
	cfg.Validate(warn)
	return &counter{s: s, meta: generate.Meta(s), start: cfg.Start, end: cfg.End, by: cfg.By, endSet: cfg.EndSet, float: cfg.Float,
		tpl: splitTemplate(cfg.Template)}, nil
}

// splitTemplate splits a str.format template into literal and {field}
// parts; odd indexes are field names.
func splitTemplate(t string) []string {
	var parts []string
	for {
		i := strings.IndexByte(t, '{')
		j := strings.IndexByte(t[max(i, 0):], '}')
		if i < 0 || j < 0 {
			return append(parts, t)
		}
		parts = append(parts, t[:i], t[i+1:i+j])
		t = t[i+j+1:]
	}
}

// pyNumber prints v as Python prints an int, or a float when floats are
// in play (repr: 1.0, 2.5).
func (c *counter) pyNumber(dst []byte, v float64) []byte {
	if !c.float && v == math.Trunc(v) {
		return strconv.AppendInt(dst, int64(v), 10)
	}
	b := strconv.AppendFloat(dst, v, 'f', -1, 64)
	if !strings.ContainsAny(string(b[len(dst):]), ".eE") {
		b = append(b, ".0"...)
	}
	return b
}

func (c *counter) Generate(b generate.Batch, emit func(*output.Event) bool) error {
	start, end, by := c.start, c.end, c.by
	loops := b.Count
	switch {
	case loops < 0:
		if !c.endSet {
			end = 60
		}
		loops = 1
	case !c.endSet && loops != 1:
		end = float64(loops)
		loops = 1
	}
	if end < start && by > 0 {
		end = start + end // Eventgen: "assuming you want start_count + end_count"
	}
	diff := math.Abs(end - start)
	var step time.Duration
	if diff > 0 {
		step = time.Duration(float64(b.Latest.Sub(b.Earliest)) / diff)
	}
	ev := &c.ev // a local would escape: emit is a func value
	*ev = c.meta
	for loop := 1; loop <= loops; loop++ {
		for cur := start; ; {
			t := b.Earliest.Add(time.Duration(float64(step) * (cur + 1))).In(c.s.Location)
			c.buf = c.render(c.buf[:0], t, loop, loops, start, cur, end, by)
			ev.Time, ev.Raw = t, c.buf
			if !emit(ev) {
				return nil
			}
			if cur == end {
				break
			}
			next := cur + by
			if c.float {
				next = math.Round(next*1e5) / 1e5
			}
			if (by > 0 && next > end) || (by < 0 && next < end) {
				break // would step past end_count
			}
			cur = next
		}
	}
	return nil
}

func (c *counter) render(dst []byte, t time.Time, loop, loops int, start, cur, end, by float64) []byte {
	for i, p := range c.tpl {
		if i%2 == 0 {
			dst = append(dst, p...)
			continue
		}
		switch p {
		case "event_ts":
			dst = timeutil.AppendPyDatetime(dst, t)
		case "samplename":
			dst = append(dst, c.s.Stanza...)
		case "loop_count":
			dst = strconv.AppendInt(dst, int64(loop), 10)
		case "max_loop":
			dst = strconv.AppendInt(dst, int64(loops), 10)
		case "start_count":
			dst = c.pyNumber(dst, start)
		case "current_count":
			dst = c.pyNumber(dst, cur)
		case "end_count":
			dst = c.pyNumber(dst, end)
		case "count_by":
			dst = c.pyNumber(dst, by)
		default:
			dst = append(dst, '{')
			dst = append(dst, p...)
			dst = append(dst, '}')
		}
	}
	return dst
}
