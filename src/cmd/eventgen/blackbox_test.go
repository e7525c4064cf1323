package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Eventgen 7.2.1's own black-box suite (tests/large, inventory §5.4),
// rebuilt on samples of the same shape and run through the CLI. Each
// case asserts what the original asserts; where the original relied on
// a bug (regex stanzas generating one file N times) the assertion is the
// corrected one. Wall-clock waits become --now with --end.

// twelve lines shaped like tests/large/sample/sample.
var twelve = func() string {
	var b strings.Builder
	for i, s := range []int{0, 1, 2, 3, 3, 4, 5, 6, 8, 20, 21, 21} {
		fmt.Fprintf(&b, "2015-07-09 10:11:%02d BLACKBOX Event %d of 12 randint @@integer\n", s, i+1)
	}
	return b.String()
}()

const twoTokens = `
token.0.token = \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}
token.0.replacementType = timestamp
token.0.replacement = %Y-%m-%d %H:%M:%S
token.1.token = @@integer
token.1.replacementType = random
token.1.replacement = integer[0:10]
`

const timeorderCSV = "_time,_raw,index,host,source,sourcetype\n" +
	"2015-07-09 10:11:00,2015-07-09 10:11:00 row 1 @@integer,main,h1,s,st\n" +
	"2015-07-09 10:11:01,2015-07-09 10:11:01 row 2 @@integer,main,h1,s,st\n" +
	"2015-07-09 10:11:02,2015-07-09 10:11:02 row 3 @@integer,main,h2,s,st\n" +
	"2015-07-09 10:11:03,2015-07-09 10:11:03 row 4 @@integer,main,h2,s,st\n" +
	"2015-07-09 10:11:04,2015-07-09 10:11:04 row 5 @@integer,main,h3,s,st\n" +
	"2015-07-09 10:11:05,2015-07-09 10:11:05 row 6 @@integer,main,h3,s,st\n" +
	"2015-07-09 10:11:06,2015-07-09 10:11:06 row 7 @@integer,main,h4,s,st\n" +
	"2015-07-09 10:11:07,2015-07-09 10:11:07 row 8 @@integer,main,h4,s,st\n" +
	"2015-07-09 10:11:08,2015-07-09 10:11:08 row 9 @@integer,main,h5,s,st\n" +
	"2015-07-09 10:11:09,2015-07-09 10:11:09 row 10 @@integer,main,h5,s,st\n"

const nowText = "2024-03-05T12:00:00Z"

var now = time.Date(2024, 3, 5, 12, 0, 0, 0, time.UTC)

// blackbox writes conf into a temp app whose samples dir holds the
// large-suite samples, runs generate, and returns stdout.
func blackbox(t *testing.T, conf string, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	samples := map[string]string{
		"sample": twelve, "sample1": twelve, "sample2": strings.ReplaceAll(twelve, "BLACKBOX", "OTHER"),
		"timeorder.csv": timeorderCSV, "timeorderXcsv": timeorderCSV, "timeorder_regex.csv": timeorderCSV,
		"breakersample": "20110414114247.083068\nPercentProcessorTime=@@proc\nwmi_type=CPUTime\n\n20110414114252.083068\nPercentProcessorTime=100\nwmi_type=CPUTime\n",
	}
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.MkdirAll(filepath.Join(dir, "default"), 0o755)
	for n, c := range samples {
		os.WriteFile(filepath.Join(dir, "samples", n), []byte(c), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "default", "eventgen.conf"), []byte(conf), 0o644)
	var out, errb bytes.Buffer
	args := append([]string{"generate", "--now", nowText}, extra...)
	args = append(args, dir)
	if code := run(context.Background(), args, &stdio{out: &out, err: &errb}); code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	return out.String()
}

func lines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

