package appcheck

import (
	"bytes"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

// spec is a README/*.conf.spec file read as AppInspect and "splunk btool
// check" read it: a .conf file whose "*" lines and indented lines are
// descriptions.
type spec struct {
	file     *conf.File // nil if the file is not UTF-8 text
	lines    []string   // physical lines as given to conf.Parse
	problems []error    // *conf.Error values, by line
}

// indentedSetting is a line that conf would read as a setting although it
// is indented: in a .spec file it is most likely a description's second
// line that happens to hold "=".
var indentedSetting = regexp.MustCompile(`^[ \t]+[^ \t=\[]+[ \t]*=`)

// lintSpec reads a .spec file. The description lines are turned into "#"
// comments (keeping line numbers) and the result is parsed with package
// conf, so a spec follows the same rules as a .conf file plus two of its
// own: a stanza header starts in column 1, and so does a setting.
func lintSpec(name string, data []byte) *spec {
	s := &spec{}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	s.lines = strings.Split(text, "\n")
	problem := func(i int, msg string) {
		s.problems = append(s.problems, &conf.Error{File: name, Line: i + 1, Err: errors.New(msg)})
	}
	continued := false
	for i, line := range s.lines {
		cont := continued
		continued = strings.HasSuffix(line, "\\")
		if cont {
			continue // part of the previous line's value or comment
		}
		body := strings.TrimLeft(line, " \t")
		switch {
		case body == "":
		case body[0] == '*':
			s.lines[i] = "#" + line
		case body[0] == '[':
			if line[0] != '[' {
				problem(i, "a stanza header in a .spec file must start in column 1; remove the blanks before \"[\"")
			}
		case body[0] == '#':
		case line[0] == ' ' || line[0] == '\t':
			if indentedSetting.MatchString(line) {
				problem(i, "an indented setting in a .spec file: start it in column 1, or start a description line with \"*\"")
			}
			s.lines[i] = "#" + line
		}
	}
	f, err := conf.Parse(name, []byte(strings.Join(s.lines, "\n")))
	if err != nil {
		s.problems = append(s.problems, err)
	} else {
		s.file = f
		for _, w := range f.Warnings {
			s.problems = append(s.problems, w)
		}
	}
	slices.SortStableFunc(s.problems, func(a, b error) int {
		return line(a) - line(b)
	})
	return s
}

func line(err error) int {
	var e *conf.Error
	if errors.As(err, &e) {
		return e.Line
	}
	return 0
}

// stanzas returns the stanzas declared by a header, leaving out the
// [default] that settings before the first header form.
func (s *spec) stanzas() []*conf.Stanza {
	if s.file == nil {
		return nil
	}
	var out []*conf.Stanza
	for _, st := range s.file.Stanzas {
		if st.Line >= 1 && st.Line <= len(s.lines) && strings.HasPrefix(strings.TrimLeft(s.lines[st.Line-1], " \t"), "[") {
			out = append(out, st)
		}
	}
	return out
}
