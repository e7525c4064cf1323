// Package logging is the project's one log/slog handler, shared by the
// modular input and the CLI, and its one log rate limiter.
//
// # Formats
//
// [Splunk] is the format splunkd reads from a modular input's stderr
// (splunk-platform.md §1.6): every line it receives is copied into
// splunkd.log at the severity named by the line's first word, DEBUG, INFO,
// WARN, ERROR or FATAL, so each message is one line starting with that
// word:
//
//	WARN sample not found stanza=web.log dir="/opt/splunk/etc/apps/x y/samples"
//
// [Text] is log/slog's text format without the time, which the CLI writes:
//
//	level=WARN msg="sample not found" stanza=web.log dir="/opt/splunk/etc/apps/x y/samples"
//
// # Rate limiting
//
// In both formats the same line (level, message and values) is written at
// most once per period, a minute by default, so that a failure repeating
// every interval does not flood splunkd.log (and _internal) or a terminal,
// while the same message about another stanza still shows. The next time a
// held-back line is written it carries repeated=N, the number of times it
// was held back. Counts still pending when the process ends are not
// written.
//
// Messages whose values change every time (an error text, a count) are
// never identical; code that wants to limit them by kind uses a [Limiter]
// of its own, the same rate limiter the handler uses per line.
package logging
