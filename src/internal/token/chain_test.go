package token

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestNeedsChain checks the start-up choice between the compiled
// template (fast) and the chain (Eventgen's token-after-token reading):
// the chain only where the template would give another text.
func TestNeedsChain(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "req.txt", "GET /a\nPOST /b\nGET /c\n")
	writeFile(t, dir, "tracks.txt", "{\"id\":\"$trackId$\"}\n{\"id\":\"none\"}\n")
	writeFile(t, dir, "plain.txt", "jazz\nrock\n")
	webAccess := []Spec{
		{Regex: `\[(.*?)\]`, Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"},
		{Regex: `^\S+`, Type: "random", Replacement: "ipv4"},
		{Regex: `"(.*?) HTTP`, Type: "file", Replacement: "req.txt"},
		{Regex: `" (\d+) `, Type: "random", Replacement: "integer[200:599]"},
		{Regex: `" \d+ (\d+)`, Type: "random", Replacement: "integer[100:100000]"},
	}
	cases := []struct {
		name  string
		texts []string
		specs []Spec
		want  bool
	}{
		{"web access (bench)", []string{`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 123`}, webAccess, false},
		{"firewall key=value", []string{"2024/01/01 00:00:00 src=1.2.3.4 dst=5.6.7.8 dport=80 action=allow"}, []Spec{
			{Regex: `\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}`, Type: "timestamp", Replacement: "%Y/%m/%d %H:%M:%S"},
			{Regex: `src=(\d+\.\d+\.\d+\.\d+)`, Type: "random", Replacement: "ipv4"},
			{Regex: `dst=(\d+\.\d+\.\d+\.\d+)`, Type: "random", Replacement: "ipv4"},
			{Regex: `dport=(\d+)`, Type: "random", Replacement: "integer[1:65535]"},
			{Regex: `action=(\w+)`, Type: "random", Replacement: `list["allow","deny"]`},
		}, false},
		{"$ anchor matches the same with or without the line ending", []string{"a bitrate=0"}, []Spec{
			{Regex: `bitrate=(\d+)$`, Type: "random", Replacement: `list["128","256"]`}}, false},
		{"file values without placeholders", []string{"genre=@@g id=$trackId$"}, []Spec{
			{Regex: `@@g`, Type: "file", Replacement: "plain.txt"},
			{Regex: `\$trackId\$`, Type: "random", Replacement: "integer[1:9]"}}, false},
		{"placeholder in a token file", []string{"play @@track"}, []Spec{
			{Regex: `@@track`, Type: "file", Replacement: "tracks.txt"},
			{Regex: `\$trackId\$`, Type: "random", Replacement: "integer[1:9]"}}, true},
		{"regex ending in \\s takes the line ending", []string{"a region=xx"}, []Spec{
			{Regex: `region=(\w+)\s`, Type: "static", Replacement: "eu"}}, true},
		{"regex matching \\n", []string{"a b"}, []Spec{{Regex: `\n`, Type: "static", Replacement: "|"}}, true},
		{"static value a later regex matches", []string{"@@a x"}, []Spec{
			{Regex: `@@a`, Type: "static", Replacement: "x"},
			{Regex: `x`, Type: "static", Replacement: "Z"}}, true},
		{"digits inside a timestamp value", []string{"[@@ts] n=5"}, []Spec{
			{Regex: `@@ts`, Type: "timestamp", Replacement: "%H:%M"},
			{Regex: `\d+`, Type: "static", Replacement: "N"}}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			toks := compile(t, Env{SampleDir: dir}, c.specs...)
			var tpls []*Template
			for _, text := range c.texts {
				tpl, err := NewTemplate(text, toks)
				if err != nil {
					t.Fatal(err)
				}
				tpls = append(tpls, tpl)
			}
			got, why, _ := NeedsChain(c.texts, tpls, toks)
			if got != c.want {
				t.Fatalf("NeedsChain = %v (%s), want %v", got, why, c.want)
			}
		})
	}
}

