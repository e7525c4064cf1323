package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

func TestValidate(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, in, want string
	}{
		{"clean", `{"stanza":"web.log","values":{"count":"5","token.0.token":"\\d+","token.0.replacementType":"static","token.0.replacement":"x"}}`, `{"problems":[]}`},
		{"bad regex", `{"stanza":"web.log","values":{"token.0.token":"(","token.0.replacementType":"static","token.0.replacement":"x"}}`, `"key":"token.0.token"`},
		{"global", `{"stanza":"web.log","values":{},"global":{"count":"many"}}`, `"key":"count"`},
		{"output setting", `{"stanza":"web.log","values":{"outputMode":"httpevent","httpeventServers":"{\"servers\":[]}","httpeventMaxPayloadSize":"lots"}}`, `"key":"httpeventMaxPayloadSize"`},
		{"output check", `{"stanza":"web.log","values":{"outputMode":"metric_httpevent","httpeventServers":"{\"servers\":[{\"protocol\":\"http\",\"address\":\"a\",\"port\":\"1\",\"key\":\"k\"}]}","httpeventEndpoint":"raw"}}`, `metric_httpevent needs the event endpoint`},
		{"output required", `{"stanza":"web.log","values":{"outputMode":"splunkstream"}}`, `"key":"splunkHost"`},
		{"not json", `{`, `"error":"eventgenValidate: the request is not`},
		{"nothing", ``, `"error":`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if strings.HasPrefix(c.name, "output ") && !slices.Contains(outputs.Available(), "httpevent") {
				t.Skip("this build (-tags cloud) has no network output to check")
			}
			out := validate([]byte(c.in), now)
			if !json.Valid(out) || !strings.Contains(string(out), c.want) {
				t.Errorf("validate(%s) = %s, want it to contain %s", c.in, out, c.want)
			}
		})
	}
}

func FuzzValidate(f *testing.F) {
	f.Add(`{"stanza":"web.log","values":{"token.0.token":"(?P<x>a)","token.0.replacementType":"random","token.0.replacement":"integer[1:5]"}}`)
	f.Add(`{"stanza":"[a-","values":{"count":"-5","earliest":"-1d@d","end":"x"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		if out := validate([]byte(in), time.Unix(0, 0)); !json.Valid(out) {
			t.Fatalf("invalid JSON answer %s", out)
		}
	})
}
