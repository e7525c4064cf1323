package splunk

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/eventgen-go/eventgen/src/internal/logging"
)

// maxDocument bounds what ParseInput and ParseValidation read: splunkd's
// documents are a few kilobytes, so anything this large is not one.
const maxDocument = 16 << 20

type schemeArg struct {
	Name             string `xml:"name,attr"`
	Title            string `xml:"title"`
	Description      string `xml:"description"`
	DataType         string `xml:"data_type"`
	RequiredOnCreate bool   `xml:"required_on_create"`
	RequiredOnEdit   bool   `xml:"required_on_edit"`
}

type scheme struct {
	XMLName               xml.Name    `xml:"scheme"`
	Title                 string      `xml:"title"`
	Description           string      `xml:"description"`
	UseExternalValidation bool        `xml:"use_external_validation"`
	UseSingleInstance     bool        `xml:"use_single_instance"`
	StreamingMode         string      `xml:"streaming_mode"`
	Args                  []schemeArg `xml:"endpoint>args>arg"`
}

// SchemeXML returns the introspection document splunkd reads from stdout
// after running the binary with --scheme (splunk-platform.md §1.2). It
// keeps SA-Eventgen's title and its one argument, verbosity, so inputs.conf
// stanzas written for the Python app keep working; verbosity is optional
// here (SA-Eventgen required it) because an empty value means INFO.
//
// External validation is on so that a wrong verbosity is refused when the
// input is saved rather than when it runs; one process per stanza
// (use_single_instance false) lets splunkd start and stop each input on its
// own; XML streaming carries each event's time, host, source, sourcetype
// and index (§1.7).
func SchemeXML() []byte {
	s := scheme{
		Title:                 "SA-Eventgen",
		Description:           "Generates events from the eventgen.conf of every app (Splunk Eventgen, Go edition).",
		UseExternalValidation: true,
		UseSingleInstance:     false,
		StreamingMode:         "xml",
		Args: []schemeArg{{
			Name:        "verbosity",
			Title:       "Verbosity",
			Description: "Logging level: DEBUG(10), INFO(20), WARN(30), ERROR(40), CRITICAL(50)",
			DataType:    "number",
		}, {
			Name:        "config_poll_interval",
			Title:       "Configuration poll interval",
			Description: "Seconds between reads of eventgen.conf: changes made in Splunk Web apply without a restart. 0 reads it only at start. Default 30.",
			DataType:    "number",
		}, {
			Name:        "shard",
			Title:       "Shard",
			Description: "K/N: this input generates share K (from 0 to N-1) of every stanza, so that N inputs with the same eventgen.conf and seed together generate exactly what one would. Empty: everything (or EVENTGEN_SHARD).",
			DataType:    "string",
		}},
	}
	out, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("splunk: scheme does not marshal: " + err.Error())
	}
	return append(append([]byte(xml.Header), out...), '\n')
}

// Validation is the <items> document splunkd writes to stdin when it runs
// the binary with --validate-arguments (splunk-platform.md §1.3): the
// arguments of the one input being created or edited.
type Validation struct {
	ServerHost    string
	ServerURI     string
	SessionKey    string
	CheckpointDir string
	Item          string              // the input's name, without "scheme://"
	Params        map[string]string   // <param name="...">
	Lists         map[string][]string // <param_list name="..."><value>
}

// ParseValidation reads r to EOF and decodes a validation document. It
// requires exactly one <item> with a name; the server fields are kept when
// present but not required, as validating verbosity does not need them.
func ParseValidation(r io.Reader) (*Validation, error) {
	var doc struct {
		XMLName xml.Name `xml:"items"`
		header
		Items []xmlStanza `xml:"item"`
	}
	if err := decodeDocument(r, "items", &doc); err != nil {
		return nil, err
	}
	switch len(doc.Items) {
	case 0:
		return nil, errors.New("validation document has no <item>: splunkd sends exactly one, the input being saved")
	case 1:
	default:
		return nil, fmt.Errorf("validation document has %d <item> elements; splunkd sends exactly one", len(doc.Items))
	}
	it := doc.Items[0]
	if it.Name == nil || *it.Name == "" {
		return nil, errors.New("validation document: <item> has no name attribute")
	}
	params, lists, err := it.params("<item> " + conf.QuoteShort(*it.Name))
	if err != nil {
		return nil, fmt.Errorf("validation document: %w", err)
	}
	return &Validation{
		ServerHost:    doc.ServerHost.text(),
		ServerURI:     doc.ServerURI.text(),
		SessionKey:    doc.SessionKey.text(),
		CheckpointDir: doc.CheckpointDir.text(),
		Item:          *it.Name,
		Params:        params,
		Lists:         lists,
	}, nil
}

