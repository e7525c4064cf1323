//go:build !cloud

package splunkstream

import (
	"github.com/eventgen-go/eventgen/src/internal/loopback"
	"net"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// splunkStreamConfig is splunkstream's typed configuration.
type splunkStreamConfig struct {
	url             string // method://host:port
	insecure        bool   // splunkInsecure, or splunkHost is a loopback address
	key, user, pass string // a session key, or a user and password to log in with
}

// splunkStreamConfigOf reads and checks a sample's splunkstream settings;
// it opens nothing.
func splunkStreamConfigOf(s *config.Sample) (splunkStreamConfig, error) {
	d := settings.NewDecoder(s.Values)
	var c splunkStreamConfig
	switch h := strings.TrimSpace(d.Value("splunkHost").Text); {
	case strings.HasPrefix(h, "[") && strings.Contains(h, "\""):
		d.Fail("splunkHost", "a list of hosts is not supported (Eventgen 7.x did not implement it either): give one host")
	case h == "":
		d.Fail("splunkHost", "not set: splunkstream needs the splunkd host (with splunkPort, default 8089, and splunkMethod, default https)")
	}
	host := d.String("splunkHost")
	c.url = d.String("splunkMethod") + "://" + net.JoinHostPort(host, strconv.Itoa(d.Port("splunkPort")))
	c.insecure = d.Bool("splunkInsecure") || loopback.Host(host)
	if c.key = d.String("sessionKey"); c.key == "" {
		c.user, c.pass = d.String("splunkUser"), d.String("splunkPass")
		var missing []string
		if c.user == "" {
			missing = append(missing, "splunkUser")
		}
		if c.pass == "" {
			missing = append(missing, "splunkPass")
		}
		if len(missing) > 0 {
			d.Fail(missing[0], "splunkstream needs %s to log in to splunkd (or runs inside Splunk, which gives a session key)", strings.Join(missing, " and "))
		}
	}
	return c, d.Err()
}

// Validate checks splunkstream's settings, opening nothing.
func Validate(s *config.Sample) error { _, err := splunkStreamConfigOf(s); return err }
