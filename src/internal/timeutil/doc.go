// Package timeutil holds the time handling Eventgen configurations rely on:
// strftime formats for timestamp tokens, Splunk relative times for
// earliest/latest/end, and the timezone setting.
//
// # strftime
//
// Eventgen rendered timestamp tokens with Python's strftime, which hands
// most directives to the C library. [ParseFormat] compiles a layout once,
// at configuration time, into literal text and directive slots so that
// rendering an event is a loop of appends with no allocation. The
// directives are those of glibc in the C locale (what Python produced on
// Linux), plus Python's %f, Splunk's sub-second %N, %3N, %6N, %9N and the
// %3f form used by Splunk add-ons (which Eventgen 7.2.1 printed literally).
// Unknown directives such as %Q are kept literally, as Python did, and
// reported by [Format.Warnings] so a user learns why a timestamp looks
// wrong; the mistakes Python would have hidden (a lone trailing %, a width
// on a directive that takes none) are errors. %s prints the whole epoch:
// Eventgen 7.2.1 stripped its trailing zeros (1795411120 became 179541112).
//
// A [Formatter] adds a per-goroutine cache of everything that changes at
// most once per second; event generation renders many events per second
// with the same format, so most of the work is a copy.
//
// # strptime
//
// Replay mode reads the timestamp of each sample event with the token's
// replacement as a Python strptime layout. [CompileLayout] compiles one
// into a [Layout] whose Parse follows Python 3.11's datetime.strptime
// (checked against Python by golden tests) without allocating, and adds
// what Eventgen and Splunk users write: %s epochs of any precision
// (Eventgen's rule), %N and %3N fractions, %Z with the abbreviations of
// the stanza's timezone, and the directives strftime accepts. A "+hhmm"
// or "-hhmm" after the layout is taken as the UTC offset (Eventgen
// stripped "+hhmm" and ignored it, but not "-hhmm").
//
// # Relative times
//
// [ParseRelative] accepts what Splunk accepts for earliest and latest:
// "now", chains of offsets and snaps such as "-1d@d+2h" or "@w1-7d", and
// absolute times (RFC 3339, "2006-01-02 15:04:05", "2006-01-02", Splunk's
// "01/02/2006:15:04:05" and epoch seconds). A [Relative] is resolved
// against a "now" and does its calendar arithmetic in now's location.
// Two Eventgen 7.2.1 bugs are fixed on purpose: @q snaps to the first
// month of the quarter (not the last), and month arithmetic clamps to the
// end of the month (Mar 31 -1mon is the last day of February, not an
// error).
//
// # Timezones
//
// [ParseTimezone] maps Eventgen's timezone setting (local, UTC, numeric
// offsets such as -0100 and, beyond Eventgen, IANA names) to a
// *time.Location.
package timeutil
