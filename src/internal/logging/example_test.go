package logging_test

import (
	"log/slog"
	"os"

	"github.com/eventgen-go/eventgen/src/internal/logging"
)

func ExampleNew() {
	log := logging.New(os.Stdout, logging.Options{}) // stderr in the modular input
	log.Debug("not written at INFO")
	log.Warn("sample file not found", "stanza", "web.log", "dir", "/opt/splunk/etc/apps/my app/samples")
	log.Warn("sample file not found", "stanza", "web.log", "dir", "/opt/splunk/etc/apps/my app/samples") // held back for a minute
	log.Error("output failed", "err", "connection refused\nretrying")
	// Output:
	// WARN sample file not found stanza=web.log dir="/opt/splunk/etc/apps/my app/samples"
	// ERROR output failed err="connection refused\nretrying"
}

func ExampleNew_text() {
	log := logging.New(os.Stdout, logging.Options{Format: logging.Text, Level: slog.LevelDebug}) // the CLI's stderr
	log.Debug("generating", "stanza", "web.log", "end", "1 intervals")
	// Output:
	// level=DEBUG msg=generating stanza=web.log end="1 intervals"
}

func ExampleParseLevel() {
	level, err := logging.ParseLevel("40") // a modular input's verbosity
	log := logging.New(os.Stdout, logging.Options{Level: level})
	log.Warn("not written at ERROR")
	log.Error("written", "parse_error", err)
	// Output:
	// ERROR written parse_error=<nil>
}

func ExampleLimiter() {
	var lim logging.Limiter
	log := logging.New(os.Stdout, logging.Options{})
	for _, err := range []string{"refused", "timeout", "refused"} {
		if ok, n := lim.Allow(10e9); ok { // ten seconds
			log.Warn("receiver unavailable", "error", err, "suppressed", n)
		}
	}
	// Output:
	// WARN receiver unavailable error=refused suppressed=0
}
