package settings

import (
	"bytes"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

var update = flag.Bool("update", false, "rewrite app/README/eventgen.conf.spec from the schema")

const specPath = "../../../app/README/eventgen.conf.spec"

func genSpec(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSpec(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSpecUpToDate fails when the checked-in spec is not what the schema
// gives; -update rewrites it.
func TestSpecUpToDate(t *testing.T) {
	want := genSpec(t)
	if *update {
		if err := os.WriteFile(specPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(specPath)
	if err != nil {
		t.Fatalf("%v; run go test ./src/internal/settings -run TestSpecUpToDate -update", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		i := 0
		for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
			i++
		}
		g, w := "(end of file)", "(end of file)"
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		t.Fatalf("app/README/eventgen.conf.spec is not what the schema gives (first difference at line %d:\n  file:   %q\n  schema: %q);\nrun go test ./src/internal/settings -run TestSpecUpToDate -update", i+1, g, w)
	}
}

// specKeys are the keys of the spec that are not in the schema.
var specKeys = []string{"token.<n>.token", "token.<n>.replacementType", "token.<n>.replacement", "token.<n>.field", "host.token", "host.replacement"}

func TestSpecListsEverySettingOnce(t *testing.T) {
	spec := string(genSpec(t))
	for _, name := range append(names(), specKeys...) {
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` = `)
		if n := len(re.FindAllStringIndex(spec, -1)); n != 1 {
			t.Errorf("%q appears %d times as \"%s = \" in the spec, want once", name, n, name)
		}
	}
	for i, line := range strings.Split(spec, "\n") {
		bullet := strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "  ")
		if bullet && len(line) > specWidth && strings.Contains(strings.TrimSpace(line[2:]), " ") &&
			!strings.HasPrefix(line, "* Example: ") && !strings.Contains(line, "{") {
			t.Errorf("line %d is %d columns, over %d: %q", i+1, len(line), specWidth, line)
		}
	}
}

// TestSpecDefaults checks that a Doc line overriding the default bullet
// agrees with the declared default.
func TestSpecDefaults(t *testing.T) {
	for _, s := range All() {
		for _, line := range strings.Split(s.Doc, "\n") {
			if d, ok := strings.CutPrefix(strings.TrimSpace(line), "Default: "); ok && s.Default != "" &&
				len(s.Default) < 40 && !strings.HasPrefix(d, s.Default) {
				t.Errorf("%s: Doc says Default: %s, the schema %s", s.Name, d, s.Default)
			}
		}
	}
}

// TestSpecParses reads the spec with the .conf parser. Splunk spec files
// are not quite .conf files: the "* " bullet lines and their indented
// continuations are neither settings nor comments, so conf.Parse reports
// each as an ignored line. Every other warning is a mistake, as is a key
// or stanza the spec does not declare (a wrapped line that reads as a
// setting or a header).
func TestSpecParses(t *testing.T) {
	spec := genSpec(t)
	f, err := conf.Parse("eventgen.conf.spec", spec)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(spec), "\n")
	for _, w := range f.Warnings {
		text := lines[w.Line-1]
		bullet := strings.HasPrefix(text, "* ") || strings.HasPrefix(text, "  ")
		if !bullet || !strings.Contains(w.Err.Error(), "line ignored") {
			t.Errorf("%v", w)
		}
	}
	known := map[string]bool{}
	for _, n := range append(names(), specKeys...) {
		known[n] = true
	}
	var stanzas []string
	for _, st := range f.Stanzas {
		stanzas = append(stanzas, st.Name)
		for _, k := range st.Keys {
			if !known[k] && !strings.HasPrefix(k, "* ") {
				t.Errorf("[%s] %s (line %d): not a declared setting", st.Name, k, st.Values[k].Line)
			}
		}
	}
	if got, want := strings.Join(stanzas, " "), "default global <sample file name or regex>"; got != want {
		t.Errorf("stanzas %q, want %q", got, want)
	}
	if n := len(f.Stanza("default").Keys); n < len(All()) {
		t.Errorf("[default] has %d keys, want at least the %d settings", n, len(All()))
	}
}

func names() []string {
	var out []string
	for _, s := range All() {
		out = append(out, s.Name)
	}
	return out
}