// ValidateVerbosity checks the verbosity argument of an input: empty (the
// default, INFO) or a level [logging.ParseLevel] accepts. The error is the message
// Splunk Web shows to the admin who saves the input.
func ValidateVerbosity(v string) error {
	if _, err := logging.ParseLevel(v); err != nil {
		return fmt.Errorf("verbosity %s is not a logging level; use 10 (DEBUG), 20 (INFO), 30 (WARN), 40 (ERROR) or 50 (CRITICAL), or leave it empty for INFO", conf.QuoteShort(v))
	}
	return nil
}

// DefaultPollInterval is how often the modular input re-reads
// eventgen.conf when config_poll_interval is not set.
const DefaultPollInterval = 30 * time.Second

// ParsePollInterval reads config_poll_interval: whole or fractional
// seconds, "" for the default, 0 for never (read at start only).
func ParsePollInterval(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return DefaultPollInterval, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f > 86400 {
		return 0, fmt.Errorf("config_poll_interval %s is not a number of seconds between 0 and 86400; use e.g. 30, or 0 to read eventgen.conf only at start", conf.QuoteShort(v))
	}
	return time.Duration(f * float64(time.Second)), nil
}

// WriteValidationError writes the document that makes splunkd refuse an
// input and show msg to the admin: <error><message>msg</message></error>,
// with msg escaped. The caller then exits non-zero.
func WriteValidationError(w io.Writer, msg string) error {
	var b bytes.Buffer
	b.WriteString("<error><message>")
	if err := xml.EscapeText(&b, []byte(msg)); err != nil {
		return err
	}
	b.WriteString("</message></error>")
	_, err := w.Write(b.Bytes())
	return err
}

// Input is the <input> document splunkd writes to stdin when it runs the
// binary with no arguments (splunk-platform.md §1.4).
type Input struct {
	ServerHost    string // host name splunkd runs on; replaces "$decideOnStartup" in a host param
	ServerURI     string // splunkd's management URI, for REST calls
	SessionKey    string // authenticates REST calls to ServerURI
	CheckpointDir string // $SPLUNK_HOME/var/lib/splunk/modinputs/<scheme>
	Stanzas       []InputStanza
}

// InputStanza is one inputs.conf stanza of the scheme: exactly one when
// the scheme is not single-instance, none when <configuration> is empty.
type InputStanza struct {
	Name   string              // "scheme://name"
	App    string              // the app whose inputs.conf defines it
	Params map[string]string   // including inherited ones such as interval, index
	Lists  map[string][]string // multi-valued parameters
}

// ParseInput reads r to EOF (splunkd closes stdin after the document, so
// EOF is not a stop signal) and decodes the run-mode document. It requires
// the <input> root, <server_uri>, <session_key> and <configuration>, which
// splunkd always sends; <configuration/> may be empty. Values are decoded
// text: entities such as &amp; are resolved.
func ParseInput(r io.Reader) (*Input, error) {
	var doc struct {
		XMLName xml.Name `xml:"input"`
		header
		Configuration *struct {
			Stanzas []xmlStanza `xml:"stanza"`
		} `xml:"configuration"`
	}
	if err := decodeDocument(r, "input", &doc); err != nil {
		return nil, err
	}
	var missing []string
	if doc.ServerURI == nil {
		missing = append(missing, "<server_uri>")
	}
	if doc.SessionKey == nil {
		missing = append(missing, "<session_key>")
	}
	if doc.Configuration == nil {
		missing = append(missing, "<configuration>")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("input document lacks %s, which splunkd always sends; to run by hand, feed the binary the output of \"splunk cmd splunkd print-modinput-config <scheme> <stanza>\"", strings.Join(missing, ", "))
	}
	in := &Input{
		ServerHost:    doc.ServerHost.text(),
		ServerURI:     doc.ServerURI.text(),
		SessionKey:    doc.SessionKey.text(),
		CheckpointDir: doc.CheckpointDir.text(),
	}
	for i, st := range doc.Configuration.Stanzas {
		if st.Name == nil || *st.Name == "" {
			return nil, fmt.Errorf("input document: <stanza> %d has no name attribute", i+1)
		}
		params, lists, err := st.params("<stanza> " + conf.QuoteShort(*st.Name))
		if err != nil {
			return nil, fmt.Errorf("input document: %w", err)
		}
		in.Stanzas = append(in.Stanzas, InputStanza{Name: *st.Name, App: st.App, Params: params, Lists: lists})
	}
	return in, nil
}

