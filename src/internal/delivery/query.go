//go:build !cloud

package delivery

import (
	"net/url"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// QueryEncoder writes, for the HEC raw endpoint, the event's metadata
// as a query string (the group key) and its _raw followed by "\n".
type QueryEncoder struct{ HostRegex string }

func (QueryEncoder) Begin(dst []byte) []byte { return dst }
func (QueryEncoder) End(dst []byte) []byte   { return dst }

func (r QueryEncoder) Append(dst []byte, e *output.Event) []byte {
	if len(e.Raw) == 0 {
		return AppendSkip(dst)
	}
	dst, off := BeginRecord(dst)
	dst, qoff := BeginRecord(dst)
	dst = appendQuery(dst, e, r.HostRegex)
	dst = EndRecord(dst, qoff)
	dst = append(dst, e.Raw...)
	dst = append(dst, '\n')
	return EndRecord(dst, off)
}

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
