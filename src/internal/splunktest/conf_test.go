package splunktest

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadConf: files are read with the project's .conf reader (no ";"
// comments, continuation lines joined, later files layered key by key)
// and served as splunkd serves them, booleans parsed by settings.ParseBool.
func TestReadConf(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "default.conf")
	local := filepath.Join(dir, "local.conf")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(def, "[web.log]\ncount = 20\ndisabled = off\n;note = kept as a key\ntoken.0.token = a\\\nb\n\n[fw.csv]\ndisabled = maybe\n")
	write(local, "[web.log]\ncount = 5\ncount = 7\n")
	fake := New(Options{})
	warnings, err := fake.ReadConf("Demo_TA", def)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Key != ";note" || warnings[0].Line != 4 {
		t.Errorf("warnings %v, want the one about ;note on line 4", warnings)
	}
	if warnings, err = fake.ReadConf("Demo_TA", local); err != nil || len(warnings) != 1 || warnings[0].Line != 3 {
		t.Errorf("local: warnings %v (want the duplicate count on line 3), err %v", warnings, err)
	}
	web, ok := fake.Stanza("Demo_TA", "web.log")
	if !ok || web["count"] != "7" || web["disabled"] != "off" || web[";note"] != "kept as a key" || web["token.0.token"] != "a\nb" {
		t.Errorf("web.log %q", web)
	}

	base := fake.Start()
	defer fake.Close()
	status, body := call(t, "GET", base+"/servicesNS/-/Demo_TA/configs/conf-eventgen?output_mode=json", nil, map[string]string{"Authorization": "Splunk " + fake.SessionKey()})
	var doc struct {
		Entry []struct {
			Name    string         `json:"name"`
			Content map[string]any `json:"content"`
		} `json:"entry"`
	}
	if err := json.Unmarshal([]byte(body), &doc); status != 200 || err != nil || len(doc.Entry) != 2 {
		t.Fatalf("status %d, %v: %s", status, err, body)
	}
	if got := doc.Entry[0].Content["disabled"]; got != false {
		t.Errorf("web.log disabled = %#v, want false (\"off\")", got)
	}
	if got := doc.Entry[1].Content["disabled"]; got != "maybe" {
		t.Errorf("fw.csv disabled = %#v, want the text \"maybe\" (not a boolean)", got)
	}

	if _, err := fake.ReadConf("Demo_TA", filepath.Join(dir, "none.conf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	write(def, "[x]\nk = caf\xe9\n")
	if _, err := fake.ReadConf("Demo_TA", def); err == nil || !strings.Contains(err.Error(), "default.conf:2") {
		t.Errorf("not UTF-8: %v, want an error naming default.conf:2", err)
	}
}

// TestReadConfShipped: the app's own eventgen.conf reads without a
// warning and its stanzas are disabled.
func TestReadConfShipped(t *testing.T) {
	fake := New(Options{})
	warnings, err := fake.ReadConf("SA-Eventgen", filepath.Join("..", "..", "..", "app", "default", "eventgen.conf"))
	if err != nil || len(warnings) > 0 {
		t.Fatalf("warnings %v, err %v", warnings, err)
	}
	g, ok := fake.Stanza("SA-Eventgen", "global")
	if !ok || g["disabled"] != "false" || g["index"] != "main" {
		t.Errorf("[global] %q", g)
	}
}
