package config

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/textfile"
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
//     pytest-splunk-addon does (sampleDir/../lookups/x.csv).
//
// The random forms src[...], dest[...], user[...], url[...], email and
// the others are read by the token package itself.
func psaToken(t *token.Spec, sampleDir string) (all bool, msg string, skip bool) {
	r := strings.TrimSpace(t.Replacement)
	switch t.Type {
	case "random", "all", "file", "mvfile", "seqfile":
	default:
		return false, "", false
	}
	if inner, ok := unwrapFile(r); ok {
		t.Replacement = appPath(inner, sampleDir)
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
	case "file", "mvfile", "seqfile":
		t.Replacement = appPath(r, sampleDir)
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

var appsPath = regexp.MustCompile(`(?i)[\\/]apps[\\/][^\\/]+[\\/](.+)$`)

// appPath turns a token file path through an app folder that does not
// exist as written into the same path in this app (the parent of its
// sample directory), when that exists. A ":column" suffix is kept.
func appPath(r, sampleDir string) string {
	path, col := r, ""
	if i := strings.LastIndexByte(r, ':'); i >= 0 {
		if _, err := strconv.Atoi(r[i+1:]); err == nil {
			path, col = r[:i], r[i:]
		}
	}
	m := appsPath.FindStringSubmatch(path)
	if m == nil || sampleDir == "" {
		return r
	}
	if _, err := os.Stat(textfile.ExpandPath(path)); err == nil {
		return r
	}
	local := filepath.Join(filepath.Dir(filepath.Clean(sampleDir)), filepath.FromSlash(strings.ReplaceAll(m[1], `\`, "/")))
	if _, err := os.Stat(local); err != nil {
		return r
	}
	return local + col
}
