package sample

import (
	"fmt"
	"strings"
)

// pyCSV reads CSV as Python's csv module does with its default (excel)
// dialect, non-strict, on text already read with universal newlines
// (every line ending is "\n", inside quoted fields too), as Eventgen's
// csv.DictReader over open(path, "r") did (inventory §1.4 sampletype):
//
//   - a quote opens a quoted field only at the start of a field; elsewhere
//     it is an ordinary character (a"b stays a"b);
//   - in a quoted field, "" is a quote, and a quote followed by anything
//     but a comma or the end of the line closes the quoting and the
//     character is kept ("ab"cd is abcd): the row still ends at its line;
//   - a line with no character at all is no row.
//
// Encoding/csv with LazyQuotes differs on the second point: it reads such
// a quote as a literal and stays in the quoted field, so one bad row took
// every row up to the next `",` with it.
//
// One difference from Python, on purpose: a quoted field never closed
// would run to the end of the file. Here its opening quote is read as an
// ordinary character instead, so the row ends at its line and the rows
// after it are read; warn says which line.
func pyCSV(text string, warn func(string)) []csvRow {
	literal := map[int]bool{}
	for {
		rows, open := parsePyCSV(text, literal)
		if open < 0 {
			return rows
		}
		literal[open] = true
		if warn != nil {
			warn(fmt.Sprintf("csv line %d: a quoted field is never closed (Python's csv would read the rest of the file into it); its opening quote is read as an ordinary character and the row ends at its line", 1+strings.Count(text[:open], "\n")))
		}
	}
}

// csvRow is one record and the line it starts on (1-based).
type csvRow struct {
	fields []string
	line   int
}

type csvState uint8

const (
	startRecord csvState = iota
	startField
	inField
	inQuoted
	quoteInQuoted
)

// parsePyCSV runs Python's reader state machine (Modules/_csv.c,
// parse_process_char) over text. Quotes at the positions in literal are
// ordinary characters. open is the position of the quote of a quoted
// field still open at the end of the text, or -1.
func parsePyCSV(text string, literal map[int]bool) (rows []csvRow, open int) {
	var fields []string
	var field strings.Builder
	state := startRecord
	line, start := 1, 1
	quoteAt := -1
	save := func() {
		fields = append(fields, field.String())
		field.Reset()
	}
	end := func() {
		rows = append(rows, csvRow{fields, start})
		fields = nil
		state = startRecord
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if state == startRecord {
			if c == '\n' {
				line++
				continue // an empty line is no row
			}
			start = line
			state = startField
		}
		switch state {
		case startField:
			switch {
			case c == '\n':
				save()
				end()
			case c == '"' && !literal[i]:
				state, quoteAt = inQuoted, i
			case c == ',':
				save()
			default:
				field.WriteByte(c)
				state = inField
			}
		case inField:
			switch c {
			case '\n':
				save()
				end()
			case ',':
				save()
				state = startField
			default:
				field.WriteByte(c)
			}
		case inQuoted:
			if c == '"' {
				state = quoteInQuoted
			} else {
				field.WriteByte(c)
			}
		case quoteInQuoted:
			switch c {
			case '"':
				field.WriteByte('"')
				state = inQuoted
			case ',':
				save()
				state = startField
			case '\n':
				save()
				end()
			default:
				field.WriteByte(c)
				state = inField
			}
		}
		if c == '\n' {
			line++
		}
	}
	switch state {
	case inQuoted:
		return rows, quoteAt
	case startField, inField, quoteInQuoted:
		save()
		end()
	}
	return rows, -1
}
