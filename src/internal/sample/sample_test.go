package sample

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

func raws(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Raw)
	}
	return out
}

func TestParseRaw(t *testing.T) {
	cases := []struct {
		name, text, breaker string
		want                []string
	}{
		{"lines", "a\nb\nc\n", "", []string{"a", "b", "c"}},
		{"no final newline", "a\nb", "", []string{"a", "b"}},
		{"blank lines skipped", "a\n\n\nb\n", DefaultBreaker, []string{"a", "b"}},
		{"crlf", textfile.Normalize("a\r\nb\r\n"), "", []string{"a", "b"}},
		{"cr only", textfile.Normalize("a\rb\r"), "", []string{"a", "b"}},
		{"breaker starts events", "20240101 x\n  more\n20240102 y\n", `^\d{8}`, []string{"20240101 x\n  more", "20240102 y"}},
		{"text before first breaker is an event", "head\n20240101 x\n", `^\d{8}`, []string{"head", "20240101 x"}},
		{"breaker never matches", "a\nb\n", `^ZZZ`, []string{"a\nb"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			evs, err := Parse("s", c.text, Options{Breaker: c.breaker})
			if err != nil {
				t.Fatal(err)
			}
			if got := raws(evs); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestSplunkHeaderLine(t *testing.T) {
	evs, err := Parse("s", "***SPLUNK*** host=web01 sourcetype=\"access_combined\" index=web source=/var/log/a\nline 1\nline 2\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Raw != "line 1" || evs[1].Host != "web01" || evs[1].Sourcetype != "access_combined" || evs[0].Index != "web" || evs[0].Source != "/var/log/a" {
		t.Fatalf("%+v", evs)
	}
}

func TestParseCSV(t *testing.T) {
	text := "index,host,source,sourcetype,_raw,_time\n" +
		"idx1,h1,s1,st1,\"line, with comma\",1\n" +
		",,,,\"multi\nline \"\"quoted\"\"\",2\n"
	evs, err := Parse("s.csv", text, Options{Type: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2", len(evs))
	}
	if e := evs[0]; e.Raw != "line, with comma" || e.Index != "idx1" || e.Host != "h1" || e.Source != "s1" || e.Sourcetype != "st1" || e.Fields["_time"] != "1" {
		t.Errorf("row 1 = %+v", e)
	}
	if e := evs[1]; e.Raw != "multi\nline \"quoted\"" || e.Index != "" || e.Host != "" {
		t.Errorf("row 2 = %+v", e)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name, text string
		opts       Options
		want       string
	}{
		{"empty", "", Options{}, "has no events"},
		{"blank", "\n\n  \n", Options{Breaker: `^\d`}, "has no events"},
		{"bad breaker", "a", Options{Breaker: "("}, "breaker"},
		{"csv without _raw", "a,b\n1,2\n", Options{Type: "csv"}, "no _raw column"},
		{"csv header only", "_raw\n", Options{Type: "csv"}, "has no events"},
		{"csv short rows only", "x,_raw\n1\n", Options{Type: "csv"}, "has no events"},
		{"bad type", "a", Options{Type: "xml"}, "unknown sampletype"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.sample", c.text, c.opts)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "f.sample") {
				t.Fatalf("err = %v, want it to name f.sample and say %q", err, c.want)
			}
		})
	}
}

func TestLoadLatin1AndMissing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "l1.sample")
	os.WriteFile(p, []byte("caf\xe9\r\nna\xefve\r"), 0o644)
	evs, err := Load(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := raws(evs); !reflect.DeepEqual(got, []string{"café", "naïve"}) {
		t.Fatalf("got %q", got)
	}
	if _, err := Load(filepath.Join(dir, "nope"), Options{}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("missing file: err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("a\nb\n", "", false)
	f.Add("20240101 x\n y\n20240102", `^\d{8}`, false)
	f.Add("_raw,host\n\"a\nb\",h\n", "", true)
	f.Add("_raw,host\n\"a\"b,h\n\"open\nx,y\n", "", true)
	f.Fuzz(func(t *testing.T, text, breaker string, csv bool) {
		opts := Options{Breaker: breaker}
		if csv {
			opts.Type = "csv"
		}
		evs, err := Parse("fuzz", textfile.Normalize(text), opts)
		if err == nil && len(evs) == 0 {
			t.Fatal("no error and no events")
		}
		for _, e := range evs {
			if e.Raw == "" && !csv {
				t.Fatal("empty raw event")
			}
		}
	})
}
