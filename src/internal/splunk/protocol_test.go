package splunk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

func TestSchemeXML(t *testing.T) {
	raw := SchemeXML()
	if !bytes.HasPrefix(raw, []byte("<?xml")) {
		t.Errorf("scheme does not start with an XML declaration: %.40q", raw)
	}
	// Decode into strings so that the exact text splunkd reads is checked
	// (lower-case booleans, data types).
	var s struct {
		XMLName               xml.Name `xml:"scheme"`
		Title                 *string  `xml:"title"`
		Description           *string  `xml:"description"`
		UseExternalValidation *string  `xml:"use_external_validation"`
		UseSingleInstance     *string  `xml:"use_single_instance"`
		StreamingMode         *string  `xml:"streaming_mode"`
		Args                  []struct {
			Name             string  `xml:"name,attr"`
			Title            *string `xml:"title"`
			Description      *string `xml:"description"`
			DataType         *string `xml:"data_type"`
			RequiredOnCreate *string `xml:"required_on_create"`
			RequiredOnEdit   *string `xml:"required_on_edit"`
		} `xml:"endpoint>args>arg"`
	}
	if err := xml.Unmarshal(raw, &s); err != nil {
		t.Fatalf("scheme is not XML: %v\n%s", err, raw)
	}
	check := func(name string, got *string, want string) {
		t.Helper()
		switch {
		case got == nil:
			t.Errorf("%s: element missing", name)
		case want != "" && *got != want:
			t.Errorf("%s = %q, want %q", name, *got, want)
		case want == "" && strings.TrimSpace(*got) == "":
			t.Errorf("%s is empty", name)
		}
	}
	check("title", s.Title, "SA-Eventgen")
	check("description", s.Description, "")
	check("use_external_validation", s.UseExternalValidation, "true")
	check("use_single_instance", s.UseSingleInstance, "false")
	check("streaming_mode", s.StreamingMode, "xml")
	if len(s.Args) != 3 {
		t.Fatalf("got %d args, want 3 (verbosity, config_poll_interval, shard)", len(s.Args))
	}
	for i, want := range []struct{ name, desc, dataType string }{
		{"verbosity", "Logging level: DEBUG(10), INFO(20), WARN(30), ERROR(40), CRITICAL(50)", "number"},
		{"config_poll_interval", "", "number"},
		{"shard", "", "string"},
	} {
		a := s.Args[i]
		if a.Name != want.name {
			t.Errorf("arg %d name = %q, want %s", i, a.Name, want.name)
		}
		check(want.name+" title", a.Title, "")
		check(want.name+" description", a.Description, want.desc)
		check(want.name+" data_type", a.DataType, want.dataType)
		check(want.name+" required_on_create", a.RequiredOnCreate, "false")
		check(want.name+" required_on_edit", a.RequiredOnEdit, "false")
	}
}

