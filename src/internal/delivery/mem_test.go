//go:build !cloud

package delivery

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Requests one after another reuse one body: the sink allocates the
// memory of a batch once, and every request still carries its own
// events.
func TestSinkReusesBatchMemory(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	s := statsSink(srv.URL, 1) // one event per request
	if err := s.WriteBatch(chunkOf(20)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 20 {
		t.Fatalf("%d requests, want 20", len(got))
	}
	for i, g := range got {
		if want := fmt.Sprintf("event%02d\n", i); g != want {
			t.Errorf("request %d carried %q, want %q", i, g, want)
		}
	}
	if n := s.memAllocs.Load(); n > 2 {
		t.Errorf("%d batch memories allocated for 20 requests in a row, want 1 or 2", n)
	}
}

// A batch's memory returns to the pool only when the batch is finished
// and the transport has closed every request body read from it (the
// body GetBody makes for a resend included), in either order, once.
func TestBatchMemWaitsForRequestBodies(t *testing.T) {
	s := statsSink("http://127.0.0.1:1", 1)
	m := s.getMem(1)
	m.body = append(m.body, "payload"...)
	m.users.Store(1)
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/", bytes.NewReader(m.body))
	if err != nil {
		t.Fatal(err)
	}
	r := trackBody(req, m)
	again, err := r.GetBody()
	if err != nil {
		t.Fatal(err)
	}
	pooled := func() int { s.memMu.Lock(); defer s.memMu.Unlock(); return len(s.freeMem) }
	m.release() // the batch is finished; the transport still reads
	if pooled() != 0 {
		t.Fatal("memory reused while the request body may still be read")
	}
	r.Body.Close()
	r.Body.Close() // a second Close releases nothing more
	if pooled() != 0 {
		t.Fatal("memory reused while the resent body may still be read")
	}
	if b, _ := io.ReadAll(again); string(b) != "payload" {
		t.Errorf("resent body = %q", b)
	}
	again.Close()
	if pooled() != 1 {
		t.Fatalf("%d memories in the pool once everything is closed, want 1", pooled())
	}
	if got := s.getMem(1); got != m || len(got.body) != 0 {
		t.Errorf("getMem did not hand out the pooled memory, emptied")
	}
}
