package appcheck

import (
	"regexp"
	"strings"
)

var headingRe = regexp.MustCompile(`^(#+)[ \t]`)

const declarationTitle = "Binary File Declaration"

// declarationSection returns the lines of a README's "Binary File
// Declaration" section: from the heading (or plain line) holding that
// title to the next Markdown heading of the same or a higher level, or ""
// if there is none. Only the first such section counts.
func declarationSection(readme string) string {
	var b strings.Builder
	in, level := false, 0
	for _, line := range strings.Split(readme, "\n") {
		if m := headingRe.FindStringSubmatch(line); m != nil {
			if in && len(m[1]) <= level {
				break
			}
			if !in && strings.Contains(line, declarationTitle) {
				in, level = true, len(m[1])
				continue
			}
		} else if !in && strings.Contains(line, declarationTitle) {
			in, level = true, 99 // a plain line: up to the next heading
			continue
		}
		if in {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}
