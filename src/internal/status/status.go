// Package status is what each stanza of a running engine is doing: the
// eventgen_status lines the modular input logs (which the SA-Eventgen page
// searches) and the per-stanza figures eventgen serve shows on /status and
// /metrics. Both commands keep one Board.
package status

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/engine"
)

// The states of a status line.
const (
	StateGenerating    = "generating"     // wrote events since the last status line
	StateIdle          = "idle"           // running, nothing written since the last status line
	StateDone          = "done"           // reached its end
	StateFailed        = "failed"         // stopped by an error (last_error)
	StateNotGenerating = "not_generating" // in eventgen.conf but not running (reason)
)

// Board writes one eventgen_status line per stanza to the log, which
// splunkd files in splunkd.log (index=_internal): the SA-Eventgen page
// searches these lines to show each stanza's state, so they work on Splunk
// Cloud too, where nothing else of the input is reachable. The format is a
// contract with app/appserver/static/eventgen_editor.js:
//
//	INFO eventgen_status stanza=<name> app=<app> sample=<file> state=<state> interval_events=N interval_bytes=N events=N bytes=N intervals=N lag_s=F reason="" last_error="" broken_tokens=N warnings="" delivered_events_per_s=F delivered_bytes_per_s=F in_flight=N retries=N latency_ms=F
//
// events and bytes count since the previous status line; interval_* are
// the stanza's last interval. broken_tokens counts the tokens a running
// stanza generates without (they cannot produce a value, so the text they
// match stays as written); warnings says why, for the first of them.
//
// The delivery fields, since the previous status line, tell whether the
// generator or the receiver is the limit: for a network output (httpevent,
// splunkstream, tcpout, ...) the events and bytes per second its receiver
// took, the requests in flight now, the retries, and the mean round trip
// of its requests (latency_ms; HTTP outputs only, 0 without a request);
// figures of the destination, so stanzas sharing one show the same. For
// the local outputs (modinput, file, ...) delivered is what was written,
// and the other three are 0.
type Board struct {
	mu      sync.Mutex // Configure, Log, Observe and Snapshot may run in different goroutines
	out     *slog.Logger
	prev    map[string]engine.Interval // by stanza and sample: a restarted stanza continues its counters
	prevD   map[string]delivered       // the same, for the delivery fields
	now     func() time.Time
	started time.Time
	shown   map[string]shownState
	skipped []statusSkip
	rates   map[string]*rate // by stanza and sample, for Observe
	snap    []Stanza
}

// delivered is what a status line's delivery fields were computed from.
type delivered struct {
	at    time.Time
	stats delivery.Stats
}

type statusSkip struct{ stanza, app, reason string }

// New returns a Board that writes its status lines to log.
func New(log *slog.Logger) *Board {
	b := &Board{out: log, prev: map[string]engine.Interval{}, prevD: map[string]delivered{}, now: time.Now, rates: map[string]*rate{}}
	b.started = b.now()
	return b
}

// Configure records the stanzas that will not run: skipped by the
// configuration, or refused when prepared (problems of Error severity).
func (b *Board) Configure(cfg *config.Result, prepare []config.Problem) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.skipped = b.skipped[:0]
	errs := map[string]string{} // first error per stanza
	for _, p := range append(append([]config.Problem(nil), cfg.Problems...), prepare...) {
		if p.Severity == config.Error && p.Stanza != "" && errs[p.Stanza] == "" {
			errs[p.Stanza] = p.String()
		}
	}
	seen := map[string]bool{}
	for _, s := range cfg.Skipped {
		reason := s.Reason
		if e := errs[s.Stanza]; e != "" && strings.HasPrefix(reason, "configuration errors") {
			reason = e
		}
		b.skipped = append(b.skipped, statusSkip{s.Stanza, AppOf(s.File), reason})
		seen[s.Stanza] = true
	}
	for _, p := range prepare {
		if p.Severity == config.Error && p.Stanza != "" && !seen[p.Stanza] {
			seen[p.Stanza] = true
			b.skipped = append(b.skipped, statusSkip{p.Stanza, AppOf(stanzaFile(cfg, p.Stanza, p.File)), errs[p.Stanza]})
		}
	}
}

// stanzaFile is the eventgen.conf that defines a stanza (the samples
// know; a problem's own file may be a token file).
func stanzaFile(cfg *config.Result, stanza, fallback string) string {
	for _, s := range cfg.Samples {
		if s.Stanza == stanza {
			return s.File
		}
	}
	return fallback
}

