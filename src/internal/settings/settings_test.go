package settings

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

// TestSchemaValuesParse: every declared default and example is a valid
// value of its own setting, and an enum's default is one of its values.
func TestSchemaValuesParse(t *testing.T) {
	for _, s := range All() {
		for _, v := range []string{s.Default, s.Example} {
			if _, err := s.Parse(v); err != nil {
				t.Errorf("%s: %q does not parse: %v", s.Name, v, err)
			}
		}
		if s.Kind == Enum && s.Default != "" && !slices.Contains(s.Values, s.Default) {
			t.Errorf("%s: default %q is not among %v", s.Name, s.Default, s.Values)
		}
		if len(s.Owners) == 0 || s.Doc == "" {
			t.Errorf("%s: no owner or no doc", s.Name)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		key, text string
		want      any
		err       string
	}{
		{"count", "10", 10, ""},
		{"count", " 7 ", 7, ""},
		{"count", "lots", 0, `"lots" is not a whole number`},
		{"count", "-5", 0, "-5 is below the minimum -1"},
		{"httpeventAckTimeout", "1.5", 1500 * time.Millisecond, ""},
		{"httpeventAckTimeout", "0", time.Duration(0), "below the minimum"},
		{"httpeventAckTimeout", "2e6", time.Duration(0), "above the maximum"},
		{"perDayVolume", "NaN", 0.0, "is not a number"},
		{"randomizeEvents", "yes", true, ""},
		{"randomizeEvents", "maybe", false, "not a boolean"},
		{"mode", "REPLAY", "replay", ""},
		{"mode", "stream", "", `unknown mode "stream"; use sample or replay`},
		{"outputMode", "pigeon", "", "use one of modinput, stdout"},
		{"tcpDestinationHost", "[::1]", "::1", ""},
		{"tcpDestinationHost", "a b", "", "is not a host name"},
		{"tcpDestinationHost", "fe80::zz", "", "is not a host name"},
		{"tcpDestinationPort", "70000", 0, "not a port number"},
		{"hourOfDayRate", `{"0": 0.5}`, nil, ""},
		{"hourOfDayRate", `{"24": 1}`, nil, "not a whole number from 0 to 23"},
		{"hourOfDayRate", `{"1": -1}`, nil, "negative"},
		{"hourOfDayRate", `{`, nil, "not valid JSON"},
		{"jinja_variables", `[1]`, nil, "not a JSON object"},
		{"syslogFacility", "local8", "", "use a name"},
		{"syslogAppName", "my app", "", "printable ASCII"},
		{"earliest", "-5x", nil, "unknown unit"},
		{"timezone", "Mars/Base", nil, "unknown time zone"},
		{"breaker", "(", nil, "does not compile"},
	} {
		s, ok := Lookup(c.key)
		if !ok {
			t.Fatalf("%s is not declared", c.key)
		}
		got, err := s.Parse(c.text)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s = %q: %v", c.key, c.text, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s = %q: error %v, want %q", c.key, c.text, err, c.err)
		case c.err == "" && c.want != nil && got != c.want:
			t.Errorf("%s = %q: %#v, want %#v", c.key, c.text, got, c.want)
		}
	}
}

// TestDecoder: typed reads take the value or the declared default, and
// every problem is an *Error naming the key and where it was set.
func TestDecoder(t *testing.T) {
	d := NewDecoder(map[string]conf.Value{
		"httpeventMaxPayloadSize": {Text: "lots", File: "eventgen.conf", Line: 3},
		"httpeventGzip":           {Text: "true", File: "eventgen.conf", Line: 4},
		"splunkPort":              {Text: "9000", File: "eventgen.conf", Line: 5},
	})
	if n := d.Int("httpeventMaxPayloadSize"); n != 1000000 {
		t.Errorf("a wrong value reads as the default: %d", n)
	}
	if !d.Bool("httpeventGzip") || d.Port("splunkPort") != 9000 || d.String("httpeventEndpoint") != "event" || d.Duration("httpeventAckTimeout") != time.Minute {
		t.Error("typed reads")
	}
	if d.Set("httpeventEndpoint") || !d.Set("splunkPort") {
		t.Error("Set")
	}
	d.Int("httpeventMaxPayloadSize") // reported once
	d.Fail("splunkUser", "needs %s", "a value")
	d.Bool("no_such_setting")
	d.Int("httpeventGzip") // read as the wrong kind
	errs := Errors(d.Err())
	if len(errs) != 4 {
		t.Fatalf("%d errors: %v", len(errs), d.Err())
	}
	if e := errs[0]; e.Key != "httpeventMaxPayloadSize" || e.Value.Line != 3 || e.Error() != `httpeventMaxPayloadSize = lots (eventgen.conf:3): "lots" is not a whole number` {
		t.Errorf("first error: %+v %q", e, e.Error())
	}
	if e := errs[1]; e.Key != "splunkUser" || e.Error() != "splunkUser: needs a value" {
		t.Errorf("missing key: %q", e.Error())
	}
	if !strings.Contains(errs[2].Msg, "not a declared setting") || !strings.Contains(errs[3].Msg, "declared boolean") {
		t.Errorf("bugs in a plugin: %v, %v", errs[2], errs[3])
	}
	if got := Errors(errors.New("plain")); len(got) != 1 || got[0].Msg != "plain" || got[0].Key != "" {
		t.Errorf("a plain error: %+v", got)
	}
	if Errors(nil) != nil || NewDecoder(nil).Err() != nil {
		t.Error("no error")
	}
}

func TestParseBoolAndSuggest(t *testing.T) {
	for _, s := range []string{"1", "TRUE", " yes ", "On", "t", "y"} {
		if b, err := ParseBool(s); !b || err != nil {
			t.Errorf("%q: %v %v", s, b, err)
		}
	}
	if _, err := ParseBool("2"); err == nil {
		t.Error("2 is a boolean?")
	}
	for in, want := range map[string]string{"sourcetyp": "sourcetype", "COUNT": "count", "qwertyuiop": ""} {
		if got := Suggest(in); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuiltinGlobal(t *testing.T) {
	g := BuiltinGlobal().Stanza("global")
	if v, _ := g.Get("interval"); v.Text != "60" || v.File != BuiltinName {
		t.Errorf("interval = %+v", v)
	}
	if _, ok := g.Get("httpeventGzip"); ok {
		t.Error("a setting outside Eventgen's built-in [global] is in it")
	}
}

// FuzzParse: no text makes a setting's parser panic, and a value that
// parses parses again the same way (trimmed).
func FuzzParse(f *testing.F) {
	f.Add("count", "10")
	f.Add("hourOfDayRate", `{"0": 0.5}`)
	f.Add("httpeventServers", `{"servers":[{"protocol":"http","address":"a","port":1,"key":"k"}]}`)
	f.Add("tcpDestinationHost", "[::1]")
	f.Add("earliest", "-1d@d")
	f.Fuzz(func(t *testing.T, key, text string) {
		s, ok := Lookup(key)
		if !ok {
			return
		}
		if _, err := s.Parse(text); err == nil {
			if _, err := s.Parse(" " + text + " "); err != nil {
				t.Errorf("%s: %q parses, padded it does not: %v", key, text, err)
			}
		}
	})
}
