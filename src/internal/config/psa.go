package config

import (
	"fmt"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/token"
)

// psaToken reads a token written in pytest-splunk-addon's dialect
// (real-world-configs §13; pytest_splunk_addon/sample_generation/rule.py)
// as the equivalent token of ours, in place:
//
//   - file[path] and file[path:column], with replacementType random, file,
//     mvfile or all, is the file at path (a column keeps one row per event
//     for every token of that file, as mvfile does);
//   - replacementType = all with integer[...], list[...] or file[...] is
//     an all token (all is true): the events it matches are generated once
//     per value. With another random form it is random, as
//     pytest-splunk-addon does (msg says so); with anything else it is
//     left out (skip);
//   - a file path through an app folder (.../apps/<app>/lookups/x.csv)
//     that does not exist as written is looked for in this app, as
//     pytest-splunk-addon does (sampleDir/../lookups/x.csv): that is
//     token.FileCache's fallback, for every token file.
//
// The random forms src[...], dest[...], user[...], url[...], email and
// the others are read by the token package itself.
func psaToken(t *token.Spec) (all bool, msg string, skip bool) {
	r := strings.TrimSpace(t.Replacement)
	switch t.Type {
	case "random", "all", "file", "mvfile", "seqfile":
	default:
		return false, "", false
	}
	if inner, ok := unwrapFile(r); ok {
		t.Replacement = inner
		if t.Type == "all" {
			return true, "", false
		}
		if t.Type == "random" {
			t.Type = "file"
		}
		return false, "", false
	}
	switch t.Type {
	case "all":
		low := strings.ToLower(r)
		if strings.HasPrefix(low, "integer[") || strings.HasPrefix(low, "list[") {
			return true, "", false
		}
		if _, err := token.ParseRandom(r); err == nil {
			t.Type = "random"
			return false, fmt.Sprintf("replacementType = all takes integer[...], list[...] or file[...]; %s gives one random value per event instead, as in pytest-splunk-addon", r), false
		}
		return false, fmt.Sprintf("replacementType = all (pytest-splunk-addon) takes integer[...], list[...] or file[...]; %q is none of them, so this token is left out and its text stays as it is", r), true
	}
	return false, "", false
}

// unwrapFile returns the inside of file[...] (any case of "file").
func unwrapFile(r string) (string, bool) {
	if len(r) < 6 || !strings.EqualFold(r[:5], "file[") || !strings.HasSuffix(r, "]") {
		return "", false
	}
	return strings.TrimSpace(r[5 : len(r)-1]), true
}
