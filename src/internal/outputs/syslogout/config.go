//go:build !cloud

package syslogout

import (
	"net"
	"strconv"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

const (
	syslogRFC3164 = "rfc3164"
	syslogRFC5424 = "rfc5424"
)

// syslogConfig is syslogout's typed configuration.
type syslogConfig struct {
	addr            string
	tcp, octet      bool
	rfc5424, header bool
	pri             int
	app             string
}

// syslogConfigOf reads and checks a sample's syslogout settings; it opens
// nothing.
func syslogConfigOf(s *config.Sample) (syslogConfig, error) {
	d := settings.NewDecoder(s.Values)
	c := syslogConfig{
		addr:    net.JoinHostPort(d.String("syslogDestinationHost"), strconv.Itoa(d.Port("syslogDestinationPort"))),
		tcp:     d.String("syslogProtocol") == "tcp",
		octet:   d.String("syslogFraming") == "octet",
		rfc5424: d.String("syslogFormat") == syslogRFC5424,
		header:  d.Bool("syslogAddHeader"),
		app:     d.String("syslogAppName"),
	}
	pri, err := settings.SyslogPriority(d.String("syslogFacility"), d.String("syslogSeverity"))
	if err != nil {
		// the schema's check has named the key already
		d.Fail("syslogFacility", "%v", err)
	}
	c.pri = pri
	return c, d.Err()
}

// Validate checks syslogout's settings, opening nothing.
func Validate(s *config.Sample) error { _, err := syslogConfigOf(s); return err }
