package splunk

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/loopback"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

const (
	// requestTimeout bounds each attempt; splunkd answers configs/conf-*
	// in milliseconds, so a hung attempt is better retried.
	requestTimeout = 10 * time.Second
	// retryMax retries a connection error, 429 or 5xx three times: enough
	// to ride out splunkd still starting up, short enough for the caller to
	// fall back to reading the files.
	retryMax = 3
	// retryWaitMin and retryWaitMax bound the exponential backoff (1 s,
	// 2 s, 4 s) and any Retry-After splunkd sends.
	retryWaitMin = time.Second
	retryWaitMax = 8 * time.Second
	// maxResponse bounds a configs/conf-eventgen answer; a few thousand
	// stanzas are a few MiB.
	maxResponse = 64 << 20
	// errorBodyLen is how much of an error answer HTTPError keeps.
	errorBodyLen = 512
)

// Client reads splunkd's REST API on the management port with the session
// key splunkd passed on stdin (splunk-platform.md §2.1).
type Client struct {
	base string // server_uri without a trailing "/"
	key  string
	log  *slog.Logger
	http *retryablehttp.Client
}

// NewClient returns a Client for splunkd at base, the server_uri of the
// input document (normally https://127.0.0.1:8089).
//
// TLS certificates are not verified when the host is a loopback address or
// "localhost": splunkd's default certificate is issued to
// SplunkServerDefaultCert and never matches 127.0.0.1, which is why the
// Splunk SDKs and SA-Eventgen do not verify either (§2.4). Any other host
// is verified, so a session key is never sent to an unauthenticated peer
// across the network.
//
// Requests are retried three times with exponential backoff on connection
// errors, 429 and 5xx, never on other 4xx; each attempt times out after 10
// s. log receives debug lines about requests and retries and may be nil;
// nothing is written anywhere else.
func NewClient(base, sessionKey string, log *slog.Logger) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return nil, fmt.Errorf("splunkd URI %s: %w", conf.QuoteShort(base), err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("splunkd URI %s: scheme must be https or http, like https://127.0.0.1:8089", conf.QuoteShort(base))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("splunkd URI %s has no host; expected something like https://127.0.0.1:8089", conf.QuoteShort(base))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("splunkd URI %s: expected scheme://host:port only", conf.QuoteShort(base))
	}

	transport := cleanTransport()
	transport.TLSClientConfig = tlsConfigFor(u.Hostname())

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &http.Client{Transport: transport, Timeout: requestTimeout}
	rc.Logger = nil // its default logger writes to stderr in its own format
	rc.RetryMax = retryMax
	rc.RetryWaitMin = retryWaitMin
	rc.RetryWaitMax = retryWaitMax
	rc.CheckRetry = retryablehttp.DefaultRetryPolicy
	rc.Backoff = cappedBackoff
	rc.ErrorHandler = giveUp
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Client{base: strings.TrimRight(u.String(), "/"), key: sessionKey, log: log, http: rc}
	rc.RequestLogHook = func(_ retryablehttp.Logger, r *http.Request, attempt int) {
		if attempt > 0 {
			c.log.Debug("retrying splunkd request", "url", r.URL.Redacted(), "retry", attempt)
		}
	}
	rc.ResponseLogHook = func(_ retryablehttp.Logger, r *http.Response) {
		c.log.Debug("splunkd answered", "url", r.Request.URL.Redacted(), "status", r.StatusCode)
	}
	return c, nil
}

// cleanTransport is a transport with no state shared with other clients,
// as go-cleanhttp's pooled transport but built here so the TLS config is
// ours alone.
func cleanTransport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment, // never used for loopback hosts
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}
}

// tlsConfigFor decides certificate verification for a splunkd host: skipped
// only for loopback (see NewClient).
func tlsConfigFor(host string) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: loopback.Host(host), //nolint:gosec // splunkd's self-signed certificate on 127.0.0.1, splunk-platform.md §2.4
	}
}

// cappedBackoff is retryablehttp's exponential backoff with a
// Retry-After answer bounded too, so a server asking for an hour does not
// hold the modular input's start.
func cappedBackoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	return min(retryablehttp.DefaultBackoff(lo, hi, attempt, resp), hi)
}

