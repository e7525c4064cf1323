// Package sample loads Eventgen sample files: raw text (one event per
// line, or multi-line events split by a breaker regex) and CSV samples
// whose rows carry _raw and per-event metadata (inventory §1.4
// sampletype, breaker).
package sample

import (
	"fmt"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/pyregex"
	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

// DefaultBreaker is the [global] breaker. A sample whose breaker equals
// it is read line by line, as Eventgen did.
const DefaultBreaker = `[^\r\n\s]+`

// Event is one sample event. Metadata fields are empty when the sample
// does not set them (raw samples, or CSV rows without that column).
type Event struct {
	Raw        string
	Index      string
	Host       string
	Source     string
	Sourcetype string
	// Fields holds every column of a CSV row (including _raw and _time),
	// for timeField; nil for raw samples.
	Fields map[string]string
}

// Options say how to read a sample.
type Options struct {
	Type    string // "raw" (default) or "csv"
	Breaker string // regex starting each event; "" or DefaultBreaker = one event per line
	// Warn receives what is read in a way the file may not mean (a CSV
	// row left out); nil discards it.
	Warn func(msg string)
}

// Load reads a sample file.
func Load(path string, opts Options) ([]Event, error) {
	text, err := textfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("read sample: %w", err)
	}
	return Parse(path, text, opts)
}

// Parse splits normalized sample text (see textfile.Normalize) into events.
func Parse(path, text string, opts Options) ([]Event, error) {
	var events []Event
	var err error
	switch opts.Type {
	case "", "raw":
		events, err = parseRaw(text, opts.Breaker)
	case "csv":
		events, err = parseCSV(text, opts.Warn)
	default:
		return nil, fmt.Errorf("sample %s: unknown sampletype %q; use raw or csv", path, opts.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("sample %s: %w", path, err)
	}
	if len(events) == 0 {
		return nil, fmt.Errorf("sample %s has no events (the file is empty or blank)", path)
	}
	return events, nil
}

// splunkHeader is the first line pytest-splunk-addon puts in samples,
// e.g. "***SPLUNK*** host=web01 sourcetype=access_combined": metadata for
// every event of the file (real-world-configs §13).
const splunkHeader = "***SPLUNK***"

// header splits off a ***SPLUNK*** line and returns its metadata.
func header(text string) (rest string, meta Event) {
	if !strings.HasPrefix(text, splunkHeader) {
		return text, meta
	}
	line, rest, _ := strings.Cut(text, "\n")
	for _, kv := range strings.Fields(line[len(splunkHeader):]) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		switch k {
		case "index":
			meta.Index = v
		case "host":
			meta.Host = v
		case "source":
			meta.Source = v
		case "sourcetype":
			meta.Sourcetype = v
		}
	}
	return rest, meta
}

func parseRaw(text, breaker string) ([]Event, error) {
	text, meta := header(text)
	var chunks []string
	if breaker == "" || breaker == DefaultBreaker {
		chunks = textfile.Lines(text)
	} else {
		re, err := pyregex.Compile(breaker, true)
		if err != nil {
			return nil, fmt.Errorf("breaker: %v", err)
		}
		ms, err := re.FindAll(text)
		if err != nil {
			return nil, fmt.Errorf("breaker: %v", err)
		}
		// Each match starts an event and stays at its start; text before
		// the first match is an event of its own.
		last := 0
		for _, m := range ms {
			if m.Start == 0 || m.Start == last {
				continue
			}
			chunks = append(chunks, text[last:m.Start])
			last = m.Start
		}
		chunks = append(chunks, text[last:])
	}
	events := make([]Event, 0, len(chunks))
	for _, c := range chunks {
		c = strings.TrimRight(c, "\n")
		if strings.TrimSpace(c) == "" {
			continue // blank lines are not events
		}
		ev := meta
		ev.Raw = c
		events = append(events, ev)
	}
	return events, nil
}

// parseCSV reads a CSV sample as Eventgen's csv.DictReader did (see
// pyCSV): the first row names the columns; a row without a _raw value is
// left out with a warning (Eventgen logged it and went on).
func parseCSV(text string, warn func(string)) ([]Event, error) {
	rows := pyCSV(text, warn)
	if len(rows) == 0 {
		return nil, nil
	}
	header := rows[0].fields
	rawCol := -1
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
		if header[i] == "_raw" { // a repeated column: the last wins, as in a Python dict
			rawCol = i
		}
	}
	if rawCol < 0 {
		return nil, fmt.Errorf("csv sample has no _raw column (header: %s); sampletype = csv needs one, or use sampletype = raw", strings.Join(header, ","))
	}
	var events []Event
	for _, row := range rows[1:] {
		rec := row.fields
		if rawCol >= len(rec) {
			if warn != nil {
				warn(fmt.Sprintf("csv line %d has no _raw value (%d columns, _raw is column %d); the row is left out", row.line, len(rec), rawCol+1))
			}
			continue
		}
		ev := Event{Raw: strings.TrimRight(rec[rawCol], "\n"), Fields: make(map[string]string, len(header))}
		for i, v := range rec {
			if i < len(header) {
				ev.Fields[header[i]] = v
			}
		}
		ev.Index, ev.Host = ev.Fields["index"], ev.Fields["host"]
		ev.Source, ev.Sourcetype = ev.Fields["source"], ev.Fields["sourcetype"]
		events = append(events, ev)
	}
	return events, nil
}
