package token

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

// tplCase is a one-token template and what a check should say of it.
type tplCase struct {
	text string
	spec Spec
	want bool
}

// checkVouched checks what vouch (XMLClean, LineFree) says of each case's
// template, and that every text a vouched template renders, over times
// from 1900 to 2200 in several zones, passes ok.
func checkVouched(t *testing.T, dir, name string, cases []tplCase, vouch func(*Template, []*Token) bool, ok func([]byte) bool) {
	t.Helper()
	zones := []*time.Location{time.UTC, time.FixedZone("", -(3*3600 + 1800)), time.FixedZone("X", 14*3600)}
	for _, name := range []string{"America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"} {
		if z, err := time.LoadLocation(name); err == nil {
			zones = append(zones, z)
		}
	}
	for _, c := range cases {
		toks := compile(t, Env{SampleDir: dir}, c.spec)
		tpl, err := NewTemplate(c.text, toks)
		if err != nil {
			t.Fatal(err)
		}
		if got := vouch(tpl, toks); got != c.want {
			t.Errorf("%q with %s %q: %s = %v, want %v", c.text, c.spec.Type, c.spec.Replacement, name, got, c.want)
		}
		if !c.want {
			continue
		}
		rng := rand.New(rand.NewPCG(1, 2))
		ctx := NewContext(rng)
		var buf []byte
		for i := range 20000 {
			ctx.Reset()
			ctx.Time = time.Unix(rng.Int64N(9_500_000_000)-2_200_000_000, rng.Int64N(1e9)).In(zones[i%len(zones)])
			ctx.Latest = ctx.Time
			buf = tpl.Append(buf[:0], ctx, toks)
			if !ok(buf) {
				t.Fatalf("%s %q rendered %q, which %s does not allow", c.spec.Type, c.spec.Replacement, buf, name)
			}
		}
	}
}

// TestTemplateXMLClean: which templates XMLClean vouches for, and that
// every text a vouched template renders is plain.
func TestTemplateXMLClean(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "plain.txt", "GET /a?b=1\nPOST /c\tx\n")
	writeFile(t, dir, "amp.txt", "GET /a?b=1&c=2\n")
	every := "%a %A %b %B %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %N %3N %p %P %R %s %S %t %T %u %U %V %w %W %y %Y %z %:z %% %-d %_H %^b %#p %Ey %Od %f %3f"
	checkVouched(t, dir, "XMLClean", []tplCase{
		{"x @@ y", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "random", Replacement: "integer[-5:100000]"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "file", Replacement: "plain.txt"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: every}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: `["%Y-%m-%d", "%s"]`}, true},
		{"x & @@", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{"x <@@>", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{"x\r@@", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{"caf\u00e9 @@", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "file", Replacement: "amp.txt"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "%Y %Z"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "%c"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "<%Y>"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "static", Replacement: "plain"}, false}, // not vouched for: kinds are few
		{"x @@ y", Spec{Regex: "@@", Type: "random", Replacement: "hex(4)"}, false},
	}, (*Template).XMLClean, func(b []byte) bool { return xmlPlain(string(b)) })
}

// TestTemplateLineFree: which templates LineFree vouches for, and that
// no text a vouched template renders holds a line feed.
func TestTemplateLineFree(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "lines.txt", "GET /a?b=1&c=2\nPOST <c>\tx\r\n")
	noN := "%a %A %b %B %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %N %3N %p %P %R %s %S %t %T %u %U %V %w %W %y %Y %z %:z %% %-d %_H %^b %#p %Ey %Od %f %3f"
	checkVouched(t, dir, "LineFree", []tplCase{
		{"x @@ y & <z>", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "random", Replacement: "integer[-5:100000]"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "file", Replacement: "lines.txt"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "%d/%b/%Y:%H:%M:%S"}, true},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: noN}, true},
		{"x\n@@ y", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{"x @@ y\n", Spec{Regex: "@@", Type: "random", Replacement: "ipv4"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "%Y%n%m"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "on %Y"}, false}, // a literal n: conservative
		{"x @@ y", Spec{Regex: "@@", Type: "timestamp", Replacement: "%c"}, false},
		{"x @@ y", Spec{Regex: "@@", Type: "static", Replacement: "plain"}, false}, // not vouched for
	}, (*Template).LineFree, func(b []byte) bool { return bytes.IndexByte(b, '\n') < 0 })
}