// giveUp is called when the retries are used up: it returns the last
// answer, if any, so its status becomes an HTTPError, and otherwise the
// last connection error with the number of attempts.
func giveUp(resp *http.Response, err error, attempts int) (*http.Response, error) {
	if resp != nil {
		return resp, nil
	}
	if err == nil {
		err = errors.New("no answer")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the caller's message already names the URL
	}
	if attempts == 1 {
		return nil, err
	}
	return nil, fmt.Errorf("gave up after %d attempts: %w", attempts, err)
}

// HTTPError is a non-2xx answer from splunkd. Callers tell a rejected
// session key (401) from other failures by Status.
type HTTPError struct {
	Status int    // HTTP status code
	Body   string // the first 512 bytes of the answer
	URL    string // the request URL (the session key is in a header, not here)
}

// Error says what splunkd answered and what to check.
func (e *HTTPError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s: splunkd answered %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if m := splunkdMessages(e.Body); m != "" {
		fmt.Fprintf(&b, " (%s)", m)
	}
	switch {
	case e.Status == http.StatusUnauthorized:
		b.WriteString(": splunkd rejected the session key (expired or invalid); disable and enable the input so that splunkd starts it with a new one")
	case e.Status == http.StatusForbidden:
		b.WriteString(": the session key's user may not read configs/conf-eventgen; check the capabilities of splunk-system-user's roles")
	case e.Status == http.StatusNotFound:
		b.WriteString(": check that server_uri is splunkd's management port (8089 by default)")
	case e.Status >= 500:
		b.WriteString(": splunkd failed, even after retries; see splunkd.log")
	}
	return b.String()
}

// splunkdMessages extracts the text of splunkd's JSON error messages,
// {"messages":[{"type":"ERROR","text":"..."}]}.
func splunkdMessages(body string) string {
	var m struct {
		Messages []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"messages"`
	}
	if json.Unmarshal([]byte(body), &m) != nil {
		return ""
	}
	var out []string
	for _, msg := range m.Messages {
		if msg.Text != "" {
			out = append(out, strings.TrimSpace(msg.Type+" "+msg.Text))
		}
	}
	return strings.Join(out, "; ")
}

// AppStanzas is the eventgen.conf stanzas one app owns.
type AppStanzas struct {
	App     string // app folder name; "system" for etc/system
	Stanzas []*conf.Stanza
}

// eventgenPath is the endpoint of the merged eventgen.conf of all apps,
// for all owners (servicesNS/-/-), all entries (count=0), in JSON
// (splunk-platform.md §2.2).
const eventgenPath = "/servicesNS/-/-/configs/conf-eventgen?output_mode=json&count=0"

// EventgenConf reads the eventgen.conf stanzas of every app from splunkd,
// grouped by owning app in the order apps first appear in the answer, each
// app's stanzas in answer order, keys in answer order.
//
// splunkd has already merged default/ and local/ and copied [default] into
// every stanza, so the "default" entry is left out. Keys starting with
// "eai:" are splunkd's metadata, not settings, and are left out. splunkd
// types some values in JSON; they become the text the .conf file holds:
// true and false, numbers as written. A null value is left out. The app is
// entry.acl.app, or content["eai:appName"] when the ACL lacks it.
//
// The stanzas' File and Line are empty: [Sources] sets them.
func (c *Client) EventgenConf(ctx context.Context) ([]AppStanzas, error) {
	u := c.base + eventgenPath
	body, err := c.get(ctx, u)
	if err != nil {
		return nil, err
	}
	apps, err := parseEventgenConf(body, c.log)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	return apps, nil
}

// parseEventgenConf decodes a configs/conf-eventgen answer in JSON; see
// EventgenConf.
func parseEventgenConf(body []byte, log *slog.Logger) ([]AppStanzas, error) {
	var doc struct {
		Entry []struct {
			Name string `json:"name"`
			ACL  *struct {
				App string `json:"app"`
			} `json:"acl"`
			Content orderedObject `json:"content"`
		} `json:"entry"`
		Paging struct {
			Total int `json:"total"`
		} `json:"paging"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		start := bytes.TrimSpace(body)
		if len(start) > 40 {
			start = start[:40]
		}
		return nil, fmt.Errorf("splunkd's answer is not the expected JSON (%v); it starts with %q: check that server_uri is splunkd's management port", err, start)
	}
	if doc.Entry == nil {
		return nil, errors.New("splunkd's answer has no \"entry\" list; check that server_uri is splunkd's management port")
	}
	if doc.Paging.Total > len(doc.Entry) {
		log.Warn("splunkd returned fewer eventgen.conf stanzas than it has", "returned", len(doc.Entry), "total", doc.Paging.Total)
	}

	var out []AppStanzas
	index := map[string]int{}
	for _, e := range doc.Entry {
		if e.Name == "default" {
			continue // already merged into every stanza by splunkd
		}
		app := ""
		if e.ACL != nil {
			app = e.ACL.App
		}
		st := &conf.Stanza{Name: e.Name, Values: make(map[string]conf.Value, len(e.Content.keys))}
		for _, k := range e.Content.keys {
			raw := e.Content.values[k]
			if k == "eai:appName" && app == "" {
				_ = json.Unmarshal(raw, &app)
			}
			if strings.HasPrefix(k, "eai:") {
				continue
			}
			text, ok, err := jsonText(raw)
			if err != nil {
				return nil, fmt.Errorf("stanza %s, key %s: %w", conf.QuoteShort(e.Name), conf.QuoteShort(k), err)
			}
			if !ok {
				continue
			}
			st.Keys = append(st.Keys, k)
			st.Values[k] = conf.Value{Text: text}
		}
		if app == "" {
			log.Warn("splunkd names no app for an eventgen.conf stanza; its samples are looked up under etc/system", "stanza", e.Name)
		}
		i, ok := index[app]
		if !ok {
			i = len(out)
			index[app] = i
			out = append(out, AppStanzas{App: app})
		}
		out[i].Stanzas = append(out[i].Stanzas, st)
	}
	return out, nil
}

