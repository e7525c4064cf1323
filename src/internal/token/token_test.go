package token

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/wyrand"
)

func rng() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func TestRandomForms(t *testing.T) {
	cases := []struct {
		spec  string
		want  string // regexp every value must fully match
		check func(t *testing.T, v string)
	}{
		{"ipv4", `(\d{1,3}\.){3}\d{1,3}`, func(t *testing.T, v string) {
			for _, o := range strings.Split(v, ".") {
				if n, _ := strconv.Atoi(o); n > 255 {
					t.Errorf("octet %d > 255 in %s", n, v)
				}
			}
		}},
		{"IPv6", `([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}`, nil},
		{"mac", `([0-9a-f]{2}:){5}[0-9a-f]{2}`, nil},
		{"guid", `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`, nil},
		{"hex(6)", `[0-9A-F]{6}`, nil},
		{"string(12)", `[A-Za-z0-9_.~/-]{12}`, nil},
		{"string(0)", ``, nil},
		{"integer[200:599]", `\d{3}`, func(t *testing.T, v string) {
			if n, _ := strconv.Atoi(v); n < 200 || n > 599 {
				t.Errorf("%d out of [200,599]", n)
			}
		}},
		{"integer[-5:-1]", `-[1-5]`, nil},
		{"integer[7:7]", `7`, nil},
		{"integer[-9223372036854775808:9223372036854775807]", `-?\d+`, nil},
		{"integer[-9223372036854775808:0]", `-\d+|0`, nil},
		{"float[-3.0:3.0]", `-?\d\.\d`, func(t *testing.T, v string) {
			if f, _ := strconv.ParseFloat(v, 64); f < -3 || f > 3 {
				t.Errorf("%v out of [-3,3]", f)
			}
		}},
		{"float[0.000:10.00]", `\d{1,2}\.\d{3}`, nil},
		{"float[1:10]", `\d{1,2}`, nil},
		{`list["GET","POST"]`, `GET|POST`, nil},
		{`list[1, 2.5, "x"]`, `1|2\.5|x`, nil},
	}
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			r, err := ParseRandom(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			re := regexp.MustCompile(`^(?:` + c.want + `)$`)
			g := rng()
			seen := map[string]bool{}
			for i := 0; i < 500; i++ {
				v := string(r.Append(nil, g, 1))
				if !re.MatchString(v) {
					t.Fatalf("value %q does not match %s", v, c.want)
				}
				if c.check != nil {
					c.check(t, v)
				}
				seen[v] = true
			}
			if c.spec != "integer[7:7]" && c.spec != "string(0)" && len(seen) < 2 {
				t.Errorf("500 draws gave only %v", seen)
			}
		})
	}
}

// TestAppendInt compares the integer fast path with strconv around every
// length and at the ends of the int64 range, appended after other bytes
// and into slices with and without room.
func TestAppendInt(t *testing.T) {
	vals := []int64{0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 999999, 1e6, 1e9 - 1, 1e9, 1e12 - 1, 1e12, -1, -10, -999, -1e6, 1<<63 - 1, -1 << 63}
	for p := int64(1); p < 1e18; p *= 10 {
		vals = append(vals, p-1, p, p+1, 3*p+7)
	}
	r := rng()
	for range 10000 {
		vals = append(vals, r.Int64N(1e13))
	}
	for _, v := range vals {
		for _, dst := range [][]byte{nil, []byte("ab"), make([]byte, 3, 40)} {
			want := strconv.AppendInt(slices.Clone(dst), v, 10)
			if got := appendInt(slices.Clone(dst), v); string(got) != string(want) {
				t.Fatalf("appendInt(%q, %d) = %q, want %q", dst, v, got, want)
			}
		}
	}
}

// TestAppendIntBelowMillion compares every value of up to six digits,
// those of the three-digit groups' two shortest paths, with strconv.
func TestAppendIntBelowMillion(t *testing.T) {
	var got, want []byte
	for v := int64(0); v < 1e6; v++ {
		got, want = appendInt(got[:0], v), strconv.AppendInt(want[:0], v, 10)
		if string(got) != string(want) {
			t.Fatalf("appendInt(%d) = %q, want %q", v, got, want)
		}
	}
}

