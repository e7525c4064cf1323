package replay

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	"github.com/eventgen-go/eventgen/src/internal/output"
)

const replayConf = `[r.log]
mode = replay
token.0.token = ^(\d{2}:\d{2}:\d{2})
token.0.replacementType = replaytimestamp
token.0.replacement = %H:%M:%S
`

// open builds the replay of a one-stanza configuration over sample.
func open(t *testing.T, confText, sample string) (generate.Replayer, []string, error) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "r.log"), []byte(sample), 0o644)
	f, err := conf.Parse("t.conf", []byte(confText))
	if err != nil {
		t.Fatal(err)
	}
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
	if len(res.Errors()) > 0 || len(res.Samples) != 1 {
		t.Fatal(res.Errors())
	}
	var warnings []string
	_, r, err := generate.Open(generate.Params{Sample: res.Samples[0], Rand: rand.New(rand.NewPCG(1, 2)),
		Warn: func(w string) { warnings = append(warnings, w) }, Year: 2024})
	return r, warnings, err
}

func TestReplayOffsets(t *testing.T) {
	r, warnings, err := open(t, replayConf+"timeMultiple = 2\n", "10:00:00 a\nno time\n10:00:01 b\n10:00:00 c\n10:00:05 d\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 2 * time.Second, 2 * time.Second, 12 * time.Second} // c is earlier than b: no gap
	if r.Len() != len(want) || r.Span() != want[len(want)-1] {
		t.Fatalf("Len %d Span %v, want %d %v", r.Len(), r.Span(), len(want), want[len(want)-1])
	}
	for i, w := range want {
		if r.Offset(i) != w {
			t.Errorf("Offset(%d) = %v, want %v", i, r.Offset(i), w)
		}
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], "1 of 5 events") || !strings.Contains(warnings[1], "earlier than the event before") {
		t.Fatalf("warnings %q", warnings)
	}
	at := time.Date(2024, 3, 1, 7, 8, 9, 0, time.UTC)
	var got string
	r.Emit(1, at, func(ev *output.Event) bool { got = string(ev.Raw); return true })
	if got != "07:08:09 b" {
		t.Fatalf("Emit(1) = %q, want the event stamped with its due time", got)
	}
}

// A sample in which no event has a readable time is replayed in order,
// all at once, with one warning.
func TestReplayWithoutTimes(t *testing.T) {
	for name, c := range map[string]struct{ conf, sample string }{
		"no token":   {"[r.log]\nmode = replay\n", "{\"a\":1}\n{\"b\":2}\n"},
		"unreadable": {replayConf, "a\nb\n"},
	} {
		t.Run(name, func(t *testing.T) {
			r, warnings, err := open(t, c.conf, c.sample)
			if err != nil {
				t.Fatal(err)
			}
			if r.Len() != 2 || r.Span() != 0 || r.Offset(1) != 0 {
				t.Fatalf("Len %d Span %v", r.Len(), r.Span())
			}
			if len(warnings) == 0 || !strings.Contains(warnings[len(warnings)-1], "no gaps") {
				t.Fatalf("warnings %q", warnings)
			}
		})
	}
}

// timeField on a CSV column: the tokens' regexes are searched in the
// column's value (Eventgen's rule), then epoch and ISO forms.
func TestReplayTimeFieldColumn(t *testing.T) {
	conf := "[r.log]\nmode = replay\nsampletype = csv\ntimeField = when\n" +
		"token.0.token = (\\d{2}:\\d{2}:\\d{2})\ntoken.0.replacementType = replaytimestamp\ntoken.0.replacement = %H:%M:%S\n"
	r, warnings, err := open(t, conf, "_raw,when\n\"x 10:00:00\",at 10:00:00 UTC\n\"y 10:00:03\",at 10:00:03 UTC\n\"z\",1709287210\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 || r.Len() != 3 || r.Offset(1) != 3*time.Second {
		t.Fatalf("Len %d Offset(1) %v warnings %q", r.Len(), r.Offset(1), warnings)
	}
}