var leadingTS = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})`)

// checkTimes asserts every event starts with a timestamp within [lo, hi]
// seconds of now and has no placeholder left.
func checkTimes(t *testing.T, evs []string, lo, hi time.Duration) {
	t.Helper()
	for _, ev := range evs {
		m := leadingTS.FindStringSubmatch(ev)
		if m == nil {
			t.Fatalf("event without leading timestamp: %q", ev)
		}
		ts, _ := time.Parse("2006-01-02 15:04:05", m[1])
		if ts.Before(now.Add(lo)) || ts.After(now.Add(hi)) {
			t.Errorf("timestamp %s outside [now%+v, now%+v]", m[1], lo, hi)
		}
		if strings.Contains(ev, "@@integer") {
			t.Errorf("token not replaced: %q", ev)
		}
	}
}

func TestBlackboxModeSample(t *testing.T) {
	evs := lines(blackbox(t, "[sample]\nmode = sample\nearliest = -15s\nsampletype = raw\noutputMode = stdout\nend = 1\n"+twoTokens))
	if len(evs) != 12 {
		t.Fatalf("%d events, want 12", len(evs))
	}
	checkTimes(t, evs, -20*time.Second, 0)
}

func TestBlackboxCounts(t *testing.T) {
	cases := []struct {
		name, conf string
		extra      []string
		want       int
	}{
		{"csv", "[timeorder\\.csv]\nsampletype = csv\noutputMode = stdout\nend = 1\n" + twoTokens, nil, 10},
		{"interval (3 generations in 30 s)", "[sample]\ninterval = 10\noutputMode = stdout\n" + twoTokens, []string{"--end", "3"}, 36},
		{"end", "[sample]\nend = 1\n" + twoTokens, nil, 12},
		{"count", "[sample]\ncount = 5\nend = 1\n" + twoTokens, nil, 5},
		{"generatorWorkers", "[global]\ngeneratorWorkers = 5\n[sample]\ncount = 10\nend = 5\ninterval = 20\n" + twoTokens, nil, 50},
		{"regex integer", "[sample\\d]\nend = 1\n" + twoTokens, nil, 24},
		{"regex wildcard", "[sample.*]\nend = 1\n" + twoTokens, nil, 36},
		{"regex csv", "[timeorder.*]\nsampletype = csv\nend = 1\n" + twoTokens, nil, 30},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := len(lines(blackbox(t, c.conf, c.extra...))); got != c.want {
				t.Fatalf("%d events, want %d", got, c.want)
			}
		})
	}
}

func TestBlackboxRegexWildcardGeneratesEachFile(t *testing.T) {
	out := blackbox(t, "[sample.*]\nend = 1\n"+twoTokens)
	if n := strings.Count(out, "OTHER"); n != 12 {
		t.Fatalf("%d events from sample2, want 12 (7.2.1 generated only one of the files)", n)
	}
}

func TestBlackboxEarliestLatest(t *testing.T) {
	checkTimes(t, lines(blackbox(t, "[sample]\nearliest = -15s\nend = 1\n"+twoTokens)), -16*time.Second, 0)
	checkTimes(t, lines(blackbox(t, "[sample]\nlatest = +15s\nend = 1\n"+twoTokens)), 0, 17*time.Second)
}

func TestBlackboxBreaker(t *testing.T) {
	conf := "[breakersample]\ncount = 3\nearliest = -3s\nlatest = now\ninterval = 3\nbreaker = ^\\d{14}\\.\\d{6}\nend = 1\n" +
		"token.0.token = ^(\\d{14})\\.\\d{6}\ntoken.0.replacementType = timestamp\ntoken.0.replacement = %Y%m%d%H%M%S\n"
	out := blackbox(t, conf)
	starts := regexp.MustCompile(`(?m)^\d{14}\.\d{6}`).FindAllString(out, -1)
	if len(starts) != 3 {
		t.Fatalf("%d events when split on the breaker, want 3:\n%s", len(starts), out)
	}
	for _, s := range starts {
		if !strings.HasPrefix(s, "20240305115") && !strings.HasPrefix(s, "20240305120000") {
			t.Errorf("breaker timestamp %s not replaced by a time near now", s)
		}
	}
}

func TestBlackboxOutputModinput(t *testing.T) {
	out := blackbox(t, "[sample]\nearliest = -15s\noutputMode = modinput\nend = 1\nsource = eventgen\n"+twoTokens, "--format", "modinput")
	var stream struct {
		Events []struct {
			Stanza string `xml:"stanza,attr"`
			Time   string `xml:"time"`
			Index  string `xml:"index"`
			Host   string `xml:"host"`
			Source string `xml:"source"`
			ST     string `xml:"sourcetype"`
			Data   string `xml:"data"`
		} `xml:"event"`
	}
	if err := xml.Unmarshal([]byte(out), &stream); err != nil {
		t.Fatal(err)
	}
	if len(stream.Events) != 12 {
		t.Fatalf("%d events, want 12", len(stream.Events))
	}
	re := regexp.MustCompile(`BLACKBOX Event (\d+) of 12 randint (\d+)$`)
	for _, ev := range stream.Events {
		if ev.Index != "main" || ev.Source != "eventgen" || ev.ST != "eventgen" || ev.Host != "127.0.0.1" || ev.Stanza != "sample" {
			t.Errorf("metadata %+v", ev)
		}
		sec, err := strconv.ParseFloat(ev.Time, 64)
		if err != nil || sec < float64(now.Unix()-30) || sec > float64(now.Unix()) {
			t.Errorf("time %q not within 30 s of now", ev.Time)
		}
		// the timestamp token and _time agree
		if want := time.Unix(int64(sec), 0).UTC().Format("2006-01-02 15:04:05"); !strings.HasPrefix(ev.Data, want) {
			t.Errorf("data %q does not start with its time %s", ev.Data, want)
		}
		if !re.MatchString(ev.Data) {
			t.Errorf("data %q", ev.Data)
		}
	}
}

func TestBlackboxTokenReplacement(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	city := write("city.csv", "US,Boston,MA,42.36,-71.06,1.1.1.1\nFR,Paris,IDF,48.86,2.35,2.2.2.2\nJP,Tokyo,13,35.68,139.69,3.3.3.3\n")
	cp := write("cp.csv", "111\n222\n333\n")
	id := write("id.csv", "aa-1\nbb-2\n")
	ip := write("ip.csv", "10.0.0.1\n10.0.0.2\n")
	sample := `{"start":"1420070400","cp":"1","country":"XX","city":"YY","lat":"0.0","long":"0.0","id":"z","bytes":"1","cliIP":"0.0.0.0","lastByte":"1","receiver_id":"","Ak_IP":"0.0.0.0","forward-origin-ip":"0.0.0.0","end-user-ip":"0.0.0.0","lastMileRTT":"1"}` + "\n"
	conf := fmt.Sprintf(`[tokenreplacement.sample]
