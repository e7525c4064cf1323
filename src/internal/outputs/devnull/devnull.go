// Package devnull is the devnull output: events are generated and encoded
// (raw) and then discarded, to measure generation.
package devnull

import (
	"io"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

var raw, _ = output.NewEncoder("raw")

// Open is the devnull Opener.
func Open(*config.Sample, outputs.Env) (*outputs.Output, error) {
	return &outputs.Output{
		Enc:        raw,
		Open:       func() (io.WriteCloser, error) { return output.NopCloser(io.Discard), nil },
		Key:        "devnull",
		QueueBytes: output.LocalQueueBytes,
	}, nil
}

// Validate checks nothing: devnull has no settings.
func Validate(*config.Sample) error { return nil }
