package conf

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Value is one setting's value and where it was set.
type Value struct {
	Text string // the value, trimmed; continuation line breaks kept as "\n"
	File string // name of the file that set it, as given to Parse
	Line int    // 1-based line on which the key starts
}

// Stanza is one [name] section: its settings in the order their keys first
// appeared, and where the stanza was first defined.
type Stanza struct {
	Name   string
	File   string
	Line   int
	Keys   []string // first-appearance order, each key once
	Values map[string]Value
}

// Get returns the value of key and whether the stanza sets it.
func (s *Stanza) Get(key string) (Value, bool) {
	if s == nil {
		return Value{}, false
	}
	v, ok := s.Values[key]
	return v, ok
}

// File is one parsed .conf file. A stanza that appears more than once in
// the file is one Stanza here (merged, later keys winning), listed where it
// first appeared. Warnings lists what Splunk silently ignores or overrides
// (duplicate keys and stanzas, junk lines, ...), in file order.
type File struct {
	Name     string
	Stanzas  []*Stanza
	Warnings []*Error
}

// Stanza returns the stanza called name (case-sensitive), or nil.
func (f *File) Stanza(name string) *Stanza {
	if f == nil {
		return nil
	}
	return findStanza(f.Stanzas, name)
}

func findStanza(stanzas []*Stanza, name string) *Stanza {
	for _, s := range stanzas {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Error is a problem in a .conf file: where it is and what it is. Parse
// returns one for a file that is not UTF-8 text, and File.Warnings holds
// one per ignored or overridden line. Like encoding/csv's ParseError, it
// carries the position so callers can report or sort it without parsing
// the message.
type Error struct {
	File   string // file name as given to Parse or ReadFile
	Line   int    // 1-based line, 0 if not about one line
	Stanza string // stanza name, "" if none
	Key    string // setting name, "" if none
	Err    error  // the cause
}

// Error formats the error as `file:line: [stanza] key: cause`, leaving
// out the parts that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File == "" {
			b.WriteString("line ")
		} else {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	where := b.Len() > 0
	if e.Stanza != "" || e.Key != "" {
		if where {
			b.WriteString(": ")
		}
		if e.Stanza != "" {
			b.WriteString("[" + e.Stanza + "]")
			if e.Key != "" {
				b.WriteByte(' ')
			}
		}
		b.WriteString(e.Key)
		where = true
	}
	if where {
		b.WriteString(": ")
	}
	if e.Err == nil {
		b.WriteString("unknown error")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads and parses the .conf file at path. If the file cannot be
// read the error is an *Error whose cause wraps the os error, so
// errors.Is(err, fs.ErrNotExist) reports a missing file.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("cannot %s file: %w", pe.Op, pe.Err)
		}
		return nil, &Error{File: path, Err: err}
	}
	return Parse(path, data)
}

// blank is the whitespace trimmed from keys, values and line starts. It is
// ASCII only, as in a C parser using isspace: a no-break space inside a
// value is data.
const blank = " \t\n\v\f\r"

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// Parse parses data as a Splunk .conf file called name (used in values
// and messages). The only error is for data that is not UTF-8 text: a NUL
// byte or an invalid UTF-8 sequence; it is an *Error naming the line.
// Everything else Splunk tolerates is parsed the way Splunk does and
// reported in File.Warnings. See the package documentation for the rules.
func Parse(name string, data []byte) (*File, error) {
	if bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE) {
		return nil, &Error{File: name, Line: 1, Err: errors.New("file is UTF-16 encoded (it starts with a UTF-16 byte order mark); a .conf file must be UTF-8 text, re-save it as UTF-8")}
	}
	data = bytes.TrimPrefix(data, bomUTF8)
	p := &parser{
		f:        &File{Name: name},
		byName:   map[string]*Stanza{},
		declared: map[*Stanza]int{},
	}
	var (
		buf   []byte // the logical line so far
		first int    // physical line where it started
		n     int    // current physical line
	)
	for len(data) > 0 {
		line, rest := cutLine(data)
		data = rest
		n++
		if err := checkText(line); err != nil {
			return nil, &Error{File: name, Line: n, Err: err}
		}
		if buf == nil {
			first = n
			buf = make([]byte, 0, len(line))
		}
		if len(line) > 0 && line[len(line)-1] == '\\' {
			// Continuation: the backslash is dropped and the line break
			// kept, as AppInspect and ksconf do (see doc.go).
			buf = append(buf, line[:len(line)-1]...)
			buf = append(buf, '\n')
			if len(data) == 0 {
				p.logical(string(buf), first, n, false)
				p.warn(n, p.cur(), "", "the last line ends with \"\\\", which continues a line, but the file ends there; the \"\\\" is dropped")
			}
			continue
		}
		buf = append(buf, line...)
		p.logical(string(buf), first, n, trailingBlankAfterBackslash(line))
		buf = nil
	}
	return p.f, nil
}

