package output

import (
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestSetSharesWriters(t *testing.T) {
	s := NewSet()
	var opened atomic.Int32
	recs := map[string]*recorder{"stdout": {}, "file:/a": {}}
	open := func(key string) func() (io.WriteCloser, error) {
		return func() (io.WriteCloser, error) {
			opened.Add(1)
			return recs[key], nil
		}
	}
	var wg sync.WaitGroup
	writers := make([]*Writer, 20)
	for i := range writers {
		wg.Go(func() {
			key := "stdout"
			if i%2 == 1 {
				key = "file:/a"
			}
			w, err := s.Get(key, open(key))
			if err != nil {
				t.Error(err)
				return
			}
			writers[i] = w
			if err := w.Submit(filled(w, key)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := opened.Load(); n != 2 {
		t.Errorf("opened %d times, want once per key", n)
	}
	for i := range writers {
		if writers[i] != writers[i%2] {
			t.Fatalf("writer %d differs from writer %d", i, i%2)
		}
	}
	if err := s.FlushAll(); err != nil {
		t.Fatal(err)
	}
	for key, r := range recs {
		ops, writes, _ := r.snapshot()
		if len(writes) != 10 || ops[len(ops)-1] != "flush" {
			t.Errorf("%s: ops %q", key, ops)
		}
	}
	if err := s.CloseAll(); err != nil {
		t.Fatal(err)
	}
	for key, r := range recs {
		if _, _, closed := r.snapshot(); closed != 1 {
			t.Errorf("%s closed %d times", key, closed)
		}
	}
	if _, err := s.Get("stdout", open("stdout")); err == nil {
		t.Error("Get after CloseAll succeeded")
	}
	if err := s.CloseAll(); err != nil {
		t.Errorf("second CloseAll = %v", err)
	}
}

func TestSetOpenError(t *testing.T) {
	s := NewSet()
	boom := errors.New("no such device")
	if _, err := s.Get("file:/x", func() (io.WriteCloser, error) { return nil, boom }); !errors.Is(err, boom) || !strings.Contains(err.Error(), "file:/x") {
		t.Fatalf("Get = %v, want %v naming the key", err, boom)
	}
	// A failed open is not remembered.
	r := &recorder{}
	w, err := s.Get("file:/x", func() (io.WriteCloser, error) { return r, nil })
	if err != nil || w == nil {
		t.Fatalf("Get after a failed open = %v, %v", w, err)
	}
	if err := s.CloseAll(); err != nil {
		t.Fatal(err)
	}
}

func TestSetJoinsErrors(t *testing.T) {
	s := NewSet()
	errA, errB := errors.New("a failed"), errors.New("b failed")
	for key, r := range map[string]*recorder{
		"a":  {closeErr: errA},
		"b":  {flushErr: errB},
		"ok": {},
	} {
		if _, err := s.Get(key, func() (io.WriteCloser, error) { return r, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FlushAll(); !errors.Is(err, errB) || errors.Is(err, errA) {
		t.Errorf("FlushAll = %v, want %v only", err, errB)
	}
	err := s.CloseAll()
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Fatalf("CloseAll = %v, want both errors", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "output: a: close:") || strings.Index(msg, "a failed") > strings.Index(msg, "b failed") {
		t.Errorf("CloseAll = %q: want the errors in key order, naming the key", msg)
	}
}
