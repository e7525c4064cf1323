//go:build !cloud && !js

// Package httpevent is the httpevent and metric_httpevent outputs (Splunk
// HTTP Event Collector): one package, as they share all their code but the
// encoder. Delivery is the delivery package's Sink; this package is its
// Transport.
package httpevent

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
	"github.com/eventgen-go/eventgen/src/internal/logging"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/hashicorp/go-retryablehttp"
)

// newGUID returns a random (version 4) UUID, for HEC channels.
func httpGUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const h = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, h[c>>4], h[c&0xf])
	}
	return string(out)
}

// Open opens httpevent (metric false) or metric_httpevent.
func Open(metric bool) outputs.Opener {
	return func(s *config.Sample, env outputs.Env) (*outputs.Output, error) {
		return newHEC(s, env.Log, metric, nil)
	}
}

// newHEC opens a HEC output; tune, when not nil, adjusts the options
// (tests shorten the timings).
func newHEC(s *config.Sample, log *slog.Logger, metric bool, tune func(*delivery.Options)) (*outputs.Output, error) {
	kind := "httpevent"
	if metric {
		kind = "metric_httpevent"
	}
	c, err := hecConfigOf(s, metric)
	if err != nil {
		return nil, err
	}
	opt := c.options()
	var servers []*delivery.Server
	for _, sv := range c.servers {
		servers = append(servers, &delivery.Server{
			URL:     sv.Protocol + "://" + net.JoinHostPort(sv.Address, strconv.Itoa(sv.Port)),
			Key:     sv.Key,
			Channel: httpGUID(),
		})
	}
	if tune != nil {
		tune(&opt)
	}
	h := &hecTransport{kind: kind, stanza: s.Name(), raw: c.raw, gzip: c.gzip, ack: opt.Ack}
	sk := delivery.NewSink(kind, log, opt, h, servers, c.mirror, h.raw)
	var enc output.Encoder
	switch {
	case metric:
		enc = &metricEncoder{log: log}
	case h.raw:
		sk.SkipMsg = "events with an empty _raw are not sent"
		enc = &delivery.QueryEncoder{}
	default:
		sk.SkipMsg = "events with an empty _raw are not sent (HEC rejects blank events, code 13)"
		enc = hecEncoder{}
	}
	return &outputs.Output{Enc: enc, Dst: sk, Key: kind + ":" + s.Name()}, nil
}

// options are the delivery options of c.
func (c hecConfig) options() delivery.Options {
	opt := delivery.DefaultOptions()
	opt.InsecureSetting = "httpeventInsecure"
	opt.MaxPayload = c.maxPayload
	if c.async {
		opt.Concurrency = delivery.AsyncRequests
	}
	opt.Ack = c.ack
	opt.AckTimeout = c.ackTimeout
	opt.Insecure = c.insecure
	opt.Drop = c.drop
	if opt.Ack {
		opt.CloseTimeout += opt.AckTimeout
	}
	return opt
}

// hecEncoder writes one HEC envelope per event:
//
//	{"time":1709622489.123,"host":"h","source":"s","sourcetype":"st","index":"main","event":"<_raw>"}
//
// followed by "\n"; metadata keys only when not empty, time only when set.
type hecEncoder struct{}

func (hecEncoder) Begin(dst []byte) []byte { return dst }
func (hecEncoder) End(dst []byte) []byte   { return dst }

// Append skips (appends nothing for) an event with an empty _raw: the
// Sink counts the empty span as dropped.
func (hecEncoder) Append(dst []byte, e *output.Event) []byte {
	if len(e.Raw) == 0 {
		return dst
	}
	dst = appendMeta(dst, e)
	dst = append(dst, `"event":`...)
	dst = output.AppendJSONString(dst, e.Raw)
	return append(dst, '}', '\n')
}

// appendMeta opens an envelope and writes time and the metadata, each
// followed by a comma.
func appendMeta(dst []byte, e *output.Event) []byte {
	dst = append(dst, '{')
	if !e.Time.IsZero() {
		dst = append(dst, `"time":`...)
		dst = output.AppendEpochMillis(dst, e.Time)
		dst = append(dst, ',')
	}
	for _, kv := range [...]struct{ k, v string }{
		{`"host":`, e.Host}, {`"source":`, e.Source}, {`"sourcetype":`, e.Sourcetype}, {`"index":`, e.Index},
	} {
		if kv.v != "" {
			dst = append(dst, kv.k...)
			dst = output.AppendJSONString(dst, kv.v)
			dst = append(dst, ',')
		}
	}
	return dst
}

// metricEncoder writes metric envelopes:
//
//	{"time":...,"host":...,"source":...,"sourcetype":...,"index":...,"event":"metric","fields":{...}}
//
// The fields are the "fields" object of the _raw JSON; a JSON object
// without one is used whole as the fields (real-world-configs.md item 7);
// any other event is skipped with a rate-limited warning.
type metricEncoder struct {
	log *slog.Logger
	lim logging.Limiter
}

