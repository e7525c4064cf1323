//go:build !cloud

package httpevent

import (
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// The httpevent and metric_httpevent outputs: Splunk HTTP Event Collector
// (splunk-platform.md §3).
//
// Settings (Eventgen 7.2.1, eventgen-inventory.md §3.3):
//
//	httpeventServers        JSON {"servers":[{"protocol":"http|https","address":"...","port":"8088","key":"<token>"}]}
//	httpeventOutputMode     roundrobin (default: one server per request, rotating) | mirror (every batch to every server)
//	httpeventMaxPayloadSize bytes of payload per request (default 1000000; Eventgen: 10000); an event larger than that goes alone
//	httpeventWaitResponse   true (default): one request at a time; false: up to 4 in flight
//
// New settings:
//
//	httpeventGzip       true: gzip request bodies (Content-Encoding: gzip); default false
//	httpeventEndpoint   event (default: /services/collector/event, JSON envelopes) | raw (/services/collector/raw)
//	httpeventAck        true: indexer acknowledgement (channel per server, poll /services/collector/ack, resend unacknowledged batches); default false
//	httpeventAckTimeout seconds before an unacknowledged batch is resent (default 60)
//	httpeventInsecure   true: skip TLS certificate verification; default false (verified)
//	httpeventDropPolicy none (default: retry for as long as the receiver is down; generation waits) | drop (drop and count events the receivers failed after retries)

// hecConfig is the typed configuration of httpevent and metric_httpevent.
type hecConfig struct {
	servers    []settings.HECServer
	mirror     bool
	raw        bool // the raw endpoint
	gzip       bool
	maxPayload int           // httpeventMaxPayloadSize
	async      bool          // httpeventWaitResponse = false: several requests in flight
	ack        bool          // httpeventAck
	ackTimeout time.Duration // httpeventAckTimeout
	insecure   bool          // httpeventInsecure
	drop       bool          // httpeventDropPolicy = drop
}

// hecConfigOf reads and checks a sample's HEC settings; it opens nothing.
// Every problem is a *settings.Error naming its key.
func hecConfigOf(s *config.Sample, metric bool) (hecConfig, error) {
	d := settings.NewDecoder(s.Values)
	var c hecConfig
	servers, err := settings.ParseHECServers(s.Values["httpeventServers"].Text)
	if err != nil {
		d.Fail("httpeventServers", "%v", err)
	}
	c.servers = servers
	c.mirror = d.String("httpeventOutputMode") == "mirror"
	c.maxPayload = d.Int("httpeventMaxPayloadSize")
	c.async = !d.Bool("httpeventWaitResponse")
	c.gzip = d.Bool("httpeventGzip")
	c.raw = d.String("httpeventEndpoint") == "raw"
	if metric && c.raw {
		d.Fail("httpeventEndpoint", "metric_httpevent needs the event endpoint (metric fields only exist there)")
	}
	c.ack = d.Bool("httpeventAck")
	c.ackTimeout = d.Duration("httpeventAckTimeout")
	c.insecure = d.Bool("httpeventInsecure")
	c.drop = d.String("httpeventDropPolicy") == "drop"
	return c, d.Err()
}

// Validate checks httpevent's (metric false) or metric_httpevent's
// settings.
func Validate(metric bool) func(*config.Sample) error {
	return func(s *config.Sample) error { _, err := hecConfigOf(s, metric); return err }
}
