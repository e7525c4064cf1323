package clock

import (
	"context"
	"testing"
	"time"
)

func TestSimAdvancesWithoutSleeping(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	c := NewSim(start)
	wall := time.Now()
	if err := c.SleepUntil(context.Background(), start.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := c.Now(); !got.Equal(start.Add(24 * time.Hour)) {
		t.Fatalf("Now = %v, want a day later", got)
	}
	if err := c.SleepUntil(context.Background(), start); err != nil {
		t.Fatal(err)
	}
	if got := c.Now(); !got.Equal(start.Add(24 * time.Hour)) {
		t.Fatalf("time went backwards to %v", got)
	}
	if time.Since(wall) > 5*time.Second {
		t.Fatal("simulated sleep took real time")
	}
}

func TestSleepUntilHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Real{}).SleepUntil(ctx, time.Now().Add(time.Hour)); err == nil {
		t.Fatal("Real.SleepUntil ignored a cancelled context")
	}
	if err := NewSim(time.Now()).SleepUntil(ctx, time.Now().Add(time.Hour)); err == nil {
		t.Fatal("Sim.SleepUntil ignored a cancelled context")
	}
	if err := (Real{}).SleepUntil(context.Background(), time.Now().Add(10*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
}