sampleDir = %s
end = 1
count = 10
token.0.token = "start":"(\d+)
token.0.replacementType = timestamp
token.0.replacement = %%s
token.1.token = "cp":"([\d\.]+)
token.1.replacementType = file
token.1.replacement = %s
token.2.token = "country":"(\w+)
token.2.replacementType = mvfile
token.2.replacement = %s:1
token.3.token = "city":"(\w+)
token.3.replacementType = file
token.3.replacement = %s:2
token.4.token = "lat":"(-?\d+.\d+)
token.4.replacementType = file
token.4.replacement = %s:4
token.5.token = "long":"(-?\d+.\d+)
token.5.replacementType = file
token.5.replacement = %s:5
token.6.token = "id":"([\w\-]+)
token.6.replacementType = file
token.6.replacement = %s
token.7.token = "bytes":"(\d+)
token.7.replacementType = random
token.7.replacement = integer[40:5000]
token.8.token = "cliIP":"(\d+.\d+.\d+.\d+)
token.8.replacementType = file
token.8.replacement = %s
token.9.token = "lastByte":"(\d+)
token.9.replacementType = static
token.9.replacement = 0
token.10.token = "receiver_id":"(\d*)
token.10.replacementType = integerid
token.10.replacement = 1
token.11.token = "Ak_IP":"(\d+.\d+.\d+.\d+)
token.11.replacementType = random
token.11.replacement = ipv4
token.12.token = "forward-origin-ip":"(\d+.\d+.\d+.\d+)
token.12.replacementType = random
token.12.replacement = ipv6
token.13.token = "end-user-ip":"(\d+.\d+.\d+.\d+)
token.13.replacementType = random
token.13.replacement = mac
token.14.token = "lastMileRTT":"(\d+)
token.14.replacementType = random
token.14.replacement = float[-3.0:3.0]
`, dir, cp, city, city, city, city, id, ip)
	write("tokenreplacement.sample", sample)
	evs := lines(blackbox(t, conf))
	if len(evs) != 10 {
		t.Fatalf("%d events, want 10", len(evs))
	}
	rows := map[string][]string{}
	for _, r := range lines(mustRead(t, city)) {
		f := strings.Split(r, ",")
		rows[f[0]] = f
	}
	for i, line := range evs {
		var ev map[string]string
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("event %d is not JSON: %v\n%s", i, err, line)
		}
		check := func(cond bool, what string) {
			if !cond {
				t.Errorf("event %d: %s: %s", i, what, line)
			}
		}
		check(ev["receiver_id"] == strconv.Itoa(i+1), "receiver_id counts 1..10 in order")
		check(strings.Contains("111 222 333", ev["cp"]), "cp from cp.csv")
		check(ev["id"] == "aa-1" || ev["id"] == "bb-2", "id from id.csv")
		check(ev["cliIP"] == "10.0.0.1" || ev["cliIP"] == "10.0.0.2", "cliIP from ip.csv")
		check(ev["lastByte"] == "0", "lastByte static 0")
		b, _ := strconv.Atoi(ev["bytes"])
		check(b >= 40 && b <= 5000, "bytes in [40, 5000]")
		f, err := strconv.ParseFloat(ev["lastMileRTT"], 64)
		check(err == nil && f >= -3 && f <= 3, "lastMileRTT in [-3, 3]")
		check(regexp.MustCompile(`^(\d{1,3}\.){3}\d{1,3}$`).MatchString(ev["Ak_IP"]), "Ak_IP is IPv4")
		check(regexp.MustCompile(`^([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$`).MatchString(ev["forward-origin-ip"]), "forward-origin-ip is IPv6")
		check(regexp.MustCompile(`^([0-9a-f]{2}:){5}[0-9a-f]{2}$`).MatchString(ev["end-user-ip"]), "end-user-ip is a MAC")
		row := rows[ev["country"]]
		check(row != nil && ev["city"] == row[1] && ev["lat"] == row[3] && ev["long"] == row[4], "country/city/lat/long from one row of city.csv")
		s, _ := strconv.ParseInt(ev["start"], 10, 64)
		check(s >= now.Unix()-60 && s <= now.Unix(), "start is the epoch of the event")
	}
}

func mustRead(t *testing.T, p string) string {
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestBlackboxOutputFileAndDevnull(t *testing.T) {
	outFile := filepath.Join(t.TempDir(), "eventgen_file.result")
	if out := blackbox(t, "[sample]\noutputMode = file\nfileName = "+outFile+"\nend = 1\n"+twoTokens); out != "" {
		t.Fatalf("file output wrote to stdout: %q", out)
	}
	if n := len(lines(mustRead(t, outFile))); n != 12 {
		t.Fatalf("%d lines in the file, want 12", n)
	}
	if out := blackbox(t, "[sample]\noutputMode = devnull\nend = 1\n"+twoTokens); out != "" {
		t.Fatalf("devnull wrote %q", out)
	}
}

// test_jinja_template (jinja_simple): a loop of time_now lines.
func TestBlackboxJinja(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "default"), 0o755)
	os.MkdirAll(filepath.Join(dir, "samples", "templates"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "templates", "simple.j2"), []byte(`{% for _ in range(0, large_number) %}{% time_now %}{"_time": "{{ time_now_epoch }}", "_raw": "{{ time_now_formatted }} test jinja template, seq: {{ loop.index }}/{{ large_number }}"}
{% endfor %}`), 0o644)
	os.WriteFile(filepath.Join(dir, "default", "eventgen.conf"), []byte("[jinja_simple]\ngenerator = jinja\njinja_template_dir = templates\njinja_target_template = simple.j2\njinja_variables = {\"large_number\": 10}\ncount = 1\nend = 1\noutputMode = stdout\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"generate", "--now", nowText, "--seed", "1", dir}, &stdio{out: &out, err: &errb}); code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	evs := lines(out.String())
	if len(evs) != 10 {
		t.Fatalf("%d events, want 10\n%s", len(evs), errb.String())
	}
	for i, ev := range evs {
		if !strings.HasPrefix(ev, "2024-03-05T12:00:00") || !strings.HasSuffix(ev, fmt.Sprintf("test jinja template, seq: %d/10", i+1)) {
			t.Errorf("event %d = %q", i, ev)
		}
	}
}

// test_udp_output: udpout sends one datagram per event.
func TestBlackboxUDPOutput(t *testing.T) {
	if !contains(engine.Outputs(), "udpout") {
		t.Skip("this build (-tags cloud) has no udpout output")
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	port := pc.LocalAddr().(*net.UDPAddr).Port
	got := make(chan string, 100)
	go func() {
		buf := make([]byte, 65536)
		for {
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			got <- string(buf[:n])
		}
	}()
	if out := blackbox(t, fmt.Sprintf("[sample]\noutputMode = udpout\nudpDestinationHost = 127.0.0.1\nudpDestinationPort = %d\nend = 1\n", port)+twoTokens); out != "" {
		t.Fatalf("udpout wrote to stdout: %q", out)
	}
	for i := 1; i <= 12; i++ {
		select {
		case d := <-got:
			if !strings.Contains(d, fmt.Sprintf("BLACKBOX Event %d of 12", i)) || !strings.HasSuffix(d, "\n") {
				t.Fatalf("datagram %d = %q", i, d)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("datagram %d did not arrive", i)
		}
	}
}