func (*metricEncoder) Begin(dst []byte) []byte { return dst }
func (*metricEncoder) End(dst []byte) []byte   { return dst }

func (m *metricEncoder) Append(dst []byte, e *output.Event) []byte {
	fields, compact, why := metricFields(e.Raw)
	if why != "" {
		if ok, n := m.lim.Allow(10 * time.Second); ok {
			m.log.Warn("metric event skipped: "+why, "event", delivery.Excerpt(e.Raw), "suppressed", n)
		}
		return dst // skipped: the Sink counts the empty span as dropped
	}
	dst = appendMeta(dst, e)
	dst = append(dst, `"event":"metric","fields":`...)
	if compact {
		dst = append(dst, fields...)
	} else {
		buf := bytes.NewBuffer(dst)
		json.Compact(buf, fields) // valid: metricFields checked it
		dst = buf.Bytes()
	}
	return append(dst, '}', '\n')
}

// metricFields returns the fields object of a metric event's _raw, or why
// there is none. A JSON object without a "fields" key is itself the
// fields (real-world-configs.md item 7: samples written as
// {"metric_name:cpu.idle": 97.5, "region": "eu"}). compact says the
// object has no white space outside its strings, so it can be copied as
// it is. One validation and one scan of the top level, instead of
// decoding the object into a map (most of metric_httpevent's time,
// docs/performance.md).
func metricFields(raw []byte) (fields json.RawMessage, compact bool, why string) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' || !json.Valid(t) {
		return nil, false, "_raw is not a JSON object (metric_httpevent needs {\"fields\":{\"metric_name:...\":...}} or the fields object itself)"
	}
	// t is valid JSON: track depth and strings; a string at depth 1
	// followed by ':' is a key of the top-level object.
	compact = true
	depth := 0
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		case ' ', '\t', '\n', '\r':
			compact = false
		case '"':
			start := i
			for i++; t[i] != '"'; i++ {
				if t[i] == '\\' {
					i++
				}
			}
			if depth != 1 {
				continue
			}
			j := i + 1
			for j < len(t) && (t[j] == ' ' || t[j] == '\t' || t[j] == '\n' || t[j] == '\r') {
				j++
			}
			if t[j] != ':' || string(t[start+1:i]) != "fields" {
				continue
			}
			// The value of "fields" is the next value after ':'.
			v := bytes.TrimLeft(t[j+1:], " \t\n\r")
			if len(v) == 0 || v[0] != '{' {
				return nil, false, `"fields" is not a JSON object`
			}
			d := json.NewDecoder(bytes.NewReader(v))
			var f json.RawMessage
			if d.Decode(&f) != nil {
				return nil, false, `"fields" is not a JSON object`
			}
			return f, false, ""
		}
	}
	return t, compact, ""
}

// hecTransport is HEC's delivery.Transport: it builds the request of a
// batch and classifies HEC's answers.
type hecTransport struct {
	kind, stanza string
	raw          bool
	gzip         bool
	ack          bool
}

// hecReply is HEC's JSON answer.
type hecReply struct {
	Text    string `json:"text"`
	Code    *int   `json:"code"`
	AckID   *int64 `json:"ackId"`
	Invalid *int   `json:"invalid-event-number"`
}

var httpGzipPool = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

func httpGzip(p []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(p)/4 + 64)
	w := httpGzipPool.Get().(*gzip.Writer)
	w.Reset(&buf)
	w.Write(p)
	w.Close()
	httpGzipPool.Put(w)
	return buf.Bytes()
}

// Request builds the request that sends b to srv: a POST to the event or
// raw endpoint.
func (h *hecTransport) Request(ctx context.Context, _ *delivery.Client, srv *delivery.Server, b *delivery.Batch) (*retryablehttp.Request, delivery.Outcome) {
	req, err := h.request(ctx, srv, b)
	if err != nil {
		return nil, delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("%s: %s: %w; the stanza stops", h.kind, srv.URL, err)}
	}
	return req, delivery.Outcome{Kind: delivery.OutOK}
}