// get GETs u and returns the body of a 2xx answer.
func (c *Client) get(ctx context.Context, u string) ([]byte, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u, err)
	}
	req.Header.Set("Authorization", "Splunk "+c.key)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "eventgen-go")
	resp, err := c.http.Do(req)
	if err != nil {
		var ce *tls.CertificateVerificationError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("GET %s: %w (splunkd's certificate is verified unless server_uri is a loopback address; give it a certificate valid for this name)", u, err)
		}
		return nil, fmt.Errorf("GET %s: cannot reach splunkd: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, errorBodyLen))
		return nil, &HTTPError{Status: resp.StatusCode, Body: string(b), URL: u}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading splunkd's answer: %w", u, err)
	}
	if len(body) > maxResponse {
		return nil, fmt.Errorf("GET %s: splunkd's answer is larger than %d MiB", u, maxResponse>>20)
	}
	return body, nil
}

// orderedObject is a JSON object whose key order is kept, so stanzas keep
// the order splunkd lists their settings in. A later duplicate key
// replaces the value and keeps the first position.
type orderedObject struct {
	keys   []string
	values map[string]json.RawMessage
}

func (o *orderedObject) UnmarshalJSON(b []byte) error {
	o.keys, o.values = nil, map[string]json.RawMessage{}
	d := json.NewDecoder(bytes.NewReader(b))
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil // "content": null
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("content is %v, not an object", tok)
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		k, ok := tok.(string)
		if !ok {
			return fmt.Errorf("content: key %v is not a string", tok)
		}
		var v json.RawMessage
		if err := d.Decode(&v); err != nil {
			return err
		}
		if _, dup := o.values[k]; !dup {
			o.keys = append(o.keys, k)
		}
		o.values[k] = v
	}
	_, err = d.Token() // the closing brace
	return err
}

// jsonText turns a JSON value into .conf text; ok is false for null.
// Objects and arrays, which splunkd does not send for conf values, are
// kept as compact JSON.
func jsonText(raw json.RawMessage) (text string, ok bool, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false, errors.New("empty JSON value")
	}
	switch raw[0] {
	case 'n':
		return "", false, nil
	case 't':
		return "true", true, nil
	case 'f':
		return "false", true, nil
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false, err
		}
		return s, true, nil
	case '{', '[':
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", false, err
		}
		return b.String(), true, nil
	}
	return string(raw), true, nil // a number, as written
}