// header holds the fields both documents share.
type header struct {
	ServerHost    textElem `xml:"server_host"`
	ServerURI     textElem `xml:"server_uri"`
	SessionKey    textElem `xml:"session_key"`
	CheckpointDir textElem `xml:"checkpoint_dir"`
}

// textElem is an optional element's decoded text; nil when absent.
type textElem = *chardata

type chardata struct {
	Text string `xml:",chardata"`
}

func (c *chardata) text() string {
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text)
}

type xmlParam struct {
	Name *string `xml:"name,attr"`
	Text string  `xml:",chardata"`
}

type xmlParamList struct {
	Name   *string  `xml:"name,attr"`
	Values []string `xml:"value"`
}

// xmlStanza is an <item> or a <stanza>.
type xmlStanza struct {
	Name   *string        `xml:"name,attr"`
	App    string         `xml:"app,attr"`
	Params []xmlParam     `xml:"param"`
	Lists  []xmlParamList `xml:"param_list"`
}

// params collects the parameters, a later one of the same name winning.
// Values are kept as sent (not trimmed): splunkd has already trimmed them as
// inputs.conf values.
func (s *xmlStanza) params(where string) (map[string]string, map[string][]string, error) {
	params := make(map[string]string, len(s.Params))
	for _, p := range s.Params {
		if p.Name == nil || *p.Name == "" {
			return nil, nil, fmt.Errorf("%s has a <param> without a name attribute", where)
		}
		params[*p.Name] = p.Text
	}
	lists := make(map[string][]string, len(s.Lists))
	for _, l := range s.Lists {
		if l.Name == nil || *l.Name == "" {
			return nil, nil, fmt.Errorf("%s has a <param_list> without a name attribute", where)
		}
		lists[*l.Name] = append([]string{}, l.Values...)
	}
	return params, lists, nil
}

// decodeDocument reads r to EOF and decodes the one root element into v,
// refusing anything but whitespace, comments and processing instructions
// after it.
func decodeDocument(r io.Reader, root string, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxDocument+1))
	if err != nil {
		return fmt.Errorf("read <%s> document: %w", root, err)
	}
	if len(data) > maxDocument {
		return fmt.Errorf("<%s> document is larger than %d MiB; splunkd's are a few KiB", root, maxDocument>>20)
	}
	data, err = toUTF8(data)
	if err != nil {
		return fmt.Errorf("<%s> document: %w", root, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("<%s> document is empty: splunkd writes it to stdin", root)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	if err := d.Decode(v); err != nil {
		var se *xml.SyntaxError
		var ue xml.UnmarshalError
		switch {
		case errors.As(err, &se):
			return fmt.Errorf("<%s> document is not well-formed XML: line %d: %s", root, se.Line, se.Msg)
		case errors.Is(err, io.EOF):
			return fmt.Errorf("<%s> document has no root element", root)
		case errors.As(err, &ue) && strings.HasPrefix(string(ue), "expected element type"):
			return fmt.Errorf("not a <%s> document: %s", root, ue)
		}
		return fmt.Errorf("<%s> document: %w", root, err)
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("<%s> document: after </%s>: %w", root, root, err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst, xml.Directive:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("<%s> document: text %s after </%s>", root, conf.QuoteShort(string(t)), root)
			}
		default:
			return fmt.Errorf("<%s> document: more content after </%s>; there must be one root element", root, root)
		}
	}
}

// toUTF8 drops a UTF-8 byte order mark and converts UTF-16 with a byte
// order mark to UTF-8: splunkd sends UTF-8, but the Splunk SDK's test
// documents and files saved by Windows tools (for --infile) are UTF-16.
func toUTF8(data []byte) ([]byte, error) {
	var be bool
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		be = true
	default:
		return data, nil
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return nil, errors.New("UTF-16 text with an odd number of bytes")
	}
	u := make([]uint16, len(data)/2)
	for i := range u {
		if be {
			u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
		} else {
			u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// charsetReader accepts the encodings an XML declaration may name for text
// that toUTF8 has already made UTF-8.
func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "us-ascii", "ascii":
		return input, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q; splunkd sends UTF-8", label)
}