// cutLine splits off the first line of data, accepting "\n", "\r\n" and a
// lone "\r" as line ends.
func cutLine(data []byte) (line, rest []byte) {
	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		return data, nil
	}
	if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
		return data[:i], data[i+2:]
	}
	return data[:i], data[i+1:]
}

// checkText reports a line that is not UTF-8 text.
func checkText(line []byte) error {
	if i := bytes.IndexByte(line, 0); i >= 0 {
		return fmt.Errorf("binary data: NUL byte at column %d; a .conf file must be UTF-8 text", i+1)
	}
	if !utf8.Valid(line) {
		i := 0
		for i < len(line) {
			r, size := utf8.DecodeRune(line[i:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			i += size
		}
		return fmt.Errorf("invalid UTF-8 (byte 0x%02X at column %d); a .conf file must be UTF-8 text, re-save it as UTF-8", line[i], i+1)
	}
	return nil
}

// trailingBlankAfterBackslash reports a line ending in "\" followed by
// spaces or tabs: not a continuation here, although AppInspect treats it as
// one.
func trailingBlankAfterBackslash(line []byte) bool {
	t := bytes.TrimRight(line, " \t")
	return len(t) < len(line) && len(t) > 0 && t[len(t)-1] == '\\'
}

type parser struct {
	f        *File
	byName   map[string]*Stanza
	declared map[*Stanza]int // line of a stanza's first [header]; absent for the [default] made by keys before any header
	current  *Stanza
}

func (p *parser) cur() string {
	if p.current == nil {
		return ""
	}
	return p.current.Name
}

func (p *parser) warn(line int, stanza, key, msg string) {
	p.f.Warnings = append(p.f.Warnings, &Error{File: p.f.Name, Line: line, Stanza: stanza, Key: key, Err: errors.New(msg)})
}

// logical handles one logical line: physical lines first..last joined by
// continuations. spaceAfterBackslash is set when its last physical line
// ends in "\" followed by blanks.
func (p *parser) logical(text string, first, last int, spaceAfterBackslash bool) {
	body := strings.TrimLeft(text, blank)
	if body == "" {
		return
	}
	// The line the content starts on: a continuation can put it after
	// leading blank lines.
	line := first + strings.Count(text[:len(text)-len(body)], "\n")
	switch body[0] {
	case '#':
		if last > line {
			lines := fmt.Sprintf("line %d is", last)
			if last > line+1 {
				lines = fmt.Sprintf("lines %d-%d are", line+1, last)
			}
			p.warn(line, p.cur(), "", fmt.Sprintf("this comment ends with \"\\\", so %s part of the comment too; remove the \"\\\" if that is a setting", lines))
		}
	case '[':
		p.header(body, line, last)
	default:
		key, value, ok := strings.Cut(body, "=")
		if !ok {
			p.warn(line, p.cur(), "", fmt.Sprintf("line ignored: %s is not a [stanza] header, a # comment or a key = value setting; add \"=\" to make it a setting or start it with \"#\" to make it a comment", QuoteShort(strings.TrimRight(body, blank))))
			return
		}
		key = strings.TrimRight(key, blank)
		value = strings.Trim(value, blank)
		if key == "" {
			p.warn(line, p.cur(), "", fmt.Sprintf("line ignored: %s has no key before \"=\"; write key = value", QuoteShort(strings.TrimRight(body, blank))))
			return
		}
		p.set(key, value, line, spaceAfterBackslash)
	}
}

func (p *parser) header(body string, line, last int) {
	end := strings.LastIndexByte(body, ']')
	if end < 0 {
		msg := fmt.Sprintf("line ignored: stanza header %s has no closing \"]\"", QuoteShort(strings.TrimRight(body, blank)))
		if p.current != nil {
			msg += fmt.Sprintf(", so the settings below it stay in [%s] as in Splunk", p.current.Name)
		} else {
			msg += ", so the settings below it go to [default] as in Splunk"
		}
		p.warn(line, p.cur(), "", msg+"; add the \"]\"")
		return
	}
	name := body[1:end]
	if tail := strings.Trim(body[end+1:], blank); tail != "" {
		p.warn(line, name, "", fmt.Sprintf("text %s after the stanza header's closing \"]\" is ignored; Splunk has no inline comments, put a comment on its own line starting with \"#\"", QuoteShort(tail)))
	}
	if last > line {
		p.warn(line, name, "", fmt.Sprintf("stanza header continues onto line %d because its line ends with \"\\\"; the stanza name contains a line break", last))
	}
	if name == "" {
		p.warn(line, "", "", "empty stanza name \"[]\"; give the stanza a name")
	} else if strings.Trim(name, blank) != name {
		p.warn(line, name, "", fmt.Sprintf("stanza name %s has leading or trailing blanks, which Splunk keeps: it is a different stanza from [%s]; remove the blanks", strconv.Quote(name), strings.Trim(name, blank)))
	}
	s, ok := p.byName[name]
	if !ok {
		s = p.add(name, line)
	} else if at, ok := p.declared[s]; ok {
		p.warn(line, name, "", fmt.Sprintf("stanza also defined on line %d; Splunk merges the two (a key set in both takes its later value); merge them into one stanza", at))
	} else {
		p.warn(line, name, "", fmt.Sprintf("the settings before the first stanza header (from line %d) already form [default]; Splunk merges this stanza with them; move them under this header", s.Line))
	}
	if _, ok := p.declared[s]; !ok {
		p.declared[s] = line
	}
	p.current = s
}

func (p *parser) add(name string, line int) *Stanza {
	s := &Stanza{Name: name, File: p.f.Name, Line: line, Values: map[string]Value{}}
	p.byName[name] = s
	p.f.Stanzas = append(p.f.Stanzas, s)
	return s
}

func (p *parser) set(key, value string, line int, spaceAfterBackslash bool) {
	if p.current == nil {
		// Keys before any stanza header belong to [default].
		if s, ok := p.byName["default"]; ok {
			p.current = s
		} else {
			p.current = p.add("default", line)
		}
	}
	s := p.current
	if key[0] == ';' {
		p.warn(line, s.Name, key, "the key starts with \";\", which is not a comment in Splunk .conf files (only \"#\" is), so this line is a setting; start it with \"#\" if it is meant as a comment")
	}
	if spaceAfterBackslash {
		p.warn(line, s.Name, key, "the line ends with \"\\\" followed by blanks: the \"\\\" is kept in the value and the next line is not a continuation; remove the blanks if you meant to continue the value")
	}
	if old, ok := s.Values[key]; ok {
		p.warn(line, s.Name, key, fmt.Sprintf("duplicate key: this value replaces the one on line %d (the last one wins); remove one of them", old.Line))
	} else {
		s.Keys = append(s.Keys, key)
	}
	s.Values[key] = Value{Text: value, File: p.f.Name, Line: line}
}

// QuoteShort quotes a value for a message, shortened to 60 characters
// when longer: the project's messages quote what a user wrote this way.
func QuoteShort(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}
