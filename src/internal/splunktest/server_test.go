package splunktest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/splunk"
)

// call sends a request and returns the status and body.
func call(t *testing.T, method, u string, form url.Values, hdr map[string]string) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func newFake(t *testing.T) (*Server, string, map[string]string) {
	t.Helper()
	fake := New(Options{Now: func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }})
	fake.SetStanza("SA-Eventgen", "default", map[string]string{"host": "inherited"})
	fake.SetStanza("SA-Eventgen", "web.log", map[string]string{"count": "20", "interval": "010", "disabled": "0", "token.0.token": `\d+`})
	fake.SetStanza("Other_TA", "fw.csv", map[string]string{"disabled": "true"})
	fake.AddApp("Locked_TA", false)
	fake.SetStanza("Locked_TA", "locked.log", map[string]string{"count": "1"})
	fake.AddApp("Locked_TA", false)
	base := fake.Start()
	t.Cleanup(fake.Close)
	return fake, base, map[string]string{"Authorization": "Splunk " + fake.SessionKey()}
}

// TestConfShapes checks the JSON of a list against splunk-platform.md §2.2.
func TestConfShapes(t *testing.T) {
	_, base, auth := newFake(t)
	status, body := call(t, "GET", base+"/servicesNS/-/-/configs/conf-eventgen?output_mode=json&count=0", nil, auth)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var doc struct {
		Origin string `json:"origin"`
		Entry  []struct {
			Name    string         `json:"name"`
			ID      string         `json:"id"`
			ACL     map[string]any `json:"acl"`
			Content map[string]any `json:"content"`
		} `json:"entry"`
		Paging   map[string]int `json:"paging"`
		Messages []any          `json:"messages"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Entry) != 4 || doc.Paging["total"] != 4 || doc.Messages == nil {
		t.Fatalf("entries %d, paging %v, messages %v", len(doc.Entry), doc.Paging, doc.Messages)
	}
	web := doc.Entry[1]
	if web.Name != "web.log" || web.ID != "https://127.0.0.1:8089/servicesNS/nobody/SA-Eventgen/configs/conf-eventgen/web.log" {
		t.Errorf("entry %s id %s", web.Name, web.ID)
	}
	for k, want := range map[string]any{"count": 20.0, "interval": "010", "disabled": false, "host": "inherited", "eai:acl": nil, "eai:appName": "SA-Eventgen", "eai:userName": "nobody", "token.0.token": `\d+`} {
		if got, ok := web.Content[k]; !ok || got != want {
			t.Errorf("content[%s] = %#v, want %#v", k, got, want)
		}
	}
	if web.ACL["app"] != "SA-Eventgen" || web.ACL["can_write"] != true || web.ACL["sharing"] != "system" {
		t.Errorf("acl %v", web.ACL)
	}
	if fw := doc.Entry[2]; fw.Content["disabled"] != true || fw.ACL["app"] != "Other_TA" {
		t.Errorf("fw.csv %v %v", fw.Content, fw.ACL)
	}
	if l := doc.Entry[3]; l.ACL["can_write"] != false || l.ACL["removable"] != false {
		t.Errorf("read-only app acl %v", l.ACL)
	}
}

func TestConfPagingAndNamespaces(t *testing.T) {
	_, base, auth := newFake(t)
	names := func(path string) (int, []string, map[string]int) {
		status, body := call(t, "GET", base+path, nil, auth)
		var doc struct {
			Entry []struct {
				Name string `json:"name"`
			} `json:"entry"`
			Paging map[string]int `json:"paging"`
		}
		_ = json.Unmarshal([]byte(body), &doc)
		var out []string
		for _, e := range doc.Entry {
			out = append(out, e.Name)
		}
		return status, out, doc.Paging
	}
	for _, c := range []struct {
		path   string
		status int
		want   string
		paging string
	}{
		{"/servicesNS/-/-/configs/conf-eventgen?output_mode=json&count=2&offset=1", 200, "web.log fw.csv", "map[offset:1 perPage:2 total:4]"},
		{"/servicesNS/-/-/configs/conf-eventgen?output_mode=json&count=-1&offset=9", 200, "", "map[offset:4 perPage:0 total:4]"},
		{"/servicesNS/nobody/Other_TA/configs/conf-eventgen?output_mode=json", 200, "fw.csv", "map[offset:0 perPage:30 total:1]"},
		{"/services/configs/conf-eventgen/web.log?output_mode=json", 200, "web.log", "map[offset:0 perPage:30 total:1]"},
		{"/servicesNS/nobody/Other_TA/configs/conf-eventgen/web.log?output_mode=json", 404, "", "map[]"},
		{"/servicesNS/nobody/NoSuchApp/configs/conf-eventgen?output_mode=json", 404, "", "map[]"},
		{"/servicesNS/-/-/configs/conf-eventgen?count=x", 400, "", "map[]"},
		{"/servicesNS/-/-/configs/conf-eventgen?offset=-1", 400, "", "map[]"},
		{"/servicesNS/-/-/configs/conf-eventgen/a/b", 404, "", "map[]"},
		{"/servicesNS/-/-/configs/conf-props", 404, "", "map[]"},
		{"/servicesNS/-", 404, "", "map[]"},
	} {
		status, got, paging := names(c.path)
		if status != c.status || strings.Join(got, " ") != c.want || (c.status == 200 && ((map[string]int)(paging) == nil || fmtMap(paging) != c.paging)) {
			t.Errorf("GET %s = %d %v %v, want %d %q %s", c.path, status, got, paging, c.status, c.want, c.paging)
		}
	}
}

func fmtMap(m map[string]int) string {
	b, _ := json.Marshal(m)
	r := strings.NewReplacer(`{`, "map[", `}`, "]", `"`, "", `,`, " ")
	return r.Replace(string(b))
}

// TestConfWrites covers create, update, delete and each error answer.
func TestConfWrites(t *testing.T) {
	fake, base, auth := newFake(t)
	ns := base + "/servicesNS/nobody/SA-Eventgen/configs/conf-eventgen"
	msg := func(body string) string {
		var m struct {
			Messages []message `json:"messages"`
		}
		_ = json.Unmarshal([]byte(body), &m)
		if len(m.Messages) != 1 {
			return "no single message: " + body
		}
		return m.Messages[0].Type + " " + m.Messages[0].Text
	}
	for _, c := range []struct {
		name, method, url string
		form              url.Values
		status            int
		message           string // "" = success
	}{
		{"create", "POST", ns, url.Values{"name": {"new.log"}, "count": {"3"}, "output_mode": {"json"}}, 201, ""},
		{"create again", "POST", ns, url.Values{"name": {"new.log"}}, 409, "ERROR An object with name=new.log already exists"},
		{"create without name", "POST", ns, url.Values{"count": {"3"}}, 400, "ERROR The following required arguments are missing: name."},
		{"create in wildcard", "POST", base + "/servicesNS/-/-/configs/conf-eventgen", url.Values{"name": {"x"}}, 400, "ERROR Cannot write to the wildcard app namespace '-'; use servicesNS/nobody/<app>/configs/conf-eventgen"},
		{"create read-only", "POST", base + "/servicesNS/nobody/Locked_TA/configs/conf-eventgen", url.Values{"name": {"x"}}, 403, "ERROR You (user=splunk-system-user) do not have permission to perform this operation (requires capability: admin_all_objects or write access to app Locked_TA)."},
		{"update", "POST", ns + "/new.log", url.Values{"count": {"4"}, "disabled": {"1"}}, 200, ""},
		{"clear", "POST", ns + "/new.log", url.Values{"count": {""}}, 200, ""},
		{"update absent", "POST", ns + "/none.log", url.Values{"count": {"4"}}, 404, "ERROR Could not find object id=none.log"},
		{"update read-only", "POST", base + "/servicesNS/nobody/Locked_TA/configs/conf-eventgen/locked.log", url.Values{"count": {"4"}}, 403, "ERROR You (user=splunk-system-user) do not have permission to perform this operation (requires capability: admin_all_objects or write access to app Locked_TA)."},
		{"update name", "POST", ns + "/new.log", url.Values{"name": {"y"}}, 400, `ERROR Argument "name" is not supported by this handler.`},
		{"update eai", "POST", ns + "/new.log", url.Values{"eai:appName": {"y"}}, 400, `ERROR Argument "eai:appName" is not supported by this handler.`},
		{"delete read-only", "DELETE", base + "/servicesNS/nobody/Locked_TA/configs/conf-eventgen/locked.log", nil, 403, "ERROR You (user=splunk-system-user) do not have permission to perform this operation (requires capability: admin_all_objects or write access to app Locked_TA)."},
		{"delete collection", "DELETE", ns, nil, 405, "ERROR DELETE needs a stanza: configs/conf-eventgen/<name>"},
		{"put", "PUT", ns, nil, 405, "ERROR Method PUT is not allowed on this endpoint"},
		{"delete", "DELETE", ns + "/new.log", nil, 200, ""},
		{"delete absent", "DELETE", ns + "/new.log", nil, 404, "ERROR Could not find object id=new.log"},
		{"escaped name", "POST", ns, url.Values{"name": {`.*\.log`}, "count": {"1"}}, 201, ""},
		{"update escaped", "POST", ns + "/" + url.PathEscape(`.*\.log`), url.Values{"count": {"2"}}, 200, ""},
	} {
		status, body := call(t, c.method, c.url, c.form, auth)
		if status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.name, status, c.status, body)
			continue
		}
		if c.message != "" && msg(body) != c.message {
			t.Errorf("%s: message %q, want %q", c.name, msg(body), c.message)
		}
		if c.name == "update" {
			if v, _ := fake.Stanza("SA-Eventgen", "new.log"); v["count"] != "4" || v["disabled"] != "1" {
				t.Errorf("after update: %v", v)
			}
		}
		if c.name == "clear" {
			if v, _ := fake.Stanza("SA-Eventgen", "new.log"); v["count"] != "" {
				t.Errorf("after clear: %v", v)
			}
		}
	}
	if _, ok := fake.Stanza("SA-Eventgen", "new.log"); ok {
		t.Error("new.log survived its deletion")
	}
	if v, _ := fake.Stanza("SA-Eventgen", `.*\.log`); v["count"] != "2" {
		t.Errorf("escaped stanza: %v", v)
	}
	if w := fake.Writes(); len(w) != 17 || w[0].Form.Get("name") != "new.log" || w[0].Form.Get("output_mode") != "json" || w[1].Status != 409 {
		t.Errorf("writes: %d %+v", len(w), w)
	}
	if _, ok := fake.Stanza("NoSuchApp", "x"); ok {
		t.Error("stanza of an unknown app")
	}
}

