package timeutil

import "time"

// formatterEntries is the number of seconds a Formatter keeps rendered,
// a power of two. Events of an interval fall at random times in its
// window (earliest = -60s: sixty different seconds, in random order), so
// a single cached second almost never matched the next event; 64 covers
// a minute-long window, the common interval.
const formatterEntries = 64

// Formatter caches the parts of the output that only change once per
// second (per-goroutine, NOT safe for concurrent use).
//
// Generators render many events per second with one format; with the
// cache, an event in one of the last seconds rendered costs a copy of
// the cached text plus the sub-second digits. The cache is direct-mapped
// on the Unix second, so a lookup is one comparison.
type Formatter struct {
	f       *Format
	entries [formatterEntries]formatterEntry
}

// formatterEntry is the rendering of one second in one location.
type formatterEntry struct {
	valid bool
	sec   int64
	loc   *time.Location
	cache []byte // the second-level runs of f, rendered one after another
	ends  []int  // ends[i] is where run i ends in cache (sub-second runs are empty)
}

// NewFormatter returns a Formatter for f with an empty cache. The
// entries' buffers are allocated here, in two blocks, so that rendering
// never allocates.
func (f *Format) NewFormatter() *Formatter {
	c := &Formatter{f: f}
	size := max(f.maxLen, 32)
	text := make([]byte, formatterEntries*size)
	ends := make([]int, formatterEntries*len(f.runs))
	for i := range c.entries {
		e := &c.entries[i]
		e.cache = text[i*size : i*size : (i+1)*size]
		e.ends = ends[i*len(f.runs) : (i+1)*len(f.runs) : (i+1)*len(f.runs)]
	}
	return c
}

// Format returns the Format c renders.
func (c *Formatter) Format() *Format { return c.f }

// Append appends t, rendered in its own location, to dst; the output is
// identical to Format.Append.
func (c *Formatter) Append(dst []byte, t time.Time) []byte {
	return c.AppendUnix(dst, t.Unix(), int64(t.Nanosecond()), t.Location())
}

// AppendUnix appends time.Unix(sec, nsec).In(loc) as Append does, for a
// caller that has the time as integers: in a cached second it builds no
// time.Time (an event generator drawing times need not make one per
// event). nsec is in [0, 1e9); loc is not nil.
func (c *Formatter) AppendUnix(dst []byte, sec, nsec int64, loc *time.Location) []byte {
	f := c.f
	e := &c.entries[uint64(sec)%formatterEntries]
	if !e.valid || sec != e.sec || loc != e.loc {
		c.fill(e, time.Unix(sec, nsec).In(loc), sec, loc)
	}
	if !f.sub {
		return append(dst, e.cache...)
	}
	start := 0
	for i, r := range f.runs {
		if r.frac {
			dst = appendFraction(dst, int(nsec), int(f.ops[r.lo].width))
			continue
		}
		dst = append(dst, e.cache[start:e.ends[i]]...)
		start = e.ends[i]
	}
	return dst
}

// fill renders the second-level runs of t into e. A time is in the same
// second of the same location exactly when its Unix second and its
// *time.Location match: everything but the fraction is then equal.
func (c *Formatter) fill(e *formatterEntry, t time.Time, sec int64, loc *time.Location) {
	f := c.f
	var v values
	v.load(t, f.need&^needNano)
	e.cache = e.cache[:0]
	for i, r := range f.runs {
		if !r.frac {
			for j := r.lo; j < r.hi; j++ {
				e.cache = f.ops[j].append(e.cache, &v)
			}
		}
		e.ends[i] = len(e.cache)
	}
	e.valid, e.sec, e.loc = true, sec, loc
}
