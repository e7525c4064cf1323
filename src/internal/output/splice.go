package output

// SpliceEnv is the environment variable that turns vmsplice(2) off:
// EVENTGEN_VMSPLICE=0 makes Splice return its argument unchanged, so that
// every buffer is written with write(2).
const SpliceEnv = "EVENTGEN_VMSPLICE"

// IsXMLStream reports whether enc is the modular input's XML stream
// encoder (NewEncoder("modinput")): the stream splunkd reads.
func IsXMLStream(enc Encoder) bool {
	_, ok := enc.(*modinputEncoder)
	return ok
}

// keeper is implemented by destinations that keep a buffer's memory after
// writing it (Splice's vmsplice(2) hands the pages themselves to a pipe).
// WriteKeep writes b.Buf like Write, or holds it back until the next
// WriteKeep, Idle or Flush, and takes b over: the Writer must not reuse
// b until the destination calls release(b), which it does, from
// within this or a later call (always on the writer goroutine), once the
// bytes have left its hands. A buffer never released stays referenced by
// the destination, so the garbage collector cannot reuse it either. The
// Writer calls Idle when nothing more is queued, as for an idler.
type keeper interface {
	WriteKeep(b *Batch, release func(*Batch)) (int, error)
	idler
}
