package delivery

import "time"

// Backoff is the project's one back-off policy: after the n-th
// consecutive failure (n from 0) wait Min·2ⁿ, at most Max. The HTTP
// outputs use it between go-retryablehttp's retries of a request
// (Options.Retry, through the client's Backoff hook, which still honours
// a receiver's Retry-After) and for how long a failing server is taken
// out (Options.Down); the stream outputs use it between reconnections
// (Stream.Backoff). No jitter: each output has one connection or a few
// servers, not a herd.
type Backoff struct {
	Min, Max time.Duration
}

// Delay returns the wait after the n-th consecutive failure (n from 0).
func (b Backoff) Delay(n int) time.Duration {
	d := b.Min
	for i := 0; i < n && d > 0 && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max || d <= 0 {
		d = b.Max
	}
	return d
}
