package sample

import (
	"reflect"
	"strings"
	"testing"
)

// The wants are Python 3's csv.reader over io.StringIO(text, newline=None)
// (blank rows, which csv.DictReader skips, left out), except where noted.
func TestPyCSV(t *testing.T) {
	cases := []struct {
		name, text string
		want       [][]string
		warn       string
	}{
		{"plain", "a,b\n1,2\n", [][]string{{"a", "b"}, {"1", "2"}}, ""},
		{"quote then text closes the quoting", "a,b\n\"x\"y,2\n3,4\n", [][]string{{"a", "b"}, {"xy", "2"}, {"3", "4"}}, ""},
		{"doubled quote", "a\n\"ab\"\"c\"\n", [][]string{{"a"}, {"ab\"c"}}, ""},
		{"quote inside an unquoted field", "a,b\nq\"r,s\n", [][]string{{"a", "b"}, {"q\"r", "s"}}, ""},
		{"newline in quotes", "a,b\n\"multi\nline\",2\n", [][]string{{"a", "b"}, {"multi\nline", "2"}}, ""},
		{"space after closing quote", "a,b\n\"x\" ,y\n", [][]string{{"a", "b"}, {"x ", "y"}}, ""},
		{"blank lines, no final newline", "a,b\n\n\n1,2", [][]string{{"a", "b"}, {"1", "2"}}, ""},
		{"empty fields", "a,b\n1,\n,\n", [][]string{{"a", "b"}, {"1", ""}, {"", ""}}, ""},
		{"empty and quote-only fields", "a,b\n\"\",\"\"\"\"\n", [][]string{{"a", "b"}, {"", "\""}}, ""},
		// Python: [["a"], ["never closed\nnext\n"]]; here the rows after it survive.
		{"never closed", "a\n\"never closed\nnext\n", [][]string{{"a"}, {"\"never closed"}, {"next"}}, "csv line 2"},
		{"never closed, last line", "a,b\n1,2,3\n\"\n", [][]string{{"a", "b"}, {"1", "2", "3"}, {"\""}}, "csv line 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var warns []string
			rows := pyCSV(c.text, func(m string) { warns = append(warns, m) })
			var got [][]string
			for _, r := range rows {
				got = append(got, r.fields)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			if c.warn == "" && len(warns) > 0 || c.warn != "" && (len(warns) != 1 || !strings.Contains(warns[0], c.warn)) {
				t.Fatalf("warnings %q, want one with %q", warns, c.warn)
			}
		})
	}
}

// A malformed row keeps its own line; the rows after it are events
// (encoding/csv with LazyQuotes took them into the bad field).
func TestCSVBrokenRowKeepsTheRest(t *testing.T) {
	text := "_raw,host\n\"bad \"quote\" here,h1\nsecond,h2\nthird,h3\n"
	var warns []string
	evs, err := Parse("s.csv", text, Options{Type: "csv", Warn: func(m string) { warns = append(warns, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := raws(evs); !reflect.DeepEqual(got, []string{"bad quote\" here", "second", "third"}) || evs[2].Host != "h3" {
		t.Fatalf("got %q (%+v)", got, evs)
	}
	evs, _ = Parse("s.csv", "x,_raw\n1\n2,ok\n", Options{Type: "csv", Warn: func(m string) { warns = append(warns, m) }})
	if got := raws(evs); !reflect.DeepEqual(got, []string{"ok"}) || len(warns) != 1 || !strings.Contains(warns[0], "csv line 2 has no _raw value") {
		t.Fatalf("short row: got %q, warnings %q", got, warns)
	}
}
