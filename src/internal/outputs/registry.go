// Package outputs is the registry of the network outputs (HEC,
// splunkstream, syslog, TCP, UDP), each in its own folder below. Each
// output is registered under its outputMode name from an init function in
// outputs/all, in a file built without the "cloud" tag; the Splunk Cloud
// build (-tags cloud) compiles every network output out, and Open then
// answers ErrNotAvailable.
package outputs

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

// Output is a network output opened for one sample: the engine encodes
// each event with Enc into 64 KiB chunks that always hold WHOLE encoded
// events, and writes the chunks to Dst through one output.Writer (bounded
// queue: when Dst is slow, generation waits — nothing is dropped). Enc may
// use an internal framing so that Dst can find event boundaries in a
// chunk (e.g. a uvarint length before each event's bytes).
type Output struct {
	Enc output.Encoder
	Dst io.WriteCloser // Close flushes what is buffered, waits for in-flight requests (bounded by a timeout), and returns the first error
	Key string         // destinations with the same Key share one Dst/Writer (e.g. "httpevent:" + servers)
}

// Opener opens an output for a sample. log receives the output's messages
// (never stdout).
type Opener func(s *config.Sample, log *slog.Logger) (*Output, error)

// Validator reads and checks a sample's settings for an output, opening
// nothing (no connection, no file): eventgen validate and generate run the
// same checks. Problems are *settings.Error values (joined), each naming
// its key.
type Validator func(s *config.Sample) error

// plugin is a registered output.
type plugin struct {
	open     Opener
	validate Validator
}

var (
	regMu    sync.RWMutex
	registry = map[string]plugin{}
)

// Register adds an output mode (called from init in build-tagged files).
// Registering the same mode twice, or a nil Opener or Validator, panics.
func Register(mode string, open Opener, validate Validator) {
	regMu.Lock()
	defer regMu.Unlock()
	if open == nil || validate == nil {
		panic("outputs: Register " + mode + " with a nil Opener or Validator")
	}
	if _, dup := registry[mode]; dup {
		panic("outputs: Register called twice for " + mode)
	}
	registry[mode] = plugin{open, validate}
}

// Validate checks the sample's settings for its outputMode, opening
// nothing; nil for a mode this build does not have (Open reports that).
func Validate(s *config.Sample) error {
	regMu.RLock()
	p, ok := registry[s.OutputMode]
	regMu.RUnlock()
	if !ok {
		return nil
	}
	return p.validate(s)
}

// Open opens the sample's outputMode; ErrNotAvailable (wrapped, naming the
// mode) when this build has no such output (e.g. the Splunk Cloud build,
// -tags cloud, compiles all network outputs out).
func Open(s *config.Sample, log *slog.Logger) (*Output, error) {
	regMu.RLock()
	p, ok := registry[s.OutputMode]
	regMu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("outputMode %q: %w", s.OutputMode, ErrNotAvailable)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return p.open(s, log)
}

// ErrNotAvailable is returned (wrapped) by Open for a mode this build does
// not have.
var ErrNotAvailable = errors.New("output not available in this build")

// Available lists the registered modes, sorted.
func Available() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	modes := make([]string, 0, len(registry))
	for m := range registry {
		modes = append(modes, m)
	}
	sort.Strings(modes)
	return modes
}
