package generate

import (
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

// Params is what a generator is built from: the sample, the stanza's
// random source, the token files shared by every stanza, and where
// non-fatal findings go.
type Params struct {
	Sample *config.Sample
	Rand   *rand.Rand
	Files  *token.FileCache // nil: token files are read for this generator alone
	Warn   func(msg string) // never nil when a Factory is called
	// PCG is the source Rand draws from, when the caller made Rand from
	// one (nil: unknown); Open sets Rand to rand.New(PCG) when Rand is
	// nil. The default generator's tokens draw from it directly
	// (token.NewPCGContext): the same numbers, with less work per draw.
	PCG *rand.PCG
	// Broken receives a token that cannot produce a value (its file is
	// missing, its replacement malformed): the generator leaves it out,
	// so the text it matches stays as written, and the stanza still
	// generates. Never nil when a Factory is called.
	Broken func(err *token.Error)
	// TokenWarn receives a finding about one token (a token file found
	// by its name in the sample directory, an unknown strftime
	// directive), located at the token's setting. Nil: Warn.
	TokenWarn func(spec token.Spec, msg string)
	// Log receives debug messages about choices made at start (never nil
	// when a Factory is called).
	Log *slog.Logger
	// Year is the year given to sample timestamps written without one
	// (replay reads them): the current year of the run's clock.
	Year int
}

// Factory builds the generator of one sample: it reads the sample's
// settings, checks them and compiles what it can once (sample file,
// tokens, templates). It returns a Generator, or for replay mode a
// Replayer; errors name the setting (file:line) when they can.
type Factory func(p Params) (any, error)

var (
	regMu    sync.RWMutex
	registry = map[string]Factory{}
)

// Register makes a generator available under name, the value of the
// generator setting. It is called from the init function of the
// generator's package (src/internal/generators/<name>/) and panics when
// a name is registered twice.
func Register(name string, f Factory) {
	regMu.Lock()
	defer regMu.Unlock()
	if f == nil {
		panic("generate: Register " + name + " with a nil Factory")
	}
	if _, dup := registry[name]; dup {
		panic("generate: Register called twice for " + name)
	}
	registry[name] = f
}

// Available lists the registered generators, sorted.
func Available() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Open builds the generator of p.Sample (its generator setting): exactly
// one of gen and replay is set.
func Open(p Params) (gen Generator, replay Replayer, err error) {
	s := p.Sample
	regMu.RLock()
	f, ok := registry[s.Generator]
	regMu.RUnlock()
	if !ok {
		return nil, nil, fmt.Errorf("generator %q is not available in this version", s.Generator)
	}
	if p.Rand == nil && p.PCG != nil {
		p.Rand = rand.New(p.PCG)
	}
	if p.Warn == nil {
		p.Warn = func(string) {}
	}
	if p.Broken == nil {
		warn := p.Warn
		p.Broken = func(err *token.Error) { warn(err.Error()) }
	}
	if p.Log == nil {
		p.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	g, err := f(p)
	if err != nil {
		return nil, nil, err
	}
	switch g := g.(type) {
	case Generator:
		return g, nil, nil
	case Replayer:
		return nil, g, nil
	}
	return nil, nil, fmt.Errorf("generator %q made a %T, neither a Generator nor a Replayer", s.Generator, g)
}

// New builds the generator of a sample (its generator setting) that
// makes events by intervals: every generator but replay.
func New(s *config.Sample, rng *rand.Rand, files *token.FileCache, warn func(string)) (Generator, error) {
	g, r, err := Open(Params{Sample: s, Rand: rng, Files: files, Warn: warn})
	if err == nil && r != nil {
		err = fmt.Errorf("generator %q replays events at their own times; it has no intervals", s.Generator)
	}
	return g, err
}
