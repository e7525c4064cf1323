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
	// for other encoders.
	Keys []int32
}

// BatchWriter is a destination that takes events rather than bytes: the
// Writer calls WriteBatch instead of Write. b is the destination's until
// WriteBatch returns; it must not keep b or its slices after that.
type BatchWriter interface {
	WriteBatch(b *Batch) error
}

// KeyedEncoder is an Encoder whose events carry a group key before their
// payload (the query string of the HEC raw endpoint and splunkstream,
// whose requests group events by metadata). AppendKeyed appends the key
// and then the payload, and returns the offset in out where the key ends.
// A skipped event appends nothing.
type KeyedEncoder interface {
	Encoder
	AppendKeyed(dst []byte, e *Event) (out []byte, keyEnd int)
}

// Reset empties b, keeping its memory.
func (b *Batch) Reset() {
	b.Buf, b.Ends, b.Keys = b.Buf[:0], b.Ends[:0], b.Keys[:0]
}

// Len is the number of events whose spans b records.
func (b *Batch) Len() int { return len(b.Ends) }

// Event returns event i's key (nil without Keys) and payload; both are
// empty for a skipped event.
func (b *Batch) Event(i int) (key, payload []byte) {
	start := 0
	if i > 0 {
		start = int(b.Ends[i-1])
	}
	end := int(b.Ends[i])
	if len(b.Keys) > 0 {
		k := int(b.Keys[i])
		return b.Buf[start:k], b.Buf[k:end]
	}
	return nil, b.Buf[start:end]
}

// Add encodes e at the end of b with enc and records its span (and its
// key's end, for a KeyedEncoder). The engine does the same inline; Add is
// for the producers that are not hot (tests, examples).
func (b *Batch) Add(enc Encoder, e *Event) {
	if k, ok := enc.(KeyedEncoder); ok {
		var key int
		b.Buf, key = k.AppendKeyed(b.Buf, e)
		b.Keys = append(b.Keys, int32(key))
	} else {
		b.Buf = enc.Append(b.Buf, e)
	}
	b.Ends = append(b.Ends, int32(len(b.Buf)))
}

// Check reports whether b's spans are consistent: one end per event, in
// order, the last at the end of Buf, and a key end inside each span. A
// destination that takes events checks it so that a producer that forgot
// to record the spans fails loudly instead of dropping the events.
func (b *Batch) Check() bool {
	if len(b.Keys) != 0 && len(b.Keys) != len(b.Ends) {
		return false
	}
	if len(b.Ends) == 0 {
		return len(b.Buf) == 0
	}
	prev := int32(0)
	for i, end := range b.Ends {
		if end < prev {
			return false
		}
		if len(b.Keys) > 0 && (b.Keys[i] < prev || b.Keys[i] > end) {
			return false
		}
		prev = end
	}
	return int(prev) == len(b.Buf)
}
