package all

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"strconv"
	"strings"
	"testing"
)

// registered returns, for the files of this package that the build
// (goos, with tags) compiles, each registered mode's Validator and
// whether it has an Opener, as written in the source.
func registered(t *testing.T, goos string, tags ...string) (checks map[string]string, opens map[string]bool) {
	t.Helper()
	ctx := build.Default
	ctx.GOOS, ctx.GOARCH, ctx.BuildTags = goos, "amd64", tags
	if goos == "js" {
		ctx.GOARCH = "wasm"
	}
	ents, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	checks, opens = map[string]string{}, map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := ctx.MatchFile(".", name); err != nil || !ok {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 3 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Register" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				t.Fatalf("%s: Register's mode is not a string literal", fset.Position(call.Pos()))
			}
			mode, _ := strconv.Unquote(lit.Value)
			v := call.Args[2]
			checks[mode] = string(src[fset.Position(v.Pos()).Offset:fset.Position(v.End()).Offset])
			id, isIdent := call.Args[1].(*ast.Ident)
			opens[mode] = !isIdent || id.Name != "nil"
			return true
		})
	}
	return checks, opens
}

// TestJSRegistersTheSameChecks keeps validate_js.go and
// validate_net_js.go (the js build: validate-wasm, the editor page's
// checks) registering the same Validator for the same modes as the other
// builds, with and without -tags cloud; and checks that the js build
// registers no Opener, and every other build an Opener for every mode.
func TestJSRegistersTheSameChecks(t *testing.T) {
	for _, tags := range [][]string{nil, {"cloud"}} {
		for _, goos := range []string{"linux", "windows", "darwin"} {
			jsChecks, jsOpens := registered(t, "js", tags...)
			checks, opens := registered(t, goos, tags...)
			if len(checks) < 5 {
				t.Fatalf("%s %v: found only %v", goos, tags, checks)
			}
			if !maps.Equal(jsChecks, checks) {
				t.Errorf("tags %v: the js build registers the checks\n%v\nand %s\n%v", tags, jsChecks, goos, checks)
			}
			for m, o := range jsOpens {
				if o {
					t.Errorf("tags %v: the js build registers an Opener for %s: it links what the Opener needs", tags, m)
				}
			}
			for m, o := range opens {
				if !o {
					t.Errorf("%s %v: no Opener for %s", goos, tags, m)
				}
			}
		}
	}
}
