package splunktest

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// query is what this fake understands of a search (see the package
// comment): it is not SPL.
type query struct {
	filters  map[string]string // index, sourcetype, source, host, component
	words    []string          // must occur in _raw
	earliest time.Duration     // > 0: only events after now-earliest
	head     int               // -1: no limit
}

// searchFields are the fields a filter may name.
var searchFields = map[string]bool{"index": true, "sourcetype": true, "source": true, "host": true, "component": true}

// parseSearch reads "search <terms> | head N | fields ...".
func parseSearch(q string) (*query, error) {
	cmds, err := splitPipes(q)
	if err != nil {
		return nil, err
	}
	out := &query{filters: map[string]string{}, head: -1}
	for i, cmd := range cmds {
		words, err := splitTerms(cmd)
		if err != nil {
			return nil, err
		}
		if len(words) == 0 {
			return nil, errors.New("Empty search.")
		}
		name := strings.ToLower(words[0].text)
		if i == 0 {
			if name == "search" && !words[0].quoted {
				words = words[1:]
			}
			if err := out.terms(words); err != nil {
				return nil, err
			}
			continue
		}
		switch name {
		case "head":
			n := 10
			if len(words) > 1 {
				if n, err = strconv.Atoi(words[1].text); err != nil || n < 0 {
					return nil, fmt.Errorf("Error in 'head' command: Invalid argument: '%s'", words[1].text)
				}
			}
			if out.head < 0 || n < out.head {
				out.head = n
			}
		case "fields":
			// Results always carry _time and _raw.
		default:
			return nil, fmt.Errorf("Unknown search command '%s'.", words[0].text)
		}
	}
	return out, nil
}

// terms reads the first command's filters and words.
func (q *query) terms(words []term) error {
	for _, w := range words {
		if w.field == "" {
			if !w.quoted && strings.EqualFold(w.text, "AND") {
				continue
			}
			q.words = append(q.words, w.text)
			continue
		}
		f := strings.ToLower(w.field)
		switch {
		case f == "earliest":
			d, err := parseRelative(w.text)
			if err != nil {
				return err
			}
			q.earliest = d
		case searchFields[f]:
			q.filters[f] = w.text
		default:
			return fmt.Errorf("this fake search understands only %s, earliest and words, not %s=", "index, sourcetype, source, host, component", w.field)
		}
	}
	return nil
}

// parseRelative reads -<n><unit> (s, m, h, d) or 0 (all time).
func parseRelative(s string) (time.Duration, error) {
	if s == "0" || s == "" {
		return 0, nil
	}
	units := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}
	if len(s) >= 3 && s[0] == '-' {
		if u, ok := units[s[len(s)-1]]; ok {
			if n, err := strconv.Atoi(s[1 : len(s)-1]); err == nil && n > 0 {
				return time.Duration(n) * u, nil
			}
		}
	}
	return 0, fmt.Errorf("Invalid value \"%s\" for time term 'earliest'", s)
}

// term is a word of a search: field=value, "quoted", or bare.
type term struct {
	field  string
	text   string
	quoted bool // the text (or value) was in double quotes
}

// splitPipes splits on "|" outside double quotes.
func splitPipes(q string) ([]string, error) {
	var cmds []string
	var b strings.Builder
	inQ, esc := false, false
	for _, r := range q {
		switch {
		case esc:
			esc = false
		case r == '\\' && inQ:
			esc = true
		case r == '"':
			inQ = !inQ
		case r == '|' && !inQ:
			cmds = append(cmds, b.String())
			b.Reset()
			continue
		}
		b.WriteRune(r)
	}
	if inQ {
		return nil, errors.New("Unbalanced quotes.")
	}
	return append(cmds, b.String()), nil
}

