// Package conf reads Splunk .conf files the way Splunk does, which is not
// the way INI parsers do, and layers them (default/ < local/, apps in the
// order given) keeping the file and line of every value.
//
// The rules (splunk-platform.md §5, "gopkg.in/ini.v1 v1.67.3 against
// Splunk .conf rules", which follows AppInspect's parser,
// splunk_appinspect/configuration_parser.py; where the two differ, what is
// known of splunkd wins):
//
//   - A line whose first non-blank character is "#" is a comment. There are
//     no inline comments: "a = b # c" sets a to "b # c". A line starting
//     with ";" is not a comment (AppInspect and ksconf treat it as one;
//     Splunk's documentation only knows "#"), so ";x = y" sets the key
//     ";x", with a warning.
//   - A line ending in "\" continues on the next line. The "\" is dropped
//     and the line break is kept as "\n" in the value, as AppInspect's
//     join_lines (line[:-1] + "\n") and ksconf's cont_handler do (that
//     splunkd keeps the "\n" is still to be confirmed on a real Splunk:
//     splunk-platform.md §7, question 6). The "\" must be the last
//     character of the line: "\" followed by
//     blanks is kept in the value and does not continue the line (ksconf's
//     rule; AppInspect continues it and reports an error), with a warning.
//     There is no escaping, so "\\" at the end of a line also continues it,
//     keeping one "\". Lines are joined before they are classified, as both
//     parsers do, so a comment ending in "\" swallows the next line (with a
//     warning). A "\" on the last line of the file is dropped (warning);
//     AppInspect loses that whole line.
//   - A line whose first non-blank character is "[" is a stanza header; the
//     name is the text between that "[" and the last "]" on the line, kept
//     as is: it is not trimmed, as in AppInspect and ksconf, so "[ a ]" is
//     the stanza " a " (warning). Text after the last "]" is ignored
//     (warning). A header without "]" is ignored, so the keys below it stay
//     in the previous stanza: ksconf's documentation reports that splunkd
//     does this (AppInspect fails instead), and the warning says so.
//   - "key = value" is split at the first "="; key and value are trimmed of
//     blanks (ASCII whitespace: after joining continuations, so a value
//     never starts or ends with a line break) and keep everything else,
//     quotes included. Keys and stanza names are case-sensitive. A line
//     "= value" with no key is ignored (warning).
//   - Keys before any stanza header belong to the stanza "default".
//   - A key set twice in a stanza takes the later value; a stanza that
//     appears twice in a file is merged. Both produce a warning.
//   - Any other non-blank line is ignored, as splunkd does, with a warning.
//   - A UTF-8 byte order mark is skipped; "\n", "\r\n" and "\r" all end a
//     line. A NUL byte, invalid UTF-8 or a UTF-16 byte order mark makes
//     [Parse] fail with an [*Error] naming the file and line.
//
// Warnings are [*Error] values in [File.Warnings]: Splunk applies such
// files silently, so the caller should show them.
//
// [Layer] merges parsed files key by key, later files winning, and does not
// apply [default] to other stanzas: that is the caller's decision.
package conf
