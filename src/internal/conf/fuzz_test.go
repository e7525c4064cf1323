package conf

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// format writes f back as canonical .conf text: "[name]" headers and
// "key = value" lines, line breaks inside names, keys and values written
// as continuations. A name, key or value ending in "\" gets a trailing
// blank so that the "\" is not read as a continuation.
func format(f *File) []byte {
	var b strings.Builder
	text := func(s string) {
		b.WriteString(strings.ReplaceAll(s, "\n", "\\\n"))
	}
	for _, s := range f.Stanzas {
		b.WriteByte('[')
		text(s.Name)
		b.WriteString("]\n")
		for _, k := range s.Keys {
			text(k)
			b.WriteString(" =")
			if v := s.Values[k].Text; v != "" {
				b.WriteByte(' ')
				text(v)
				if strings.HasSuffix(v, "\\") {
					b.WriteByte(' ')
				}
			}
			b.WriteByte('\n')
		}
	}
	return []byte(b.String())
}

func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.conf"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"\x00", "a = \xff", "\xff\xfe[", "\\", "[\\\n]", "=", "[", "]", "\r\r\n\n\\\r",
		"a = x\\\\\ny", "[a\\\nb]\nk\\\ney = v", "a = b\\ ", "a\\ =", "\\\n  late = 4",
		"[s]\n;x = y", "k = v\n[default]\nk = w", "[a]b] c\n[x\na=b=c",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.conf"
		file, err := Parse(name, data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if e.File != name || e.Line < 1 || file != nil {
				t.Fatalf("bad error %+v (file %v)", e, file)
			}
			return
		}
		check(t, file, name)
		for _, w := range file.Warnings {
			if w.File != name || w.Line < 1 || w.Err == nil {
				t.Fatalf("bad warning %+v", w)
			}
		}

		text := format(file)
		again, err := Parse(name, text)
		if err != nil {
			t.Fatalf("re-parse of\n%s\nfailed: %v", text, err)
		}
		if !sameContent(file, again) {
			t.Fatalf("re-parse differs\ninput %q\nformatted %q\nfirst:\n%s\nsecond:\n%s", data, text, dump(file), dump(again))
		}
	})
}

// check asserts the invariants of a parsed file.
func check(t *testing.T, f *File, name string) {
	t.Helper()
	seen := map[string]bool{}
	for _, s := range f.Stanzas {
		if seen[s.Name] {
			t.Fatalf("stanza %q listed twice", s.Name)
		}
		seen[s.Name] = true
		if f.Stanza(s.Name) != s {
			t.Fatalf("Stanza(%q) does not return the listed stanza", s.Name)
		}
		if s.File != name || s.Line < 1 {
			t.Fatalf("stanza %q at %s:%d", s.Name, s.File, s.Line)
		}
		if len(s.Keys) != len(s.Values) {
			t.Fatalf("stanza %q: %d keys, %d values", s.Name, len(s.Keys), len(s.Values))
		}
		keys := map[string]bool{}
		for _, k := range s.Keys {
			if keys[k] {
				t.Fatalf("stanza %q: key %q listed twice", s.Name, k)
			}
			keys[k] = true
			v, ok := s.Get(k)
			if !ok {
				t.Fatalf("stanza %q: key %q not in Values", s.Name, k)
			}
			if v.File != name || v.Line < 1 {
				t.Fatalf("stanza %q key %q at %s:%d", s.Name, k, v.File, v.Line)
			}
			if k == "" || strings.Contains(k, "=") || strings.Trim(k, blank) != k || strings.Trim(v.Text, blank) != v.Text {
				t.Fatalf("stanza %q: key %q value %q not trimmed or not split at the first '='", s.Name, k, v.Text)
			}
		}
	}
}

// sameContent reports whether a and b have the same stanzas, keys and
// values, in the same order, ignoring lines and warnings.
func sameContent(a, b *File) bool {
	if len(a.Stanzas) != len(b.Stanzas) {
		return false
	}
	for i, sa := range a.Stanzas {
		sb := b.Stanzas[i]
		if sa.Name != sb.Name || !slices.Equal(sa.Keys, sb.Keys) {
			return false
		}
		for _, k := range sa.Keys {
			if sa.Values[k].Text != sb.Values[k].Text {
				return false
			}
		}
	}
	return true
}
