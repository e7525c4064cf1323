//go:build !cloud

package delivery

import (
	"net/http"
	"time"
)

// timedTransport counts the requests in flight through an HTTP transport
// and sums their round trips (each attempt, retries included) into c.
type timedTransport struct {
	rt http.RoundTripper
	c  *counters
}

func (t *timedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
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
