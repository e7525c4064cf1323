package splunktest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// managementURL is how entries name themselves ("id"), as splunkd does
// with its own management URI whatever address the client used.
const managementURL = "https://127.0.0.1:8089"

// conf answers configs/conf-eventgen[/<name>] in the namespace
// owner/appName ("-" = every app).
func (s *Server) conf(w http.ResponseWriter, r *http.Request, owner, appName, name string, one bool, user string) {
	if r.Method == http.MethodGet {
		s.confGet(w, r, appName, name, one)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodDelete {
		writeMessages(w, http.StatusMethodNotAllowed, "ERROR", "Method "+r.Method+" is not allowed on this endpoint")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeMessages(w, http.StatusBadRequest, "ERROR", "Cannot parse the request body: "+err.Error())
		return
	}
	form, work := url.Values{}, url.Values{}
	for k, v := range r.PostForm {
		form[k], work[k] = v, v
	}
	status := s.confWrite(w, r.Method, appName, name, one, work, user)
	s.mu.Lock()
	s.writes = append(s.writes, Write{Method: r.Method, Path: r.URL.EscapedPath(), Form: form, Status: status})
	s.mu.Unlock()
}

// confGet lists (with count and offset) or reads one stanza.
func (s *Server) confGet(w http.ResponseWriter, r *http.Request, appName, name string, one bool) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	var entries []map[string]any
	for _, an := range s.appOrder {
		a := s.apps[an]
		if appName != "-" && an != appName {
			continue
		}
		for _, st := range a.stanzas {
			if !one || st.name == name {
				entries = append(entries, s.entry(a, st))
			}
		}
	}
	if one && len(entries) == 0 {
		writeMessages(w, http.StatusNotFound, "ERROR", "Could not find object id="+name)
		return
	}
	total := len(entries)
	count, offset := 30, 0
	if v := q.Get("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeMessages(w, http.StatusBadRequest, "ERROR", "Argument \"count\" must be an integer: "+v)
			return
		}
		count = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeMessages(w, http.StatusBadRequest, "ERROR", "Argument \"offset\" must be a non-negative integer: "+v)
			return
		}
		offset = n
	}
	offset = min(offset, total)
	entries = entries[offset:]
	if count > 0 && count < len(entries) {
		entries = entries[:count]
	}
	if count < 0 {
		count = 0 // -1 means all, as 0 does; splunkd reports perPage 0
	}
	s.writeFeed(w, http.StatusOK, r.URL.Path, entries, total, count, offset)
}

// confWrite creates, updates or deletes, answers, and returns the status.
func (s *Server) confWrite(w http.ResponseWriter, method, appName, name string, one bool, form url.Values, user string) int {
	fail := func(status int, text string) int {
		writeMessages(w, status, "ERROR", text)
		return status
	}
	if appName == "-" {
		return fail(http.StatusBadRequest, "Cannot write to the wildcard app namespace '-'; use servicesNS/nobody/<app>/configs/conf-eventgen")
	}
	delete(form, "output_mode")
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[appName]
	denied := func() int {
		return fail(http.StatusForbidden, fmt.Sprintf("You (user=%s) do not have permission to perform this operation (requires capability: admin_all_objects or write access to app %s).", user, appName))
	}
	for k := range form {
		if strings.HasPrefix(k, "eai:") || (one && k == "name") {
			return fail(http.StatusBadRequest, fmt.Sprintf("Argument %q is not supported by this handler.", k))
		}
	}
	now := s.opts.Now()
	switch {
	case method == http.MethodPost && !one:
		n := strings.TrimSpace(form.Get("name"))
		if n == "" {
			return fail(http.StatusBadRequest, "The following required arguments are missing: name.")
		}
		if !a.writable {
			return denied()
		}
		if a.find(n) != nil {
			return fail(http.StatusConflict, "An object with name="+n+" already exists")
		}
		delete(form, "name")
		st := &stanza{name: n, values: map[string]string{}, updated: now}
		for _, k := range sortedKeys(first(form)) {
			st.set(k, form.Get(k))
		}
		a.stanzas = append(a.stanzas, st)
		s.writeFeed(w, http.StatusCreated, "/servicesNS/nobody/"+url.PathEscape(appName)+"/configs/conf-eventgen", []map[string]any{s.entry(a, st)}, 1, 30, 0)
		return http.StatusCreated
	case method == http.MethodPost:
		st := a.find(name)
		if st == nil {
			return fail(http.StatusNotFound, "Could not find object id="+name)
		}
		if !a.writable {
			return denied()
		}
		for _, k := range sortedKeys(first(form)) {
			st.set(k, form.Get(k))
		}
		st.updated = now
		s.writeFeed(w, http.StatusOK, "/servicesNS/nobody/"+url.PathEscape(appName)+"/configs/conf-eventgen", []map[string]any{s.entry(a, st)}, 1, 30, 0)
		return http.StatusOK
	case method == http.MethodDelete && one:
		st := a.find(name)
		if st == nil {
			return fail(http.StatusNotFound, "Could not find object id="+name)
		}
		if !a.writable {
			return denied()
		}
		var rest []map[string]any
		kept := a.stanzas[:0]
		for _, x := range a.stanzas {
			if x != st {
				kept = append(kept, x)
				rest = append(rest, s.entry(a, x))
			}
		}
		a.stanzas = kept
		s.writeFeed(w, http.StatusOK, "/servicesNS/nobody/"+url.PathEscape(appName)+"/configs/conf-eventgen", rest, len(rest), 30, 0)
		return http.StatusOK
	}
	return fail(http.StatusMethodNotAllowed, "DELETE needs a stanza: configs/conf-eventgen/<name>")
}

