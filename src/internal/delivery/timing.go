//go:build !cloud

package delivery

import (
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// timedTransport counts the requests in flight through an HTTP transport
// and sums their round trips (each attempt, retries included) into c.
type timedTransport struct {
	rt http.RoundTripper
	c  *counters
}

func (t *timedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if m, ok := req.Context().Value(memKey{}).(*batchMem); ok && req.Body != nil && req.Body != http.NoBody {
		req = trackBody(req, m)
	}
	t.c.inFlight.Add(1)
	start := time.Now()
	resp, err := t.rt.RoundTrip(req)
	t.c.rttNanos.Add(int64(time.Since(start)))
	t.c.roundTrips.Add(1)
	t.c.inFlight.Add(-1)
	return resp, err
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// transport underneath.
func (t *timedTransport) CloseIdleConnections() {
	if c, ok := t.rt.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// memKey is the context key of the batchMem a request's body reads from.
type memKey struct{}

// trackBody returns a copy of req whose body (and the bodies GetBody
// makes, when the transport sends the request again) hold a use of m
// until the transport closes them: m is not reused while they may be
// read. A RoundTripper may not modify req; the copy is shallow, as
// http.Request.WithContext's.
func trackBody(req *http.Request, m *batchMem) *http.Request {
	r := new(http.Request)
	*r = *req
	r.Body = m.track(req.Body)
	if get := req.GetBody; get != nil {
		r.GetBody = func() (io.ReadCloser, error) {
			b, err := get()
			if err != nil || b == nil || b == http.NoBody {
				return b, err
			}
			return m.track(b), nil
		}
	}
	return r
}

// track returns body holding a use of m until it is closed.
func (m *batchMem) track(body io.ReadCloser) io.ReadCloser {
	m.users.Add(1)
	return &trackedBody{ReadCloser: body, m: m}
}

// trackedBody is a request body that releases its batchMem on Close.
type trackedBody struct {
	io.ReadCloser
	m      *batchMem
	closed atomic.Bool
}

func (b *trackedBody) Close() error {
	err := b.ReadCloser.Close()
	if b.closed.CompareAndSwap(false, true) {
		b.m.release()
	}
	return err
}
