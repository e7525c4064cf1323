package browsertest

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eventgen-go/eventgen/src/internal/splunktest"
)

// TestEditorDrivesModularInput is issue 8 end to end, with nothing faked
// but Splunk itself: the real modinput_eventgen binary reads its
// configuration from the fake's splunkd REST API; its stdout stream is
// "indexed" into the fake and its stderr lines into the fake's _internal,
// as splunkd's ExecProcessor would. A person creates a stanza on the
// page, sees it generating with its events in the preview, edits its
// count and sees the new count, disables it and sees why it stopped:
// all without restarting the input.
func TestEditorDrivesModularInput(t *testing.T) {
	browser := chromium(t)
	root, err := filepath.Abs("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	wasmDir := buildValidator(t, root)
	bin := filepath.Join(t.TempDir(), "modinput_eventgen")
	build := exec.Command("go", "build", "-o", bin, "./src/cmd/modinput_eventgen")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building modinput_eventgen: %v\n%s", err, out)
	}

	// $SPLUNK_HOME with SA-Eventgen's sample; its eventgen.conf is REST's.
	home := t.TempDir()
	samples := filepath.Join(home, "etc", "apps", "SA-Eventgen", "samples")
	if err := os.MkdirAll(samples, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(samples, "e2e.log"), []byte("e2e login ok bytes=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	fake := splunktest.New(splunktest.Options{AppDir: filepath.Join(root, "app"), StaticDirs: []string{wasmDir}})
	base := fake.Start()
	defer fake.Close()

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "SPLUNK_HOME="+home)
	cmd.Stdin = strings.NewReader(fmt.Sprintf(`<input>
  <server_host>e2e</server_host>
  <server_uri>%s</server_uri>
  <session_key>%s</session_key>
  <checkpoint_dir>%s</checkpoint_dir>
  <configuration>
    <stanza name="modinput_eventgen://default" app="SA-Eventgen">
      <param name="verbosity">20</param>
      <param name="config_poll_interval">1</param>
    </stanza>
  </configuration>
</input>`, base, fake.SessionKey(), t.TempDir()))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	logs := make(chan string, 1000)
	go func() { // stderr → splunkd.log → index=_internal
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			now := time.Now()
			fake.AddInternal(now, splunktest.ExecProcessorLine(now, sc.Text()))
			select {
			case logs <- sc.Text():
			default:
			}
		}
	}()
	streamEnd := make(chan error, 1)
	go func() { streamEnd <- indexStream(fake, stdout) }()

	tb := openTab(t, browser)
	row := `tr[data-stanza="e2e.log"]`
	calm := chromedp.WaitVisible(`#eventgen-editor:not([data-busy]) .eg-table`, chromedp.ByQuery)
	// waitState refreshes the list until e2e.log's state says want.
	waitState := func(want string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			tb.run("refresh", calm, chromedp.Click(".eg-refresh", chromedp.ByQuery), calm, chromedp.WaitVisible(row, chromedp.ByQuery))
			s := tb.text(row + " .eg-state")
			if strings.Contains(s, want) {
				return s
			}
			if time.Now().After(deadline) {
				t.Fatalf("e2e.log's state is still %q 30 s on, want %q", s, want)
			}
			time.Sleep(300 * time.Millisecond)
		}
	}

	tb.run("open the page", chromedp.Navigate(base+"/en-US/app/SA-Eventgen/eventgen_editor"),
		chromedp.WaitVisible(`#eventgen-editor:not([data-busy]) .eg-empty`, chromedp.ByQuery)) // no stanza yet
	tb.run("create e2e.log", chromedp.Click(".eg-new", chromedp.ByQuery), chromedp.WaitVisible("#eg-f-name", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-name", "e2e.log", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-count", "3", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-interval", "1", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-index", "main", chromedp.ByQuery),
		chromedp.SendKeys("#eg-f-sourcetype", "e2e", chromedp.ByQuery),
		chromedp.Click(".eg-add-token", chromedp.ByQuery),
		chromedp.SendKeys("#eg-t0-token", `bytes=(\d+)`, chromedp.ByQuery),
		chromedp.SetValue("#eg-t0-replacementType", "random", chromedp.ByQuery),
		chromedp.SendKeys("#eg-t0-replacement", "integer[100:199]", chromedp.ByQuery),
		chromedp.Click(".eg-save", chromedp.ByQuery), chromedp.WaitVisible(row, chromedp.ByQuery))

	// Within a poll the input generates it: 3 events per interval.
	if s := waitState("generating"); !strings.Contains(s, "last interval: 3 events") {
		t.Errorf("state after creating = %q, want generating with 3 events per interval", s)
	}
	tb.run("preview", calm, chromedp.Click(row+" .eg-preview-btn", chromedp.ByQuery), chromedp.WaitVisible(".eg-event", chromedp.ByQuery))
	preview := tb.text(".eg-events")
	if !strings.Contains(preview, "e2e login ok bytes=1") || strings.Contains(preview, "bytes=1\n") {
		t.Errorf("preview = %q, want e2e.log's events with bytes replaced by 100-199", preview)
	}

	// Edit the count: the input restarts the stanza with it, no restart of the input.
	tb.run("edit count", calm, chromedp.Click(row+" .eg-edit", chromedp.ByQuery), chromedp.WaitVisible("#eg-f-count", chromedp.ByQuery),
		chromedp.SetValue("#eg-f-count", "5", chromedp.ByQuery), chromedp.Click(".eg-save", chromedp.ByQuery),
		chromedp.WaitNotPresent("#eg-f-name", chromedp.ByQuery))
	waitState("last interval: 5 events")

	// Disable: it stops, and the page says why.
	tb.run("disable", calm, chromedp.Click(row+" .eg-toggle", chromedp.ByQuery))
	if s := waitState("not generating"); !strings.Contains(s, "disabled") {
		t.Errorf("state after disabling = %q, want not generating because it is disabled", s)
	}

	// One process did all of it, and it stops cleanly.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-streamEnd:
		if err != nil {
			t.Errorf("stdout stream: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no </stream> 5 s after SIGTERM")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("modinput_eventgen exited with %v", err)
	}
	close(logs)
	changes := 0
	for l := range logs {
		if strings.Contains(l, "eventgen.conf changed; applied without a restart") {
			changes++
		}
		if strings.HasPrefix(l, "INFO modinput_eventgen starting") && changes > 0 {
			t.Errorf("the input restarted: %s", l)
		}
	}
	if changes < 3 {
		t.Errorf("%d 'eventgen.conf changed' lines, want one each for create, edit and disable", changes)
	}
}

// indexStream reads a modular input's XML stream and adds each event to
// the fake's index, as splunkd does; it returns at </stream>.
func indexStream(fake *splunktest.Server, r io.Reader) error {
	dec := xml.NewDecoder(bufio.NewReader(r))
	for {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("stream ended without </stream>: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local != "event" {
				continue
			}
			var ev struct {
				Time       string `xml:"time"`
				Index      string `xml:"index"`
				Host       string `xml:"host"`
				Source     string `xml:"source"`
				Sourcetype string `xml:"sourcetype"`
				Data       string `xml:"data"`
			}
			if err := dec.DecodeElement(&ev, &el); err != nil {
				return err
			}
			sec, err := strconv.ParseFloat(ev.Time, 64)
			if err != nil {
				return fmt.Errorf("event time %q: %v", ev.Time, err)
			}
			fake.AddEvent(ev.Index, ev.Sourcetype, ev.Source, ev.Host, time.UnixMilli(int64(sec*1000)), ev.Data)
		case xml.EndElement:
			if el.Name.Local == "stream" {
				return nil
			}
		}
	}
}