// TestChainIsEventgensReading renders events as Eventgen's
// Token.replace did, token after token on the text with its line ending.
func TestChainIsEventgensReading(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "tracks.txt", "{\"id\":\"$trackId$\",\"user\":\"$user$\"}\n")
	writeFile(t, dir, "users.txt", "alice\nbob\n")
	cases := []struct {
		name  string
		text  string
		specs []Spec
		want  []string // successive events
	}{
		{"later token sees an earlier value", "@@a x", []Spec{
			{Regex: `@@a`, Type: "static", Replacement: "x"},
			{Regex: `x`, Type: "static", Replacement: "Z"}}, []string{"Z Z"}},
		{"placeholders filled by later tokens", "play @@track", []Spec{
			{Regex: `@@track`, Type: "file", Replacement: "tracks.txt"},
			{Regex: `\$trackId\$`, Type: "integerid", Replacement: "7"},
			{Regex: `\$user\$`, Type: "seqfile", Replacement: "users.txt"}},
			[]string{`play {"id":"7","user":"alice"}`, `play {"id":"8","user":"bob"}`}},
		{"group before the line ending", "a region=xx", []Spec{
			{Regex: `region=(\w+)\s`, Type: "static", Replacement: "eu"}}, []string{"a region=eu"}},
		{"the line ending replaced is not added back", "a b", []Spec{
			{Regex: `\n`, Type: "static", Replacement: "|"}}, []string{"a b|"}},
		{"whitespace including the line ending", "a b", []Spec{
			{Regex: `\s`, Type: "static", Replacement: "_"}}, []string{"a_b_"}},
		{"$ before the line ending", "n=1", []Spec{
			{Regex: `(\d)$`, Type: "static", Replacement: "2"}}, []string{"n=2"}},
		{"no match leaves text", "plain", []Spec{{Regex: `@@x`, Type: "static", Replacement: "Y"}}, []string{"plain"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			toks := compile(t, Env{SampleDir: dir}, c.specs...)
			ch := NewChain(c.text)
			ctx := NewContext(rng())
			ctx.Time = time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
			var buf []byte
			for i, want := range c.want {
				ctx.Reset()
				buf = ch.Append(buf[:0], ctx, toks)
				if string(buf) != want {
					t.Fatalf("event %d = %q, want %q", i+1, buf, want)
				}
			}
		})
	}
}

// TestChainAgreesWithTemplate: where NeedsChain keeps the template, the
// chain gives the same text for the same draws, event after event.
func TestChainAgreesWithTemplate(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "req.txt"), []byte("GET /a\nPOST /b\n"), 0o644)
	specs := []Spec{
		{Regex: `\[(.*?)\]`, Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"},
		{Regex: `"(.*?) HTTP`, Type: "file", Replacement: "req.txt"},
		{Regex: `id=(\d+)`, Type: "integerid", Replacement: "5"},
	}
	text := `[x] "GET / HTTP/1.1" id=0`
	tpl, err := NewTemplate(text, compile(t, Env{SampleDir: dir}, specs...))
	if err != nil {
		t.Fatal(err)
	}
	// One token per kind of draw, each drawing once per event, so that the
	// template (in text order) and the chain (in token order) draw alike.
	tt, tc := compile(t, Env{SampleDir: dir}, specs...), compile(t, Env{SampleDir: dir}, specs...)
	if chain, why, _ := NeedsChain([]string{text}, []*Template{tpl}, tt); chain {
		t.Fatalf("NeedsChain: %s", why)
	}
	ct, cc := NewContext(rng()), NewContext(rng())
	ch := NewChain(text)
	for i := 0; i < 20; i++ {
		at := time.Unix(1700000000+int64(i)*3671, 0).UTC()
		ct.Reset()
		cc.Reset()
		ct.Time, cc.Time = at, at
		a, b := string(tpl.Append(nil, ct, tt)), string(ch.Append(nil, cc, tc))
		if a != b {
			t.Fatalf("event %d: template %q, chain %q", i, a, b)
		}
		if strings.Contains(a, "\n") {
			t.Fatalf("event %d has a line ending: %q", i, a)
		}
	}
}

// BenchmarkChainWebAccess is the chained path on the web access event
// (for comparison with BenchmarkTemplateWebAccess).
func BenchmarkChainWebAccess(b *testing.B) {
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
	ch := NewChain(`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 123`)
	ctx := NewContext(rng())
	buf := make([]byte, 0, 256)
	t0 := time.Unix(1700000000, 0).UTC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ctx.Reset()
		ctx.Time = t0.Add(time.Duration(i) * time.Millisecond)
		buf = ch.Append(buf[:0], ctx, toks)
	}
	b.SetBytes(int64(len(buf)))
}

