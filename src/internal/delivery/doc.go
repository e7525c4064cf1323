// Package delivery is the machinery the network outputs share, so that
// each output only knows its protocol:
//
//   - The engine hands both kinds of destination an output.Batch: the
//     encoded events back to back with each event's span (and, for the
//     outputs whose requests group events by metadata, where its query
//     string ends, or output.SameKey when the encoder left out a query
//     string unchanged from the previous event's in the batch). An empty
//     span is an event the encoder skipped.
//   - HTTP (http.go): a Sink, the destination of httpevent,
//     metric_httpevent and splunkstream, cuts the batches the engine
//     writes into requests, delivers them with retries (go-retryablehttp)
//     and fail-over between servers, waits for indexer acknowledgement,
//     applies the drop policy and counts (Stats). An output is a
//     Transport: it builds the request of a batch and classifies the
//     answer.
//   - Streams (stream.go): a Stream, the destination of syslogout, tcpout
//     and udpout, is one lazily dialed, reconnecting TCP connection or a
//     UDP socket; the output's encoder writes each event in its wire form
//     (AppendFramed), so the Stream writes a chunk over TCP as it is, in
//     one write, and sends each span as a datagram over UDP.
//   - One back-off policy (Backoff) for the HTTP retries, a failing
//     server's time out, and reconnections.
//
// The HTTP and stream parts are built without the "cloud" tag only: the
// Splunk Cloud build has no network output.
package delivery