func TestParsePollInterval(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", DefaultPollInterval, true}, {" 30 ", 30 * time.Second, true}, {"0", 0, true}, {"0.5", 500 * time.Millisecond, true},
		{"-1", 0, false}, {"soon", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"86401", 0, false},
	} {
		got, err := ParsePollInterval(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) {
			t.Errorf("ParsePollInterval(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "config_poll_interval") {
			t.Errorf("error %q does not name the setting", err)
		}
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// utf16LE encodes s as UTF-16LE with a byte order mark.
func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func TestParseValidation(t *testing.T) {
	golden := &Validation{
		ServerHost:    "myHost",
		ServerURI:     "https://127.0.0.1:8089",
		SessionKey:    "123102983109283019283",
		CheckpointDir: "/opt/splunk/var/lib/splunk/modinputs",
		Item:          "aaa",
		Params:        map[string]string{"verbosity": "40", "disabled": "0", "index": "default"},
		Lists:         map[string][]string{"multiValue": {"value1", "value2"}},
	}
	file := string(readTestdata(t, "validation.xml"))
	tests := []struct {
		name    string
		doc     []byte
		want    *Validation
		wantErr string
	}{
		{name: "documented example", doc: []byte(file), want: golden},
		{name: "UTF-16 with BOM", doc: utf16LE(`<?xml version="1.0" encoding="UTF-16"?>` + file), want: golden},
		{name: "UTF-8 BOM", doc: append([]byte{0xEF, 0xBB, 0xBF}, file...), want: golden},
		{
			name: "entities and no server fields",
			doc:  []byte(`<items><item name="a&amp;b"><param name="verbosity">&#52;0</param><param name="x">&lt;&gt;</param></item></items>`),
			want: &Validation{Item: "a&b", Params: map[string]string{"verbosity": "40", "x": "<>"}, Lists: map[string][]string{}},
		},
		{
			name: "later param wins",
			doc:  []byte(`<items><item name="a"><param name="v">1</param><param name="v">2</param><param_list name="l"/></item></items>`),
			want: &Validation{Item: "a", Params: map[string]string{"v": "2"}, Lists: map[string][]string{"l": {}}},
		},
		{name: "no item", doc: []byte(`<items><server_uri>x</server_uri></items>`), wantErr: "no <item>"},
		{name: "two items", doc: []byte(`<items><item name="a"/><item name="b"/></items>`), wantErr: "2 <item> elements"},
		{name: "item without name", doc: []byte(`<items><item><param name="v">1</param></item></items>`), wantErr: "no name attribute"},
		{name: "param without name", doc: []byte(`<items><item name="a"><param>1</param></item></items>`), wantErr: "<param> without a name"},
		{name: "param_list without name", doc: []byte(`<items><item name="a"><param_list/></item></items>`), wantErr: "<param_list> without a name"},
		{name: "empty", doc: nil, wantErr: "document is empty"},
		{name: "blank", doc: []byte(" \n\t"), wantErr: "document is empty"},
		{name: "garbage", doc: []byte("verbosity=40"), wantErr: "no root element"},
		{name: "unclosed", doc: []byte("<items><item name='a'>"), wantErr: "not well-formed"},
		{name: "wrong root", doc: []byte("<input></input>"), wantErr: "not a <items> document"},
		{name: "trailing element", doc: []byte(`<items><item name="a"/></items><items/>`), wantErr: "one root element"},
		{name: "trailing text", doc: []byte(`<items><item name="a"/></items>junk`), wantErr: "text \"junk\""},
		{name: "odd UTF-16", doc: append(utf16LE("<items/>"), 'x'), wantErr: "odd number of bytes"},
		{name: "unknown encoding", doc: []byte(`<?xml version="1.0" encoding="EBCDIC"?><items/>`), wantErr: "unsupported encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseValidation(bytes.NewReader(tt.doc))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseInput(t *testing.T) {
	tests := []struct {
		name    string
		doc     []byte
		want    *Input
		wantErr string
	}{
		{
			name: "documented example",
			doc:  readTestdata(t, "input.xml"),
			want: &Input{
				ServerHost:    "R91395DV",
				ServerURI:     "https://127.0.0.1:8089",
				SessionKey:    "_fake_session_key",
				CheckpointDir: `C:\Program Files\Splunk\var\lib\splunk\modinputs\Splunk_TA_otel`,
				Stanzas: []InputStanza{{
					Name: "Splunk_TA_otel://Splunk_TA_otel",
					App:  "Splunk_TA_otel",
					Params: map[string]string{
						"disabled": "false", "host": "$decideOnStartup", "index": "_internal",
						"interval": "60", "sourcetype": "Splunk_TA_otel", "start_by_shell": "false",
					},
					Lists: map[string][]string{},
				}},
			},
		},
		{
			name: "entities, CDATA, param_list, two stanzas",
			doc:  readTestdata(t, "input_entities.xml"),
			want: &Input{
				ServerHost:    "web&01",
				ServerURI:     "https://127.0.0.1:8089",
				SessionKey:    `key<with>"entities"&A`,
				CheckpointDir: "/opt/splunk/var/lib/splunk/modinputs/modinput_eventgen",
				Stanzas: []InputStanza{
					{
						Name: "modinput_eventgen://default", App: "SA-Eventgen",
						Params: map[string]string{"verbosity": "40", "source": "a & b <c>", "sourcetype": "raw <text> & more"},
						Lists:  map[string][]string{"indexes": {"main", "x&y"}},
					},
					{
						Name: "modinput_eventgen://second", App: "my_app",
						Params: map[string]string{"interval": "0"},
						Lists:  map[string][]string{},
					},
				},
			},
		},
		{
			name: "empty configuration",
			doc:  readTestdata(t, "input_empty.xml"),
			want: &Input{
				ServerHost:    "myHost",
				ServerURI:     "https://127.0.0.1:8089",
				SessionKey:    "123102983109283019283",
				CheckpointDir: "/opt/splunk/var/lib/splunk/modinputs",
			},
		},
		{
			name: "UTF-16 big endian",
			doc: func() []byte {
				le := utf16LE(string(readTestdata(t, "input_empty.xml")))
				for i := 0; i+1 < len(le); i += 2 {
					le[i], le[i+1] = le[i+1], le[i]
				}
				return le
			}(),
			want: &Input{
				ServerHost:    "myHost",
				ServerURI:     "https://127.0.0.1:8089",
				SessionKey:    "123102983109283019283",
				CheckpointDir: "/opt/splunk/var/lib/splunk/modinputs",
			},
		},
		{
			name: "minimal; blanks around fixed fields trimmed, params kept",
			doc:  []byte("<input><server_uri>\n  https://localhost:8089 </server_uri><session_key/><configuration><stanza name=\"s://x\"><param name=\"p\"> v </param></stanza></configuration></input>"),
			want: &Input{
				ServerURI: "https://localhost:8089",
				Stanzas:   []InputStanza{{Name: "s://x", Params: map[string]string{"p": " v "}, Lists: map[string][]string{}}},
			},
		},
		{name: "missing session key and configuration", doc: []byte(`<input><server_uri>https://127.0.0.1:8089</server_uri></input>`), wantErr: "lacks <session_key>, <configuration>"},
		{name: "missing everything", doc: []byte(`<input/>`), wantErr: "lacks <server_uri>, <session_key>, <configuration>"},
		{name: "stanza without name", doc: []byte(`<input><server_uri/><session_key/><configuration><stanza app="a"/></configuration></input>`), wantErr: "<stanza> 1 has no name"},
		{name: "param without name", doc: []byte(`<input><server_uri/><session_key/><configuration><stanza name="s://a"><param name="">1</param></stanza></configuration></input>`), wantErr: "<param> without a name"},
		{name: "validation document", doc: readTestdata(t, "validation.xml"), wantErr: "not a <input> document"},
		{name: "empty", doc: nil, wantErr: "document is empty"},
		{name: "garbage", doc: []byte("\x00\x01binary"), wantErr: "not well-formed"},
		{name: "truncated", doc: readTestdata(t, "input.xml")[:200], wantErr: "not well-formed"},
		{name: "undefined entity", doc: []byte(`<input><server_uri>&nbsp;</server_uri><session_key/><configuration/></input>`), wantErr: "not well-formed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseInput(bytes.NewReader(tt.doc))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestParseInputReadsToEOF checks that the whole document is consumed even
// when it arrives in small pieces, as from a pipe.
func TestParseInputReadsToEOF(t *testing.T) {
	doc := readTestdata(t, "input.xml")
	r := &oneByteReader{data: doc}
	in, err := ParseInput(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.data) != 0 {
		t.Errorf("%d bytes left unread", len(r.data))
	}
	if len(in.Stanzas) != 1 {
		t.Errorf("got %d stanzas", len(in.Stanzas))
	}
}

type oneByteReader struct{ data []byte }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

func TestParseInputReadError(t *testing.T) {
	_, err := ParseInput(errReader{})
	if err == nil || !strings.Contains(err.Error(), "read <input> document: boom") {
		t.Fatalf("err = %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestValidateVerbosity(t *testing.T) {
	tests := []struct {
		v  string
		ok bool
	}{
		{"", true},
		{"10", true}, {"20", true}, {"30", true}, {"40", true}, {"50", true},
		{" 40 ", true},
		{"DEBUG", true}, {"info", true}, {"Warn", true}, {"WARNING", true}, {"error", true}, {"CRITICAL", true},
		{"0", false}, {"15", false}, {"60", false}, {"-10", false}, {"40.0", false},
		{"verbose", false}, {"4 0", false}, {"true", false},
	}
	for _, tt := range tests {
		err := ValidateVerbosity(tt.v)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateVerbosity(%q) = %v, want ok=%v", tt.v, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "use 10 (DEBUG), 20 (INFO), 30 (WARN), 40 (ERROR) or 50 (CRITICAL)") {
			t.Errorf("message does not say what to use: %v", err)
		}
	}
}

func TestWriteValidationError(t *testing.T) {
	msgs := []string{
		"verbosity \"x\" is not a logging level",
		"a < b && c > d",
		"quotes ' and \" and ]]> end",
		"line one\nline two\r\n\ttabbed",
		"unicode: é ✓ 日本",
		"",
	}
	for _, msg := range msgs {
		var b bytes.Buffer
		if err := WriteValidationError(&b, msg); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), "<error><message>") || !strings.HasSuffix(b.String(), "</message></error>") {
			t.Errorf("unexpected shape: %q", b.String())
		}
		var doc struct {
			XMLName xml.Name `xml:"error"`
			Message string   `xml:"message"`
		}
		if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("%q: %v", b.String(), err)
		}
		if doc.Message != msg {
			t.Errorf("round trip of %q gave %q", msg, doc.Message)
		}
	}
	if err := WriteValidationError(failWriter{}, "x"); err == nil {
		t.Error("write error not returned")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }
