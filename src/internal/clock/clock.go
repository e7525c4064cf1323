// Package clock lets the scheduler run on real time in production and on
// simulated time under --now and in tests, so that a day of generation
// is tested in milliseconds.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock tells the time and waits for it.
type Clock interface {
	Now() time.Time
	// SleepUntil returns when the clock reaches t, or ctx is done.
	SleepUntil(ctx context.Context, t time.Time) error
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// SleepUntil sleeps until t.
func (Real) SleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Sim is a simulated clock: sleeping jumps to the wake-up time at once.
// Time never goes backwards.
type Sim struct {
	mu  sync.Mutex
	now time.Time
}

// NewSim returns a simulated clock starting at start.
func NewSim(start time.Time) *Sim { return &Sim{now: start} }

// Now returns the simulated time.
func (s *Sim) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

// SleepUntil advances the simulated time to t (if later).
func (s *Sim) SleepUntil(ctx context.Context, t time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	if t.After(s.now) {
		s.now = t
	}
	s.mu.Unlock()
	return nil
}
