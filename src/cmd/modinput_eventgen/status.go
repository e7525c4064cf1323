package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/engine"
)

// The states of a status line.
const (
	stateGenerating    = "generating"     // wrote events since the last status line
	stateIdle          = "idle"           // running, nothing written since the last status line
	stateDone          = "done"           // reached its end
	stateFailed        = "failed"         // stopped by an error (last_error)
	stateNotGenerating = "not_generating" // in eventgen.conf but not running (reason)
)

// statusBoard writes one eventgen_status line per stanza to the log, which
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
type statusBoard struct {
	out     *slog.Logger
	now     func() time.Time
	started time.Time
	prev    map[string]engine.Interval // by stanza and sample: a restarted stanza continues its counters
	prevD   map[string]delivered       // the same, for the delivery fields
	shown   map[string]shownState
	skipped []statusSkip
}

// delivered is what a status line's delivery fields were computed from.
type delivered struct {
	at    time.Time
	stats delivery.Stats
}

type statusSkip struct{ stanza, app, reason string }

func newStatusBoard(log *slog.Logger) *statusBoard {
	b := &statusBoard{out: log, now: time.Now, prev: map[string]engine.Interval{}, prevD: map[string]delivered{}}
	b.started = b.now()
	return b
}

// configure records the stanzas that will not run: skipped by the
// configuration, or refused when prepared (problems of Error severity).
func (b *statusBoard) configure(cfg *config.Result, prepare []config.Problem) {
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
		b.skipped = append(b.skipped, statusSkip{s.Stanza, appOf(s.File), reason})
		seen[s.Stanza] = true
	}
	for _, p := range prepare {
		if p.Severity == config.Error && p.Stanza != "" && !seen[p.Stanza] {
			seen[p.Stanza] = true
			b.skipped = append(b.skipped, statusSkip{p.Stanza, appOf(stanzaFile(cfg, p.Stanza, p.File)), errs[p.Stanza]})
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

// log writes the status lines: running stanzas first, in configuration
// order, then those that do not run. With full false (the frequent
// check) it writes only the lines of running stanzas whose state or
// last-interval size changed since their last line, so that the page
// sees a new or edited stanza start within seconds, not at the next
// full round.
func (b *statusBoard) log(e *engine.Engine, full bool) {
	running := e.Stanzas()
	now := b.now()
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
		state, lastErr := stateIdle, ""
		switch err := st.Err(); {
		case err != nil:
			state, lastErr = stateFailed, err.Error()
		case events > 0:
			state = stateGenerating
		case stats.Ended:
			state = stateDone
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
		next[key], shown[key], nextD[key] = last, cur, delivered{now, d}
		secs := now.Sub(prevD.at).Seconds()
		dEvents, dBytes, retries, latency := events, bytes, int64(0), time.Duration(0)
		if isNet {
			dEvents, dBytes = d.Events-prevD.stats.Events, d.Bytes-prevD.stats.Bytes
			retries, latency = d.Retries-prevD.stats.Retries, d.Latency(prevD.stats)
		}
		b.out.Info("eventgen_status", "stanza", s.Stanza, "app", appOf(s.File), "sample", filepath.Base(s.Path), "state", state,
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
		b.out.Info("eventgen_status", "stanza", s.stanza, "app", s.app, "sample", "", "state", stateNotGenerating,
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

// appOf is the app of an eventgen.conf path: <app> in
// .../etc/apps/<app>/{default,local}/eventgen.conf, "system" for
// etc/system, else "".
func appOf(file string) string {
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
