package settings

import (
	"strings"
	"testing"
)

func TestAutoTimestamps(t *testing.T) {
	pairs, err := AutoTimestamps(BuiltinAutotimestamps)
	if err != nil || len(pairs) != 23 || pairs[0] != [2]string{`\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}`, "%Y-%m-%d %H:%M:%S"} {
		t.Fatalf("built-in: %d pairs, first %q, %v", len(pairs), pairs[0], err)
	}
	for text, want := range map[string]string{
		`[["x"]]`:           "not a [regex, format] pair",
		`[["x", 1]]`:        "non-empty strings",
		`[["", "%Y"]]`:      "non-empty strings",
		`{"x": "%Y"}`:       "not a JSON list",
		`[["a","%Y"], "b"]`: "item 2",
	} {
		if _, err := AutoTimestamps(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", text, err, want)
		}
	}
}

func FuzzAutoTimestamps(f *testing.F) {
	f.Add(BuiltinAutotimestamps)
	f.Add(`[["x"]]`)
	f.Add(`[["\\d+", "%s"]]`)
	f.Fuzz(func(t *testing.T, text string) {
		pairs, err := AutoTimestamps(text)
		if err != nil {
			return
		}
		for _, p := range pairs {
			if p[0] == "" || p[1] == "" {
				t.Fatalf("empty regex or format accepted: %q", p)
			}
		}
	})
}
