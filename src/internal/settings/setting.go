package settings

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/pyregex"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
)

// Kind is how a setting's text is read.
type Kind uint8

// The kinds of setting.
const (
	String   Kind = iota
	Bool          // Splunk booleans (ParseBool)
	Int           // a whole number, within Min/Max when set
	Float         // a number, within Min/Max when set
	Seconds       // a number of seconds, decimals allowed, within Min/Max when set
	Enum          // one of Values (case-insensitive)
	Relative      // Splunk relative time: now, -15m, -1d@d, +1h@h-5m
	Timezone      // local, +hhmm/-hhmm, or an IANA name
	Regex         // a Python regular expression
	JSON          // JSON; Check says which shape
	Path          // a file or folder path ($SPLUNK_HOME expanded)
	Host          // a host name or IP address (brackets allowed around IPv6)
	Port          // 1 to 65535
)

var kindNames = [...]string{
	String: "string", Bool: "boolean", Int: "integer", Float: "number", Seconds: "seconds",
	Enum: "enum", Relative: "relative time", Timezone: "timezone", Regex: "regex", JSON: "JSON",
	Path: "path", Host: "host", Port: "port",
}

func (k Kind) String() string { return kindNames[k] }

// Scope says where a setting may appear.
type Scope uint8

// The scopes.
const (
	// Both: in a sample stanza or in [global], whose value is the default
	// of every stanza that does not set it (Eventgen's defaultable settings).
	Both Scope = iota
	// Stanza: in a sample stanza; a [global] value is not inherited.
	Stanza
	// Global: in [global] only; it applies to the whole run.
	Global
)

func (s Scope) String() string {
	switch s {
	case Stanza:
		return "stanza"
	case Global:
		return "global"
	}
	return "global and stanza"
}

// Status says what this version does with a setting.
type Status uint8

// The statuses.
const (
	Implemented Status = iota
	// Unavailable: an Eventgen feature this version lacks; the owner's
	// plugin reports it when the stanza asks for it.
	Unavailable
	// Ignored: accepted for compatibility, with no effect (process tuning
	// of the Python implementation).
	Ignored
)

// Setting is one eventgen.conf key.
type Setting struct {
	Name string
	Kind Kind
	// Default is the value when nothing sets the key, as written in
	// eventgen.conf ("" = none). Defaults of Scope Both are Eventgen's
	// built-in [global] stanza.
	Default string
	Scope   Scope
	// Builtin: the key and its Default are in Eventgen's built-in
	// [global] stanza (BuiltinGlobal), so every stanza inherits them.
	Builtin bool
	// Owners are the plugins that read the setting: generator names,
	// output modes, or "engine" for settings every stanza uses. A value
	// of the wrong type is an error where an owner is in use, a warning
	// elsewhere (the setting has no effect there).
	Owners []string
	Doc    string   // what it does, one or more sentences
	Values []string // Enum: the accepted values, lower case
	// Min and Max bound Int, Float and Seconds values, when HasMin and
	// HasMax say so.
	Min, Max       float64
	HasMin, HasMax bool
	// Check adds what the kind cannot say (a JSON shape, a key range).
	Check  func(text string) error
	Status Status
	// Eventgen is false for settings this project adds.
	Eventgen bool
	// Origin names the tool a setting comes from when it is not Eventgen
	// nor this project (pytest-splunk-addon's dialect of eventgen.conf).
	Origin string
	// Example is a valid value, used by documentation and tests.
	Example string
	// Lenient: a value that does not parse is a warning and the Default
	// applies, where the intent is clear enough to go on (an unknown mode
	// is most likely meant to be the usual one).
	Lenient bool
}

// Owned reports whether one of the setting's owners is among inUse.
func (s *Setting) Owned(inUse ...string) bool {
	for _, o := range s.Owners {
		if o == "engine" || slices.Contains(inUse, o) {
			return true
		}
	}
	return false
}

// Parse reads text as the setting's kind and runs its Check. The value
// is string, bool, int, float64, time.Duration (Seconds),
// timeutil.Relative, *time.Location, *pyregex.Regexp or json.RawMessage.
// Blanks around text are ignored; empty text parses to the zero value.
func (s *Setting) Parse(text string) (any, error) {
	text = strings.TrimSpace(text)
	v, err := s.parse(text)
	if err == nil && s.Check != nil && text != "" {
		err = s.Check(text)
	}
	return v, err
}

func (s *Setting) parse(text string) (any, error) {
	switch s.Kind {
	case Bool:
		if text == "" {
			return false, nil
		}
		return ParseBool(text)
	case Int:
		if text == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", text)
		}
		return n, s.inRange(float64(n), strconv.Itoa(n))
	case Float, Seconds:
		if text == "" {
			return zeroOf(s.Kind), nil
		}
		x, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return zeroOf(s.Kind), fmt.Errorf("%q is not a number", text)
		}
		if err := s.inRange(x, strconv.FormatFloat(x, 'f', -1, 64)); err != nil {
			return zeroOf(s.Kind), err
		}
		if s.Kind == Seconds {
			return time.Duration(x * float64(time.Second)), nil
		}
		return x, nil
	case Enum:
		if text == "" {
			return "", nil
		}
		l := strings.ToLower(text)
		for _, v := range s.Values {
			if strings.ToLower(v) == l {
				return v, nil
			}
		}
		return "", fmt.Errorf("unknown %s %q; use %s", s.Name, text, orList(s.Values))
	case Relative:
		if text == "" {
			text = "now"
		}
		return timeutil.ParseRelative(text)
	case Timezone:
		if text == "" {
			return (*time.Location)(nil), nil
		}
		return timeutil.ParseTimezone(text)
	case Regex:
		if text == "" {
			return (*pyregex.Regexp)(nil), nil
		}
		return pyregex.Compile(text, false)
	case JSON:
		if text == "" {
			return json.RawMessage(nil), nil
		}
		if !json.Valid([]byte(text)) {
			var x any
			err := json.Unmarshal([]byte(text), &x)
			return json.RawMessage(nil), fmt.Errorf("not valid JSON (%v)", err)
		}
		return json.RawMessage(text), nil
	case Host:
		h := text
		if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
			h = h[1 : len(h)-1]
		}
		if text != "" && (h == "" || strings.ContainsAny(h, " \t[]/\"")) {
			return "", fmt.Errorf("%q is not a host name or IP address", text)
		}
		if strings.Contains(h, ":") && net.ParseIP(h) == nil {
			return "", fmt.Errorf("%q is not a host name or IP address", text)
		}
		return h, nil
	case Port:
		if text == "" {
			return 0, nil
		}
		p, err := strconv.Atoi(text)
		if err != nil || p < 1 || p > 65535 {
			return 0, fmt.Errorf("%q is not a port number (1-65535)", text)
		}
		return p, nil
	}
	return text, nil // String, Path
}

func zeroOf(k Kind) any {
	if k == Seconds {
		return time.Duration(0)
	}
	return 0.0
}

func (s *Setting) inRange(x float64, text string) error {
	if s.HasMin && x < s.Min {
		return fmt.Errorf("%s is below the minimum %s", text, strconv.FormatFloat(s.Min, 'f', -1, 64))
	}
	if s.HasMax && x > s.Max {
		return fmt.Errorf("%s is above the maximum %s", text, strconv.FormatFloat(s.Max, 'f', -1, 64))
	}
	return nil
}

// orList writes "a or b", or "one of a, b, c".
func orList(values []string) string {
	if len(values) == 2 {
		return values[0] + " or " + values[1]
	}
	return "one of " + strings.Join(values, ", ")
}
