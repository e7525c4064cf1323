// Package outputs is the one registry of the outputs, local (modinput,
// stdout, devnull, file, spool) and network (HEC, splunkstream, syslog,
// TCP, UDP) alike, each in its own folder below. Each output is registered
// under its outputMode name from an init function in outputs/all, the
// network ones in a file built without the "cloud" tag: the Splunk Cloud
// build (-tags cloud) compiles every network output out, and Open then
// answers ErrNotAvailable. The js build (validate-wasm, the editor page's
// checks) registers every output's Validator but no Opener: each output
// keeps its settings checks in files of their own, and the code that opens
// the destination (delivery, net/http, lumberjack ...) in files built
// with !js. Adding an output is one new folder and one registration line
// (two: outputs/all/validate_js.go lists the checks again for js, and a
// test keeps the two lists equal).
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

// Output is an output opened for one sample: the engine encodes each
// event with Enc into 64 KiB chunks that always hold WHOLE encoded events,
// and writes the chunks to the destination through one output.Writer per
// Key (bounded queue: when the destination is slow, generation waits —
// nothing is dropped). A destination that needs the events one by one
// (the network outputs) implements output.BatchWriter: the engine then
// records each event's span in the chunk (an output.Batch), and, when Enc
// is an output.KeyedEncoder, where its group key ends.
type Output struct {
	Enc output.Encoder
	// The destination: Dst, or, when Dst is nil, what Open returns. Open is
	// called only when no earlier sample holds Key (a file is opened once);
	// a Dst that another sample's already holds is closed unused.
	Dst  io.WriteCloser // Close flushes what is buffered, waits for in-flight requests (bounded by a timeout), and returns the first error
	Open func() (io.WriteCloser, error)
	Key  string // destinations with the same Key share one Dst/Writer (e.g. "httpevent:" + servers)
	// QueueBytes bounds the Writer's queue; 0: the sample's
	// outputQueueBytes, else DefaultQueueBytes.
	QueueBytes int
	// DefaultQueueBytes is the output's bound when the sample sets no
	// outputQueueBytes; 0: output.DefaultQueueBytes.
	DefaultQueueBytes int
	Flush             bool   // flush the destination at the end of each interval (spool)
	Stanza            string // when set, the stanza attribute of every event (the modular input's own)
	Stdout            bool   // the destination is Env.Stdout: the engine writes Env.Format's header and footer
}

// Env is what the engine lends the outputs: its standard output and the
// format encoder chosen for it (stdout, modinput), the stanza attribute
// of events written there, and a logger for the output's messages (never
// stdout).
type Env struct {
	Stdout       io.Writer      // nil: there is no standard output to write to
	Format       output.Encoder // raw, jsonl or the modular input's XML
	StreamStanza string
	Splice       bool // the modinput output may vmsplice(2) into a stdout pipe (engine.Options.Splice)
	Log          *slog.Logger
}

// Opener opens an output for a sample.
type Opener func(s *config.Sample, env Env) (*Output, error)

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
// open is nil in a build that only validates (validate-wasm's, GOOS=js,
// which leaves out the code that opens destinations): Open then answers
// ErrNotAvailable. Registering the same mode twice, or a nil Validator,
// panics.
func Register(mode string, open Opener, validate Validator) {
	regMu.Lock()
	defer regMu.Unlock()
	if validate == nil {
		panic("outputs: Register " + mode + " with a nil Validator")
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
// -tags cloud, compiles all network outputs out) or only its checks (the
// js build).
func Open(s *config.Sample, env Env) (*Output, error) {
	regMu.RLock()
	p, ok := registry[s.OutputMode]
	regMu.RUnlock()
	if !ok || p.open == nil {
		return nil, fmt.Errorf("outputMode %q: %w", s.OutputMode, ErrNotAvailable)
	}
	if env.Log == nil {
		env.Log = slog.New(slog.DiscardHandler)
	}
	return p.open(s, env)
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