// Log writes the status lines: running stanzas first, in configuration
// order, then those that do not run. With full false (the frequent
// check) it writes only the lines of running stanzas whose state or
// last-interval size changed since their last line, so that the page
// sees a new or edited stanza start within seconds, not at the next
// full round.
func (b *Board) Log(e *engine.Engine, full bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	running := e.Stanzas()
	at := b.now()
	nextD := make(map[string]delivered, len(running))
	next := make(map[string]engine.Interval, len(running))
	shown := make(map[string]shownState, len(running))
	for _, st := range running {
		s := st.Sample
		stats, last := st.Stats(), st.LastInterval()
		key := s.Stanza + "\x00" + s.Path
		prev := b.prev[key]
		// Figures as of the last completed interval: they agree with each
		// other even while the next interval runs.
		events, bytes := last.TotalEvents-prev.TotalEvents, last.TotalBytes-prev.TotalBytes
		state, lastErr := StateIdle, ""
		switch err := st.Err(); {
		case err != nil:
			state, lastErr = StateFailed, err.Error()
		case events > 0:
			state = StateGenerating
		case stats.Ended:
			state = StateDone
		}
		cur := shownState{state, last.Events, lastErr}
		prevD, seen := b.prevD[key]
		if old, ok := b.shown[key]; !full && ok && old == cur {
			next[key], shown[key], nextD[key] = prev, old, prevD
			continue
		}
		if !seen {
			prevD.at = b.started
		}
		d, _, isNet := st.Delivery()
		if d.Events < prevD.stats.Events || d.RoundTrips < prevD.stats.RoundTrips {
			prevD.stats = delivery.Stats{} // a new destination (reloaded)
		}
		next[key], shown[key], nextD[key] = last, cur, delivered{at, d}
		secs := at.Sub(prevD.at).Seconds()
		dEvents, dBytes, retries, latency := events, bytes, int64(0), time.Duration(0)
		if isNet {
			dEvents, dBytes = d.Events-prevD.stats.Events, d.Bytes-prevD.stats.Bytes
			retries, latency = d.Retries-prevD.stats.Retries, d.Latency(prevD.stats)
		}
		b.out.Info("eventgen_status", "stanza", s.Stanza, "app", AppOf(s.File), "sample", filepath.Base(s.Path), "state", state,
			"interval_events", last.Events, "interval_bytes", last.Bytes, "events", events, "bytes", bytes,
			"intervals", last.Done, "lag_s", fmt.Sprintf("%.3f", stats.Lag.Seconds()), "reason", "", "last_error", lastErr,
			"broken_tokens", len(st.BrokenTokens()), "warnings", brokenText(st.BrokenTokens()),
			"delivered_events_per_s", perSecond(dEvents, secs), "delivered_bytes_per_s", perSecond(dBytes, secs),
			"in_flight", d.InFlight, "retries", retries, "latency_ms", fmt.Sprintf("%.3f", float64(latency)/float64(time.Millisecond)))
	}
	b.prev, b.shown, b.prevD = next, shown, nextD
	if !full {
		return
	}
	for _, s := range b.skipped {
		b.out.Info("eventgen_status", "stanza", s.stanza, "app", s.app, "sample", "", "state", StateNotGenerating,
			"interval_events", 0, "interval_bytes", 0, "events", 0, "bytes", 0, "intervals", 0, "lag_s", "0.000", "reason", s.reason, "last_error", "",
			"broken_tokens", 0, "warnings", "",
			"delivered_events_per_s", "0.0", "delivered_bytes_per_s", "0.0", "in_flight", 0, "retries", 0, "latency_ms", "0.000")
	}
}

// perSecond formats n over secs, one decimal; 0.0 without a period.
func perSecond(n int64, secs float64) string {
	if secs <= 0 {
		return "0.0"
	}
	return fmt.Sprintf("%.1f", float64(n)/secs)
}

// brokenText is the warnings field: the first broken token's problem,
// and how many more there are.
func brokenText(broken []string) string {
	switch len(broken) {
	case 0:
		return ""
	case 1:
		return broken[0]
	}
	return fmt.Sprintf("%s (and %d more token(s), see splunkd.log)", broken[0], len(broken)-1)
}

// shownState is what a stanza's last status line said, to tell a change.
type shownState struct {
	state          string
	intervalEvents int64
	lastErr        string
}

