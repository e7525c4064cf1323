package output

import "time"

// Event is one generated event on its way to an output. Raw is owned by
// the generator and only valid until the Encoder returns: encoders copy
// what they need into their destination buffer.
type Event struct {
	Time       time.Time
	Raw        []byte // without a trailing line terminator
	Index      string
	Host       string
	Source     string
	Sourcetype string
	Stanza     string // the eventgen.conf stanza that produced the event
}
