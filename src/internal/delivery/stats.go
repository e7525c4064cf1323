package delivery

// Stats are an output's counters (sent, retried, failed requests; events
// and bytes delivered; events dropped under a drop policy), safe to read
// concurrently; outputs implement interface{ Stats() Stats } on Dst.
type Stats struct {
	Events, Bytes, Requests, Retries, Failures, Dropped int64
}
