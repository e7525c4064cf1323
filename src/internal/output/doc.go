// Package output is the end of the event path: it turns generated events
// into bytes and writes them, in order, to their destinations.
//
// The path has three parts, each a small piece that can be used alone:
//
//   - An [Encoder] appends the wire form of events to a caller-owned
//     buffer: "raw" (one line per event), "jsonl" (one JSON object per
//     line) or "modinput" (splunkd's XML streaming format for modular
//     inputs, splunk-platform.md §1.7). Encoders are safe for concurrent
//     use and do not allocate per event (modinput caches the escaped
//     metadata of the stanzas it sees).
//   - A [Writer] owns one destination and one goroutine. Producers fill
//     batches obtained from [Writer.Buffer] and hand them over with
//     [Writer.Submit]; the goroutine writes each batch's bytes with a
//     single Write call (or hands the [Batch], with its events' spans, to a
//     [BatchWriter]: the network outputs), in submission order, so many stanzas can share a destination
//     without interleaving partial events and without a syscall per event.
//     Submit blocks while too many bytes are queued (backpressure), and the
//     first write error is sticky. Written buffers go back to the Writer's
//     bounded free list, so its memory is the queue's worth plus the
//     buffers being filled, however long it runs.
//   - Sinks are the destinations, each output's own (src/internal/outputs/<mode>:
//     file.NewFile, a size-rotated file; spool.NewSpool, Splunk's
//     batch/spool directory, written atomically; the network outputs'), and
//     [NopCloser] for a process stream such as stdout, which library code
//     never opens itself: the caller passes it in.
//
// A [Set] shares one Writer per destination key, so stanzas that write to
// the same place are serialized through the same goroutine.
//
// Differences from Eventgen 7.2.1 (eventgen-inventory.md §3.3, §6):
// modinput escapes every field, not only the event data (bug 38), and the
// spool output renames complete files into the spool directory instead of
// appending to a file Splunk may already be reading (bug 40).
package output