func (h *hecTransport) request(ctx context.Context, srv *delivery.Server, b *delivery.Batch) (*retryablehttp.Request, error) {
	u := srv.URL + "/services/collector/event"
	if h.raw {
		u = srv.URL + "/services/collector/raw?channel=" + srv.Channel
		if b.Meta != "" {
			u += "&" + b.Meta
		}
	}
	body := b.Body
	if h.gzip {
		body = httpGzip(b.Body)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, u, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Splunk "+srv.Key)
	if h.raw {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	} else {
		req.Header.Set("Content-Type", "application/json")
	}
	if h.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if h.ack || h.raw {
		req.Header.Set("X-Splunk-Request-Channel", srv.Channel)
	}
	return req, nil
}

// describe renders a HEC answer: 403 code 4 "Invalid token", or the start
// of a body that is not HEC's JSON (the OTel receiver's 401 is plain text).
func hecDescribe(status int, body []byte) (string, hecReply) {
	var r hecReply
	if json.Unmarshal(body, &r) == nil && r.Code != nil {
		return fmt.Sprintf("%d code %d %q", status, *r.Code, r.Text), r
	}
	t := strings.TrimSpace(string(body))
	if len(t) > 200 {
		t = t[:200] + "…"
	}
	if t == "" {
		return fmt.Sprintf("%d %s", status, http.StatusText(status)), r
	}
	return fmt.Sprintf("%d %q", status, t), r
}

// Classify says what HEC's answer to b means.
func (h *hecTransport) Classify(srv *delivery.Server, status int, body []byte, b *delivery.Batch) delivery.Outcome {
	desc, r := hecDescribe(status, body)
	if srv.Key != "" {
		desc = strings.ReplaceAll(desc, srv.Key, "<key>") // the OTel receiver echoes the token
	}
	code := -1
	if r.Code != nil {
		code = *r.Code
	}
	switch {
	case status >= 200 && status < 300:
		o := delivery.Outcome{Kind: delivery.OutOK}
		if r.AckID != nil {
			o.AckID, o.HasAck = *r.AckID, true
		}
		return o
	case status == http.StatusRequestEntityTooLarge:
		return delivery.Outcome{Kind: delivery.OutSplit, Invalid: -1, Err: fmt.Errorf("%s: request of %d bytes too large", desc, len(b.Body))}
	case status == http.StatusBadRequest && (code == 5 || code == 6 || code == 12 || code == 13 || code == 15):
		inv := -1
		if r.Invalid != nil {
			inv = *r.Invalid
		}
		return delivery.Outcome{Kind: delivery.OutSplit, Invalid: inv, Err: fmt.Errorf("HEC answered %s", desc)}
	case status == http.StatusTooManyRequests || status >= 500 && status != http.StatusNotImplemented:
		return delivery.Outcome{Kind: delivery.OutRetry, Err: fmt.Errorf("HEC answered %s", desc)}
	}
	return delivery.Outcome{Kind: delivery.OutPerm, Err: fmt.Errorf("%s: %s answered %s: %s; the stanza stops", h.kind, srv.URL, desc, hecHint(status, code))}
}

// hecHint says what to fix for a HEC error that retrying cannot fix.
func hecHint(status, code int) string {
	switch {
	case code == 1:
		return "the token is disabled: enable it in Splunk (Settings > Data inputs > HTTP Event Collector)"
	case code == 2, code == 3, code == 4, status == http.StatusUnauthorized, status == http.StatusForbidden:
		return "check the key in httpeventServers (the HEC token)"
	case code == 7:
		return "the index is not allowed: create the index or add it to the token's allowed indexes, or change index in the stanza"
	case code == 10:
		return "the token has indexer acknowledgement: set httpeventAck = true"
	case code == 11:
		return "the receiver refused the channel"
	case code == 14:
		return "indexer acknowledgement is disabled on the token: set httpeventAck = false or enable it on the token"
	case code == 16:
		return "query string authorization is not enabled on the token"
	case status == http.StatusNotFound, status == http.StatusMethodNotAllowed:
		return "no HEC endpoint there: check protocol, address and port in httpeventServers and that HEC is enabled"
	}
	return "check httpeventServers and the receiver's configuration"
}

// ackQuery and ackReply are the bodies of /services/collector/ack.
type ackQuery struct {
	Acks []int64 `json:"acks"`
}
type ackReply struct {
	Acks map[string]bool `json:"acks"`
}

// AckRequest builds the query of which of ids srv has indexed.
func (h *hecTransport) AckRequest(ctx context.Context, srv *delivery.Server, ids []int64) (*retryablehttp.Request, error) {
	body, _ := json.Marshal(ackQuery{Acks: ids})
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/services/collector/ack?channel="+srv.Channel, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Splunk "+srv.Key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Splunk-Request-Channel", srv.Channel)
	return req, nil
}

// Acked reads HEC's answer to an ack query.
func (h *hecTransport) Acked(status int, data []byte) (map[int64]bool, error) {
	if status != http.StatusOK {
		desc, _ := hecDescribe(status, data)
		return nil, fmt.Errorf("ack query answered %s", desc)
	}
	var r ackReply
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("ack query: bad answer: %v", err)
	}
	res := make(map[int64]bool, len(r.Acks))
	for k, v := range r.Acks {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			res[id] = v
		}
	}
	return res, nil
}