// TestIPv4IsTheDraw: the address is the four bytes of one Uint32 draw,
// most significant first, as the reference generator writes it.
func TestIPv4IsTheDraw(t *testing.T) {
	r, _ := ParseRandom("ipv4")
	a, b := rng(), rng()
	for range 2000 {
		x := b.Uint32()
		want := fmt.Sprintf("%d.%d.%d.%d", x>>24, x>>16&0xff, x>>8&0xff, x&0xff)
		if got := string(r.Append([]byte("ip="), a, 1)); got != "ip="+want {
			t.Fatalf("got %q, want ip=%s", got, want)
		}
	}
}

func TestRandomIntegerCoversBounds(t *testing.T) {
	r, _ := ParseRandom("integer[0:3]")
	g := rng()
	seen := map[string]bool{}
	for i := 0; i < 400; i++ {
		seen[string(r.Append(nil, g, 1))] = true
	}
	for _, w := range []string{"0", "1", "2", "3"} {
		if !seen[w] {
			t.Errorf("integer[0:3] never gave %s (bounds are inclusive)", w)
		}
	}
}

func TestRatedScales(t *testing.T) {
	r, _ := ParseRandom("integer[100:100]")
	if got := string(r.Append(nil, rng(), 0.5)); got != "50" {
		t.Errorf("integer[100:100] × 0.5 = %s, want 50", got)
	}
	f, _ := ParseRandom("float[100.00:100.00]")
	if got := string(f.Append(nil, rng(), 0.5)); got != "50.00" {
		t.Errorf("float[100.00:100.00] × 0.5 = %s, want 50.00 (precision kept)", got)
	}
}

func TestRandomErrors(t *testing.T) {
	for _, spec := range []string{"integer[5:1]", "integer[a:b]", "integer[1-5]", "integer[1:5", "float[2.0:1.0]", "float[x:1]",
		"hex(-1)", "hex(x)", "string(", "list[]", "list[1,", "ipv5", "", "nonsense"} {
		t.Run(spec, func(t *testing.T) {
			_, err := ParseRandom(spec)
			if err == nil {
				t.Fatalf("ParseRandom(%q) succeeded", spec)
			}
			if spec != "" && !strings.Contains(err.Error(), spec) {
				t.Errorf("error %q does not quote the value", err)
			}
		})
	}
}

func compile(t *testing.T, env Env, specs ...Spec) []*Token {
	t.Helper()
	var out []*Token
	for i, s := range specs {
		s.N = i
		tok, err := Compile(s, env)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tok)
	}
	return out
}

func render(t *testing.T, text string, toks []*Token, ctx *Context) string {
	t.Helper()
	tpl, err := NewTemplate(text, toks)
	if err != nil {
		t.Fatal(err)
	}
	ctx.Reset()
	return string(tpl.Append(nil, ctx, toks))
}

