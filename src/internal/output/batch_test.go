package output

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// keyedEnc writes "key=<host>|" then _raw + "\n"; an empty _raw is skipped.
type keyedEnc struct{ rawEncoder }

func (k keyedEnc) Append(dst []byte, e *Event) []byte {
	dst, _ = k.AppendKeyed(dst, e, nil)
	return dst
}

func (keyedEnc) AppendKeyed(dst []byte, e *Event, _ *any) ([]byte, int) {
	if len(e.Raw) == 0 {
		return dst, len(dst)
	}
	dst = append(dst, "key="+e.Host+"|"...)
	key := len(dst)
	dst = append(dst, e.Raw...)
	return append(dst, '\n'), key
}

func TestBatchEvents(t *testing.T) {
	for _, c := range []struct {
		name     string
		enc      Encoder
		keys     []string
		payloads []string
	}{
		{"plain", rawEncoder{}, []string{"", "", ""}, []string{"a\n", "\n", "ccc\n"}},
		{"keyed", keyedEnc{}, []string{"key=h|", "", "key=h|"}, []string{"a\n", "", "ccc\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b Batch
			for _, raw := range []string{"a", "", "ccc"} {
				b.Add(c.enc, &Event{Raw: []byte(raw), Host: "h"})
			}
			if !b.Check() || b.Len() != 3 {
				t.Fatalf("Check %v, Len %d", b.Check(), b.Len())
			}
			for i := range b.Len() {
				k, p := b.Event(i)
				if string(k) != c.keys[i] || string(p) != c.payloads[i] {
					t.Errorf("event %d: %q %q, want %q %q", i, k, p, c.keys[i], c.payloads[i])
				}
			}
			b.Reset()
			if b.Len() != 0 || len(b.Buf) != 0 || len(b.Keys) != 0 || !b.Check() {
				t.Errorf("after Reset: %+v", b)
			}
		})
	}
}

func TestBatchCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		b    Batch
		ok   bool
	}{
		{"empty", Batch{}, true},
		{"bytes without spans", Batch{Buf: []byte("ab")}, false},
		{"spans", Batch{Buf: []byte("ab"), Ends: []int32{1, 2}}, true},
		{"short of the end", Batch{Buf: []byte("ab"), Ends: []int32{1}}, false},
		{"past the end", Batch{Buf: []byte("ab"), Ends: []int32{3}}, false},
		{"backwards", Batch{Buf: []byte("ab"), Ends: []int32{2, 1, 2}}, false},
		{"keys", Batch{Buf: []byte("kab"), Ends: []int32{2, 3}, Keys: []int32{1, 2}}, true},
		{"a key per event", Batch{Buf: []byte("ab"), Ends: []int32{1, 2}, Keys: []int32{1}}, false},
		{"key outside its span", Batch{Buf: []byte("ab"), Ends: []int32{1, 2}, Keys: []int32{0, 0}}, false},
		// SameKey (-1): the key of the previous event not skipped
		{"same key", Batch{Buf: []byte("kabc"), Ends: []int32{2, 3, 4}, Keys: []int32{1, SameKey, SameKey}}, true},
		{"same as an empty key", Batch{Buf: []byte("ab"), Ends: []int32{1, 2}, Keys: []int32{0, SameKey}}, true},
		{"same key after a skipped event", Batch{Buf: []byte("kab"), Ends: []int32{2, 2, 3}, Keys: []int32{1, 2, SameKey}}, true},
		{"same key first", Batch{Buf: []byte("ab"), Ends: []int32{1, 2}, Keys: []int32{SameKey, 1}}, false},
		{"same key after only skipped events", Batch{Buf: []byte("a"), Ends: []int32{0, 1}, Keys: []int32{0, SameKey}}, false},
		{"same key on a skipped event", Batch{Buf: []byte("ka"), Ends: []int32{2, 2}, Keys: []int32{1, SameKey}}, false},
		{"negative key end", Batch{Buf: []byte("kab"), Ends: []int32{2, 3}, Keys: []int32{1, -2}}, false},
	} {
		if got := c.b.Check(); got != c.ok {
			t.Errorf("%s: Check = %v, want %v", c.name, got, c.ok)
		}
	}
}

// batchDst takes batches, and fails the test if Write is called.
type batchDst struct {
	t      *testing.T
	events []string
}

func (d *batchDst) Write(p []byte) (int, error) {
	d.t.Error("Write called on a BatchWriter")
	return 0, errors.New("bytes")
}

func (d *batchDst) WriteBatch(b *Batch) error {
	for i := range b.Len() {
		_, p := b.Event(i)
		d.events = append(d.events, string(p))
	}
	return nil
}

// A Writer hands a BatchWriter its batches (WriteBatch, not Write) and
// counts their bytes; a byte-stream destination gets Buf.
func TestWriterBatchWriter(t *testing.T) {
	d := &batchDst{t: t}
	w := NewWriter(d, 0)
	if !w.TakesBatches() {
		t.Fatal("TakesBatches = false for a BatchWriter")
	}
	b := w.Buffer()
	for _, raw := range []string{"x", "yy"} {
		b.Add(rawEncoder{}, &Event{Raw: []byte(raw)})
	}
	if err := w.Submit(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.events, "") != "x\nyy\n" || len(d.events) != 2 {
		t.Errorf("events %q", d.events)
	}
	if n, writes := w.Stats(); n != 5 || writes != 1 {
		t.Errorf("Stats = %d bytes, %d writes", n, writes)
	}
	plain := NewWriter(io.Discard, 0)
	defer plain.Close()
	if plain.TakesBatches() {
		t.Error("TakesBatches = true for io.Discard")
	}
}

// TestBatchSameKey: Event and Span read SameKey events, across skipped
// events and an empty key, and Reset forgets the key memo.
func TestBatchSameKey(t *testing.T) {
	b := Batch{
		Buf:     []byte("k1=a|b|c|k2=de|f|g|"),
		Ends:    []int32{5, 5, 7, 9, 15, 15, 17, 19},
		Keys:    []int32{3, 5, SameKey, SameKey, 12, 15, 15, SameKey},
		KeyMemo: "k2",
	}
	if !b.Check() {
		t.Fatal("Check = false")
	}
	want := []struct {
		key, payload string
		same         bool
	}{
		{"k1=", "a|", false}, {"", "", false}, {"", "b|", true}, {"", "c|", true},
		{"k2=", "de|", false}, {"", "", false}, {"", "f|", false}, {"", "g|", true},
	}
	wantKey := []string{"k1=", "", "k1=", "k1=", "k2=", "", "", ""}
	for i, w := range want {
		k, p, same := b.Span(i)
		if string(k) != w.key || string(p) != w.payload || same != w.same {
			t.Errorf("Span(%d) = %q %q %v, want %q %q %v", i, k, p, same, w.key, w.payload, w.same)
		}
		if k, p := b.Event(i); string(k) != wantKey[i] || string(p) != w.payload {
			t.Errorf("Event(%d) = %q %q, want %q %q", i, k, p, wantKey[i], w.payload)
		}
	}
	b.Reset()
	if b.KeyMemo != nil {
		t.Errorf("Reset kept the key memo %v", b.KeyMemo)
	}
}