// AppOf is the app of an eventgen.conf path: <app> in
// .../etc/apps/<app>/{default,local}/eventgen.conf, "system" for
// etc/system, else "".
func AppOf(file string) string {
	parts := strings.Split(filepath.ToSlash(file), "/")
	for i := len(parts) - 3; i >= 1; i-- {
		if parts[i] == "apps" && i+1 < len(parts)-1 {
			return parts[i+1]
		}
		if parts[i] == "system" && i >= 1 && parts[i-1] == "etc" {
			return "system"
		}
	}
	return ""
}

// Stanza is one stanza's figures as Observe last saw them: what
// eventgen serve shows on /status and /metrics.
type Stanza struct {
	Stanza string `json:"stanza"`
	App    string `json:"app,omitempty"`
	Sample string `json:"sample,omitempty"`
	State  string `json:"state"`
	// Reason is why a stanza does not generate; LastError why it stopped.
	Reason    string `json:"reason,omitempty"`
	LastError string `json:"last_error,omitempty"`
	// Totals since the stanza started (a reload that restarts it
	// continues them).
	Events    int64 `json:"events"`
	Bytes     int64 `json:"bytes"`
	Intervals int64 `json:"intervals"`
	// Rates over the last RateWindow.
	EventsPerSecond float64 `json:"events_per_second"`
	BytesPerSecond  float64 `json:"bytes_per_second"`
	// LagSeconds is how late the last interval started.
	LagSeconds   float64 `json:"lag_seconds"`
	BrokenTokens int     `json:"broken_tokens"`
	Warnings     string  `json:"warnings,omitempty"`
}

// RateWindow is the period over which Observe computes rates.
const RateWindow = 10 * time.Second

// rate remembers a stanza's totals at recent observations.
type rate struct {
	at            []time.Time
	events, bytes []int64
	offE, offB    int64 // totals of a previous engine stanza (a reload restarts counters)
	lastE, lastB  int64
	seen          bool
}

// Observe records the current figures of every stanza of e, for
// Snapshot. Call it regularly (every second): rates are the change over
// the last RateWindow.
func (b *Board) Observe(e *engine.Engine, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	running := e.Stanzas()
	snap := make([]Stanza, 0, len(running)+len(b.skipped))
	live := make(map[string]bool, len(running))
	for _, st := range running {
		s := st.Sample
		key := s.Stanza + "\x00" + s.Path
		live[key] = true
		stats := st.Stats()
		r := b.rates[key]
		if r == nil {
			r = &rate{}
			b.rates[key] = r
		}
		if r.seen && (stats.Events < r.lastE || stats.Bytes < r.lastB) {
			// A new engine stanza (restarted by a reload) counts from 0.
			r.offE, r.offB = r.offE+r.lastE, r.offB+r.lastB
		}
		r.seen, r.lastE, r.lastB = true, stats.Events, stats.Bytes
		events, bytes := r.offE+stats.Events, r.offB+stats.Bytes
		r.at, r.events, r.bytes = append(r.at, now), append(r.events, events), append(r.bytes, bytes)
		for len(r.at) > 2 && now.Sub(r.at[1]) >= RateWindow {
			r.at, r.events, r.bytes = r.at[1:], r.events[1:], r.bytes[1:]
		}
		var eps, bps float64
		if d := now.Sub(r.at[0]).Seconds(); d > 0 {
			eps, bps = float64(events-r.events[0])/d, float64(bytes-r.bytes[0])/d
		}
		state, lastErr := StateIdle, ""
		switch err := st.Err(); {
		case err != nil:
			state, lastErr = StateFailed, err.Error()
		case stats.Ended:
			state = StateDone
		case eps > 0:
			state = StateGenerating
		}
		snap = append(snap, Stanza{Stanza: s.Stanza, App: AppOf(s.File), Sample: filepath.Base(s.Path), State: state, LastError: lastErr,
			Events: events, Bytes: bytes, Intervals: stats.Intervals, EventsPerSecond: eps, BytesPerSecond: bps,
			LagSeconds: stats.Lag.Seconds(), BrokenTokens: len(st.BrokenTokens()), Warnings: brokenText(st.BrokenTokens())})
	}
	for key := range b.rates {
		if !live[key] {
			delete(b.rates, key)
		}
	}
	for _, s := range b.skipped {
		snap = append(snap, Stanza{Stanza: s.stanza, App: s.app, State: StateNotGenerating, Reason: s.reason})
	}
	b.snap = snap
}

// Snapshot returns the figures of the last Observe, running stanzas in
// configuration order, then those that do not run.
func (b *Board) Snapshot() []Stanza {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.snap)
}