func TestTemplateSemantics(t *testing.T) {
	at := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	cases := []struct {
		name  string
		text  string
		specs []Spec
		want  string
	}{
		{"whole match", "a @@x b", []Spec{{Regex: "@@x", Type: "static", Replacement: "Y"}}, "a Y b"},
		{"group 1 only", "id=123;", []Spec{{Regex: `id=(\d+)`, Type: "static", Replacement: "9"}}, "id=9;"},
		{"every match, one value", "@@i and @@i", []Spec{{Regex: "@@i", Type: "random", Replacement: "integer[1:1000000]"}}, ""},
		{"in order", "@@a", []Spec{{Regex: "@@a", Type: "static", Replacement: "1"}, {Regex: "@@b", Type: "static", Replacement: "2"}}, "1"},
		{"later token cannot match inside an earlier value", "@@a x", []Spec{{Regex: "@@a", Type: "static", Replacement: "x"}, {Regex: "x", Type: "static", Replacement: "Z"}}, "x Z"},
		{"later regex sees the sample text, not earlier values", `HTTP" 200 123`, []Spec{{Regex: `HTTP" (\d{3})`, Type: "static", Replacement: "404"}, {Regex: `HTTP" \d{3} (\d+)`, Type: "static", Replacement: "9"}}, `HTTP" 404 9`},
		{"equal span: later token wins", "v=1", []Spec{{Regex: `v=(\d)`, Type: "static", Replacement: "a"}, {Regex: `=(\d)`, Type: "static", Replacement: "b"}}, "v=b"},
		{"enclosing span: later token wins", "v=1;", []Spec{{Regex: `v=(\d)`, Type: "static", Replacement: "a"}, {Regex: `v=\d;`, Type: "static", Replacement: "W"}}, "W"},
		{"partial overlap skipped", "abcd", []Spec{{Regex: `bc`, Type: "static", Replacement: "X"}, {Regex: `cd`, Type: "static", Replacement: "Y"}}, "aXd"},
		{"anchors are the event's", "aa", []Spec{{Regex: "^a", Type: "static", Replacement: "b"}}, "ba"},
		{"lookbehind (Python re, not RE2)", "ip=1.2.3.4;x", []Spec{{Regex: `(?<=ip=)[^;]+`, Type: "static", Replacement: "X"}}, "ip=X;x"},
		{"python named group", "u=bob", []Spec{{Regex: `u=(?P<user>\w+)`, Type: "static", Replacement: "ann"}}, "u=ann"},
		{"timestamp", "[2000-01-01 00:00:00] hi", []Spec{{Regex: `\[([^\]]+)\]`, Type: "timestamp", Replacement: "%Y-%m-%d %H:%M:%S"}}, "[2024-03-05 07:08:09] hi"},
		{"unicode before match", "héllo @@x", []Spec{{Regex: "@@x", Type: "static", Replacement: "Y"}}, "héllo Y"},
		{"no match leaves text", "plain", []Spec{{Regex: "@@x", Type: "static", Replacement: "Y"}}, "plain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			toks := compile(t, Env{}, c.specs...)
			ctx := NewContext(rng())
			ctx.Time = at
			got := render(t, c.text, toks, ctx)
			if c.want == "" {
				parts := strings.Split(got, " and ")
				if len(parts) != 2 || parts[0] != parts[1] || parts[0] == "@@i" {
					t.Fatalf("got %q, want the same value twice", got)
				}
				return
			}
			if got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestTemplateRepeatedToken checks that a token used several times in an
// event, with other tokens between its uses, gives every use the same
// value and is rendered once: integerid advances by one per event.
func TestTemplateRepeatedToken(t *testing.T) {
	toks := compile(t, Env{},
		Spec{Regex: "@@id", Type: "integerid", Replacement: "100"},
		Spec{Regex: "@@x", Type: "static", Replacement: "xx"},
		Spec{Regex: "@@n", Type: "random", Replacement: "integer[1:1000000000]"})
	tpl, err := NewTemplate("@@id @@x @@n @@id;@@n @@id", toks)
	if err != nil {
		t.Fatal(err)
	}
	ctx := NewContext(rng())
	var buf []byte
	for ev := 0; ev < 3; ev++ {
		ctx.Reset()
		buf = tpl.Append(append(buf[:0], "prefix "...), ctx, toks)
		f := strings.Fields(strings.ReplaceAll(strings.TrimPrefix(string(buf), "prefix "), ";", " "))
		id := strconv.Itoa(100 + ev)
		if len(f) != 6 || f[0] != id || f[3] != id || f[5] != id || f[1] != "xx" || f[2] != f[4] {
			t.Fatalf("event %d: %q, want id %s three times and one random value twice", ev, buf, id)
		}
	}
}

// TestTemplateFastPathsMatchAppendValue: the values Template.Append
// renders in its own loop (timestamp, ipv4, integer, whole file lines)
// are those AppendValue gives from the same random stream, next to the
// values that still go through AppendValue.
func TestTemplateFastPathsMatchAppendValue(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f.txt", "GET /a\nPOST /b\nPUT /c\n")
	writeFile(t, dir, "m.csv", "a,1\nb,2\nc,3\n")
	specs := []Spec{
		{Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S.%3N"},
		{Type: "random", Replacement: "ipv4"},
		{Type: "random", Replacement: "integer[200:599]"},
		{Type: "random", Replacement: "integer[-5:5]"},
		{Type: "random", Replacement: "integer[-9223372036854775808:9223372036854775807]"},
		{Type: "random", Replacement: "integer[-4611686018427387904:4611686018427387904]"}, // half the draws rejected
		{Type: "random", Replacement: "integer[0:1023]"},
		{Type: "rated", Replacement: "integer[1:100]"},
		{Type: "file", Replacement: "f.txt"},
		{Type: "mvfile", Replacement: "m.csv"},
		{Type: "mvfile", Replacement: "m.csv:2"},
		{Type: "random", Replacement: "hex(4)"},
	}
	var text []string
	for i := range specs {
		specs[i].Regex = fmt.Sprintf("@@%c", 'a'+i)
		text = append(text, specs[i].Regex)
	}
	toks := compile(t, Env{SampleDir: dir, Files: NewFileCache()}, specs...)
	tpl, err := NewTemplate(strings.Join(text, " "), toks)
	if err != nil {
		t.Fatal(err)
	}
	a, b := NewContext(rng()), NewContext(rng())
	a.Rate, b.Rate = 1.5, 1.5
	at := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	for i := range 300 {
		a.Reset()
		b.Reset()
		a.Time = at.Add(time.Duration(i) * 7 * time.Millisecond)
		b.Time = a.Time
		got := string(tpl.Append(nil, a, toks))
		var want []string
		for _, tok := range toks {
			want = append(want, string(tok.AppendValue(nil, b)))
		}
		if got != strings.Join(want, " ") {
			t.Fatalf("event %d: Template.Append %q, AppendValue %q", i, got, strings.Join(want, " "))
		}
	}
}

// TestTemplateTimeOnly: only literals, static and timestamp tokens make
// an event that the same time always renders the same.
func TestTemplateTimeOnly(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "f.txt", "a\nb\n")
	for _, c := range []struct {
		spec Spec
		want bool
	}{
		{Spec{Regex: "@@", Type: "static", Replacement: "s"}, true},
		{Spec{Regex: "@@", Type: "timestamp", Replacement: "%s"}, true},
		{Spec{Regex: "@@", Type: "replaytimestamp", Replacement: "%s"}, true},
		{Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{Spec{Regex: "@@", Type: "rated", Replacement: "integer[1:2]"}, false},
		{Spec{Regex: "@@", Type: "file", Replacement: "f.txt"}, false},
		{Spec{Regex: "@@", Type: "seqfile", Replacement: "f.txt"}, false},
		{Spec{Regex: "@@", Type: "integerid", Replacement: "1"}, false},
	} {
		toks := compile(t, Env{SampleDir: dir}, Spec{Regex: "^x", Type: "timestamp", Replacement: "%Y"}, c.spec)
		tpl, err := NewTemplate("x @@", toks)
		if err != nil {
			t.Fatal(err)
		}
		if got := tpl.TimeOnly(toks); got != c.want {
			t.Errorf("%s: TimeOnly = %v, want %v", c.spec.Type, got, c.want)
		}
		if got, want := toks[1].Sequential(), c.spec.Type == "seqfile" || c.spec.Type == "integerid"; got != want {
			t.Errorf("%s: Sequential = %v, want %v", c.spec.Type, got, want)
		}
	}
}

// TestCloneIsIndependent: a clone renders the same values and keeps its
// own counter and timestamp cache.
func TestCloneIsIndependent(t *testing.T) {
	toks := compile(t, Env{}, Spec{Regex: "@@t", Type: "timestamp", Replacement: "%H:%M:%S"}, Spec{Regex: "@@id", Type: "integerid", Replacement: "7"})
	clones := []*Token{toks[0].Clone(), toks[1].Clone()}
	ctx := NewContext(rng())
	ctx.Time = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	a := render(t, "@@t @@id", toks, ctx)
	b := render(t, "@@t @@id", clones, ctx)
	c := render(t, "@@t @@id", toks, ctx)
	if a != "03:04:05 7" || b != "03:04:05 7" || c != "03:04:05 8" {
		t.Fatalf("original, clone, original = %q, %q, %q; want 03:04:05 7, 03:04:05 7, 03:04:05 8", a, b, c)
	}
	if toks[0].formats[0] == clones[0].formats[0] {
		t.Fatal("the clone shares the original's timestamp cache")
	}
}

func TestTemplateUnmatched(t *testing.T) {
	toks := compile(t, Env{}, Spec{Regex: "@@a", Type: "static", Replacement: "1"}, Spec{Regex: "@@b", Type: "static", Replacement: "2"})
	tpl, err := NewTemplate("x @@b", toks)
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Unmatched) != 1 || tpl.Unmatched[0] != 0 {
		t.Fatalf("Unmatched = %v, want [0]", tpl.Unmatched)
	}
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMVFileSharesRowWithinEvent(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "city.csv", "US,Boston,MA\r\nFR,Paris,IDF\r\nJP,Tokyo,13\r\n")
	env := Env{SampleDir: dir, Files: NewFileCache()}
	toks := compile(t, env,
		Spec{Regex: "@@cc", Type: "mvfile", Replacement: "city.csv:1"},
		Spec{Regex: "@@city", Type: "file", Replacement: "city.csv:2"},
		Spec{Regex: "@@st", Type: "mvfile", Replacement: filepath.Join(dir, "city.csv") + ":3"})
	rows := map[string]bool{"US Boston MA": true, "FR Paris IDF": true, "JP Tokyo 13": true}
	ctx := NewContext(rng())
	seen := map[string]bool{}
	for i := 0; i < 60; i++ {
		got := render(t, "@@cc @@city @@st", toks, ctx)
		if !rows[got] {
			t.Fatalf("columns from different rows: %q", got)
		}
		seen[got] = true
	}
	if len(seen) < 2 {
		t.Errorf("always the same row: %v", seen)
	}
}

func TestSeqfileAndIntegerID(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "seq.txt", "a\nb\n\nc\n")
	toks := compile(t, Env{SampleDir: dir},
		Spec{Regex: "@@s", Type: "seqfile", Replacement: "seq.txt"},
		Spec{Regex: "@@n", Type: "integerid", Replacement: "10"})
	ctx := NewContext(rng())
	var got []string
	for i := 0; i < 4; i++ {
		got = append(got, render(t, "@@s@@n", toks, ctx))
	}
	if want := "a10 b11 c12 a13"; strings.Join(got, " ") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
}

func TestFileFallbackAndErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "users.sample", "ann\nbob\n")
	writeFile(t, dir, "blank.sample", "\n  \n")
	var warnings []string
	env := Env{SampleDir: dir, Warn: func(s string) { warnings = append(warnings, s) }}
	if _, err := Compile(Spec{Regex: "x", Type: "file", Replacement: "$SPLUNK_HOME/etc/apps/OtherApp/samples/users.sample"}, env); err != nil {
		t.Fatalf("fallback to sample dir failed: %v", err)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "using") {
		t.Errorf("fallback not reported: %v", warnings)
	}
	// Another token on the same file: the fallback is reported once per run.
	env.Files = NewFileCache()
	warnings = nil
	for i := 0; i < 2; i++ {
		if _, err := Compile(Spec{N: i, Regex: "x", Type: "mvfile", Replacement: "$SPLUNK_HOME/etc/apps/OtherApp/samples/users.sample:1"}, env); err != nil {
			t.Fatal(err)
		}
	}
	if len(warnings) != 1 {
		t.Errorf("two tokens on one fallback file: %d warnings, want 1: %v", len(warnings), warnings)
	}
	errCases := []struct {
		spec Spec
		want string
	}{
		{Spec{Regex: "x", Type: "file", Replacement: "missing.sample"}, "cannot find file"},
		{Spec{Regex: "x", Type: "file", Replacement: "blank.sample"}, "no non-blank line"},
		{Spec{Regex: "x", Type: "mvfile", Replacement: "users.sample:0"}, "numbered from 1"},
		{Spec{Regex: "x", Type: "mvfile", Replacement: "users.sample:2"}, "column 2"},
		{Spec{Regex: "x", Type: "file", Replacement: ""}, "no file given"},
		{Spec{Regex: "x", Type: "integerid", Replacement: "abc"}, "whole number"},
		{Spec{Regex: "x", Type: "bogus", Replacement: "1"}, "unknown replacementType"},
		{Spec{Regex: "x", Type: "", Replacement: "1"}, "replacementType is missing"},
		{Spec{Regex: "(", Type: "static", Replacement: "1"}, "does not compile"},
		{Spec{Regex: "", Type: "static", Replacement: "1"}, "is empty"},
		{Spec{Regex: "x", Type: "random", Replacement: "integer[5:1]"}, "below lower bound"},
		{Spec{Regex: "x", Type: "timestamp", Replacement: "no directive"}, "no %-directive"},
		{Spec{Regex: "x", Type: "timestamp", Replacement: "%Y %"}, "bad strftime"},
	}
	for _, c := range errCases {
		t.Run(c.want, func(t *testing.T) {
			_, err := Compile(c.spec, Env{SampleDir: dir})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestReplaytimestampRendersLatest(t *testing.T) {
	toks := compile(t, Env{}, Spec{Regex: "T", Type: "replaytimestamp", Replacement: `["%H:%M","%s"]`})
	ctx := NewContext(rng())
	ctx.Time = time.Date(2024, 1, 1, 1, 1, 0, 0, time.UTC)
	ctx.Latest = time.Date(2024, 1, 1, 2, 30, 0, 0, time.UTC)
	if got := render(t, "T", toks, ctx); got != "02:30" {
		t.Fatalf("got %q, want the latest time in the first format", got)
	}
}

// A list of formats renders each event in the format its timestamp was
// written in; a format that only begins with "[" is a plain format.
func TestFormatListPerEvent(t *testing.T) {
	toks := compile(t, Env{}, Spec{Regex: `^(\d{4}-\S+ \S+|\d+)`, Type: "timestamp", Replacement: `["%Y-%m-%d %H:%M:%S","%s"]`})
	ctx := NewContext(rng())
	ctx.Time = time.Date(2024, 1, 1, 1, 1, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"2019-05-01 10:00:00 a": "2024-01-01 01:01:00 a",
		"1556704800 b":          "1704070860 b",
	} {
		if got := render(t, text, toks, ctx); got != want {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
	// both formats in one event: each match keeps its own
	toks = compile(t, Env{}, Spec{Regex: `(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|\d{10})`, Type: "timestamp", Replacement: `["%Y-%m-%d %H:%M:%S","%s"]`})
	if got, want := render(t, "2019-05-01 10:00:00 1556704800 2019-05-01 10:00:01", toks, ctx), "2024-01-01 01:01:00 1704070860 2024-01-01 01:01:00"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	plain := compile(t, Env{}, Spec{Regex: `^\[[^\]]+\]`, Type: "timestamp", Replacement: `[%d/%b/%Y:%H:%M:%S +0900]`})
	if got, want := render(t, "[05/Mar/2019:10:00:00 +0900] GET", plain, ctx), "[01/Jan/2024:01:01:00 +0900] GET"; got != want {
		t.Errorf("plain format: got %q, want %q", got, want)
	}
}

func TestTemplateAppendDoesNotAllocate(t *testing.T) {
	toks := compile(t, Env{},
		Spec{Regex: `\[(.*?)\]`, Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"},
		Spec{Regex: `^\S+`, Type: "random", Replacement: "ipv4"},
		Spec{Regex: `" (\d+)`, Type: "random", Replacement: "integer[200:599]"})
	tpl, err := NewTemplate(`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 123`, toks)
	if err != nil {
		t.Fatal(err)
	}
	ctx := NewContext(rng())
	buf := make([]byte, 0, 256)
	ctx.Time = time.Unix(1700000000, 0).UTC()
	allocs := testing.AllocsPerRun(1000, func() {
		ctx.Reset()
		ctx.Time = ctx.Time.Add(time.Millisecond)
		buf = tpl.Append(buf[:0], ctx, toks)
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per event, want 0", allocs)
	}
}

func BenchmarkTemplateWebAccess(b *testing.B) {
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "req.txt"), []byte("GET /a\nPOST /b\nGET /c\n"), 0o644)
	var toks []*Token
	for i, s := range []Spec{
		{Regex: `\[(.*?)\]`, Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"},
		{Regex: `^\S+`, Type: "random", Replacement: "ipv4"},
		{Regex: `"(.*?) HTTP`, Type: "file", Replacement: "req.txt"},
		{Regex: `" (\d+) `, Type: "random", Replacement: "integer[200:599]"},
		{Regex: `" \d+ (\d+)`, Type: "random", Replacement: "integer[100:100000]"},
	} {
		s.N = i
		tok, err := Compile(s, Env{SampleDir: dir})
		if err != nil {
			b.Fatal(err)
		}
		toks = append(toks, tok)
	}
	tpl, _ := NewTemplate(`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 123`, toks)
	ctx := NewSourceContext(wyrand.New(1)) // as the engine's per-event streams draw
	buf := make([]byte, 0, 256)
	t0 := time.Unix(1700000000, 0).UTC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Reset()
		ctx.Time = t0.Add(time.Duration(i) * time.Millisecond)
		buf = tpl.Append(buf[:0], ctx, toks)
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkRandomForms draws one value of each random form.
func BenchmarkRandomForms(b *testing.B) {
	for _, form := range []string{"ipv4", "ipv6", "mac", "guid", "integer[200:599]", "integer[100:100000]", "float[0.000:100.000]", "hex(12)", "string(8)", `list["GET","POST","PUT"]`} {
		b.Run(form, func(b *testing.B) {
			r, err := ParseRandom(form)
			if err != nil {
				b.Fatal(err)
			}
			g := rng()
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for b.Loop() {
				buf = r.Append(buf[:0], g, 1)
			}
		})
	}
}

// BenchmarkTokenValues renders one value of each token type through a
// one-token template, as generation does (file: a random line).
func BenchmarkTokenValues(b *testing.B) {
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "req.txt"), []byte("GET /a\nPOST /b\nGET /c\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "rows.csv"), []byte("US,Boston\nFR,Paris\n"), 0o644)
	for _, s := range []Spec{
		{Type: "static", Replacement: "fixed"},
		{Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"},
		{Type: "timestamp", Replacement: "%Y-%m-%dT%H:%M:%S.%6N"},
		{Type: "random", Replacement: "ipv4"},
		{Type: "rated", Replacement: "integer[1:100]"},
		{Type: "file", Replacement: "req.txt"},
		{Type: "mvfile", Replacement: "rows.csv:2"},
		{Type: "seqfile", Replacement: "req.txt"},
		{Type: "integerid", Replacement: "1"},
	} {
		b.Run(s.Type+"/"+s.Replacement, func(b *testing.B) {
			s.Regex = "@@"
			tok, err := Compile(s, Env{SampleDir: dir})
			if err != nil {
				b.Fatal(err)
			}
			toks := []*Token{tok}
			tpl, _ := NewTemplate("@@", toks)
			ctx := NewContext(rng())
			buf := make([]byte, 0, 64)
			t0 := time.Unix(1700000000, 0).UTC()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ctx.Reset()
				ctx.Time = t0.Add(time.Duration(i) * time.Millisecond)
				i++
				buf = tpl.Append(buf[:0], ctx, toks)
			}
		})
	}
}

func FuzzParseRandom(f *testing.F) {
	for _, s := range []string{"ipv4", "ipv6", "mac", "guid", "hex(4)", "string(3)", "integer[1:9]", "integer[-5:5]", "float[0.00:1.5]", `list["a","b"]`, "integer[5:1]", "list[]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRandom(s)
		if err != nil {
			return
		}
		g := rng()
		for i := 0; i < 3; i++ {
			r.Append(nil, g, 1)
			r.Append(nil, g, 0.5)
		}
	})
}

// BenchmarkAppendInt formats integers of one to eight digits.
func BenchmarkAppendInt(b *testing.B) {
	vals := make([]int64, 1024)
	r := rng()
	for i := range vals {
		vals[i] = r.Int64N(100000)
	}
	buf := make([]byte, 0, 64)
	i := 0
	for b.Loop() {
		buf = appendInt(buf[:0], vals[i&1023])
		i++
	}
}

// TestTemplateLiterals: literals of every length up to past the 16 bytes
// Append stores as two words, rendered into buffers with 0 to 40 bytes
// of room (the words' store needs 16), give the text a plain copy gives.
func TestTemplateLiterals(t *testing.T) {
	toks := compile(t, Env{}, Spec{Regex: "@@", Type: "random", Replacement: "integer[0:9]"},
		Spec{Regex: "##", Type: "random", Replacement: "ipv4"})
	for n := range 21 {
		lit := strings.Repeat("abcdefghij", 3)[:n]
		text := lit + "@@" + lit + "##" + lit
		tpl, err := NewTemplate(text, toks)
		if err != nil {
			t.Fatal(err)
		}
		for room := range 41 {
			a, b := NewContext(rng()), NewContext(rng())
			for i := range 5 {
				a.Reset()
				b.Reset()
				dst := append(make([]byte, 0, 3+room), "x\xff\x00"...)
				got := string(tpl.Append(dst, a, toks))
				v := string(toks[0].AppendValue(nil, b))
				w := string(toks[1].AppendValue(nil, b))
				want := "x\xff\x00" + lit + v + lit + w + lit
				if got != want {
					t.Fatalf("literal %d bytes, room %d, event %d: %q, want %q", n, room, i, got, want)
				}
			}
		}
	}
}

// TestSetUnixRendersAsTime: an event time given as integers (SetUnix)
// renders as the same time given as c.Time, in every location and
// format, second-level (cached) or not, and EventTime is that Time.
func TestSetUnixRendersAsTime(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	locs := []*time.Location{time.UTC, time.Local, time.FixedZone("X", -5*3600-1800)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		locs = append(locs, ny)
	}
	formats := []string{"%d/%b/%Y:%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%6N%z", "%s %Z %j %a", "%H:%M:%S,%3N"}
	for _, layout := range formats {
		toks := compile(t, Env{}, Spec{Regex: "@@", Type: "timestamp", Replacement: layout},
			Spec{Regex: "##", Type: "replaytimestamp", Replacement: layout})
		tpl, err := NewTemplate("[@@] [##]", toks)
		if err != nil {
			t.Fatal(err)
		}
		a, b := NewContext(rng()), NewContext(rng())
		for _, loc := range locs {
			base := time.Unix(1710000000+r.Int64N(3e7), 0)
			for range 500 {
				sec, nsec := base.Unix()+r.Int64N(90), r.Int64N(1e9)
				want := time.Unix(sec, nsec).In(loc)
				a.Reset()
				a.SetUnix(sec, nsec, loc)
				b.Reset()
				b.Time = want
				got, exp := string(tpl.Append(nil, a, toks)), string(tpl.Append(nil, b, toks))
				if got != exp {
					t.Fatalf("%q in %v at %v: SetUnix renders %q, Time %q", layout, loc, want, got, exp)
				}
				if a.EventTime() != want {
					t.Fatalf("EventTime %v, want %v", a.EventTime(), want)
				}
			}
		}
	}
}
