package defaultgen

import (
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/sample"
	"github.com/eventgen-go/eventgen/src/internal/settings"
	"github.com/eventgen-go/eventgen/src/internal/token"
)

func TestPunct(t *testing.T) {
	if got := punct("this-is-a: test \ntest $^"); got != "--:\n$^" { // Eventgen's unit test
		t.Fatalf("punct = %q", got)
	}
}

func TestDetectTimestamps(t *testing.T) {
	pairs, err := settings.AutoTimestamps(settings.BuiltinAutotimestamps)
	if err != nil || len(pairs) != 23 {
		t.Fatalf("%d pairs, %v", len(pairs), err)
	}
	cases := []struct {
		name   string
		events []sample.Event
		have   []token.Spec
		want   []string // formats found, in order
	}{
		{"syslog", []sample.Event{{Raw: "Feb 24 22:09:26 host sshd[1]: x"}}, nil, []string{"%b %d %H:%M:%S"}},
		{"iso in json", []sample.Event{{Raw: `{"t":"2017-08-14T23:20:57Z"}`}}, nil, []string{"%Y-%m-%dT%H:%M:%S"}},
		{"with year", []sample.Event{{Raw: "Feb 24 2017 22:09:26 asa"}}, nil, []string{"%b %d %Y %H:%M:%S"}},
		{"epoch field", []sample.Event{{Raw: `{"timestamp": "1502752857", "a": 1}`}}, nil, []string{"%s"}},
		{"same shape once", []sample.Event{{Raw: "2017-08-14 23:20:57 a"}, {Raw: "2017-08-14 23:20:58 b"}}, nil, []string{"%Y-%m-%d %H:%M:%S"}},
		{"already a token", []sample.Event{{Raw: "2017-08-14 23:20:57 a"}}, []token.Spec{{Regex: pairs[0][0], Replacement: pairs[0][1]}}, nil},
		{"csv _time", []sample.Event{{Raw: "x", Fields: map[string]string{"_time": "2017-08-14T23:20:57.123"}}}, nil, []string{"%Y-%m-%dT%H:%M:%S.%f"}},
		{"apache", []sample.Event{{Raw: `1.2.3.4 - - [14/Aug/2017:23:20:57 -0700] "GET / HTTP/1.1" 200`}}, nil, []string{"%d/%b/%Y:%H:%M:%S"}},
		{"ctime", []sample.Event{{Raw: "Mon Aug 14 23:20:57 host kernel: x"}}, nil, []string{"%a %b %d %H:%M:%S"}},
		{"us date", []sample.Event{{Raw: "08/14/2017 23:20:57 INFO x"}}, nil, []string{"%m/%d/%Y %H:%M:%S"}},
		{"millis", []sample.Event{{Raw: "2017-08-14 23:20:57.123 INFO x"}}, nil, []string{"%Y-%m-%d %H:%M:%S"}},
		{"created epoch", []sample.Event{{Raw: `{"created": 1502752857, "id": 4}`}}, nil, []string{"%s"}},
		{"none", []sample.Event{{Raw: `{"a":1}`}}, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := detectTimestamps(c.events, pairs, c.have)
			if err != nil {
				t.Fatal(err)
			}
			var formats []string
			for _, s := range got {
				formats = append(formats, s.Replacement)
			}
			if len(formats) != len(c.want) {
				t.Fatalf("found %q, want %q", formats, c.want)
			}
			for i := range formats {
				if formats[i] != c.want[i] {
					t.Fatalf("found %q, want %q", formats, c.want)
				}
			}
		})
	}
}
