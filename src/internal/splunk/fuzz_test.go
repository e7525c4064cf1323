package splunk

import (
	"bytes"
	"encoding/xml"
	"log/slog"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/logging"
)

// encodeInput writes in back as an <input> document, for round trips.
func encodeInput(in *Input) []byte {
	var b bytes.Buffer
	text := func(s string) { _ = xml.EscapeText(&b, []byte(s)) }
	elem := func(name, v string) {
		b.WriteString("<" + name + ">")
		text(v)
		b.WriteString("</" + name + ">")
	}
	b.WriteString("<input>")
	elem("server_host", in.ServerHost)
	elem("server_uri", in.ServerURI)
	elem("session_key", in.SessionKey)
	elem("checkpoint_dir", in.CheckpointDir)
	b.WriteString("<configuration>")
	for _, st := range in.Stanzas {
		b.WriteString(`<stanza name="`)
		text(st.Name)
		b.WriteString(`" app="`)
		text(st.App)
		b.WriteString(`">`)
		writeParams(&b, st.Params, st.Lists)
		b.WriteString("</stanza>")
	}
	b.WriteString("</configuration></input>")
	return b.Bytes()
}

func writeParams(b *bytes.Buffer, params map[string]string, lists map[string][]string) {
	text := func(s string) { _ = xml.EscapeText(b, []byte(s)) }
	for _, k := range sortedKeys(params) {
		b.WriteString(`<param name="`)
		text(k)
		b.WriteString(`">`)
		text(params[k])
		b.WriteString("</param>")
	}
	for _, k := range sortedKeys(lists) {
		b.WriteString(`<param_list name="`)
		text(k)
		b.WriteString(`">`)
		for _, v := range lists[k] {
			b.WriteString("<value>")
			text(v)
			b.WriteString("</value>")
		}
		b.WriteString("</param_list>")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// addXMLSeeds seeds a corpus with the testdata documents and edge cases.
func addXMLSeeds(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		f.Add(readTestdata(f, p[len("testdata/"):]))
	}
	for _, s := range []string{
		"", "<input/>", "<items/>", "<input><server_uri/><session_key/><configuration/></input>",
		`<items><item name="a"><param name="v">&amp;&#x41;</param></item></items>`,
		"<input><configuration><stanza name=\"a\"><param_list name=\"l\"><value/></param_list></stanza></configuration><server_uri/><session_key/></input>",
		"\xff\xfe<\x00i\x00/\x00>\x00", "\xef\xbb\xbf<items/>", "<!DOCTYPE x><input/>", "<input>]]></input>",
	} {
		f.Add([]byte(s))
	}
}

func FuzzParseInput(f *testing.F) {
	addXMLSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := ParseInput(bytes.NewReader(data))
		if err != nil {
			if in != nil {
				t.Fatal("result and error")
			}
			return
		}
		for _, st := range in.Stanzas {
			if st.Name == "" || st.Params == nil || st.Lists == nil {
				t.Fatalf("stanza without name or maps: %+v", st)
			}
		}
		again, err := ParseInput(bytes.NewReader(encodeInput(in)))
		if err != nil {
			t.Fatalf("re-encoded document does not parse: %v\n%s", err, encodeInput(in))
		}
		if !reflect.DeepEqual(in, again) {
			t.Fatalf("round trip differs:\n%+v\n%+v", in, again)
		}
	})
}

func FuzzParseValidation(f *testing.F) {
	addXMLSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseValidation(bytes.NewReader(data))
		if err != nil {
			if v != nil {
				t.Fatal("result and error")
			}
			return
		}
		if v.Item == "" || v.Params == nil || v.Lists == nil {
			t.Fatalf("item without name or maps: %+v", v)
		}
		var b bytes.Buffer
		b.WriteString(`<items><server_host>`)
		_ = xml.EscapeText(&b, []byte(v.ServerHost))
		b.WriteString(`</server_host><server_uri>`)
		_ = xml.EscapeText(&b, []byte(v.ServerURI))
		b.WriteString(`</server_uri><session_key>`)
		_ = xml.EscapeText(&b, []byte(v.SessionKey))
		b.WriteString(`</session_key><checkpoint_dir>`)
		_ = xml.EscapeText(&b, []byte(v.CheckpointDir))
		b.WriteString(`</checkpoint_dir><item name="`)
		_ = xml.EscapeText(&b, []byte(v.Item))
		b.WriteString(`">`)
		writeParams(&b, v.Params, v.Lists)
		b.WriteString(`</item></items>`)
		again, err := ParseValidation(&b)
		if err != nil {
			t.Fatalf("re-encoded document does not parse: %v", err)
		}
		if !reflect.DeepEqual(v, again) {
			t.Fatalf("round trip differs:\n%+v\n%+v", v, again)
		}
	})
}

// FuzzValidateVerbosity checks that the input's validation accepts
// exactly the levels the modular input's logger accepts.
func FuzzValidateVerbosity(f *testing.F) {
	for _, s := range []string{"", "10", "20", "30", "40", "50", "debug", "WARNING", "critical", "25", " 40 ", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := logging.ParseLevel(s)
		verr := ValidateVerbosity(s)
		if (err == nil) != (verr == nil) {
			t.Fatalf("logging.ParseLevel and ValidateVerbosity disagree on %q: %v, %v", s, err, verr)
		}
	})
}

func FuzzParseEventgenConf(f *testing.F) {
	f.Add([]byte(confEventgenJSON))
	for _, s := range []string{
		`{"entry":[]}`, `{"entry":null}`, `{"entry":[{"name":"default"}]}`, `{"entry":[{"content":null}]}`,
		`{"entry":[{"name":"a","content":{"k":1e400,"n":null,"t":true,"o":{}}}]}`, `[]`, `null`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		apps, err := parseEventgenConf(body, slog.New(slog.DiscardHandler))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, a := range apps {
			if seen[a.App] {
				t.Fatalf("app %q listed twice", a.App)
			}
			seen[a.App] = true
			for _, st := range a.Stanzas {
				if st.Name == "default" {
					t.Fatal("default stanza kept")
				}
				if len(st.Keys) != len(st.Values) {
					t.Fatalf("keys %v, values %v", st.Keys, st.Values)
				}
				for _, k := range st.Keys {
					if strings.HasPrefix(k, "eai:") {
						t.Fatalf("eai key %q kept", k)
					}
					if _, ok := st.Values[k]; !ok {
						t.Fatalf("key %q without value", k)
					}
				}
			}
		}
	})
}