// splitTerms splits a command into terms: blanks separate them outside
// quotes; inside quotes \" and \\ are escapes, as in SPL.
func splitTerms(cmd string) ([]term, error) {
	var out []term
	var cur term
	var b strings.Builder
	started, inQ, esc := false, false, false
	flush := func() {
		if started {
			cur.text = b.String()
			out = append(out, cur)
		}
		cur, started = term{}, false
		b.Reset()
	}
	for _, r := range cmd {
		switch {
		case esc:
			b.WriteRune(r)
			esc = false
		case inQ && r == '\\':
			esc = true
		case r == '"':
			inQ = !inQ
			cur.quoted, started = true, true
		case inQ:
			b.WriteRune(r)
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			flush()
		case r == '=' && cur.field == "" && !cur.quoted && b.Len() > 0:
			cur.field = b.String()
			b.Reset()
			started = true
		default:
			b.WriteRune(r)
			started = true
		}
	}
	if inQ {
		return nil, errors.New("Unbalanced quotes.")
	}
	flush()
	return out, nil
}

// match reports whether an event passes the query's filters and words.
func (q *query) match(e Event, now time.Time) bool {
	vals := map[string]string{"index": e.Index, "sourcetype": e.Sourcetype, "source": e.Source, "host": e.Host, "component": e.Component}
	for f, want := range q.filters {
		if !strings.EqualFold(vals[f], want) {
			return false
		}
	}
	if q.earliest > 0 && e.Time.Before(now.Add(-q.earliest)) {
		return false
	}
	raw := strings.ToLower(e.Raw)
	for _, w := range q.words {
		if !strings.Contains(raw, strings.ToLower(w)) {
			return false
		}
	}
	return true
}

// search answers POST search/jobs with exec_mode=oneshot.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeMessages(w, http.StatusMethodNotAllowed, "ERROR", "Method "+r.Method+" is not allowed on search/jobs in this fake; POST with exec_mode=oneshot")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeMessages(w, http.StatusBadRequest, "ERROR", "Cannot parse the request body: "+err.Error())
		return
	}
	if m := r.PostForm.Get("exec_mode"); m != "oneshot" {
		writeMessages(w, http.StatusBadRequest, "ERROR", "this fake runs only exec_mode=oneshot searches, not exec_mode="+m)
		return
	}
	text := r.PostForm.Get("search")
	s.mu.Lock()
	s.searches = append(s.searches, text)
	s.mu.Unlock()
	if strings.TrimSpace(text) == "" {
		writeMessages(w, http.StatusBadRequest, "ERROR", "Empty search.")
		return
	}
	q, err := parseSearch(text)
	if err == nil && r.PostForm.Get("earliest_time") != "" {
		q.earliest, err = parseRelative(r.PostForm.Get("earliest_time"))
	}
	if err != nil {
		writeMessages(w, http.StatusBadRequest, "FATAL", err.Error())
		return
	}
	limit := 100 // splunkd's default count for oneshot results
	if c := r.PostForm.Get("count"); c != "" {
		if n, err := strconv.Atoi(c); err == nil && n >= 0 {
			limit = n
		}
	}
	now := s.opts.Now()
	s.mu.Lock()
	var found []Event
	for _, e := range s.events {
		if q.match(e, now) {
			found = append(found, e)
		}
	}
	s.mu.Unlock()
	sort.SliceStable(found, func(i, j int) bool { return found[i].Time.After(found[j].Time) })
	if q.head >= 0 && q.head < len(found) {
		found = found[:q.head]
	}
	if limit > 0 && limit < len(found) {
		found = found[:limit]
	}
	results := make([]map[string]string, 0, len(found))
	for _, e := range found {
		results = append(results, map[string]string{
			"_time": e.Time.Format("2006-01-02T15:04:05.000-07:00"), "_raw": e.Raw,
			"index": e.Index, "sourcetype": e.Sourcetype, "source": e.Source, "host": e.Host,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"preview": false, "init_offset": 0, "messages": []message{},
		"fields":  []map[string]string{{"name": "_time"}, {"name": "_raw"}},
		"results": results, "highlighted": map[string]any{},
	})
}
