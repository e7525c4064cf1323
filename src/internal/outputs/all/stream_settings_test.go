//go:build !cloud && !js

package all

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

func stLogger() (*slog.Logger, *strings.Builder) {
	var b strings.Builder
	return slog.New(slog.NewTextHandler(&b, nil)), &b
}

func stSample(mode string, kv ...string) *config.Sample {
	s := &config.Sample{Stanza: "stream.test", OutputMode: mode, Values: map[string]conf.Value{}}
	for i := 0; i+1 < len(kv); i += 2 {
		s.Values[kv[i]] = conf.Value{Text: kv[i+1], File: "eventgen.conf", Line: i/2 + 1}
	}
	return s
}

func TestStreamSettings(t *testing.T) {
	log, _ := stLogger()
	for _, c := range []struct {
		mode string
		kv   []string
		key  string // want this Key, or
		err  string // this error
	}{
		{"tcpout", nil, "tcpout:127.0.0.1:3333", ""},
		{"udpout", nil, "udpout:127.0.0.1:3333", ""},
		{"syslogout", nil, "syslogout:udp://127.0.0.1:1514", ""},
		{"syslogout", []string{"syslogProtocol", "TCP"}, "syslogout:tcp://127.0.0.1:1514", ""},
		{"syslogout", []string{"syslogProtocol", "tcp", "syslogFraming", "octet"}, "syslogout:tcp://127.0.0.1:1514#octet", ""},
		{"tcpout", []string{"tcpDestinationHost", "[::1]", "tcpDestinationPort", "9000"}, "tcpout:[::1]:9000", ""},
		{"udpout", []string{"udpDestinationHost", "::1"}, "udpout:[::1]:3333", ""},
		{"syslogout", []string{"syslogDestinationHost", "logs.example.com", "syslogDestinationPort", "514"}, "syslogout:udp://logs.example.com:514", ""},
		{"tcpout", []string{"tcpDestinationPort", "70000"}, "", "tcpDestinationPort = 70000 (eventgen.conf:1): \"70000\" is not a port number"},
		{"udpout", []string{"udpDestinationHost", "a b"}, "", "udpDestinationHost = a b (eventgen.conf:1): \"a b\" is not a host name"},
		{"syslogout", []string{"syslogProtocol", "relp"}, "", "syslogProtocol = relp (eventgen.conf:1): unknown syslogProtocol \"relp\"; use udp or tcp"},
		{"syslogout", []string{"syslogFormat", "cef"}, "", "use rfc3164 or rfc5424"},
		{"syslogout", []string{"syslogFraming", "nul"}, "", "use lf or octet"},
		{"syslogout", []string{"syslogAddHeader", "maybe"}, "", "not a boolean"},
		{"syslogout", []string{"syslogFacility", "local8"}, "", "syslogFacility = local8 (eventgen.conf:1): use a name (kern, user,"},
		{"syslogout", []string{"syslogSeverity", "8"}, "", "or a number from 0 to 7"},
		{"syslogout", []string{"syslogAppName", "my app"}, "", "syslogAppName"},
	} {
		o, err := outputs.Open(stSample(c.mode, c.kv...), outputs.Env{Log: log})
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %v: error %v, want %q", c.mode, c.kv, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %v: %v", c.mode, c.kv, err)
			continue
		}
		if o.Key != c.key {
			t.Errorf("%s %v: Key %q, want %q", c.mode, c.kv, o.Key, c.key)
		}
		if err := o.Dst.Close(); err != nil { // never used: nothing to send
			t.Errorf("Close: %v", err)
		}
	}
	if got := outputs.Available(); !containsAll(got, "syslogout", "tcpout", "udpout") {
		t.Errorf("Available() = %v", got)
	}
}

func containsAll(l []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, x := range l {
			found = found || x == w
		}
		if !found {
			return false
		}
	}
	return true
}
