package logging

import (
	"sync"
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	type step struct {
		at         time.Duration // since t0
		ok         bool
		suppressed int
	}
	tests := []struct {
		name  string
		every time.Duration
		steps []step
	}{
		{"first passes", 10 * time.Second, []step{{0, true, 0}}},
		{"repeats held back and counted", 10 * time.Second, []step{
			{0, true, 0}, {time.Second, false, 0}, {9 * time.Second, false, 0},
			{10 * time.Second, true, 2}, {11 * time.Second, false, 0}, {time.Minute, true, 1}, {2 * time.Minute, true, 0},
		}},
		{"zero period lets all through", 0, []step{{0, true, 0}, {0, true, 0}, {time.Nanosecond, true, 0}}},
		{"period restarts at each message written", 10 * time.Second, []step{
			{0, true, 0}, {15 * time.Second, true, 0}, {20 * time.Second, false, 0}, {25 * time.Second, true, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Limiter
			for i, s := range tt.steps {
				ok, n := l.AllowAt(t0.Add(s.at), tt.every)
				if ok != s.ok || n != s.suppressed {
					t.Errorf("step %d at +%v: got %v, %d; want %v, %d", i, s.at, ok, n, s.ok, s.suppressed)
				}
			}
		})
	}
}

// TestLimiterRealClock checks Allow on the real clock: a period far longer
// than the test holds every later message back.
func TestLimiterRealClock(t *testing.T) {
	var l Limiter
	if ok, _ := l.Allow(time.Hour); !ok {
		t.Fatal("first message held back")
	}
	if ok, _ := l.Allow(time.Hour); ok {
		t.Fatal("second message within the hour let through")
	}
}

// TestLimiterConcurrent checks that concurrent callers let exactly one
// message through and count every other (run with -race).
func TestLimiterConcurrent(t *testing.T) {
	var l Limiter
	now := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	var mu sync.Mutex
	passed := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if ok, _ := l.AllowAt(now, time.Minute); ok {
					mu.Lock()
					passed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if passed != 1 {
		t.Errorf("%d messages let through, want 1", passed)
	}
	if ok, n := l.AllowAt(now.Add(time.Minute), time.Minute); !ok || n != 799 {
		t.Errorf("after the period: %v, %d; want true, 799", ok, n)
	}
}
