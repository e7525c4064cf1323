package appcheck

import (
	"archive/tar"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

// FuzzLintSpec: any text reads without a panic; every problem is a
// *conf.Error naming the file and a line of it; description lines never
// become settings.
func FuzzLintSpec(f *testing.F) {
	for _, s := range []string{
		"[a://<name>]\nkey = <string>\n* Description.\n  more = text\n",
		"  [indented]\n\tx = 1\n",
		"* ends in a backslash \\\nnext = line\n",
		"key = before any stanza\n[default]\n",
		"\xef\xbb\xbf[bom]\r\nk = v\rj = w\n",
		"[a]\n;x = y\n[a]\n",
		"caf\xe9 = 1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s := lintSpec("x.spec", []byte(text))
		for _, p := range s.problems {
			var e *conf.Error
			if !errors.As(p, &e) || e.File != "x.spec" || e.Line < 1 || e.Line > len(s.lines) {
				t.Fatalf("problem %v: not a *conf.Error on a line of the %d", p, len(s.lines))
			}
		}
		for _, st := range s.stanzas() {
			for _, k := range st.Keys {
				if strings.HasPrefix(k, "*") {
					t.Fatalf("description line read as setting %q", k)
				}
			}
		}
	})
}

// FuzzDeclarationSection: the section is made of the README's own lines
// and never holds the heading that opens it.
func FuzzDeclarationSection(f *testing.F) {
	f.Add("# App\n\n## Binary File Declaration\n\n| `bin/x` |\n\n## Next\n")
	f.Add("Binary File Declaration:\nbin/x\n# Heading\n")
	f.Add("### Binary File Declaration\n#### Sub\nx\n## Up\ny\n")
	f.Fuzz(func(t *testing.T, readme string) {
		sec := declarationSection(readme)
		lines := strings.Split(readme, "\n")
		for _, l := range strings.Split(strings.TrimSuffix(sec, "\n"), "\n") {
			if sec != "" && !contains(lines, l) {
				t.Fatalf("section line %q is not a line of the README", l)
			}
		}
		if !strings.Contains(readme, declarationTitle) && sec != "" {
			t.Fatalf("a section %q without the title", sec)
		}
	})
}

func contains(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

// FuzzCheck: any bytes give a report without a panic, and a failed
// report always says why.
func FuzzCheck(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	f.Add(gzipped("x"))
	f.Add(gzipped(string(make([]byte, 1024))))
	if r := Check("tiny.tgz", tinyPackage()); r.Skipped != "" || len(r.Failures()) < 5 {
		f.Fatalf("the tiny seed does not reach the content rules:\n%s", report(r))
	}
	f.Add(tinyPackage())
	f.Fuzz(func(t *testing.T, data []byte) {
		r := Check("fuzz.tgz", data)
		if r.Failed() && len(r.Failures()) == 0 {
			t.Fatalf("failed without a FAIL line: %+v", r)
		}
		for _, x := range r.Results {
			if x.Rule == "" || (!x.OK && x.Detail == "") {
				t.Fatalf("result without a rule or a reason: %+v", x)
			}
		}
	})
}

// tinyPackage is a small package that reaches every content rule, to seed
// FuzzCheck.
func tinyPackage() []byte {
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	files := []struct{ name, text string }{
		{"A/", ""},
		{"A/README.md", "## Binary File Declaration\nlinux_x86_64/bin/a\n"},
		{"A/default/app.conf", "[package]\nid = A\ncheck_for_updates = false\n[ui]\nis_visible = 1\nsetup_view = v\n"},
		{"A/default/a.conf", "[x]\ny = z\n"},
		{"A/default/data/ui/views/v.xml", "<form script=\"s.js\">"},
		{"A/README/inputs.conf.spec", "[a://<n>]\nk = <v>\n* d\n"},
		{"A/metadata/default.meta", "[]\naccess = read : [ * ], write : [ admin ]\n"},
		{"A/linux_x86_64/bin/a", "\x7fELF"},
		{"A/appserver/static/s.js", "eval(1)\n"},
	}
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.text)), Typeflag: tar.TypeReg}
		if strings.HasSuffix(f.name, "/") {
			h.Mode, h.Size, h.Typeflag = 0o755, 0, tar.TypeDir
		}
		_ = tw.WriteHeader(h)
		_, _ = tw.Write([]byte(f.text))
	}
	_ = tw.Close()
	return gzipped(raw.String())
}
