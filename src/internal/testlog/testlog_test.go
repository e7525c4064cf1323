package testlog

import (
	"log/slog"
	"sync"
	"testing"
)

func TestBufferConcurrent(t *testing.T) {
	log, b := New(slog.LevelInfo)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				log.Info("sent", "worker", i)
				_ = b.String() // read while others write: -race checks it
			}
		}()
	}
	log.Debug("below the level")
	wg.Wait()
	if n := b.Count(`msg=sent`); n != 400 {
		t.Errorf("Count = %d, want 400", n)
	}
	if n := len(b.Lines("msg=sent", "worker=3")); n != 50 {
		t.Errorf("Lines(worker=3) = %d lines, want 50", n)
	}
	if n := len(b.Lines("below the level")); n != 0 {
		t.Errorf("a debug line was logged at info level: %d", n)
	}
}
