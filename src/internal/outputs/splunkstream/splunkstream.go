//go:build !cloud && !js

// Package splunkstream is the splunkstream output (splunkd's
// receivers/simple endpoint), a Transport of the delivery package's Sink.
package splunkstream

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/hashicorp/go-retryablehttp"
)

// The splunkstream output: splunkd's receivers/simple endpoint
// (splunk-platform.md §2.3), as Eventgen's splunkstream plugin uses it.
//
//	POST <splunkMethod>://<splunkHost>:<splunkPort>/services/receivers/simple?index=&source=&sourcetype=&host_regex=&host=
//	Authorization: Splunk <session key>
//
// The body is the batch's _raw, each followed by "\n"; one request per
// metadata group. The session key is the sample's sessionKey (set by the
// modular input) or is obtained by POST /services/auth/login with
// splunkUser and splunkPass (and obtained again once when splunkd answers
// 401, the session having expired).
//
// Settings: splunkHost (required), splunkPort (default 8089),
// splunkMethod (http|https, default https), splunkUser, splunkPass,
// hostRegex, sessionKey; new: splunkInsecure (skip TLS verification;
// verification is skipped anyway when splunkHost is a loopback address,
// whose certificate is splunkd's self-signed default, §2.4).

// splunkStreamMaxPayload bounds one receivers/simple request.
const splunkStreamMaxPayload = 1 << 20

// Open is the splunkstream Opener.
func Open(s *config.Sample, env outputs.Env) (*outputs.Output, error) {
	return newSplunkStream(s, env.Log, nil)
}

func newSplunkStream(s *config.Sample, log *slog.Logger, tune func(*delivery.Options)) (*outputs.Output, error) {
	const kind = "splunkstream"
	c, err := splunkStreamConfigOf(s)
	if err != nil {
		return nil, err
	}
	opt := delivery.DefaultOptions()
	opt.InsecureSetting = "splunkInsecure"
	opt.MaxPayload = splunkStreamMaxPayload
	opt.Insecure = c.insecure
	st := &streamTransport{fixedKey: c.key, user: c.user, pass: c.pass}
	if tune != nil {
		tune(&opt)
	}
	srv := &delivery.Server{URL: c.url}
	sk := delivery.NewSink(kind, log, opt, st, []*delivery.Server{srv}, false, true)
	sk.SkipMsg = "events with an empty _raw are not sent"
	return &outputs.Output{Enc: &delivery.QueryEncoder{HostRegex: s.HostRegex}, Dst: sk, Key: kind + ":" + s.Name()}, nil
}

// streamTransport is splunkstream's delivery.Transport: it builds the
// requests of a batch (logging in first when needed) and classifies
// splunkd's answers.
type streamTransport struct {
	fixedKey   string // from the modular input
	user, pass string

	mu  sync.Mutex
	key string // from login
}

