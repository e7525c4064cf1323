package config

import (
	"strings"
	"testing"
	"time"
)

func TestCheckStanza(t *testing.T) {
	ok := map[string]string{
		"count": "20", "interval": "10", "earliest": "-1m", "latest": "now", "outputMode": "modinput",
		"index": "main", "sourcetype": "web", "disabled": "false", "eai:appName": "SA-Eventgen",
		"token.0.token": `\d{4}-\d\d-\d\d`, "token.0.replacementType": "timestamp", "token.0.replacement": "%Y-%m-%d",
		"token.1.token": `user=(\w+)`, "token.1.replacementType": "file", "token.1.replacement": "$SPLUNK_HOME/users.txt:2",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range ok {
			m[a] = b
		}
		if v == "\x00" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name   string
		stanza string
		values map[string]string
		global map[string]string
		want   []string // "SEVERITY key: substring"; none = clean
	}{
		{"clean", "web.log", ok, nil, nil},
		{"bad token regex", "web.log", with("token.0.token", `(\d+`), nil, []string{"ERROR token.0.token: does not compile"}},
		{"bad file token regex", "web.log", with("token.1.token", `[a-`), nil, []string{"ERROR token.1.token: does not compile"}},
		{"file token without file", "web.log", with("token.1.replacement", ""), nil, []string{"ERROR token.1.replacement: needs the path"}},
		{"bad strftime", "web.log", with("token.0.replacement", "no directive"), nil, []string{"ERROR token.0.replacement: no %-directive"}},
		{"bad random", "web.log", with("token.0.replacementType", "random"), nil, []string{"ERROR token.0.replacement: "}},
		{"unknown type", "web.log", with("token.0.replacementType", "bogus"), nil, []string{"ERROR token.0.replacementType: unknown replacementType"}},
		{"incomplete token", "web.log", with("token.0.replacementType", "\x00"), nil, []string{"ERROR token.0: incomplete token"}},
		{"count not a number", "web.log", with("count", "lots"), nil, []string{"ERROR count: not a whole number"}},
		{"bad disabled", "web.log", with("disabled", "maybe"), nil, []string{"ERROR disabled: not a boolean"}},
		{"bad earliest", "web.log", with("earliest", "yesterday-ish"), nil, []string{"ERROR earliest: "}},
		{"bad timezone", "web.log", with("timezone", "Mars/Olympus"), nil, []string{"ERROR timezone: "}},
		{"unknown key", "web.log", with("cuont", "3"), nil, []string{"WARN cuont: did you mean count?"}},
		{"bad outputMode", "web.log", with("outputMode", "carrier-pigeon"), nil, []string{"ERROR outputMode: unknown outputMode"}},
		{"name not a regex", "web(.log", ok, nil, []string{"WARN : only works if a sample file has exactly this name"}},
		{"empty name", " ", ok, nil, []string{"ERROR : the stanza has no name"}},
		{"global fills in", "web.log", with("interval", "\x00"), map[string]string{"interval": "x"}, []string{"ERROR interval: not a whole number"}},
		{"global stanza keys only", "global", map[string]string{"count": "x", "cuont": "1"}, nil, []string{"WARN cuont: "}},
		{"pytest-splunk-addon stanza", "fw.samples", map[string]string{
			"host_type": "event", "input_type": "syslog_tcp", "timestamp_type": "event", "sourcetype_to_search": "x", "expected_event_count": "4",
			"token.0.token": "##src##", "token.0.replacementType": "random", "token.0.replacement": `src["ipv4","fqdn"]`, "token.0.field": "host",
			"token.1.token": "##n##", "token.1.replacementType": "all", "token.1.replacement": "integer[1:5]",
			"token.2.token": "##f##", "token.2.replacementType": "random", "token.2.replacement": "file[$SPLUNK_HOME/etc/apps/TA/samples/x.txt:2]",
			"token.3.token": "##u##", "token.3.replacementType": "random", "token.3.replacement": `url["full"]`,
		}, nil, nil},
		{"bad all", "fw.samples", map[string]string{"token.1.token": "##n##", "token.1.replacementType": "all", "token.1.replacement": "integer[5:5]"}, nil, []string{"WARN token.1.replacement: gives no value"}},
		{"bad pytest-splunk-addon form", "fw.samples", map[string]string{"token.0.token": "##src##", "token.0.replacementType": "random", "token.0.replacement": `src["mac"]`}, nil, []string{`ERROR token.0.replacement: "mac" is not one of`}},
		{"bad host.token", "web.log", with("host.token", "("), nil, []string{"ERROR host.replacement: host.token is set", "ERROR host.token: does not compile"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := CheckStanza(c.stanza, c.values, c.global, Options{Location: time.UTC, Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)})
			var got []string
			for _, p := range ps {
				got = append(got, p.Severity.String()+" "+p.Key+": "+p.Msg)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i, w := range c.want {
				sev, rest, _ := strings.Cut(w, " ")
				key, sub, _ := strings.Cut(rest, ": ")
				if ps[i].Severity.String() != sev || ps[i].Key != key || !strings.Contains(ps[i].Msg, sub) {
					t.Errorf("problem %d = %q, want %q", i, got[i], w)
				}
			}
		})
	}
}
