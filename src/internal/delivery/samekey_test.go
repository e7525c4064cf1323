//go:build !cloud

package delivery

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// recordTransport is plainTransport that records each request's group key
// and body, in the order the sink sends them.
type recordTransport struct {
	plainTransport
	mu   sync.Mutex
	reqs []string
}

func (r *recordTransport) Request(ctx context.Context, c *Client, srv *Server, b *Batch) (*retryablehttp.Request, Outcome) {
	r.mu.Lock()
	r.reqs = append(r.reqs, b.Meta+" => "+string(b.Body))
	r.mu.Unlock()
	return r.plainTransport.Request(ctx, c, srv, b)
}

// TestSinkSameKey: the requests of events whose keys the encoder leaves
// out when unchanged (output.SameKey, the chunk's KeyMemo) are exactly
// those of the same events each carrying its key, whatever the metadata
// does (the same for every event, changing every event or every few, empty,
// with skipped events), however the chunks cut the runs, with requests
// that fill in the middle of a run and idle times between some chunks.
func TestSinkSameKey(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
	defer srv.Close()
	metas := map[string]func(i int) output.Event{
		"constant": func(i int) output.Event {
			return output.Event{Index: "main", Source: "s 1", Sourcetype: "st", Host: "h"}
		},
		"every event": func(i int) output.Event { return output.Event{Index: "main", Host: fmt.Sprint("h", i)} },
		"alternating": func(i int) output.Event { return output.Event{Index: "main", Host: fmt.Sprint("h", i%2)} },
		"every 3":     func(i int) output.Event { return output.Event{Index: "main", Host: fmt.Sprint("h", i/3%4)} },
		"empty":       func(i int) output.Event { return output.Event{} },
		"empty and not": func(i int) output.Event {
			if i/5%2 == 0 {
				return output.Event{}
			}
			return output.Event{Source: "s&t"}
		},
		"runs": func(i int) output.Event {
			return output.Event{Index: "main", Sourcetype: []string{"a", "b", "c"}[i/17%3], Host: fmt.Sprint("h", i/50)}
		},
	}
	for name, meta := range metas {
		for _, per := range []int{1, 2, 7, 64} {
			t.Run(fmt.Sprintf("%s/%d", name, per), func(t *testing.T) {
				evs := make([]output.Event, 400)
				for i := range evs {
					evs[i] = meta(i)
					if i%23 != 22 { // else skipped: an empty _raw
						evs[i].Raw = fmt.Appendf(nil, "event %d", i)
					}
				}
				run := func(memo bool) ([]string, int) {
					rec := &recordTransport{}
					opt := DefaultOptions()
					opt.MaxPayload = 100 // a request fills every few events, in runs too
					s := NewSink("test", slog.New(slog.NewTextHandler(io.Discard, nil)), opt, rec, []*Server{{URL: srv.URL}}, false, true)
					enc := &QueryEncoder{} // no host_regex: events without metadata have an empty key
					same := 0
					for from := 0; from < len(evs); from += per {
						c := new(output.Batch) // a chunk, and its key memo
						for i := from; i < min(from+per, len(evs)); i++ {
							m := &c.KeyMemo
							if !memo {
								m = nil
							}
							var key int
							c.Buf, key = enc.AppendKeyed(c.Buf, &evs[i], m)
							c.Keys = append(c.Keys, int32(key))
							c.Ends = append(c.Ends, int32(len(c.Buf)))
							if int32(key) == output.SameKey {
								same++
							}
						}
						if !c.Check() {
							t.Fatalf("chunk at %d: Check = false", from)
						}
						if err := s.WriteBatch(c); err != nil {
							t.Fatal(err)
						}
						if from/per%3 == 0 {
							if err := s.Idle(); err != nil {
								t.Fatal(err)
							}
						}
					}
					if err := s.Close(); err != nil {
						t.Fatal(err)
					}
					return rec.reqs, same
				}
				want, _ := run(false)
				got, same := run(true)
				// and each event went once, with its own metadata
				sent := map[string]int{}
				for _, r := range got {
					meta, body, _ := strings.Cut(r, " => ")
					for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
						var i int
						if _, err := fmt.Sscanf(line, "event %d", &i); err != nil || i >= len(evs) {
							t.Fatalf("request %q: event %q", r, line)
						}
						if q := string(appendQuery(nil, &evs[i], "")); q != meta {
							t.Errorf("event %d sent with %q, want %q", i, meta, q)
						}
						sent[line]++
					}
				}
				for i := range evs {
					if n := sent[string(evs[i].Raw)]; len(evs[i].Raw) > 0 && n != 1 {
						t.Errorf("event %d sent %d times", i, n)
					}
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("requests with keys left out:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if name == "constant" && per > 1 && same == 0 {
					t.Error("no key was left out")
				}
				if name == "every event" && same != 0 {
					t.Errorf("%d keys left out of events that all differ", same)
				}
			})
		}
	}
}

// TestSinkRejectsLostKey: a chunk whose first event leaves its key out
// (a memo carried over from another chunk) fails loudly, delivering
// nothing, instead of sending its events with the previous chunk's key.
func TestSinkRejectsLostKey(t *testing.T) {
	rec := &recordTransport{}
	s := NewSink("test", slog.New(slog.NewTextHandler(io.Discard, nil)), DefaultOptions(), rec, []*Server{{URL: "http://127.0.0.1:1"}}, false, true)
	defer s.Close()
	enc := &QueryEncoder{}
	ev := output.Event{Index: "main", Raw: []byte("x")}
	var memo any
	a := new(output.Batch)
	a.Buf, _ = enc.AppendKeyed(a.Buf, &ev, &memo)
	b := new(output.Batch)
	var key int
	b.Buf, key = enc.AppendKeyed(b.Buf, &ev, &memo) // the wrong chunk's memo
	b.Keys, b.Ends = []int32{int32(key)}, []int32{int32(len(b.Buf))}
	if int32(key) != output.SameKey {
		t.Fatalf("key end %d, want SameKey", key)
	}
	err := s.WriteBatch(b)
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Errorf("WriteBatch = %v, want an internal error", err)
	}
	if len(rec.reqs) != 0 {
		t.Errorf("requests %q", rec.reqs)
	}
}

// TestQueryEncoderSameStrings: metadata equal to the cached entry's hits
// it whether or not its strings share their bytes with the entry's, and
// differing metadata of the same lengths misses it.
func TestQueryEncoderSameStrings(t *testing.T) {
	enc := &QueryEncoder{}
	var c output.Batch
	a := output.Event{Raw: []byte("a"), Index: "main", Source: "src", Sourcetype: "st", Host: "h1"}
	c.Add(enc, &a)
	b := output.Event{Raw: []byte("b"), Index: strings.Clone(a.Index), Source: strings.Clone(a.Source), Sourcetype: strings.Clone(a.Sourcetype), Host: strings.Clone(a.Host)}
	c.Add(enc, &b)
	d := b
	d.Host = "h2"
	c.Add(enc, &d)
	if want := []int32{int32(len("index=main&source=src&sourcetype=st&host=h1")), output.SameKey, c.Ends[1] + int32(len("index=main&source=src&sourcetype=st&host=h2"))}; fmt.Sprint(c.Keys) != fmt.Sprint(want) {
		t.Errorf("key ends %v, want %v", c.Keys, want)
	}
	if k, _ := c.Event(2); string(k) != "index=main&source=src&sourcetype=st&host=h2" {
		t.Errorf("third key %q", k)
	}
}
