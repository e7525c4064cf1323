// Package splunk is everything the modular input needs from Splunk itself:
// the modular input protocol that splunkd speaks to modinput_eventgen and
// the eventgen.conf stanzas of every app, read from splunkd's REST API or,
// when splunkd cannot be reached, from the app folders on disk.
//
// The package does no process I/O of its own: stdout is the event stream in
// the modular input, and one stray byte there corrupts the XML Splunk
// parses, so every function takes the io.Reader or io.Writer to use. The
// logger in the format splunkd reads from a modular input's stderr is
// package logging's.
//
// # Modular input protocol (splunk-platform.md §1)
//
// splunkd runs the binary three ways. With --scheme it reads [SchemeXML]
// from stdout to register the scheme. With --validate-arguments it writes
// an <items> document ([ParseValidation]) when an admin creates or edits
// an input, and shows the message of [WriteValidationError] if the
// arguments are refused. With no arguments it writes an <input> document
// ([ParseInput]) and closes stdin; the process then runs until it is
// signalled. The session key in both documents authenticates calls back to
// splunkd's management port.
//
// # eventgen.conf of every app (splunk-platform.md §2, inventory §1.1)
//
// As SA-Eventgen did, the modular input asks splunkd for the merged
// configs/conf-eventgen of all apps ([Client.EventgenConf]): splunkd has
// already applied default/local precedence and [default], and tells which
// app owns each stanza, which decides where its samples are. [Sources]
// turns the answer into config sources. [DiskSources] reads the same files
// from disk, in splunkd's precedence, for when the REST API cannot be
// reached.
package splunk
