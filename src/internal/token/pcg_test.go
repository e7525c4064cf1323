package token

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

// directSources are the sources a Context draws from directly, without
// its Rand: mk returns a context over a source seeded with (a, b), a
// Rand over an identical source, whether the two sources are in the
// same state, and the context's source's next value without taking it.
var directSources = []struct {
	name string
	mk   func(a, b uint64) (c *Context, want *rand.Rand, same func() bool, peek func() uint64)
}{
	{"PCG", func(a, b uint64) (*Context, *rand.Rand, func() bool, func() uint64) {
		pa, pb := rand.NewPCG(a, b), rand.NewPCG(a, b)
		return NewPCGContext(pa), rand.New(pb), func() bool { return *pa == *pb }, func() uint64 { q := *pa; return q.Uint64() }
	}},
	{"wyrand", func(a, b uint64) (*Context, *rand.Rand, func() bool, func() uint64) {
		s := a ^ b*0x9e3779b97f4a7c15
		wa, wb := wyrand.New(s), wyrand.New(s)
		return NewSourceContext(wa), rand.New(wb), func() bool { return *wa == *wb }, func() uint64 { q := *wa; return q.Uint64() }
	}},
}

// TestPCGDrawsAsRand: a PCG or wyrand context's Uint64N returns what
// math/rand/v2's Rand over the same source returns, and leaves the
// source in the same state,
// for many seeds and every kind of bound: 1, powers of two, small spans,
// list lengths, spans near 2⁶⁴ where the rejection loop runs often. A
// seeded run's output depends on it. (Template.Append's own draws are
// checked by TestPCGContextRendersAsRand.)
func TestPCGDrawsAsRand(t *testing.T) {
	ns := []uint64{1, 2, 3, 4, 5, 7, 8, 10, 16, 100, 400, 1000, 1024, 99901, 1 << 20, 1<<32 - 1, 1 << 32, 1<<32 + 1,
		1e12, 1 << 62, 1<<62 + 1, 1<<63 - 1, 1 << 63, 1<<63 + 1, 3 << 62, math.MaxUint64 - 1, math.MaxUint64}
	for n := uint64(1); n <= 70; n++ { // list and file lengths
		ns = append(ns, n)
	}
	for _, src := range directSources {
		for seed := uint64(0); seed < 200; seed++ {
			drawsAsRand(t, src.name, seed, ns, src.mk)
		}
	}
	// A context without a direct source draws from its Rand.
	ctx, want := NewContext(rand.New(rand.NewPCG(5, 6))), rand.New(rand.NewPCG(5, 6))
	for _, n := range ns {
		if got, w := ctx.Uint64N(n), want.Uint64N(n); got != w {
			t.Fatalf("NewContext: Uint64N(%d) = %d, want %d", n, got, w)
		}
	}
}

func drawsAsRand(t *testing.T, name string, seed uint64, ns []uint64, mk func(a, b uint64) (*Context, *rand.Rand, func() bool, func() uint64)) {
	t.Helper()
	ctx, want, same, _ := mk(seed, seed*0x9e3779b97f4a7c15)
	for i := range 400 {
		n := ns[(int(seed)+i*7)%len(ns)]
		switch i % 5 {
		case 0: // draws through ctx.Rand share the source's state
			if got, w := ctx.Rand.Uint32(), want.Uint32(); got != w {
				t.Fatalf("%s seed %d draw %d: ctx.Rand.Uint32 = %d, Rand.Uint32 = %d", name, seed, i, got, w)
			}
		case 1:
			if n <= math.MaxInt64 {
				if got, w := ctx.Uint64N(n), want.Int64N(int64(n)); got != uint64(w) {
					t.Fatalf("%s seed %d draw %d: Uint64N(%d) = %d, Rand.Int64N = %d", name, seed, i, n, got, w)
				}
				continue
			}
			fallthrough
		default:
			if got, w := ctx.Uint64N(n), want.Uint64N(n); got != w {
				t.Fatalf("%s seed %d draw %d: Uint64N(%d) = %d, Rand.Uint64N = %d", name, seed, i, n, got, w)
			}
		}
		if i%50 == 49 && ctx.Rand.Uint64() != want.Uint64() { // Rand shares the source's state
			t.Fatalf("%s seed %d draw %d: the states differ", name, seed, i)
		}
	}
	if !same() {
		t.Fatalf("%s seed %d: the source states differ after the draws", name, seed)
	}
}

