package pyregex

import (
	"strings"
	"testing"
)

func TestTranslate(t *testing.T) {
	cases := map[string]string{
		`(?P<ip>\d+)`:      `(?<ip>\d+)`,
		`(?P<a>x)(?P=a)`:   `(?<a>x)\k<a>`,
		`[(?P<x>]`:         `[(?P<x>]`,
		`\(?P<x>`:          `\(?P<x>`,
		`[]a](?P<n>b)`:     `[]a](?<n>b)`,
		`[^]a](?P<n>b)`:    `[^]a](?<n>b)`,
		`no python groups`: `no python groups`,
	}
	for in, want := range cases {
		if got := translate(in); got != want {
			t.Errorf("translate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindAllByteOffsets(t *testing.T) {
	re, err := Compile(`(?P<n>\d+)x`, false)
	if err != nil {
		t.Fatal(err)
	}
	s := "é12x ü3x 4"
	ms, err := re.FindAll(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 {
		t.Fatalf("%d matches, want 2", len(ms))
	}
	if got := s[ms[0].Group1[0]:ms[0].Group1[1]]; got != "12" {
		t.Errorf("group 1 = %q, want 12", got)
	}
	if got := s[ms[1].Start:ms[1].End]; got != "3x" {
		t.Errorf("match 2 = %q, want 3x", got)
	}
}

func TestGroupThatDidNotParticipate(t *testing.T) {
	re, _ := Compile(`a(b)?`, false)
	ms, _ := re.FindAll("a")
	if len(ms) != 1 || ms[0].HasGroup1 || ms[0].GroupCount != 1 {
		t.Fatalf("got %+v", ms)
	}
}

func TestFullMatch(t *testing.T) {
	cases := []struct {
		expr, name string
		want       bool
	}{
		{`sample\d`, "sample1", true},
		{`sample\d`, "sample12", false},
		{`.*\.log`, "x.log", true},
		{`.*\.log`, "x.log.1", false},
		{`a|ab`, "ab", true}, // the whole name must match, whichever branch
		{`timeorder.*`, "timeorder.csv", true},
	}
	for _, c := range cases {
		re, err := Compile(c.expr, false)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := re.FullMatch(c.name); err != nil || got != c.want {
			t.Errorf("FullMatch(%q, %q) = %v, %v; want %v", c.expr, c.name, got, err, c.want)
		}
	}
}

func TestCompileError(t *testing.T) {
	_, err := Compile(`*\.perfmon\.events`, false)
	if err == nil || !strings.Contains(err.Error(), `*\.perfmon\.events`) {
		t.Fatalf("err = %v, want it to quote the expression", err)
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{`(?P<a>x)`, `[]]`, `\d+`, `(?<=ip=)[^;]+`, `*x`} {
		f.Add(s, "ip=1;x 22")
	}
	f.Fuzz(func(t *testing.T, expr, s string) {
		re, err := Compile(expr, false)
		if err != nil {
			return
		}
		ms, err := re.FindAll(s)
		if err != nil {
			return
		}
		for _, m := range ms {
			if m.Start < 0 || m.End > len(s) || m.Start > m.End {
				t.Fatalf("bad offsets %+v for %q", m, s)
			}
		}
	})
}
