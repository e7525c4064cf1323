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

// OpenModinput is the modinput Opener: Open's output, and when the events
// go out as the modular input's XML stream into a pipe and env.Splice
// allows it (under splunkd always; the command line's --format modinput
// only with EVENTGEN_VMSPLICE=1), the Writer hands its buffers to the
// pipe with vmsplice(2) instead of copying them with write(2)
// (output.Splice: one kernel copy of each byte instead of two). Only
// there: a reader that splice(2)s the pages onward could see buffers
// reused (see output.Splice); splunkd reads. EVENTGEN_VMSPLICE=0 turns
// it off everywhere.
func OpenModinput(s *config.Sample, env outputs.Env) (*outputs.Output, error) {
	o, err := Open(s, env)
	if err != nil || !env.Splice || !output.IsXMLStream(env.Format) {
		return o, err
	}
	o.Open = func() (io.WriteCloser, error) { return output.NopCloser(output.Splice(env.Stdout)), nil }
	return o, nil
}

// Validate checks nothing: stdout and modinput have no settings of their
// own.
func Validate(*config.Sample) error { return nil }
