package output

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// t0 is 2024-03-05T07:08:09.123456789Z, epoch 1709622489.123.
var t0 = time.Date(2024, 3, 5, 7, 8, 9, 123456789, time.UTC)

// encoderCases are the events of the golden files, one per kind of
// content an encoder must get right.
var encoderCases = []struct {
	name string
	e    Event
}{
	{"access log", Event{
		Time:       t0,
		Raw:        []byte(`10.1.2.3 - - [05/Mar/2024:07:08:09 +0000] "GET /cart.do?action=view&itemId=EST-6 HTTP/1.1" 200 1234 "-" "Mozilla/5.0"`),
		Index:      "main",
		Host:       "web01",
		Source:     "/var/log/httpd/access_log",
		Sourcetype: "access_combined",
		Stanza:     "eventgen://access",
	}},
	{"multi-line raw", Event{
		Time:       t0.Add(time.Second),
		Raw:        []byte("2024-03-05 07:08:10 ERROR boom\njava.lang.NullPointerException\n\tat com.example.A.b(A.java:1)\r\n\tat com.example.C.d(C.java:2)"),
		Index:      "java",
		Host:       "app01",
		Source:     "app.log",
		Sourcetype: "log4j",
		Stanza:     "app.log",
	}},
	{"xml specials", Event{
		Time:       t0,
		Raw:        []byte(`<tag attr="v" other='w'>a & b > c &amp; ]]> </tag>`),
		Index:      "main",
		Host:       "h<1>&x",
		Source:     `"quoted" & <angled>`,
		Sourcetype: "st>1",
		Stanza:     `eventgen://"odd" <&> name`,
	}},
	{"json specials", Event{
		Time:       t0,
		Raw:        []byte("quote \" backslash \\ slash / tab\t line sep \u2028 para sep \u2029 é 日本 🎉 <&>"),
		Index:      "main",
		Host:       `h"ost\`,
		Source:     "s\u2028",
		Sourcetype: "st",
		Stanza:     "json",
	}},
	{"control chars", Event{
		Time:       t0,
		Raw:        []byte("nul\x00 soh\x01 bs\b ff\f vt\v esc\x1b del\x7f cr\r lf\n us\x1f c1\u0085"),
		Index:      "main",
		Host:       "h\x01ost",
		Source:     "src\ttab",
		Sourcetype: "st\nnl",
		Stanza:     "ctl\x02\t\n\r",
	}},
	{"invalid utf-8", Event{
		Time:       t0,
		Raw:        []byte("bad \xff\xfe trunc \xe2\x82 surrogate \xed\xa0\x80 overlong \xc0\xaf nonchar \uFFFE\uFFFF end \xe2\x82\xac"),
		Index:      "main",
		Host:       "h\xffost",
		Source:     "s",
		Sourcetype: "st",
		Stanza:     "utf8\xc3",
	}},
	{"empty metadata", Event{
		Time: t0,
		Raw:  []byte("only raw"),
	}},
	{"metadata of illegal chars only", Event{
		Time:   t0,
		Raw:    []byte("x"),
		Index:  "\x00",
		Host:   "\x01\x02",
		Source: "\uFFFF",
		Stanza: "\x1b",
	}},
	{"empty raw", Event{
		Time:   t0,
		Index:  "main",
		Stanza: "empty",
	}},
	{"time before 1970", Event{
		Time: time.Date(1969, 12, 31, 23, 59, 58, 500_000_000, time.UTC),
		Raw:  []byte("old"),
	}},
	{"zero time", Event{
		Raw:  []byte("no time"),
		Host: "h",
	}},
}

func encodeAll(t testing.TB, format string) []byte {
	enc, err := NewEncoder(format)
	if err != nil {
		t.Fatal(err)
	}
	out := enc.Begin(nil)
	for i := range encoderCases {
		out = enc.Append(out, &encoderCases[i].e)
	}
	return enc.End(out)
}

func TestEncodersGolden(t *testing.T) {
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			got := encodeAll(t, format)
			golden := filepath.Join("testdata", format+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", golden, got, want)
			}
		})
	}
}

func TestNewEncoder(t *testing.T) {
	for _, tc := range []struct {
		format  string
		wantErr bool
	}{
		{"raw", false},
		{"jsonl", false},
		{"modinput", false},
		{"", true},
		{"json", true},
		{"MODINPUT", true},
	} {
		t.Run(tc.format, func(t *testing.T) {
			enc, err := NewEncoder(tc.format)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("NewEncoder(%q) = %T, want an error", tc.format, enc)
				}
				for _, name := range formats {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("error %q does not list %q", err, name)
					}
				}
				return
			}
			if err != nil || enc == nil {
				t.Fatalf("NewEncoder(%q) = %v, %v", tc.format, enc, err)
			}
		})
	}
}

func TestRaw(t *testing.T) {
	enc, _ := NewEncoder("raw")
	for _, tc := range encoderCases {
		t.Run(tc.name, func(t *testing.T) {
			got := enc.Append([]byte("prefix"), &tc.e)
			want := "prefix" + string(tc.e.Raw) + "\n"
			if string(got) != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
	if got := enc.Begin(nil); len(got) != 0 {
		t.Errorf("Begin = %q", got)
	}
	if got := enc.End(nil); len(got) != 0 {
		t.Errorf("End = %q", got)
	}
}

func TestEpochMillis(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{t0, "1709622489.123"},
		{time.Unix(0, 0), "0.000"},
		{time.Unix(1, 999_999_999), "1.999"},
		{time.Unix(1700000000, 5_000_000), "1700000000.005"},
		{time.Unix(1700000000, 50_000_000).In(time.FixedZone("x", 3600)), "1700000000.050"},
		{time.Unix(-1, 500_000_000), "-0.500"},
		{time.Unix(-2, 0), "-2.000"},
	} {
		if got := string(AppendEpochMillis(nil, tc.t)); got != tc.want {
			t.Errorf("AppendEpochMillis(%v) = %s, want %s", tc.t, got, tc.want)
		}
	}
}

// TestEpochMillisDigits checks the ten-digit fast path of
// AppendEpochMillis against strconv at its edges and on a spread of
// times.
func TestEpochMillisDigits(t *testing.T) {
	ms := []int64{999_999_999_999, 1e12, 1e12 + 1, 1_709_622_489_123, 9_999_999_999_999, 1e13, 1e13 + 7}
	for m := int64(1e12 - 5e9); m < 1e13+5e9; m += 12_345_678_901 {
		ms = append(ms, m)
	}
	for _, m := range ms {
		want := strconv.FormatInt(m/1000, 10) + fmt.Sprintf(".%03d", m%1000)
		if got := string(AppendEpochMillis([]byte("x"), time.UnixMilli(m))); got != "x"+want {
			t.Errorf("AppendEpochMillis(%d ms) = %s, want x%s", m, got, want)
		}
	}
}

// jsonlRecord has the keys of a jsonl line in order, for encoding/json.
type jsonlRecord struct {
	Time       json.RawMessage `json:"_time"`
	Raw        string          `json:"_raw"`
	Index      string          `json:"index"`
	Host       string          `json:"host"`
	Source     string          `json:"source"`
	Sourcetype string          `json:"sourcetype"`
	Stanza     string          `json:"stanza"`
}

// wantJSONL is what encoding/json (without HTML escaping) writes for e.
func wantJSONL(t testing.TB, e *Event) []byte {
	tm := json.RawMessage("null")
	if !e.Time.IsZero() {
		tm = AppendEpochMillis(nil, e.Time)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonlRecord{tm, string(e.Raw), e.Index, e.Host, e.Source, e.Sourcetype, e.Stanza}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// replaceInvalid replaces each byte of invalid UTF-8 in s by U+FFFD.
func replaceInvalid(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

func checkJSONL(t testing.TB, e *Event) {
	enc := jsonlEncoder{}
	got := enc.Append(nil, e)
	if want := wantJSONL(t, e); !bytes.Equal(got, want) {
		t.Fatalf("jsonl differs from encoding/json:\ngot  %q\nwant %q", got, want)
	}
	if bytes.IndexByte(got, '\n') != len(got)-1 {
		t.Fatalf("jsonl line has an inner newline: %q", got)
	}
	var rec map[string]any
	if err := json.Unmarshal(got, &rec); err != nil {
		t.Fatalf("unmarshal %q: %v", got, err)
	}
	for k, want := range map[string]string{
		"_raw": string(e.Raw), "index": e.Index, "host": e.Host, "source": e.Source,
		"sourcetype": e.Sourcetype, "stanza": e.Stanza,
	} {
		if got := rec[k]; got != replaceInvalid(want) {
			t.Errorf("%s = %q, want %q", k, got, replaceInvalid(want))
		}
	}
	if e.Time.IsZero() {
		if rec["_time"] != nil {
			t.Errorf("_time = %v, want null", rec["_time"])
		}
	} else if got, want := rec["_time"], float64(e.Time.UnixMilli())/1000; got != want {
		t.Errorf("_time = %v, want %v", got, want)
	}
}

func TestJSONLMatchesEncodingJSON(t *testing.T) {
	for _, tc := range encoderCases {
		t.Run(tc.name, func(t *testing.T) { checkJSONL(t, &tc.e) })
	}
	// Every single byte, alone and followed by a multi-byte rune.
	for b := range 256 {
		e := Event{Time: t0, Raw: []byte{byte(b)}, Host: string([]byte{byte(b), 0xe2, 0x80, 0xa8})}
		checkJSONL(t, &e)
	}
}

// xmlStream is a modinput stream as encoding/xml sees it. Pointers tell
// an absent element from an empty one.
type xmlStream struct {
	XMLName xml.Name   `xml:"stream"`
	Events  []xmlEvent `xml:"event"`
}

type xmlEvent struct {
	Stanza     *string `xml:"stanza,attr"`
	Time       *string `xml:"time"`
	Index      *string `xml:"index"`
	Host       *string `xml:"host"`
	Source     *string `xml:"source"`
	Sourcetype *string `xml:"sourcetype"`
	Data       *string `xml:"data"`
}

// xmlChars is s as it should come back from the modinput stream: invalid
// bytes replaced by U+FFFD, characters XML 1.0 forbids dropped.
func xmlChars(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func checkModinput(t testing.TB, events []Event) {
	enc := modinputEncoder{}
	out := enc.Begin(nil)
	for i := range events {
		out = enc.Append(out, &events[i])
	}
	out = enc.End(out)
	if !utf8.Valid(out) {
		t.Fatalf("stream is not valid UTF-8: %q", out)
	}
	var s xmlStream
	d := xml.NewDecoder(bytes.NewReader(out))
	if err := d.Decode(&s); err != nil {
		t.Fatalf("parse %q: %v", out, err)
	}
	if len(s.Events) != len(events) {
		t.Fatalf("parsed %d events, want %d", len(s.Events), len(events))
	}
	for i := range events {
		e, g := &events[i], &s.Events[i]
		check := func(name string, got *string, want string) {
			t.Helper()
			want = xmlChars(want)
			switch {
			case want == "" && got != nil:
				t.Errorf("event %d: %s = %q, want it left out", i, name, *got)
			case want != "" && got == nil:
				t.Errorf("event %d: %s missing, want %q", i, name, want)
			case got != nil && *got != want:
				t.Errorf("event %d: %s = %q, want %q", i, name, *got, want)
			}
		}
		check("stanza", g.Stanza, e.Stanza)
		check("index", g.Index, e.Index)
		check("host", g.Host, e.Host)
		check("source", g.Source, e.Source)
		check("sourcetype", g.Sourcetype, e.Sourcetype)
		if g.Data == nil {
			t.Errorf("event %d: no <data>", i)
		} else if want := xmlChars(string(e.Raw)); *g.Data != want {
			t.Errorf("event %d: data = %q, want %q", i, *g.Data, want)
		}
		wantTime := ""
		if !e.Time.IsZero() {
			wantTime = string(AppendEpochMillis(nil, e.Time))
		}
		check("time", g.Time, wantTime)
	}
}

func TestModinputRoundTrip(t *testing.T) {
	for _, tc := range encoderCases {
		t.Run(tc.name, func(t *testing.T) { checkModinput(t, []Event{tc.e}) })
	}
	all := make([]Event, len(encoderCases))
	for i := range encoderCases {
		all[i] = encoderCases[i].e
	}
	checkModinput(t, all)
	// Every single byte in data, metadata and the attribute.
	for b := range 256 {
		s := string([]byte{'a', byte(b), 'z'})
		checkModinput(t, []Event{{Time: t0, Raw: []byte(s), Host: s, Stanza: s}})
	}
}

func TestModinputFormat(t *testing.T) {
	enc, _ := NewEncoder("modinput")
	for _, tc := range []struct {
		name string
		e    Event
		want string
	}{
		{"all fields", encoderCases[0].e, `<event stanza="eventgen://access"><time>1709622489.123</time><index>main</index><host>web01</host><source>/var/log/httpd/access_log</source><sourcetype>access_combined</sourcetype><data>10.1.2.3 - - [05/Mar/2024:07:08:09 +0000] "GET /cart.do?action=view&amp;itemId=EST-6 HTTP/1.1" 200 1234 "-" "Mozilla/5.0"</data></event>` + "\n"},
		{"metadata escaped (bug 38)", Event{Time: t0, Raw: []byte("x"), Host: "h<1>&x", Stanza: `a"b`},
			`<event stanza="a&quot;b"><time>1709622489.123</time><host>h&lt;1&gt;&amp;x</host><data>x</data></event>` + "\n"},
		{"empty metadata omitted", Event{Time: t0, Raw: []byte("x")},
			`<event><time>1709622489.123</time><data>x</data></event>` + "\n"},
		{"tab and lf kept, cr as reference", Event{Time: t0, Raw: []byte("a\tb\r\nc")},
			"<event><time>1709622489.123</time><data>a\tb&#xD;\nc</data></event>\n"},
		{"zero time omitted", Event{Raw: []byte("x")}, "<event><data>x</data></event>\n"},
		{"empty data kept", Event{Time: t0}, "<event><time>1709622489.123</time><data></data></event>\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(enc.Append(nil, &tc.e)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if got := string(enc.Begin(nil)); got != "<stream>\n" {
		t.Errorf("Begin = %q", got)
	}
	if got := string(enc.End(nil)); got != "</stream>\n" {
		t.Errorf("End = %q", got)
	}
}

func TestEncodersDoNotAllocate(t *testing.T) {
	e := benchEvent()
	for _, format := range formats {
		enc, _ := NewEncoder(format)
		dst := make([]byte, 0, 4096)
		for i := range encoderCases {
			dst = enc.Append(dst, &encoderCases[i].e) // warm up with every kind of content
		}
		if n := testing.AllocsPerRun(100, func() {
			dst = enc.Append(dst[:0], &e)
			for i := range encoderCases {
				dst = enc.Append(dst, &encoderCases[i].e)
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", format, n)
		}
	}
}

func fuzzSeeds(f *testing.F) {
	for _, tc := range encoderCases {
		e := tc.e
		f.Add(e.Raw, e.Index, e.Host, e.Source, e.Sourcetype, e.Stanza, e.Time.UnixNano())
	}
}

func fuzzEvent(raw []byte, index, host, source, sourcetype, stanza string, nanos int64) Event {
	var tm time.Time
	if nanos != 0 {
		tm = time.Unix(0, nanos)
	}
	return Event{Time: tm, Raw: raw, Index: index, Host: host, Source: source, Sourcetype: sourcetype, Stanza: stanza}
}

func FuzzModinput(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte, index, host, source, sourcetype, stanza string, nanos int64) {
		e := fuzzEvent(raw, index, host, source, sourcetype, stanza, nanos)
		checkModinput(t, []Event{e, e})
	})
}

func FuzzJSONL(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte, index, host, source, sourcetype, stanza string, nanos int64) {
		e := fuzzEvent(raw, index, host, source, sourcetype, stanza, nanos)
		checkJSONL(t, &e)
	})
}