// ReadConf reads an eventgen.conf file into app's stanzas (adding the app,
// writable, if needed) with the project's Splunk .conf reader, as splunkd
// reads an app's default/ and local/ files: calling it for default/ and
// then local/ layers them key by key. It returns what the reader warns
// about (duplicate keys, ignored lines, ...), which splunkd would apply
// silently, and an error if the file cannot be read or is not UTF-8 text.
func (s *Server) ReadConf(appName, path string) ([]*conf.Error, error) {
	f, err := conf.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[appName]
	if a == nil {
		a = &app{name: appName, writable: true}
		s.apps[appName] = a
		s.appOrder = append(s.appOrder, appName)
	}
	now := s.opts.Now()
	for _, cs := range f.Stanzas {
		st := a.find(cs.Name)
		if st == nil {
			st = &stanza{name: cs.Name, values: map[string]string{}}
			a.stanzas = append(a.stanzas, st)
		}
		for _, k := range cs.Keys {
			st.set(k, cs.Values[k].Text)
		}
		st.updated = now
	}
	return f.Warnings, nil
}

// first keeps the first value of each form key.
func first(form url.Values) map[string]string {
	m := make(map[string]string, len(form))
	for k, v := range form {
		if len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m
}

// entry renders a stanza as splunkd does in JSON mode (splunk-platform.md
// §2.2): values typed where splunkd types them (disabled as a boolean,
// whole numbers as numbers), the app's [default] values inherited,
// eai:acl null, eai:appName and eai:userName set.
func (s *Server) entry(a *app, st *stanza) map[string]any {
	content := map[string]any{}
	if d := a.find("default"); d != nil && d != st {
		for k, v := range d.values {
			content[k] = typed(k, v)
		}
	}
	for k, v := range st.values {
		content[k] = typed(k, v)
	}
	if _, ok := content["disabled"]; !ok {
		content["disabled"] = false
	}
	content["eai:acl"] = nil
	content["eai:appName"] = a.name
	content["eai:userName"] = "nobody"
	path := "/servicesNS/nobody/" + url.PathEscape(a.name) + "/configs/conf-eventgen/" + url.PathEscape(st.name)
	write := []string{"admin", "sc_admin"}
	if !a.writable {
		write = []string{}
	}
	return map[string]any{
		"name":    st.name,
		"id":      managementURL + path,
		"updated": st.updated.Format(time.RFC3339),
		"links": map[string]string{
			"alternate": path, "list": path, "_reload": path + "/_reload",
			"edit": path, "remove": path, "disable": path + "/disable",
		},
		"author": "nobody",
		"acl": map[string]any{
			"app": a.name, "can_change_perms": a.writable, "can_list": true, "can_share_app": a.writable,
			"can_share_global": a.writable, "can_share_user": false, "can_write": a.writable,
			"modifiable": a.writable, "owner": "nobody", "removable": a.writable, "sharing": "system",
			"perms": map[string][]string{"read": {"*"}, "write": write},
		},
		"content": content,
	}
}

// typed is a value as splunkd's JSON shows it.
func typed(key, v string) any {
	if key == "disabled" {
		// A value that is no boolean stays text, so the client's own
		// parser reports it rather than this fake hiding it as false.
		if b, err := settings.ParseBool(v); err == nil {
			return b
		}
		return v
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && strconv.FormatInt(n, 10) == v {
		return n
	}
	return v
}

// writeFeed answers with the Atom-feed-as-JSON envelope.
func (s *Server) writeFeed(w http.ResponseWriter, status int, path string, entries []map[string]any, total, perPage, offset int) {
	if entries == nil {
		entries = []map[string]any{}
	}
	writeJSON(w, status, map[string]any{
		"links":     map[string]string{"create": path + "/_new", "_reload": path + "/_reload"},
		"origin":    managementURL + path,
		"updated":   s.opts.Now().Format(time.RFC3339),
		"generator": map[string]string{"build": "fake", "version": "9.4.0"},
		"entry":     entries,
		"paging":    map[string]int{"total": total, "perPage": perPage, "offset": offset},
		"messages":  []message{},
	})
}
