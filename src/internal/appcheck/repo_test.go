package appcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

// The tests below check the app's source folder rather than a package:
// that its .spec files agree with the engine and with the confs it ships
// (what "splunk btool check" would reject).

// specKeys returns the settings a .spec file of the repository declares.
func specKeys(t *testing.T, rel string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	s := lintSpec(rel, data)
	if len(s.problems) > 0 {
		t.Fatalf("%s: %v", rel, s.problems)
	}
	var keys []string
	for _, st := range s.file.Stanzas {
		keys = append(keys, st.Keys...)
	}
	if len(keys) == 0 {
		t.Fatalf("%s declares no setting", rel)
	}
	return keys
}

// engineSettings returns the keys of the known-settings map of
// src/internal/config/settings.go.
func engineSettings(t *testing.T) []string {
	t.Helper()
	const file = "src/internal/config/settings.go"
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(repoRoot, file), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "known" || len(vs.Values) != 1 {
			return true
		}
		if cl, ok := vs.Values[0].(*ast.CompositeLit); ok {
			for _, e := range cl.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if lit, ok := kv.Key.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						k, _ := strconv.Unquote(lit.Value)
						keys = append(keys, k)
					}
				}
			}
		}
		return false
	})
	if len(keys) < 20 {
		t.Fatalf("%s: found %d settings in var known; has the list moved? update engineSettings", file, len(keys))
	}
	return keys
}

// TestSpecCoversSettings: app/README/eventgen.conf.spec documents every
// setting the engine knows.
func TestSpecCoversSettings(t *testing.T) {
	spec := specKeys(t, "app/README/eventgen.conf.spec")
	want := append(engineSettings(t), "token.<n>.token", "token.<n>.replacementType", "token.<n>.replacement", "host.token", "host.replacement")
	for _, k := range want {
		if !slices.Contains(spec, k) {
			t.Errorf("app/README/eventgen.conf.spec does not declare %s (a setting of src/internal/config/settings.go); add \"%s = <type>\" with its description", k, k)
		}
	}
}

// keysOf returns every setting of a repository .conf file.
func keysOf(t *testing.T, rel string) []conf.Value {
	t.Helper()
	f, err := conf.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	var out []conf.Value
	for _, s := range f.Stanzas {
		for _, k := range s.Keys {
			v := s.Values[k]
			v.Text = k
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s has no setting", rel)
	}
	return out
}

// TestSpecAcceptsShippedConfs: like "splunk btool check", every key of the
// shipped eventgen.conf files matches a spec entry (<n> is a number).
func TestSpecAcceptsShippedConfs(t *testing.T) {
	var alts []string
	for _, k := range specKeys(t, "app/README/eventgen.conf.spec") {
		alts = append(alts, strings.ReplaceAll(regexp.QuoteMeta(k), "<n>", "[0-9]+"))
	}
	re := regexp.MustCompile("^(" + strings.Join(alts, "|") + ")$")
	for _, rel := range []string{"app/default/eventgen.conf", "samples/eventgen.conf"} {
		for _, v := range keysOf(t, rel) {
			if !re.MatchString(v.Text) {
				t.Errorf("%s:%d: %s is not in app/README/eventgen.conf.spec; declare it there or fix the key", rel, v.Line, v.Text)
			}
		}
	}
}

// TestInputsConfKeys: app/default/inputs.conf uses only the settings of
// README/inputs.conf.spec and those every input has.
func TestInputsConfKeys(t *testing.T) {
	allowed := append(specKeys(t, "app/README/inputs.conf.spec"), "disabled", "interval", "start_by_shell", "index", "host", "source", "sourcetype")
	for _, v := range keysOf(t, "app/default/inputs.conf") {
		if !slices.Contains(allowed, v.Text) {
			t.Errorf("app/default/inputs.conf:%d: %s is neither in README/inputs.conf.spec nor a setting every input has", v.Line, v.Text)
		}
	}
}
