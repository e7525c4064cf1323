package defaultgen

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

func TestExpandAll(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "apps.csv"), []byte("web,80\n\nssh,22\n"), 0o644)
	events := []sample.Event{{Raw: "a ##n## ##n##", Host: "h"}, {Raw: "b only"}, {Raw: "c port=(##p##)"}}
	specs := []token.Spec{
		{N: 0, Regex: "##n##", Type: "all", Replacement: "list['x', 'y']"},
		{N: 1, Regex: `port=\((##p##)\)`, Type: "all", Replacement: "apps.csv:2"},
		{N: 2, Regex: "##i##", Type: "all", Replacement: "integer[1:3]"},
		{N: 3, Regex: "##n##", Type: "all", Replacement: "nothere.txt"},
	}
	var warns []string
	got, err := expandAll(events, specs, token.Env{SampleDir: dir, Warn: func(m string) { warns = append(warns, m) }})
	if err != nil {
		t.Fatal(err)
	}
	var raws []string
	for _, e := range got {
		raws = append(raws, e.Raw)
	}
	want := []string{"a x x", "a y y", "b only", "c port=(80)", "c port=(22)"}
	if !reflect.DeepEqual(raws, want) || got[1].Host != "h" {
		t.Fatalf("got %q (%+v), want %q", raws, got, want)
	}
	if len(warns) != 2 || !strings.Contains(warns[0], "token.2 regex") || !strings.Contains(warns[1], "left out") {
		t.Fatalf("warnings %q", warns)
	}
}
