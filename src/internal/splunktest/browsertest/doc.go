// Package browsertest drives the eventgen.conf editor page in headless
// Chromium (through chromedp) against splunktest's fake of Splunk Web and
// splunkd: TestEditorInBrowser on the page alone, and
// TestEditorDrivesModularInput end to end with the real modinput_eventgen
// binary.
//
// It is a Go module of its own, nested in the repository's, so that
// chromedp and its dependencies stay out of the app's build graph: `go
// build` of eventgen downloads only what the app uses. Run its tests from
// this folder (scripts/test.sh does):
//
//	go test -race -count=1 ./...
//
// The tests find Chromium through EVENTGEN_CHROMIUM, else
// /usr/bin/chromium (scripts/browser.sh install), and skip without one.
package browsertest