// TestReduceDrawsAsRand: the inline draw Source's comment documents (the
// source's step, Reduce, Redraw when Reduce rejects; (*Gen).event draws
// an event's time so) returns what Rand.Uint64N returns and draws as many
// times, with a direct source and without one, for bounds where Reduce rejects
// often (near 2⁶⁴), never (powers of two) and rarely.
func TestReduceDrawsAsRand(t *testing.T) {
	ns := []uint64{1, 2, 3, 5, 8, 100, 1000, 1 << 20, 3600e6 + 1, 1<<32 + 1, 1 << 62, 1<<62 + 1,
		1<<63 - 1, 1 << 63, 1<<63 + 1, 3 << 62, math.MaxUint64 - 1, math.MaxUint64}
	draw := func(c *Context, n uint64) uint64 {
		var v uint64
		if w := c.Source(); w != nil {
			v = w.Uint64()
		} else if p := c.PCG(); p != nil {
			v = p.Uint64()
		} else {
			v = c.Rand.Uint64()
		}
		if r, ok := Reduce(v, n); ok {
			return r
		}
		return c.Redraw(v, n)
	}
	for _, src := range directSources {
		rejected := 0
		for seed := uint64(0); seed < 100; seed++ {
			plain, wantPlain := NewContext(rand.New(rand.NewPCG(^seed, seed))), rand.New(rand.NewPCG(^seed, seed))
			ctx, want, same, peek := src.mk(seed, ^seed)
			for i := range 300 {
				n := ns[(int(seed)+i)%len(ns)]
				if _, ok := Reduce(peek(), n); !ok {
					rejected++
				}
				if got, w := draw(ctx, n), want.Uint64N(n); got != w {
					t.Fatalf("%s seed %d draw %d: draw(%d) = %d, Rand.Uint64N = %d", src.name, seed, i, n, got, w)
				}
				if got, w := draw(plain, n), wantPlain.Uint64N(n); got != w {
					t.Fatalf("seed %d draw %d: no direct source: draw(%d) = %d, Rand.Uint64N = %d", seed, i, n, got, w)
				}
			}
			if !same() || plain.Rand.Uint64() != wantPlain.Uint64() {
				t.Fatalf("%s seed %d: the states differ after the draws", src.name, seed)
			}
		}
		if rejected == 0 {
			t.Fatalf("%s: Reduce rejected no draw: Redraw untested", src.name)
		}
	}
}

// TestPCGContextRendersAsRand: a template renders the same text, event
// after event, from a PCG or wyrand context as from a context over
// rand.Rand over the same source,
// with every random form and file tokens (the fast paths and the rest).
func TestPCGContextRendersAsRand(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "req.txt"), []byte("GET /a\nPOST /b\nGET /c\nPUT /d\nGET /e\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "four.txt"), []byte("a\nb\nc\nd\n"), 0o644)
	specs := []Spec{
		{Regex: `@ts`, Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S.%3N"},
		{Regex: `@ip`, Type: "random", Replacement: "ipv4"},
		{Regex: `@req`, Type: "file", Replacement: filepath.Join(dir, "req.txt")},
		{Regex: `@four`, Type: "file", Replacement: filepath.Join(dir, "four.txt")},
		{Regex: `@st`, Type: "random", Replacement: "integer[200:599]"},
		{Regex: `@bytes`, Type: "random", Replacement: "integer[100:100000]"},
		{Regex: `@one`, Type: "random", Replacement: "integer[7:7]"},
		{Regex: `@pow`, Type: "random", Replacement: "integer[0:1023]"},
		{Regex: `@neg`, Type: "random", Replacement: "integer[-5000000000:5000000000]"},
		{Regex: `@all`, Type: "random", Replacement: "integer[-9223372036854775808:9223372036854775807]"},
		{Regex: `@big`, Type: "random", Replacement: "integer[0:9223372036854775806]"},
		{Regex: `@rej`, Type: "random", Replacement: "integer[-4611686018427387904:4611686018427387904]"}, // 2⁶³+1 values: half the draws rejected
		{Regex: `@rated`, Type: "rated", Replacement: "integer[1:100]"},
		{Regex: `@list`, Type: "random", Replacement: `list["GET","POST","PUT"]`},
		{Regex: `@v6`, Type: "random", Replacement: "ipv6"},
		{Regex: `@guid`, Type: "random", Replacement: "guid"},
		{Regex: `@hex`, Type: "random", Replacement: "hex(6)"},
		{Regex: `@f`, Type: "random", Replacement: "float[0.00:9.99]"},
	}
	var names []string
	for _, s := range specs {
		names = append(names, s.Regex)
	}
	text := strings.Join(names, " ") + " @ip @st" // repeated tokens copy their first value
	toks := compile(t, Env{SampleDir: dir}, specs...)
	tpl, err := NewTemplate(text, toks)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range directSources {
		a, want, _, _ := src.mk(3, 4)
		b := NewContext(want)
		at := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
		var ga, gb []byte
		for i := range 20000 {
			for _, c := range []*Context{a, b} {
				c.Reset()
				c.Time, c.Rate = at.Add(time.Duration(i)*time.Millisecond), 1.5
			}
			ga, gb = tpl.Append(ga[:0], a, toks), tpl.Append(gb[:0], b, toks)
			if string(ga) != string(gb) {
				t.Fatalf("%s event %d:\n direct %s\n Rand   %s", src.name, i, ga, gb)
			}
		}
	}
}
