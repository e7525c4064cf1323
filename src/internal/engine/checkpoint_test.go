package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/clock"
	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
)

// stopAfter cancels the run after n checkpoint saves: a process stopped
// between two intervals.
type stopAfter struct {
	DirCheckpoints
	n      int
	cancel context.CancelFunc
}

func (s *stopAfter) Save(key string, cp Checkpoint) error {
	err := s.DirCheckpoints.Save(key, cp)
	if s.n--; s.n == 0 {
		s.cancel()
	}
	return err
}

func runFrom(t *testing.T, dir, cpDir string, at time.Time, saves int) []float64 {
	t.Helper()
	f, _ := conf.Parse(filepath.Join(dir, "eventgen.conf"), []byte("[a.log]\ncount = 1\ninterval = 60\n"))
	res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	cps := &stopAfter{DirCheckpoints: DirCheckpoints{Dir: cpDir}, n: saves, cancel: cancel}
	e, problems := Prepare(res.Samples, Options{Stdout: &out, Format: "jsonl", Clock: clock.NewSim(at), Checkpoints: cps})
	if len(e.Stanzas()) != 1 {
		t.Fatal(problems)
	}
	if err := e.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var times []float64
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var ev struct {
			Time float64 `json:"_time"`
		}
		json.Unmarshal([]byte(line), &ev)
		times = append(times, ev.Time)
	}
	return times
}

func TestCheckpointResumeNoGapNoDuplicate(t *testing.T) {
	dir, cpDir := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("x\n"), 0o644)
	first := runFrom(t, dir, cpDir, start, 3)
	// stopped for 7 minutes; the restart catches up the missed intervals
	second := runFrom(t, dir, cpDir, start.Add(10*time.Minute), 8)
	all := append(first, second...)
	if len(all) != 11 {
		t.Fatalf("%d events (%v then %v), want 11: minutes 0..10 once each", len(all), first, second)
	}
	for i, ts := range all {
		if want := float64(start.Add(time.Duration(i) * time.Minute).Unix()); ts != want {
			t.Fatalf("event %d at %v, want %v (first run %v, second %v)", i, ts, want, first, second)
		}
	}
	ents, _ := os.ReadDir(cpDir)
	if len(ents) != 1 || !strings.HasSuffix(ents[0].Name(), ".json") {
		t.Fatalf("checkpoint dir holds %v, want one checkpoint and no temp files", ents)
	}
}

func TestCheckpointFinishedIsNotRedone(t *testing.T) {
	dir, cpDir := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("x\n"), 0o644)
	cps := DirCheckpoints{Dir: cpDir}
	f, _ := conf.Parse("c", []byte("[a.log]\nend = 2\n"))
	for run, want := range []int{2, 0} {
		res := config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Location: time.UTC})
		var out bytes.Buffer
		e, _ := Prepare(res.Samples, Options{Stdout: &out, Clock: clock.NewSim(start), Checkpoints: cps})
		if err := e.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(out.String(), "\n"); got != want {
			t.Fatalf("run %d: %d events, want %d", run, got, want)
		}
	}
}

func TestCheckpointDamagedStartsAfresh(t *testing.T) {
	cpDir := t.TempDir()
	d := DirCheckpoints{Dir: cpDir}
	os.WriteFile(d.path("k"), []byte("{torn"), 0o644)
	if _, ok, err := d.Load("k"); ok || err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("ok %v err %v", ok, err)
	}
	if err := (DirCheckpoints{Dir: filepath.Join(cpDir, "missing")}).Save("k", Checkpoint{}); err == nil {
		t.Fatal("save into a missing dir succeeded")
	}
}
