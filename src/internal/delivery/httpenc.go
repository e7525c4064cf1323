//go:build !cloud

package delivery

import (
	"encoding/binary"
)

// Framing of the network outputs' chunks (HTTP and streams alike). The
// engine hands Dst chunks that hold whole encoded events; each event is
// one record:
//
//	uint32 little-endian length | body
//
// A record of length 0 is an event the encoder skipped (an empty _raw, a
// metric event that is not valid JSON): Dst counts it as dropped. For the
// outputs whose requests group events by metadata (HEC raw endpoint,
// splunkstream), the body starts with the group's query string:
//
//	uint32 little-endian length | query | payload
//
// The payload is what goes into the request body for the event: a HEC
// envelope followed by "\n", or the _raw followed by "\n". For the stream
// outputs the body is the message without transport framing, which the
// Stream adds (Wire).
const recHeader = 4

// beginRecord reserves a record header in dst and returns dst and the
// header's offset, for endRecord.
func BeginRecord(dst []byte) ([]byte, int) {
	return append(dst, 0, 0, 0, 0), len(dst)
}

// endRecord writes the length of the record that starts at off.
func EndRecord(dst []byte, off int) []byte {
	binary.LittleEndian.PutUint32(dst[off:], uint32(len(dst)-off-recHeader))
	return dst
}

// appendSkip appends the record of a skipped event.
func AppendSkip(dst []byte) []byte { return append(dst, 0, 0, 0, 0) }

// nextRecord splits the first record off p: its body and the rest. ok is
// false when p does not start with a whole record (a programming error:
// chunks always hold whole events).
func NextRecord(p []byte) (body, rest []byte, ok bool) {
	if len(p) < recHeader {
		return nil, nil, false
	}
	n := binary.LittleEndian.Uint32(p)
	if uint64(len(p)-recHeader) < uint64(n) {
		return nil, nil, false
	}
	return p[recHeader : recHeader+int(n)], p[recHeader+int(n):], true
}
