package settings

import (
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// specHeader opens eventgen.conf.spec: what the file is, the statuses,
// how [global] works.
//
//go:embed spec_header.txt
var specHeader string

// specTail closes eventgen.conf.spec: the token and host keys, whose names
// hold a number and are not in the schema, and the stanzas.
//
//go:embed spec_tail.txt
var specTail string

// specWidth is the column bullet text is wrapped at.
const specWidth = 76

const banner = "#############################################################################\n"

// WriteSpec writes app/README/eventgen.conf.spec, the Splunk spec of
// eventgen.conf that admins read and btool checks against, from the
// schema: the header, then every section and setting in order, then the
// token keys and stanzas.
//
// Each line of a setting's Doc is a bullet. A Doc line starting with
// "Default: " replaces the default bullet (for defaults that depend on
// the stanza, or are too long to print).
func WriteSpec(w io.Writer) error {
	var b strings.Builder
	b.WriteString(strings.TrimRight(specHeader, "\n") + "\n")
	for _, sec := range schema {
		b.WriteString("\n" + banner + "# " + sec.Title + "\n" + banner)
		if sec.Intro != "" {
			for _, l := range wrap(sec.Intro, "# ", "# ") {
				b.WriteString(l + "\n")
			}
		}
		for i := range sec.Settings {
			b.WriteString("\n")
			writeSetting(&b, &sec.Settings[i])
		}
	}
	b.WriteString("\n" + strings.TrimLeft(specTail, "\n"))
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSetting(b *strings.Builder, s *Setting) {
	b.WriteString(s.Name + " = " + specType(s) + "\n")
	bullet := func(text string) {
		for _, l := range wrap(text, "* ", "  ") {
			b.WriteString(l + "\n")
		}
	}
	def := ""
	for _, line := range strings.Split(s.Doc, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasPrefix(line, "Default: "):
			def = line
		default:
			bullet(line)
		}
	}
	if len(s.Values) > 0 {
		what := "Accepted values"
		if s.Kind != Enum {
			what = "Known values"
		}
		bullet(what + ": " + strings.Join(s.Values, ", ") + ".")
	}
	if r := specRange(s); r != "" {
		bullet(r)
	}
	switch s.Scope {
	case Stanza:
		bullet("Where: in a sample stanza only; a value in [global] is not inherited.")
	case Global:
		bullet("Where: in [global] only; it applies to the whole run.")
	default:
		bullet("Where: in a sample stanza, or in [global] as the default of every stanza.")
	}
	if s.Example != "" {
		b.WriteString("* Example: " + s.Name + " = " + s.Example + "\n")
	}
	switch {
	case def != "":
		bullet(def)
	case s.Default != "":
		bullet("Default: " + s.Default)
	default:
		bullet("Default: not set")
	}
	switch s.Status {
	case Unavailable:
		bullet("Status: not available in this version (see above for what happens instead).")
	case Ignored:
		bullet("Status: accepted, no effect.")
	default:
		bullet("Status: implemented.")
	}
	switch {
	case s.Origin != "":
		bullet("From " + s.Origin + " (not in Eventgen 7.2.1).")
	case !s.Eventgen:
		bullet("Added by SA-Eventgen (not in Eventgen 7.2.1).")
	}
}

// specType is the <type> after "name = ".
func specType(s *Setting) string {
	if s.Kind == Enum {
		return "<" + strings.Join(s.Values, "|") + ">"
	}
	return "<" + s.Kind.String() + ">"
}

// specRange describes Min and Max, or "".
func specRange(s *Setting) string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	switch {
	case s.HasMin && s.HasMax:
		return fmt.Sprintf("Range: %s to %s.", f(s.Min), f(s.Max))
	case s.HasMin:
		return fmt.Sprintf("Range: %s or more.", f(s.Min))
	case s.HasMax:
		return fmt.Sprintf("Range: %s or less.", f(s.Max))
	}
	return ""
}

// wrap breaks text into lines of at most specWidth columns (a longer word
// stays whole), the first starting with first and the others with rest.
// A word starting with "[" is kept on the line of the word before it, so
// that no line of the spec reads as a stanza header.
func wrap(text, first, rest string) []string {
	var words []string
	for _, w := range strings.Fields(text) {
		if strings.HasPrefix(w, "[") && len(words) > 0 {
			words[len(words)-1] += " " + w
			continue
		}
		words = append(words, w)
	}
	var lines []string
	line := first
	empty := true
	for _, w := range words {
		if !empty && len(line)+1+len(w) > specWidth {
			lines = append(lines, line)
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	return append(lines, line)
}
