package settings

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/timeutil"
)

// Error is a setting whose value is wrong, located where it was set.
// Messages name the key, the value and what to do; its place in the
// configuration is Value.File and Value.Line (zero when the key is not
// set, e.g. a required setting that is missing).
type Error struct {
	Key   string
	Value conf.Value
	Msg   string
}

func (e *Error) Error() string {
	loc := ""
	if e.Value.File != "" {
		loc = fmt.Sprintf(" (%s:%d)", e.Value.File, e.Value.Line)
	}
	if strings.TrimSpace(e.Value.Text) == "" {
		return fmt.Sprintf("%s%s: %s", e.Key, loc, e.Msg)
	}
	return fmt.Sprintf("%s = %s%s: %s", e.Key, strings.TrimSpace(e.Value.Text), loc, e.Msg)
}

// Errors returns the *Error values in err (an *Error, or errors joined
// with errors.Join), in order; other errors are returned as an Error
// with no key.
func Errors(err error) []*Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) && e == err {
		return []*Error{e}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, x := range j.Unwrap() {
			out = append(out, Errors(x)...)
		}
		return out
	}
	if errors.As(err, &e) {
		return []*Error{e}
	}
	return []*Error{{Msg: err.Error()}}
}

// Decoder reads a stanza's effective settings as their declared types.
// A value that does not parse is recorded (Err) and read as the
// setting's default, so that a plugin collects every problem in one pass.
type Decoder struct {
	values map[string]conf.Value
	errs   []error
	failed map[string]bool
}

// NewDecoder reads values (key → value with its location).
func NewDecoder(values map[string]conf.Value) *Decoder {
	return &Decoder{values: values, failed: map[string]bool{}}
}

// Err is every problem found so far (errors.Join of *Error), or nil.
func (d *Decoder) Err() error { return errors.Join(d.errs...) }

// Fail records a problem with key's value.
func (d *Decoder) Fail(key, format string, args ...any) {
	if d.failed[key] {
		return
	}
	d.failed[key] = true
	d.errs = append(d.errs, &Error{Key: key, Value: d.values[key], Msg: fmt.Sprintf(format, args...)})
}

// Value is key's value as set (zero when unset).
func (d *Decoder) Value(key string) conf.Value { return d.values[key] }

// Set reports whether key has a non-blank value.
func (d *Decoder) Set(key string) bool { return strings.TrimSpace(d.values[key].Text) != "" }

// parsed parses key's value, else its declared default.
func (d *Decoder) parsed(key string, k Kind) any {
	s, ok := Lookup(key)
	if !ok {
		d.Fail(key, "not a declared setting (a bug: declare it in src/internal/settings/schema.go)")
		return nil
	}
	if s.Kind != k && !(k == String && (s.Kind == Enum || s.Kind == Path || s.Kind == Host)) {
		d.Fail(key, "read as %s but declared %s (a bug in its plugin)", k, s.Kind)
		return nil
	}
	if d.Set(key) && !d.failed[key] {
		v, err := s.Parse(d.values[key].Text)
		if err == nil {
			return v
		}
		d.Fail(key, "%v", err)
	}
	v, err := s.Parse(s.Default)
	if err != nil {
		return nil
	}
	return v
}

// String reads a String, Enum, Path or Host setting.
func (d *Decoder) String(key string) string {
	v, _ := d.parsed(key, String).(string)
	return v
}

// Bool reads a Bool setting.
func (d *Decoder) Bool(key string) bool {
	v, _ := d.parsed(key, Bool).(bool)
	return v
}

// Int reads an Int setting.
func (d *Decoder) Int(key string) int {
	v, _ := d.parsed(key, Int).(int)
	return v
}

// Port reads a Port setting.
func (d *Decoder) Port(key string) int {
	v, _ := d.parsed(key, Port).(int)
	return v
}

// Float reads a Float setting.
func (d *Decoder) Float(key string) float64 {
	v, _ := d.parsed(key, Float).(float64)
	return v
}

// Duration reads a Seconds setting.
func (d *Decoder) Duration(key string) time.Duration {
	v, _ := d.parsed(key, Seconds).(time.Duration)
	return v
}

// Relative reads a Relative setting.
func (d *Decoder) Relative(key string) timeutil.Relative {
	v, _ := d.parsed(key, Relative).(timeutil.Relative)
	return v
}

// Location reads a Timezone setting (nil when unset).
func (d *Decoder) Location(key string) *time.Location {
	v, _ := d.parsed(key, Timezone).(*time.Location)
	return v
}

// JSON reads a JSON setting's text (after its Check), "" when unset.
func (d *Decoder) JSON(key string) string {
	d.parsed(key, JSON)
	if d.failed[key] || !d.Set(key) {
		return ""
	}
	return strings.TrimSpace(d.values[key].Text)
}

// Check parses text as key's declared kind and runs its Check; a key
// that is not declared is not an error here (callers warn about it).
func Check(key, text string) error {
	s, ok := Lookup(key)
	if !ok || strings.TrimSpace(text) == "" {
		return nil
	}
	_, err := s.Parse(text)
	return err
}
