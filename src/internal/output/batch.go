package output

// Batch is a chunk of encoded events on its way to a destination: what
// Writer.Buffer hands out and Submit takes. Buf holds the events back to
// back; that is all a byte-stream destination (a file, stdout, the spool)
// reads. For a destination that takes events one by one (a BatchWriter:
// the network outputs), the producer also records where each event ends,
// so the destination reads the events from the spans instead of decoding
// a framing of the bytes.
type Batch struct {
	// Buf is the encoded events, back to back.
	Buf []byte
	// Ends holds, for a BatchWriter, the end offset in Buf of each event:
	// event i spans Buf[Ends[i-1]:Ends[i]] (from 0 for the first). An
	// empty span is an event the encoder skipped (an empty _raw, a metric
	// event that is not valid JSON); the destination counts it as dropped.
	Ends []int32
	// Keys holds, for a KeyedEncoder's events, where each event's group
	// key (its metadata as a query string) ends inside its span: the key
	// is Buf[start:Keys[i]] and the payload Buf[Keys[i]:Ends[i]]. Empty
	// for other encoders. SameKey instead says that the event's key was
	// left out because it is the previous event's: the whole span is the
	// payload. A stanza's events mostly share their metadata, and copying
	// the key into every span, then comparing it to the previous one in
	// the destination, was a visible share of splunkstream's CPU.
	Keys []int32
	// KeyMemo is the KeyedEncoder's note of the last key it wrote into
	// Buf (see AppendKeyed), so that it can leave out an unchanged key.
	// It belongs to this chunk, not to the encoder (generation workers
	// share the encoder, each filling a chunk of its own), and Reset
	// clears it: a chunk is delivered on its own, so its first event
	// always carries its key.
	KeyMemo any
}

// SameKey, as an event's Keys entry, says that the event's key is the
// same as the previous event's in the Batch that is not skipped (which
// may itself be SameKey): its key was not written. Only within one Batch:
// the first event that is not skipped carries its key, and a skipped
// event (an empty span) is never SameKey.
const SameKey int32 = -1

// BatchWriter is a destination that takes events rather than bytes: the
// Writer calls WriteBatch instead of Write. b is the destination's until
// WriteBatch returns; it must not keep b or its slices after that.
type BatchWriter interface {
	WriteBatch(b *Batch) error
}

// BatchesWriter is a BatchWriter that can take several batches at once:
// the Writer hands it everything queued since its last write (in
// submission order, up to a Flush), so that a byte stream can send them
// with one system call (writev) and its receiver wakes once for them.
// WriteBatches must do what WriteBatch would do for each, in order.
type BatchesWriter interface {
	BatchWriter
	WriteBatches(bs []*Batch) error
}

// KeyedEncoder is an Encoder whose events carry a group key before their
// payload (the query string of the HEC raw endpoint and splunkstream,
// whose requests group events by metadata). AppendKeyed appends the key
// and then the payload, and returns the offset in out where the key ends.
// A skipped event appends nothing.
//
// memo, when not nil, is the chunk's KeyMemo: dst must be that chunk's
// bytes. The encoder may then leave the key out when it is the one it
// noted there last, returning int(SameKey) as keyEnd, and notes the key
// it writes; a skipped event leaves it unchanged. With a nil memo every
// event carries its key.
type KeyedEncoder interface {
	Encoder
	AppendKeyed(dst []byte, e *Event, memo *any) (out []byte, keyEnd int)
}

// Reset empties b, keeping its memory.
func (b *Batch) Reset() {
	b.Buf, b.Ends, b.Keys, b.KeyMemo = b.Buf[:0], b.Ends[:0], b.Keys[:0], nil
}

// Len is the number of events whose spans b records.
func (b *Batch) Len() int { return len(b.Ends) }

// Event returns event i's key (nil without Keys) and payload; both are
// empty for a skipped event. The key of a SameKey event is looked up
// backwards, which takes as long as the run of such events: a
// destination reads the events in order with Span instead.
func (b *Batch) Event(i int) (key, payload []byte) {
	key, payload, same := b.Span(i)
	for j := i - 1; same && j >= 0; j-- {
		var p []byte
		key, p, same = b.Span(j)
		if !same && len(key) == 0 && len(p) == 0 {
			same = true // skipped: carries no key; Check keeps j >= 0
		}
	}
	return key, payload
}

// Span returns event i's key (nil without Keys) and payload as written:
// for a SameKey event, same is true, key is nil and the key is that of
// the previous event that is not skipped, which a destination reading the
// events in order has at hand.
func (b *Batch) Span(i int) (key, payload []byte, same bool) {
	start := 0
	if i > 0 {
		start = int(b.Ends[i-1])
	}
	end := int(b.Ends[i])
	if len(b.Keys) > 0 {
		k := int(b.Keys[i])
		if k == int(SameKey) {
			return nil, b.Buf[start:end], true
		}
		return b.Buf[start:k], b.Buf[k:end], false
	}
	return nil, b.Buf[start:end], false
}

// Add encodes e at the end of b with enc and records its span (and its
// key's end, for a KeyedEncoder). The engine does the same inline; Add is
// for the producers that are not hot (tests, examples).
func (b *Batch) Add(enc Encoder, e *Event) {
	if k, ok := enc.(KeyedEncoder); ok {
		var key int
		b.Buf, key = k.AppendKeyed(b.Buf, e, &b.KeyMemo)
		b.Keys = append(b.Keys, int32(key))
	} else {
		b.Buf = enc.Append(b.Buf, e)
	}
	b.Ends = append(b.Ends, int32(len(b.Buf)))
}

// Check reports whether b's spans are consistent: one end per event, in
// order, the last at the end of Buf, and a key end inside each span or
// SameKey where a previous event carries a key (never for a skipped
// event). A destination that takes events checks it so that a producer
// that forgot to record the spans, or left out a key it must write, fails
// loudly instead of dropping the events or sending them with the wrong
// metadata.
func (b *Batch) Check() bool {
	if len(b.Keys) != 0 && len(b.Keys) != len(b.Ends) {
		return false
	}
	if len(b.Ends) == 0 {
		return len(b.Buf) == 0
	}
	prev := int32(0)
	keyed := false // an event before this one carries a key (or repeats one)
	for i, end := range b.Ends {
		if end < prev {
			return false
		}
		if len(b.Keys) > 0 {
			switch k := b.Keys[i]; {
			case k == SameKey:
				if !keyed || end == prev {
					return false
				}
			case k < prev || k > end:
				return false
			case end > prev:
				keyed = true
			}
		}
		prev = end
	}
	return int(prev) == len(b.Buf)
}
