package timeutil

import "time"

// Formatter caches the parts of the output that only change once per second (per-goroutine, NOT safe for concurrent use).
//
// Generators render many events per second with one format; with the
// cache, an event in the same second and location as the previous one
// costs a copy of the cached text plus the sub-second digits.
type Formatter struct {
	f     *Format
	valid bool
	sec   int64
	loc   *time.Location
	cache []byte // the second-level runs of f, rendered one after another
	ends  []int  // ends[i] is where run i ends in cache (sub-second runs are empty)
}

// NewFormatter returns a Formatter for f with an empty cache.
func (f *Format) NewFormatter() *Formatter {
	return &Formatter{
		f:     f,
		cache: make([]byte, 0, max(f.maxLen, 32)),
		ends:  make([]int, len(f.runs)),
	}
}

// Format returns the Format c renders.
func (c *Formatter) Format() *Format { return c.f }

// Append appends t, rendered in its own location, to dst; the output is
// identical to Format.Append.
func (c *Formatter) Append(dst []byte, t time.Time) []byte {
	f := c.f
	if sec, loc := t.Unix(), t.Location(); !c.valid || sec != c.sec || loc != c.loc {
		c.fill(t, sec, loc)
	}
	if !f.sub {
		return append(dst, c.cache...)
	}
	nsec := t.Nanosecond()
	start := 0
	for i, r := range f.runs {
		if r.frac {
			dst = appendFraction(dst, nsec, int(f.ops[r.lo].width))
			continue
		}
		dst = append(dst, c.cache[start:c.ends[i]]...)
		start = c.ends[i]
	}
	return dst
}

// fill renders the second-level runs of t into the cache. A time is in
// the same second of the same location exactly when its Unix second and
// its *time.Location match: everything but the fraction is then equal.
func (c *Formatter) fill(t time.Time, sec int64, loc *time.Location) {
	f := c.f
	var v values
	v.load(t, f.need&^needNano)
	c.cache = c.cache[:0]
	for i, r := range f.runs {
		if !r.frac {
			for j := r.lo; j < r.hi; j++ {
				c.cache = f.ops[j].append(c.cache, &v)
			}
		}
		c.ends[i] = len(c.cache)
	}
	c.valid, c.sec, c.loc = true, sec, loc
}