// TestChainAgainstEventgen: the texts Eventgen 7.2.1's Token.replace
// (splunk_eventgen/lib/eventgentoken.py) gives for these static tokens,
// applied in order to the text with its line ending as the default
// generator did, one trailing newline then dropped (recorded by running
// that code under Python 3).
func TestChainAgainstEventgen(t *testing.T) {
	type tok struct{ re, v string }
	cases := []struct {
		text string
		toks []tok
		want string
	}{
		{"@@a x", []tok{{"@@a", "x"}, {"x", "Z"}}, "Z Z"},
		{"play @@track", []tok{{"@@track", `{"id":"$trackId$","user":"$user$"}`}, {`\$trackId\$`, "7"}, {`\$user\$`, "alice"}}, `play {"id":"7","user":"alice"}`},
		{"a region=xx", []tok{{`region=(\w+)\s`, "eu"}}, "a region=eu"},
		{"a b", []tok{{`\n`, "|"}}, "a b|"},
		{"a b", []tok{{`\s`, "_"}}, "a_b_"},
		{"n=1", []tok{{`(\d)$`, "2"}}, "n=2"},
		{"abc", []tok{{`$`, "END"}}, "abcEND\nEND"},
		{"a b\nc d", []tok{{`\s$`, "!"}}, "a b\nc d!"},
		{"abcd", []tok{{"bc", "X"}, {"cd", "Y"}}, "aXd"},
		{"[@@ts] n=5", []tok{{"@@ts", "12:34"}, {`\d+`, "N"}}, "[N:N] n=N"},
	}
	for _, c := range cases {
		var specs []Spec
		for _, k := range c.toks {
			specs = append(specs, Spec{Regex: k.re, Type: "static", Replacement: k.v})
		}
		toks := compile(t, Env{}, specs...)
		ctx := NewContext(rng())
		ctx.Reset()
		if got := string(NewChain(c.text).Append(nil, ctx, toks)); got != c.want {
			t.Errorf("%q with %v: got %q, Eventgen %q", c.text, c.toks, got, c.want)
		}
		tpl, err := NewTemplate(c.text, toks)
		if err != nil {
			t.Fatal(err)
		}
		// Where the template gives another text, NeedsChain must say so.
		if chain, _, _ := NeedsChain([]string{c.text}, []*Template{tpl}, toks); !chain {
			ctx.Reset()
			if got := string(tpl.Append(nil, ctx, toks)); got != c.want {
				t.Errorf("%q with %v: compiled path kept, gives %q, Eventgen %q", c.text, c.toks, got, c.want)
			}
		}
	}
}

// FuzzNeedsChain: wherever NeedsChain keeps the compiled path for
// static tokens (whose one value NeedsChain tries), the template gives
// the chain's text.
func FuzzNeedsChain(f *testing.F) {
	f.Add("@@a x", "@@a", "x", "x", "Z")
	f.Add("a region=xx", `region=(\w+)\s`, "eu", `\d`, "1")
	f.Add(`1.2.3.4 - - [x] "GET / HTTP/1.1" 200 123`, `^\S+`, "10.0.0.1", `" (\d+) `, "404")
	f.Add("abcd", "bc", "X", "cd", "Y")
	f.Add("n=1", `(\d)$`, "2", `n=`, "m=")
	f.Fuzz(func(t *testing.T, text, re1, v1, re2, v2 string) {
		if strings.ContainsAny(text, "\r\n") || len(text) > 200 || len(re1) > 40 || len(re2) > 40 {
			return
		}
		var toks []*Token
		for i, s := range []Spec{{Regex: re1, Type: "static", Replacement: v1}, {Regex: re2, Type: "static", Replacement: v2}} {
			s.N = i
			tk, err := Compile(s, Env{})
			if err != nil {
				return
			}
			toks = append(toks, tk)
		}
		tpl, err := NewTemplate(text, toks)
		if err != nil {
			return
		}
		if chain, _, _ := NeedsChain([]string{text}, []*Template{tpl}, toks); chain {
			return
		}
		ctx := NewContext(rng())
		ctx.Reset()
		a := string(tpl.Append(nil, ctx, toks))
		ctx.Reset()
		b := string(NewChain(text).Append(nil, ctx, toks))
		if a != b {
			t.Fatalf("compiled path kept for %q, %q→%q, %q→%q: template %q, chain %q", text, re1, v1, re2, v2, a, b)
		}
	})
}
