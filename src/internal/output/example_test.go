package output_test

import (
	"fmt"
	"os"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/output"
)

// A modular input writes one XML stream to stdout: the command passes
// stdout in, producers encode events into pooled buffers, and the one
// Writer writes them in order.
func Example() {
	enc, err := output.NewEncoder("modinput")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	w := output.NewWriter(output.NopCloser(os.Stdout), 0)

	e := output.Event{
		Time:       time.Unix(1709622489, 123_000_000),
		Raw:        []byte(`GET /cart.do?action=view&itemId=EST-6 HTTP/1.1" 200`),
		Index:      "main",
		Host:       "web<01>",
		Sourcetype: "access_combined",
		Stanza:     "eventgen://access",
	}
	b := w.Buffer()
	b.Buf = enc.Begin(b.Buf)
	b.Buf = enc.Append(b.Buf, &e)
	if err := w.Submit(b); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	// On exit: close the stream, then the writer.
	b = w.Buffer()
	b.Buf = enc.End(b.Buf)
	w.Submit(b)
	if err := w.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	// Output:
	// <stream>
	// <event stanza="eventgen://access"><time>1709622489.123</time><index>main</index><host>web&lt;01&gt;</host><sourcetype>access_combined</sourcetype><data>GET /cart.do?action=view&amp;itemId=EST-6 HTTP/1.1" 200</data></event>
	// </stream>
}
