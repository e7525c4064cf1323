package supervise

import (
	"context"
	"github.com/eventgen-go/eventgen/src/internal/testlog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/engine"
	"github.com/eventgen-go/eventgen/src/internal/generate"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/all"
	"github.com/eventgen-go/eventgen/src/internal/logging"
	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all"
	"github.com/eventgen-go/eventgen/src/internal/status"
)

// Run applies a changed configuration without a restart, keeps the
// board current, tells what a reload started, and returns when ctx ends.
func TestRunReloads(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	os.WriteFile(filepath.Join(dir, "samples", "a.log"), []byte("a\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "samples", "b.log"), []byte("b\n"), 0o644)
	confPath := filepath.Join(dir, "eventgen.conf")
	write := func(text string) { os.WriteFile(confPath, []byte(text), 0o644) }
	loadConf := func() *config.Result {
		f, err := conf.ReadFile(confPath)
		if err != nil {
			return nil
		}
		return config.Load([]config.Source{{File: f, AppDir: dir}}, config.Options{Outputs: engine.Outputs(), Generators: generate.Available()})
	}
	write("[a.log]\noutputMode = devnull\ninterval = 1\n")
	var logs testlog.Buffer
	log := logging.New(&logs, logging.Options{})
	cfg := loadConf()
	e, problems := engine.Prepare(cfg.Samples, engine.Options{Log: log, Watch: true})
	board := status.New(log)
	board.Configure(cfg, problems)
	var mu sync.Mutex
	var started []string
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, e, cfg, Options{Log: log, Board: board, Poll: 50 * time.Millisecond, Check: 20 * time.Millisecond, Reload: func(context.Context) *config.Result { return loadConf() },
			WillGenerate: func(st *engine.Stanza) { mu.Lock(); started = append(started, st.Sample.Name()); mu.Unlock() }})
	}()
	write("[a.log]\noutputMode = devnull\ninterval = 1\n\n[b.log]\noutputMode = devnull\ninterval = 1\n")
	deadline := time.Now().Add(5 * time.Second)
	for {
		names := []string{}
		for _, s := range board.Snapshot() {
			names = append(names, s.Stanza)
		}
		if strings.Join(names, ",") == "a.log,b.log" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("b.log not started by a reload; board has %q\n%s", names, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(started) != 1 || !strings.HasPrefix(started[0], "b.log") {
		t.Errorf("WillGenerate saw %q, want b.log", started)
	}
	if !strings.Contains(logs.String(), "applied without a restart") || !strings.Contains(logs.String(), "eventgen_status") {
		t.Errorf("log:\n%s", logs.String())
	}
}

func TestSameProblems(t *testing.T) {
	a := &config.Result{Skipped: []config.Skip{{Stanza: "x", Reason: "r"}}}
	b := &config.Result{Skipped: []config.Skip{{Stanza: "x", Reason: "r"}}}
	if !SameProblems(a, b) {
		t.Error("equal results differ")
	}
	b.Skipped[0].Reason = "other"
	if SameProblems(a, b) {
		t.Error("different results are the same")
	}
}
