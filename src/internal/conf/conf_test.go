package conf

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the parser's output")

// dump is a stable text form of a parsed file for golden tests. Names,
// keys and values are printed with %#q: backquoted when possible, so
// regexes stay readable, and double-quoted when they hold a line break.
func dump(f *File) string {
	var b strings.Builder
	for _, s := range f.Stanzas {
		fmt.Fprintf(&b, "stanza %#q (%s:%d)\n", s.Name, s.File, s.Line)
		for _, k := range s.Keys {
			v := s.Values[k]
			fmt.Fprintf(&b, "  %#q = %#q (%s:%d)\n", k, v.Text, v.File, v.Line)
		}
	}
	for _, w := range f.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) == 0 {
		t.Fatal("no testdata/*.conf files")
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".conf")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(filepath.Base(in), data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got := dump(f)
			golden := strings.TrimSuffix(in, ".conf") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("Parse(%s) mismatch (run go test -update to accept)\n--- got\n%s--- want\n%s", in, got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		line int
		want string // substring of the message after "file:line: "
	}{
		{"nul first line", "\x00[s]\n", 1, "NUL byte at column 1"},
		{"nul in value", "[s]\na = 1\nb = x\x00y\n", 3, "NUL byte at column 6"},
		{"nul after crlf", "[s]\r\na = 1\r\n\x00", 3, "NUL byte"},
		{"nul after cr", "[s]\ra = 1\r\rb\x00", 4, "NUL byte"},
		{"nul in continuation", "[s]\na = 1\\\n\x00\n", 3, "NUL byte"},
		{"nul after bom", "\xef\xbb\xbf\x00", 1, "NUL byte"},
		{"invalid utf-8", "[s]\na = caf\xe9\n", 2, "invalid UTF-8 (byte 0xE9 at column 8)"},
		{"truncated utf-8", "[s]\n\n\n\na = \xe2\x82", 5, "invalid UTF-8"},
		{"lone continuation byte", "# \x80\n", 1, "invalid UTF-8"},
		{"utf-16le", "\xff\xfe[\x00s\x00]\x00", 1, "UTF-16"},
		{"utf-16be", "\xfe\xff\x00[\x00s\x00]", 1, "UTF-16"},
		{"binary junk", "\x7fELF\x02\x01\x01\x00\x00", 1, "NUL byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("local/eventgen.conf", []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse succeeded: %s", dump(f))
			}
			if f != nil {
				t.Errorf("Parse returned a file with the error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			if e.File != "local/eventgen.conf" || e.Line != tt.line {
				t.Errorf("error at %s:%d, want local/eventgen.conf:%d", e.File, e.Line, tt.line)
			}
			msg := err.Error()
			prefix := fmt.Sprintf("local/eventgen.conf:%d: ", tt.line)
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("message %q does not start with %q", msg, prefix)
			}
			if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "UTF-8") {
				t.Errorf("message %q does not contain %q and UTF-8", msg, tt.want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	cause := errors.New("must be an integer")
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "default/eventgen.conf", Line: 12, Stanza: "sample.log", Key: "count", Err: cause}, "default/eventgen.conf:12: [sample.log] count: must be an integer"},
		{&Error{File: "f.conf", Line: 3, Stanza: "s", Err: cause}, "f.conf:3: [s]: must be an integer"},
		{&Error{File: "f.conf", Line: 3, Key: "k", Err: cause}, "f.conf:3: k: must be an integer"},
		{&Error{File: "f.conf", Line: 3, Err: cause}, "f.conf:3: must be an integer"},
		{&Error{File: "f.conf", Err: cause}, "f.conf: must be an integer"},
		{&Error{Line: 3, Err: cause}, "line 3: must be an integer"},
		{&Error{Stanza: "s", Key: "k", Err: cause}, "[s] k: must be an integer"},
		{&Error{Err: cause}, "must be an integer"},
		{&Error{File: "f.conf"}, "f.conf: unknown error"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	e := &Error{File: "f", Err: cause}
	if !errors.Is(e, cause) {
		t.Error("errors.Is does not find the cause through Unwrap")
	}
}

func TestWarningFields(t *testing.T) {
	f, err := Parse("app/default/eventgen.conf", []byte("[s]\ncount = 1\n\ncount = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Warnings) != 1 {
		t.Fatalf("warnings = %v, want one", f.Warnings)
	}
	w := f.Warnings[0]
	if w.File != "app/default/eventgen.conf" || w.Line != 4 || w.Stanza != "s" || w.Key != "count" {
		t.Errorf("warning at %q:%d [%s] %s, want app/default/eventgen.conf:4 [s] count", w.File, w.Line, w.Stanza, w.Key)
	}
	msg := w.Error()
	for _, want := range []string{"app/default/eventgen.conf:4:", "[s] count:", "line 2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("warning %q does not mention %q", msg, want)
		}
	}
	if v, _ := f.Stanza("s").Get("count"); v.Text != "2" || v.Line != 4 {
		t.Errorf("count = %+v, want 2 from line 4", v)
	}
}

func TestLookups(t *testing.T) {
	f, err := Parse("f.conf", []byte("[Sample.X]\nIndex = a\n[sample.x]\nindex = b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := f.Stanza("sample.X"); s != nil {
		t.Errorf("Stanza is case-insensitive: found %q", s.Name)
	}
	s := f.Stanza("Sample.X")
	if s == nil {
		t.Fatal("Stanza(Sample.X) = nil")
	}
	if _, ok := s.Get("index"); ok {
		t.Error("Get is case-insensitive")
	}
	if v, ok := s.Get("Index"); !ok || v.Text != "a" || v.File != "f.conf" || v.Line != 2 {
		t.Errorf("Get(Index) = %+v, %v", v, ok)
	}
	var nilStanza *Stanza
	if _, ok := nilStanza.Get("x"); ok {
		t.Error("Get on nil stanza found a value")
	}
	var nilFile *File
	if nilFile.Stanza("x") != nil {
		t.Error("Stanza on nil file found a stanza")
	}
}

func TestReadFile(t *testing.T) {
	f, err := ReadFile(filepath.Join("testdata", "tokens.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != filepath.Join("testdata", "tokens.conf") {
		t.Errorf("Name = %q", f.Name)
	}
	if v, ok := f.Stanza("sample.log").Get("token.0.token"); !ok || v.Text != "(?<=ip=)[^;]+ ; x" || v.File != f.Name {
		t.Errorf("token.0.token = %+v, %v", v, ok)
	}

	missing := filepath.Join(t.TempDir(), "local", "eventgen.conf")
	_, err = ReadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile(missing) = %v, want fs.ErrNotExist", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.File != missing {
		t.Errorf("ReadFile(missing) error %v is not an *Error for %s", err, missing)
	}
	if strings.Count(err.Error(), missing) != 1 {
		t.Errorf("message %q should name the file once", err)
	}

	bad := filepath.Join(t.TempDir(), "bad.conf")
	if err := os.WriteFile(bad, []byte("[s]\na = \xff\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":2: ") {
		t.Errorf("ReadFile(bad) = %v, want an error at %s:2", err, bad)
	}
}
