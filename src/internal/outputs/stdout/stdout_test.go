package stdout

import (
	"io"
	"os"
	"runtime"
	"testing"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// TestOpenModinputSplices: the modinput output writing the XML stream into
// a pipe hands its buffers over with vmsplice (Linux; output.Splice); the
// stdout output, the modinput output in another format, and
// EVENTGEN_VMSPLICE=0 write with write(2). The stream is the same.
func TestOpenModinputSplices(t *testing.T) {
	xml, _ := output.NewEncoder("modinput")
	raw, _ := output.NewEncoder("raw")
	for _, c := range []struct {
		name   string
		open   outputs.Opener
		enc    output.Encoder
		env    string
		allow  bool // outputs.Env.Splice
		splice bool
	}{
		{"modinput xml", OpenModinput, xml, "", true, runtime.GOOS == "linux"},
		{"modinput xml, not allowed (the command line)", OpenModinput, xml, "", false, false},
		{"modinput xml, EVENTGEN_VMSPLICE=0", OpenModinput, xml, "0", true, false},
		{"modinput raw", OpenModinput, raw, "", true, false},
		{"stdout xml", Open, xml, "", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv(output.SpliceEnv, c.env)
			}
			r, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			o, err := c.open(&config.Sample{Stanza: "s"}, outputs.Env{Stdout: pw, Format: c.enc, Splice: c.allow})
			if err != nil {
				t.Fatal(err)
			}
			dst, err := o.Open()
			if err != nil {
				t.Fatal(err)
			}
			w := output.NewWriter(dst, 0)
			if spliced := w.Dst() != io.Writer(pw); spliced != c.splice {
				t.Errorf("spliced %v, want %v", spliced, c.splice)
			}
			want := make([]byte, 0, 3*output.BufferSize)
			for i := range 3 {
				bb := w.Buffer()
				bb.Buf = bb.Buf[:output.BufferSize]
				b := bb.Buf
				for j := range b {
					b[j] = byte('a' + (i+j)%26)
				}
				want = append(want, b...)
				if err := w.Submit(bb); err != nil {
					t.Fatal(err)
				}
			}
			got := make(chan []byte)
			go func() { b, _ := io.ReadAll(r); got <- b }()
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			pw.Close()
			if b := <-got; string(b) != string(want) {
				t.Errorf("read %d bytes, differing from the %d written", len(b), len(want))
			}
		})
	}
}