func TestAuth(t *testing.T) {
	_, base, _ := newFake(t)
	for _, hdr := range []map[string]string{nil, {"Authorization": "Splunk wrong"}, {"Authorization": "Bearer fake-session-key"}} {
		status, body := call(t, "GET", base+"/servicesNS/-/-/configs/conf-eventgen", nil, hdr)
		if status != 401 || !strings.Contains(body, `{"type":"WARN","text":"call not properly authenticated"}`) {
			t.Errorf("%v: %d %s", hdr, status, body)
		}
	}
}

// TestModinputClient reads the fake with the modular input's own client.
func TestModinputClient(t *testing.T) {
	fake := New(Options{})
	fake.SetStanza("SA-Eventgen", "web.log", map[string]string{"count": "20", "disabled": "false"})
	fake.SetStanza("Other_TA", "fw.csv", map[string]string{"sourcetype": "fw"})
	base := fake.StartTLS()
	defer fake.Close()
	c, err := splunk.NewClient(base, fake.SessionKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	apps, err := c.EventgenConf(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || apps[0].App != "SA-Eventgen" || apps[0].Stanzas[0].Values["count"].Text != "20" ||
		apps[0].Stanzas[0].Values["disabled"].Text != "false" || apps[1].App != "Other_TA" || apps[1].Stanzas[0].Values["sourcetype"].Text != "fw" {
		t.Errorf("apps %+v", apps)
	}
}

func TestSearch(t *testing.T) {
	fake, base, auth := newFake(t)
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	fake.AddEvent("main", "access", "web.log", "h1", now.Add(-time.Minute), `GET /a "quoted"`)
	fake.AddEvent("main", "access", "web.log", "h1", now.Add(-2*time.Minute), `GET /b`)
	fake.AddEvent("main", "access", "web.log", "h1", now.Add(-time.Hour), `GET /old`)
	fake.AddEvent("other", "access", "web.log", "h1", now.Add(-time.Minute), `GET /other`)
	fake.AddInternal(now.Add(-time.Second), ExecProcessorLine(now.Add(-time.Second), `INFO eventgen_status stanza=web.log app=SA-Eventgen state=idle`))
	fake.AddInternal(now.Add(-time.Second), `11-23-2026 11:59:59.000 +0000 INFO  TailReader [1 x] - eventgen_status elsewhere`)
	jobs := base + "/servicesNS/-/SA-Eventgen/search/jobs"
	for _, c := range []struct {
		search string
		form   url.Values
		status int
		want   string // the _raw values, "|"-separated, or the message
	}{
		{`search index=main sourcetype="access" earliest=-15m | head 10 | fields _time _raw`, nil, 200, `GET /a "quoted"|GET /b`},
		{`search index="main" "quoted" | head 1`, nil, 200, `GET /a "quoted"`},
		{`search index=main sourcetype=access | head`, url.Values{"count": {"1"}}, 200, `GET /a "quoted"`},
		{`index=main source="web.log" host=h1 earliest=-1d`, nil, 200, `GET /a "quoted"|GET /b|GET /old`},
		{`search index=main GET AND "/b"`, url.Values{"earliest_time": {"-15m"}}, 200, `GET /b`},
		{`search index=_internal sourcetype=splunkd component=ExecProcessor "eventgen_status" earliest=-15m | head 5000 | fields _time _raw`, nil, 200, ExecProcessorLine(now.Add(-time.Second), `INFO eventgen_status stanza=web.log app=SA-Eventgen state=idle`)},
		{`search index=main | stats count`, nil, 400, `FATAL Unknown search command 'stats'.`},
		{`search index=main | head x`, nil, 400, `FATAL Error in 'head' command: Invalid argument: 'x'`},
		{`search index="main`, nil, 400, `FATAL Unbalanced quotes.`},
		{`search foo=bar`, nil, 400, `FATAL this fake search understands only index, sourcetype, source, host, component, earliest and words, not foo=`},
		{`search earliest=yesterday`, nil, 400, `FATAL Invalid value "yesterday" for time term 'earliest'`},
		{`search index=main |`, nil, 400, `FATAL Empty search.`},
		{` `, nil, 400, `ERROR Empty search.`},
		{`search x`, url.Values{"exec_mode": {"normal"}}, 400, `ERROR this fake runs only exec_mode=oneshot searches, not exec_mode=normal`},
	} {
		form := url.Values{"search": {c.search}, "exec_mode": {"oneshot"}, "output_mode": {"json"}}
		for k, v := range c.form {
			form[k] = v
		}
		status, body := call(t, "POST", jobs, form, auth)
		var doc struct {
			Results []struct {
				Time string `json:"_time"`
				Raw  string `json:"_raw"`
			} `json:"results"`
			Messages []message `json:"messages"`
		}
		_ = json.Unmarshal([]byte(body), &doc)
		var got []string
		for _, r := range doc.Results {
			got = append(got, r.Raw)
		}
		for _, m := range doc.Messages {
			got = append(got, m.Type+" "+m.Text)
		}
		if status != c.status || strings.Join(got, "|") != c.want {
			t.Errorf("%s: %d %q, want %d %q", c.search, status, strings.Join(got, "|"), c.status, c.want)
		}
		if c.status == 200 && len(doc.Results) > 0 && !strings.HasSuffix(doc.Results[0].Time, "+00:00") {
			t.Errorf("_time %q", doc.Results[0].Time)
		}
	}
	if status, _ := call(t, "GET", jobs, nil, auth); status != 405 {
		t.Errorf("GET search/jobs: %d", status)
	}
	if s := fake.Searches(); len(s) != 13 {
		t.Errorf("%d searches recorded", len(s))
	}
}

func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{`search index=main sourcetype="a \"b\" c" earliest=-15m | head 10 | fields _time _raw`, `x="`, `a=b=c`, `| head 3`, `"\\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseSearch(s)
		if err == nil && (q == nil || q.filters == nil) {
			t.Fatal("no query and no error")
		}
	})
}

// TestWeb covers the Splunk Web side: the page, static files, the CSRF
// cookie and the proxy's form-key check.
func TestWeb(t *testing.T) {
	root, _ := filepath.Abs("../../..")
	extra := t.TempDir()
	os.WriteFile(filepath.Join(extra, "validate.wasm"), []byte("\x00asm"), 0o644)
	fake := New(Options{AppDir: filepath.Join(root, "app"), StaticDirs: []string{extra}})
	base := fake.Start()
	defer fake.Close()

	resp, err := http.Get(base + "/en-US/app/SA-Eventgen/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	port := base[strings.LastIndex(base, ":")+1:]
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "splunkweb_csrf_token_"+port {
			cookie = c
		}
	}
	if resp.StatusCode != 200 || cookie == nil || cookie.Value != fake.FormKey() {
		t.Fatalf("default view: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	for _, want := range []string{`<div id="eventgen-editor"`, `<script src="/en-US/static/app/SA-Eventgen/eventgen_editor.js">`, `href="/en-US/static/app/SA-Eventgen/eventgen_editor.css"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, c := range []struct {
		path   string
		status int
		ctype  string
	}{
		{"/en-US/static/app/SA-Eventgen/eventgen_editor.js", 200, "text/javascript; charset=utf-8"},
		{"/en-US/static/app/SA-Eventgen/eventgen_editor.css", 200, "text/css; charset=utf-8"},
		{"/en-US/static/app/SA-Eventgen/validate.wasm", 200, "application/wasm"},
		{"/en-US/static/app/SA-Eventgen/../default/app.conf", 404, ""},
		{"/en-US/static/app/SA-Eventgen/", 404, ""},
		{"/en-US/static/app/Other/x.js", 404, ""},
		{"/en-US/static/app/SA-Eventgen/missing.js", 404, ""},
		{"/en-US/app/SA-Eventgen/nosuchview", 404, ""},
		{"/en-US/app/SA-Eventgen/..%2fx", 404, ""},
		{"/en-US/app/Other/eventgen_editor", 404, ""},
		{"/en-US/splunkd/other", 404, ""},
		{"/en-US/manager/x", 404, ""},
		{"/xx/app/SA-Eventgen/eventgen_editor", 404, ""},
	} {
		resp, err := http.Get(base + c.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status || (c.ctype != "" && resp.Header.Get("Content-Type") != c.ctype) {
			t.Errorf("GET %s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}

	proxied := base + "/en-US/splunkd/__raw/servicesNS/nobody/SA-Eventgen/configs/conf-eventgen"
	form := url.Values{"name": {"a.log"}}
	good := map[string]string{"Cookie": cookie.Name + "=" + cookie.Value, "X-Splunk-Form-Key": fake.FormKey()}
	for _, hdr := range []map[string]string{
		nil,
		{"Cookie": cookie.Name + "=" + cookie.Value},
		{"Cookie": cookie.Name + "=" + cookie.Value, "X-Splunk-Form-Key": "wrong"},
		{"X-Splunk-Form-Key": fake.FormKey()},
	} {
		if status, body := call(t, "POST", proxied, form, hdr); status != 403 || !strings.Contains(body, "X-Splunk-Form-Key") {
			t.Errorf("POST with %v: %d %s", hdr, status, body)
		}
	}
	if len(fake.Writes()) != 0 {
		t.Errorf("refused writes reached splunkd: %v", fake.Writes())
	}
	if status, body := call(t, "POST", proxied, form, good); status != 201 {
		t.Errorf("POST with the form key: %d %s", status, body)
	}
	if status, body := call(t, "GET", proxied+"/a.log?output_mode=json", nil, nil); status != 200 || !strings.Contains(body, `"name":"a.log"`) {
		t.Errorf("GET through Splunk Web: %d %s", status, body)
	}
	if status, body := call(t, "DELETE", proxied+"/a.log", nil, good); status != 200 {
		t.Errorf("DELETE with the form key: %d %s", status, body)
	}
	if w := fake.Writes(); len(w) != 2 || w[0].Path != "/en-US/splunkd/__raw/servicesNS/nobody/SA-Eventgen/configs/conf-eventgen" {
		t.Errorf("writes %+v", w)
	}

	// No app folder: no pages.
	bare := New(Options{})
	h := bare.Handler()
	for _, p := range []string{"/en-US/app/SA-Eventgen/eventgen_editor", "/en-US/static/app/SA-Eventgen/x.js"} {
		rec := httptestRecorder(h, p)
		if rec != 404 {
			t.Errorf("%s without AppDir: %d", p, rec)
		}
	}
	if bare.URL() != "" {
		t.Error("URL before Start")
	}
	bare.Close()
}

func httptestRecorder(h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	return rec.Code
}

func TestReceiversSimple(t *testing.T) {
	s := New(Options{})
	url := s.Start()
	defer s.Close()
	for _, c := range []struct {
		name, method, key, body string
		status                  int
	}{
		{"two events", http.MethodPost, s.SessionKey(), "a\nb\n", 200},
		{"last line without a newline", http.MethodPost, s.SessionKey(), "c", 200},
		{"wrong key", http.MethodPost, "nope", "d\n", 401},
		{"GET", http.MethodGet, s.SessionKey(), "", 405},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, url+"/services/receivers/simple?index=main&sourcetype=st", strings.NewReader(c.body))
			req.Header.Set("Authorization", "Splunk "+c.key)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("status %d, want %d", resp.StatusCode, c.status)
			}
		})
	}
	if ev, by, rq := s.Received(); ev != 3 || by != 5 || rq != 2 {
		t.Errorf("received %d events, %d bytes, %d requests; want 3, 5, 2", ev, by, rq)
	}
}