// session returns the session key, logging in if needed.
func (t *streamTransport) session(ctx context.Context, c *delivery.Client, srv *delivery.Server) (string, delivery.Outcome) {
	if t.fixedKey != "" {
		return t.fixedKey, delivery.Outcome{Kind: delivery.OutOK}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key != "" {
		return t.key, delivery.Outcome{Kind: delivery.OutOK}
	}
	form := url.Values{"username": {t.user}, "password": {t.pass}, "output_mode": {"json"}}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/services/auth/login", []byte(form.Encode()))
	if err != nil {
		return "", delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %w; the stanza stops", err)}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body, o := c.Do(ctx, srv, req)
	if o.Kind != delivery.OutOK {
		return "", o
	}
	switch {
	case status == http.StatusOK:
		var r struct {
			SessionKey string `json:"sessionKey"`
		}
		if json.Unmarshal(body, &r) != nil || r.SessionKey == "" {
			return "", delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %s/services/auth/login answered without a session key (is it splunkd's management port?); the stanza stops", srv.URL)}
		}
		t.key = r.SessionKey
		return t.key, delivery.Outcome{Kind: delivery.OutOK}
	case status == http.StatusTooManyRequests || status >= 500:
		return "", delivery.Outcome{Kind: delivery.OutRetry, Err: fmt.Errorf("login answered %d %s", status, splunkdMessage(body))}
	case status == http.StatusUnauthorized:
		return "", delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %s: login as %q failed (%d %s): check splunkUser and splunkPass; the stanza stops", srv.URL, t.user, status, splunkdMessage(body))}
	}
	return "", delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %s/services/auth/login answered %d %s: check splunkHost, splunkPort and splunkMethod (splunkd's management port); the stanza stops", srv.URL, status, splunkdMessage(body))}
}

// splunkdMessage extracts the message of a splunkd error body (XML
// <response><messages><msg type="ERROR">…</msg>, or JSON messages[].text).
func splunkdMessage(body []byte) string {
	var x struct {
		Msgs []string `xml:"messages>msg"`
	}
	if xml.Unmarshal(body, &x) == nil && len(x.Msgs) > 0 {
		return strconv.Quote(strings.TrimSpace(x.Msgs[0]))
	}
	var j struct {
		Messages []struct {
			Text string `json:"text"`
		} `json:"messages"`
	}
	if json.Unmarshal(body, &j) == nil && len(j.Messages) > 0 {
		return strconv.Quote(j.Messages[0].Text)
	}
	t := strings.TrimSpace(string(body))
	if len(t) > 200 {
		t = t[:200] + "…"
	}
	return strconv.Quote(t)
}

// Request builds the request that sends b to srv: a POST to
// receivers/simple with the batch's metadata as its query string, logging
// in first when there is no session key.
func (t *streamTransport) Request(ctx context.Context, c *delivery.Client, srv *delivery.Server, b *delivery.Batch) (*retryablehttp.Request, delivery.Outcome) {
	key, o := t.session(ctx, c, srv)
	if o.Kind != delivery.OutOK {
		return nil, o
	}
	u := srv.URL + "/services/receivers/simple"
	if b.Meta != "" {
		u += "?" + b.Meta
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, u, b.Body)
	if err != nil {
		return nil, delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %w; the stanza stops", err)}
	}
	req.Header.Set("Authorization", "Splunk "+key)
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	return req, delivery.Outcome{Kind: delivery.OutOK}
}

// Classify says what splunkd's answer to b means. A 401 with a session
// of our own login means it expired: log in again and resend, once
// (OutAgain).
func (t *streamTransport) Classify(srv *delivery.Server, status int, body []byte, b *delivery.Batch) delivery.Outcome {
	switch {
	case status >= 200 && status < 300:
		return delivery.Outcome{Kind: delivery.OutOK}
	case status == http.StatusUnauthorized:
		hint := "check splunkUser and splunkPass"
		kind := delivery.OutAgain
		if t.fixedKey != "" {
			hint = "the session key given by Splunk was refused (expired?): restart the input"
			kind = delivery.OutPerm
		} else {
			t.mu.Lock()
			t.key = "" // log in again (one request in flight: splunkstream waits for each answer)
			t.mu.Unlock()
		}
		return delivery.Outcome{Kind: kind, Err: fmt.Errorf("splunkstream: %s answered %d %s: %s; the stanza stops", srv.URL, status, splunkdMessage(body), hint)}
	case status == http.StatusRequestEntityTooLarge:
		return delivery.Outcome{Kind: delivery.OutSplit, Invalid: -1, Err: fmt.Errorf("request of %d bytes too large", len(b.Body))}
	case status == http.StatusTooManyRequests || status >= 500 && status != http.StatusNotImplemented:
		return delivery.Outcome{Kind: delivery.OutRetry, Err: fmt.Errorf("splunkd answered %d %s", status, splunkdMessage(body))}
	case status == http.StatusForbidden:
		return delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %s answered %d %s: the user needs the edit_tcp capability to write to receivers/simple (and access to the index); the stanza stops", srv.URL, status, splunkdMessage(body))}
	}
	return delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("splunkstream: %s answered %d %s: check index, source, sourcetype and splunkHost/splunkPort/splunkMethod; the stanza stops", srv.URL, status, splunkdMessage(body))}
}
