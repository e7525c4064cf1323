package main

import (
	"bytes"
	"testing"
)

// TestNewLogger checks the CLI's log lines: slog's text format without the
// time (the golden stderr files depend on it), DEBUG only with -v, and an
// identical line written once.
func TestNewLogger(t *testing.T) {
	tests := []struct {
		verbose bool
		want    string
	}{
		{false, "level=INFO msg=generating stanza=web.log end=\"1 intervals\"\n"},
		{true, "level=DEBUG msg=detail\nlevel=INFO msg=generating stanza=web.log end=\"1 intervals\"\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		log := newLogger(&b, tt.verbose)
		log.Debug("detail")
		log.Info("generating", "stanza", "web.log", "end", "1 intervals")
		log.Info("generating", "stanza", "web.log", "end", "1 intervals")
		if b.String() != tt.want {
			t.Errorf("verbose %v: got\n%s\nwant\n%s", tt.verbose, b.String(), tt.want)
		}
	}
}
