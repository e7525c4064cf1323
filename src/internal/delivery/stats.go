package delivery

import "time"

// Stats are an output's counters (sent, retried, failed requests; events
// and bytes delivered; events dropped under a drop policy), safe to read
// concurrently; outputs implement interface{ Stats() Stats } on Dst.
//
// The HTTP outputs also report the requests in flight now and the
// receiver's round trips: RoundTrips requests answered (or failed) in
// RoundTripTime in all, from sending the request to the response's
// headers; the stream outputs (TCP, UDP) report their writes so (see
// Stream.Stats). The mean over any period is the difference of two readings
// (Latency). They tell a receiver that is the limit (latency rising,
// requests in flight at the concurrency) from a generator that is.
type Stats struct {
	Events, Bytes, Requests, Retries, Failures, Dropped int64

	InFlight      int64         // requests sent and not yet answered
	RoundTrips    int64         // requests answered or failed, retries included
	RoundTripTime time.Duration // their round trips, summed
}

// Latency is the mean round trip of the requests answered between prev
// and s (two readings of the same output), or 0 when there were none.
func (s Stats) Latency(prev Stats) time.Duration {
	n := s.RoundTrips - prev.RoundTrips
	if n <= 0 {
		return 0
	}
	return (s.RoundTripTime - prev.RoundTripTime) / time.Duration(n)
}
