package browsertest

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eventgen-go/eventgen/src/internal/splunktest"
)

// screenshots, when set, is where TestEditorInBrowser writes PNGs of the
// page's main states (the README's pictures come from docs/screenshots):
//
//	go -C src/internal/splunktest/browsertest test -run Browser -args -screenshots "$PWD/docs/screenshots"
var screenshots = flag.String("screenshots", os.Getenv("EVENTGEN_SCREENSHOTS"), "write screenshots of the editor page to this folder")

// chromium finds the browser: EVENTGEN_CHROMIUM (scripts/test.sh sets it
// from scripts/browser.sh path), else Debian's /usr/bin/chromium.
func chromium(t *testing.T) string {
	for _, p := range []string{os.Getenv("EVENTGEN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	t.Skip("no Chromium: run scripts/browser.sh install (Debian's chromium package) or set EVENTGEN_CHROMIUM")
	return ""
}

// buildValidator builds validate.wasm and copies Go's wasm_exec.js into a
// folder, as package.sh does for the app.
func buildValidator(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(dir, "validate.wasm"), "./src/cmd/validate-wasm")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building validate.wasm: %v\n%s", err, out)
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	var js []byte
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		if js, err = os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), p)); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("wasm_exec.js not found in GOROOT: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestEditorInBrowser drives the eventgen.conf editor page in headless
// Chromium against the fake, as a person would (issue 8): list with
// states, create a stanza with two tokens, edit its count, a bad regex
// that saves nothing, disable, preview, a 403, delete.
func TestEditorInBrowser(t *testing.T) {
	browser := chromium(t)
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	wasmDir := buildValidator(t, root)

	now := time.Now()
	fake := splunktest.New(splunktest.Options{AppDir: filepath.Join(root, "app"), StaticDirs: []string{wasmDir}})
	fake.SetStanza("SA-Eventgen", "global", map[string]string{"interval": "60", "index": "main"})
	fake.SetStanza("SA-Eventgen", "web_access.log", map[string]string{"count": "20", "interval": "10", "sourcetype": "access_combined", "index": "main"})
	fake.SetStanza("Other_TA", "firewall.csv", map[string]string{"count": "5", "sourcetype": "fw"})
	fake.AddApp("Locked_TA", false)
	fake.SetStanza("Locked_TA", "locked.log", map[string]string{"count": "1"})
	fake.AddApp("Locked_TA", false)
	status := func(t time.Time, msg string) {
		fake.AddInternal(t, splunktest.ExecProcessorLine(t, "INFO eventgen_status "+msg))
	}
	status(now.Add(-90*time.Second), `stanza=web_access.log app=SA-Eventgen state=idle interval_events=0 interval_bytes=0 events=0 bytes=0 reason="" last_error=""`)
	status(now.Add(-30*time.Second), `stanza=web_access.log app=SA-Eventgen state=generating interval_events=20 interval_bytes=1650 events=60 bytes=4950 reason="" last_error="" broken_tokens=1 warnings="eventgen.conf:9: [web_access.log] token.2 (file = \"userz.txt\"): cannot find file" delivered_events_per_s=2.0 delivered_bytes_per_s=165.0 in_flight=2 retries=1 latency_ms=35.500`)
	status(now.Add(-20*time.Second), `stanza=locked.log app=Locked_TA state=failed interval_events=0 interval_bytes=0 events=0 bytes=0 reason="" last_error="sample file \"locked.log\" is empty"`)
	status(now.Add(-10*time.Second), `stanza=demo.log app=SA-Eventgen state=generating interval_events=5 interval_bytes=400 events=15 bytes=1200 reason="" last_error=""`)
	fake.AddEvent("main", "access_combined", "web_access.log", "web01", now.Add(-5*time.Second), `10.1.2.3 - - "GET /cart HTTP/1.1" 200 1234`)
	fake.AddEvent("main", "other", "x", "web01", now.Add(-4*time.Second), `not this one`)
	base := fake.Start()
	defer fake.Close()

	tb := openTab(t, browser)
	run, text := tb.run, tb.text
	shot := func(name string) {
		t.Helper()
		if *screenshots == "" {
			return
		}
		var png []byte
		run("screenshot "+name, chromedp.FullScreenshot(&png, 100))
		if err := os.MkdirAll(*screenshots, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(*screenshots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	row := func(name string) string { return `tr[data-stanza="` + name + `"]` }
	// calm waits until the page has no request in flight (data-busy).
	calm := chromedp.WaitVisible(`#eventgen-editor:not([data-busy]) .eg-table`, chromedp.ByQuery)
	// waitStanza polls the fake until a stanza's values satisfy ok.
	waitStanza := func(app, name string, ok func(map[string]string, bool) bool) map[string]string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			v, found := fake.Stanza(app, name)
			if ok(v, found) {
				return v
			}
			if time.Now().After(deadline) {
				t.Fatalf("[%s] in %s: still %v (exists %v)", name, app, v, found)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// The list, with each stanza's state from its latest status line.
	run("open the page", chromedp.Navigate(base+"/en-US/app/SA-Eventgen/eventgen_editor"),
		chromedp.WaitVisible(row("web_access.log"), chromedp.ByQuery),
		chromedp.WaitVisible(row("locked.log"), chromedp.ByQuery))
	if s := text(row("web_access.log") + " .eg-state"); !strings.Contains(s, "generating") || !strings.Contains(s, "20 events") {
		t.Errorf("web_access.log state = %q, want generating with 20 events", s)
	}
	if s := text(row("web_access.log") + " .eg-state"); !strings.Contains(s, "delivered: 2.0 events/s, 165 B/s, 2 request(s) in flight, 1 retries, receiver latency 35.500 ms") {
		t.Errorf("web_access.log state lacks the delivery figures: %q", s)
	}
	if s := text(row("locked.log") + " .eg-state"); !strings.Contains(s, "failed") || !strings.Contains(s, `sample file "locked.log" is empty`) {
		t.Errorf("locked.log state = %q, want failed with the last error", s)
	}
	if s := text(row("web_access.log") + " .eg-state"); !strings.Contains(s, `running without 1 broken token(s), their text left as written: eventgen.conf:9: [web_access.log] token.2 (file = "userz.txt"): cannot find file`) {
		t.Errorf("web_access.log state = %q, want its broken token", s)
	}
	if s := text(row("firewall.csv") + " .eg-state"); !strings.Contains(s, "no status from the modular input in the last 15 minutes") {
		t.Errorf("firewall.csv state = %q, want the no-status explanation", s)
	}
	if s := text(row("locked.log") + " .eg-app"); !strings.Contains(s, "Locked_TA (read-only)") {
		t.Errorf("locked.log app = %q", s)
	}

	// Create a stanza with two tokens.
	run("fill a new stanza", chromedp.Click(".eg-new", chromedp.ByQuery), chromedp.WaitVisible("#eg-f-name", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-name", "demo.log", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-count", "5", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-interval", "10", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-sourcetype", "demo", chromedp.ByQuery),
		chromedp.Click(".eg-add-token", chromedp.ByQuery), chromedp.Click(".eg-add-token", chromedp.ByQuery),
		chromedp.SendKeys("#eg-t0-token", `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`, chromedp.ByQuery),
		chromedp.SetValue("#eg-t0-replacementType", "timestamp", chromedp.ByQuery),
		chromedp.SendKeys("#eg-t0-replacement", "%Y-%m-%d %H:%M:%S", chromedp.ByQuery),
		chromedp.SendKeys("#eg-t1-token", `bytes=(\d+)`, chromedp.ByQuery),
		chromedp.SetValue("#eg-t1-replacementType", "random", chromedp.ByQuery),
		chromedp.SendKeys("#eg-t1-replacement", "integer[100:5000]", chromedp.ByQuery))
	shot("edit-form")
	run("save it", chromedp.Click(".eg-save", chromedp.ByQuery), chromedp.WaitVisible(row("demo.log"), chromedp.ByQuery))
	v := waitStanza("SA-Eventgen", "demo.log", func(v map[string]string, ok bool) bool { return ok })
	want := map[string]string{"count": "5", "interval": "10", "sourcetype": "demo", "token.0.token": `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`,
		"token.0.replacementType": "timestamp", "token.0.replacement": "%Y-%m-%d %H:%M:%S", "token.1.token": `bytes=(\d+)`,
		"token.1.replacementType": "random", "token.1.replacement": "integer[100:5000]"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("created %s = %q, want %q (all: %v)", k, v[k], w, v)
		}
	}
	if len(v) != len(want) {
		t.Errorf("created stanza has %d keys, want %d: %v", len(v), len(want), v)
	}
	if s := text(row("demo.log") + " .eg-state"); !strings.Contains(s, "generating") {
		t.Errorf("demo.log state = %q, want generating", s)
	}
	run("calm", calm)
	shot("list")

	// Edit its count: only count is sent.
	writes := len(fake.Writes())
	run("edit count", calm, chromedp.Click(row("demo.log")+" .eg-edit", chromedp.ByQuery), chromedp.WaitVisible("#eg-f-count", chromedp.ByQuery),
		chromedp.SetValue("#eg-f-count", "7", chromedp.ByQuery), chromedp.Click(".eg-save", chromedp.ByQuery))
	waitStanza("SA-Eventgen", "demo.log", func(v map[string]string, ok bool) bool { return v["count"] == "7" })
	if w := fake.Writes(); len(w) != writes+1 || w[len(w)-1].Form.Encode() != "count=7&output_mode=json" {
		t.Errorf("the edit sent %v, want one POST of count=7", w[writes:])
	}

	// A bad regex is shown next to its field, and nothing is sent.
	writes = len(fake.Writes())
	run("enter a bad regex", chromedp.WaitNotPresent("#eg-f-name", chromedp.ByQuery), calm,
		chromedp.Click(row("demo.log")+" .eg-edit", chromedp.ByQuery), chromedp.WaitVisible("#eg-t0-token", chromedp.ByQuery),
		chromedp.SetValue("#eg-t0-token", `(\d{4}-`, chromedp.ByQuery), chromedp.Click(".eg-save", chromedp.ByQuery),
		chromedp.WaitVisible("#eg-t0-token-problem div", chromedp.ByQuery))
	if s := text("#eg-t0-token-problem"); !strings.Contains(s, "does not compile") {
		t.Errorf("inline error = %q, want the regex error", s)
	}
	if s := text(".eg-summary"); !strings.Contains(s, "Nothing was saved") {
		t.Errorf("summary = %q", s)
	}
	var invalid string
	run("aria-invalid", chromedp.AttributeValue("#eg-t0-token", "aria-invalid", &invalid, nil, chromedp.ByQuery))
	if invalid != "true" {
		t.Errorf("the bad field is not marked aria-invalid")
	}
	shot("inline-error")
	time.Sleep(200 * time.Millisecond)
	if w := fake.Writes(); len(w) != writes {
		t.Errorf("a form with a bad regex sent %v", w[writes:])
	}
	run("cancel", chromedp.Click(".eg-cancel", chromedp.ByQuery), chromedp.WaitNotPresent("#eg-f-name", chromedp.ByQuery))

	// Disable it.
	run("disable", calm, chromedp.Click(row("demo.log")+" .eg-toggle", chromedp.ByQuery))
	waitStanza("SA-Eventgen", "demo.log", func(v map[string]string, ok bool) bool { return v["disabled"] == "1" })
	run("disabled row", chromedp.WaitVisible(row("demo.log")+".eg-disabled", chromedp.ByQuery))
	if s := text(row("demo.log") + " .eg-toggle"); s != "Enable" {
		t.Errorf("toggle of a disabled stanza = %q, want Enable", s)
	}

	// Preview: the last events of web_access.log.
	run("preview", calm, chromedp.Click(row("web_access.log")+" .eg-preview-btn", chromedp.ByQuery), chromedp.WaitVisible(".eg-event", chromedp.ByQuery))
	if s := text(".eg-events"); !strings.Contains(s, `GET /cart`) || strings.Contains(s, "not this one") {
		t.Errorf("preview = %q, want the access_combined event only", s)
	}
	searches := fake.Searches()
	if last := searches[len(searches)-1]; !strings.Contains(last, `index="main" sourcetype="access_combined"`) {
		t.Errorf("preview search = %q", last)
	}

	// Clone: the copy gets the original's settings under a new name.
	run("clone", calm, chromedp.Click(row("web_access.log")+" .eg-clone", chromedp.ByQuery), chromedp.WaitVisible("#eg-f-name", chromedp.ByQuery))
	var cloneName string
	run("clone name", chromedp.Value("#eg-f-name", &cloneName, chromedp.ByQuery), chromedp.Click(".eg-save", chromedp.ByQuery))
	if cloneName != "web_access.log_copy" {
		t.Errorf("clone name = %q", cloneName)
	}
	v = waitStanza("SA-Eventgen", "web_access.log_copy", func(_ map[string]string, ok bool) bool { return ok })
	if v["count"] != "20" || v["sourcetype"] != "access_combined" || v["disabled"] != "" {
		t.Errorf("clone = %v", v)
	}

	// A 403: Other_TA's permission is taken away after the page has read
	// the list (calm first: a refresh still in flight would see the
	// read-only app and disable the button).
	run("list read", calm)
	fake.AddApp("Other_TA", false)
	run("403", calm, chromedp.Click(row("firewall.csv")+" .eg-toggle", chromedp.ByQuery), chromedp.WaitVisible(".eg-banner", chromedp.ByQuery))
	if s := text(".eg-banner"); !strings.Contains(s, "Permission denied") || !strings.Contains(s, "Other_TA") || !strings.Contains(s, "Ask a Splunk admin") {
		t.Errorf("403 message = %q", s)
	}
	shot("permission-denied")
	if v, _ := fake.Stanza("Other_TA", "firewall.csv"); v["disabled"] != "" {
		t.Errorf("a refused write changed the stanza: %v", v)
	}

	// Delete it.
	run("delete", calm, chromedp.Click(row("demo.log")+" .eg-delete", chromedp.ByQuery),
		chromedp.WaitVisible(row("demo.log")+" .eg-confirm-delete", chromedp.ByQuery), chromedp.Click(row("demo.log")+" .eg-confirm-delete", chromedp.ByQuery),
		chromedp.WaitNotPresent(row("demo.log"), chromedp.ByQuery))
	waitStanza("SA-Eventgen", "demo.log", func(_ map[string]string, ok bool) bool { return !ok })

	// Every write carried the CSRF form key (the fake refuses others).
	for _, w := range fake.Writes() {
		if w.Status == 403 && !strings.Contains(w.Path, "Other_TA") {
			t.Errorf("write refused: %+v", w)
		}
	}
}

// tab is a page of a headless Chromium started for one test.
type tab struct {
	t    *testing.T
	page context.Context
}

// openTab starts the browser with a fresh profile and the flags this
// machine needs (no network beyond loopback); it stops with the test.
func openTab(t *testing.T, browser string) *tab {
	t.Helper()
	// A fresh profile. Not t.TempDir: Chromium's helper processes may
	// still write to it for a moment after the browser is stopped, which
	// would fail the test's cleanup; this one is removed with retries.
	profile, err := os.MkdirTemp("", "eventgen-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile), chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("no-proxy-server", true))
	t.Cleanup(cancelAlloc)
	page, cancelPage := chromedp.NewContext(alloc, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelPage)
	// Start the browser on the tab's own context: a step's shorter-lived
	// context would take the browser down with it.
	if err := chromedp.Run(page); err != nil {
		t.Fatalf("starting %s: %v", browser, err)
	}

	return &tab{t: t, page: page}
}

// run runs one step with its own time limit, so that a failure can
// still read the page to say what it showed.
func (tb *tab) run(step string, actions ...chromedp.Action) {
	tb.t.Helper()
	stepCtx, cancelStep := context.WithTimeout(tb.page, 20*time.Second)
	defer cancelStep()
	if err := chromedp.Run(stepCtx, actions...); err != nil {
		readCtx, cancelRead := context.WithTimeout(tb.page, 5*time.Second)
		defer cancelRead()
		var html string
		_ = chromedp.Run(readCtx, chromedp.OuterHTML("#eventgen-editor", &html, chromedp.ByQuery))
		tb.t.Fatalf("%s: %v\nthe editor's HTML:\n%s", step, err, html)
	}
}

// text is the text of the element sel matches.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	var s string
	tb.run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}
