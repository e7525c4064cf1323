//go:build !cloud

package delivery

import (
	"net/url"
	"sync/atomic"
	"unsafe"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// QueryEncoder writes, for the HEC raw endpoint, the event's metadata
// as a query string (the group key) and its _raw followed by "\n".
// The query string of the last metadata seen is kept: the events of a
// stanza mostly share it, and escaping it for every event was a quarter
// of splunkstream's profile (docs/performance.md, Delivery). Use it as a
// pointer (&QueryEncoder{}); workers of a stanza share it.
type QueryEncoder struct {
	HostRegex string
	last      atomic.Pointer[queryEntry]
}

// queryEntry is a metadata tuple and its query string; never modified.
type queryEntry struct {
	index, source, sourcetype, host string
	q                               []byte
	hits, misses                    atomic.Int32 // events that had this metadata (up to 64), and that did not
}

func (*QueryEncoder) Begin(dst []byte) []byte { return dst }
func (*QueryEncoder) End(dst []byte) []byte   { return dst }

// Append appends the event's query string and payload, back to back; the
// engine uses AppendKeyed, which says where the query string ends.
func (r *QueryEncoder) Append(dst []byte, e *output.Event) []byte {
	dst, _ = r.AppendKeyed(dst, e, nil)
	return dst
}

// AppendKeyed appends the event's query string (its group key) and its
// _raw followed by "\n", and returns where the query string ends. An
// event with an empty _raw is skipped: nothing is appended.
//
// With memo (the chunk's output.Batch.KeyMemo), the query string is left
// out (output.SameKey) when it is the cached one and the chunk's last key
// is that too: the memo holds the cache entry whose query string was last
// written into the chunk, and an entry never changes, so comparing the
// pointers is enough. Copying the key (about 60 bytes) into every event,
// and comparing it with the previous event's in the sink, were about 5%
// of splunkstream's CPU in scenario 2's profile; the sink now takes a
// SameKey event to the previous event's group without comparing.
func (r *QueryEncoder) AppendKeyed(dst []byte, e *output.Event, memo *any) ([]byte, int) {
	if len(e.Raw) == 0 {
		return dst, len(dst)
	}
	keyEnd := int(output.SameKey)
	if c := r.last.Load(); c != nil && sameString(c.index, e.Index) && sameString(c.source, e.Source) && sameString(c.sourcetype, e.Sourcetype) && sameString(c.host, e.Host) {
		if c.hits.Load() < 64 { // read-only once established: no shared write per event
			c.hits.Add(1)
		}
		if memo == nil || *memo != any(c) {
			dst = append(dst, c.q...)
			keyEnd = len(dst)
			if memo != nil {
				*memo = c
			}
		}
	} else {
		start := len(dst)
		dst = appendQuery(dst, e, r.HostRegex)
		keyEnd = len(dst)
		var n *queryEntry
		// Replace the entry only while it has served more events than it
		// missed: with metadata that changes every event (host.token) there
		// is then no allocation per event, only the escaping.
		if c == nil || c.misses.Add(1) < c.hits.Load() {
			n = &queryEntry{index: e.Index, source: e.Source, sourcetype: e.Sourcetype, host: e.Host, q: append([]byte(nil), dst[start:]...)}
			r.last.Store(n)
		}
		if memo != nil {
			*memo = nil // the chunk's last key is no entry's: the next event writes its own
			if n != nil {
				*memo = n
			}
		}
	}
	dst = append(dst, e.Raw...)
	dst = append(dst, '\n')
	return dst, keyEnd
}

// sameString is a == b, without a call when they share their bytes (a
// stanza's metadata strings are the same strings event after event).
func sameString(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

var _ output.KeyedEncoder = (*QueryEncoder)(nil)

// appendQuery appends index, source, sourcetype, host_regex and host as a
// query string, each only when set (Eventgen's splunkstream order).
func appendQuery(dst []byte, e *output.Event, hostRegex string) []byte {
	start := len(dst)
	for _, kv := range [...]struct{ k, v string }{
		{"index", e.Index}, {"source", e.Source}, {"sourcetype", e.Sourcetype}, {"host_regex", hostRegex}, {"host", e.Host},
	} {
		if kv.v == "" {
			continue
		}
		if len(dst) > start {
			dst = append(dst, '&')
		}
		dst = append(dst, kv.k...)
		dst = append(dst, '=')
		dst = append(dst, url.QueryEscape(kv.v)...)
	}
	return dst
}
