// Package stdout is the stdout and modinput outputs: events go to the
// engine's standard output, encoded in the format the engine chose (raw,
// jsonl, or the modular input's XML stream, whose header and footer the
// engine writes). The two modes share all their code: modinput is stdout
// as the modular input runs it.
package stdout

import (
	"errors"
	"io"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Open is the stdout and modinput Opener: every sample shares one Writer
// on env.Stdout.
func Open(_ *config.Sample, env outputs.Env) (*outputs.Output, error) {
	if env.Stdout == nil {
		return nil, errors.New("no standard output to write to")
	}
	return &outputs.Output{
		Enc:        env.Format,
		Open:       func() (io.WriteCloser, error) { return output.NopCloser(env.Stdout), nil },
		Key:        "stdout",
		QueueBytes: output.LocalQueueBytes,
		Stanza:     env.StreamStanza,
		Stdout:     true,
	}, nil
}

// Validate checks nothing: stdout and modinput have no settings of their
// own.
func Validate(*config.Sample) error { return nil }
