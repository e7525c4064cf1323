package delivery

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

func TestBackoffDelay(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		b    Backoff
		n    int
		want time.Duration
	}{
		{Backoff{100 * ms, 5 * time.Second}, 0, 100 * ms},
		{Backoff{100 * ms, 5 * time.Second}, 1, 200 * ms},
		{Backoff{100 * ms, 5 * time.Second}, 5, 3200 * ms},
		{Backoff{100 * ms, 5 * time.Second}, 6, 5 * time.Second},
		{Backoff{100 * ms, 5 * time.Second}, 1000, 5 * time.Second},
		{Backoff{time.Second, math.MaxInt64}, 100, math.MaxInt64},
		{Backoff{0, time.Second}, 3, time.Second},
	} {
		if got := tc.b.Delay(tc.n); got != tc.want {
			t.Errorf("%+v.Delay(%d) = %v, want %v", tc.b, tc.n, got, tc.want)
		}
	}
}

// Without Retry-After, the policy gives go-retryablehttp's own
// exponential back-off, so the client's hook changes nothing but where
// the policy lives.
func TestBackoffMatchesRetryableHTTP(t *testing.T) {
	b := Backoff{250 * time.Millisecond, 4 * time.Second}
	for n := range 10 {
		if got, want := b.Delay(n), retryablehttp.DefaultBackoff(b.Min, b.Max, n, &http.Response{StatusCode: 500}); got != want {
			t.Errorf("Delay(%d) = %v, retryablehttp %v", n, got, want)
		}
	}
}
