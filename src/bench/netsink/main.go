// Command netsink is the receiver of the delivery benchmark in
// scripts/bench.sh: a Splunk HTTP Event Collector that counts events, a
// splunkd (src/internal/splunktest, whose receivers/simple counts them),
// a TCP sink and a UDP sink, all on 127.0.0.1, and a control endpoint that
// reports the counts.
//
//	netsink -addrs FILE [-token T] [-rate BYTES_PER_S] [-capture DIR]
//
// It writes "hec HOST:PORT", "splunkd ...", "tcp ...", "udp ...", "ctl ..."
// lines to FILE once listening, and serves until killed.
//
// The HEC side answers as Splunk does (splunk-platform.md §3.4): 401 code 2
// without a token, 401 code 3 with a wrong one, 400 code 5 for an empty
// body, 200 {"text":"Success","code":0}; it decodes Content-Encoding: gzip.
// An event is a line: the outputs end every envelope (event endpoint) and
// every raw event with "\n"; on the event endpoint each envelope is
// checked to be valid JSON (400 code 6 with invalid-event-number if not),
// the least work Splunk does per event. -rate limits how fast request bodies are read
// (bytes on the wire, so compressed bytes with gzip): a slow link.
//
// GET ctl/count answers one line per sink, "NAME EVENTS BYTES REQUESTS",
// and "cpu USER_US SYS_US", the CPU time netsink has used (Unix only);
// GET ctl/capture?name=X writes the next 8 MB of decoded data any sink
// receives (whole lines) to DIR/X, for the ceiling poster (netpost).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/splunktest"
)

type counter struct{ events, bytes, requests atomic.Int64 }

var (
	hec, tcp, udp counter
	captureDir    string

	capMu   sync.Mutex
	capFile *os.File
	capLeft int
)

const captureBytes = 8 << 20

// capture writes whole lines of p to the armed capture file, if any.
func capture(p []byte) {
	capMu.Lock()
	defer capMu.Unlock()
	if capFile == nil {
		return
	}
	if len(p) > capLeft {
		p = p[:capLeft]
		if i := bytes.LastIndexByte(p, '\n'); i >= 0 {
			p = p[:i+1]
		} else {
			p = nil
		}
		capLeft = 0
	} else {
		capLeft -= len(p)
	}
	capFile.Write(p)
	if capLeft == 0 || len(p) == 0 {
		capFile.Close()
		capFile = nil
	}
}

// slowReader reads at most rate bytes per second.
type slowReader struct {
	r     io.Reader
	rate  int64
	start time.Time
	n     int64
}

func (s *slowReader) Read(p []byte) (int, error) {
	if len(p) > 16<<10 {
		p = p[:16<<10]
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if due := s.start.Add(time.Duration(s.n * int64(time.Second) / s.rate)); time.Until(due) > 0 {
		time.Sleep(time.Until(due))
	}
	return n, err
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func reply(w http.ResponseWriter, status, code int, text string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"text":%q,"code":%d}`, text, code)
}

func hecHandler(token string, rate int64) http.HandlerFunc {
	gzPool := sync.Pool{}
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/health"):
			reply(w, 200, 17, "HEC is healthy")
			return
		case !strings.HasPrefix(r.URL.Path, "/services/collector"):
			http.NotFound(w, r)
			return
		}
		auth := r.Header.Get("Authorization")
		if auth == "" {
			reply(w, 401, 2, "Token is required")
			return
		}
		if auth != "Splunk "+token {
			reply(w, 401, 3, "Invalid authorization")
			return
		}
		if strings.HasSuffix(r.URL.Path, "/ack") {
			// Everything is indexed at once.
			var q struct{ Acks []int64 }
			body, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(body, &q)
			var b strings.Builder
			b.WriteString(`{"acks":{`)
			for i, id := range q.Acks {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `"%d":true`, id)
			}
			b.WriteString("}}")
			w.Write([]byte(b.String()))
			return
		}
		var in io.Reader = r.Body
		if rate > 0 {
			in = &slowReader{r: in, rate: rate, start: time.Now()}
		}
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, _ := gzPool.Get().(*gzip.Reader)
			var err error
			if zr == nil {
				zr, err = gzip.NewReader(in)
			} else {
				err = zr.Reset(in)
			}
			if err != nil {
				reply(w, 400, 6, "Invalid data format")
				return
			}
			defer gzPool.Put(zr)
			in = zr
		}
		buf := bufPool.Get().(*bytes.Buffer)
		defer bufPool.Put(buf)
		buf.Reset()
		if _, err := buf.ReadFrom(in); err != nil {
			reply(w, 400, 6, "Invalid data format")
			return
		}
		p := buf.Bytes()
		if len(p) == 0 {
			reply(w, 400, 5, "No data")
			return
		}
		var n int
		if strings.HasSuffix(r.URL.Path, "/raw") {
			n = bytes.Count(p, []byte{'\n'})
			if p[len(p)-1] != '\n' {
				n++
			}
		} else {
			// As Splunk does, every envelope is parsed before the request is
			// answered: here each line is checked to be valid JSON (Splunk
			// then indexes it; the sink only counts). Without this check the
			// sink costs almost nothing and the ceiling is memory speed.
			for rest := p; len(rest) > 0; n++ {
				line := rest
				if i := bytes.IndexByte(rest, '\n'); i >= 0 {
					line, rest = rest[:i], rest[i+1:]
				} else {
					rest = nil
				}
				if !json.Valid(line) {
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(400)
					fmt.Fprintf(w, `{"text":"Invalid data format","code":6,"invalid-event-number":%d}`, n)
					return
				}
			}
		}
		hec.events.Add(int64(n))
		hec.bytes.Add(int64(len(p)))
		hec.requests.Add(1)
		capture(p)
		reply(w, 200, 0, "Success")
	}
}

func serveTCP(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			buf := make([]byte, 256<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					tcp.events.Add(int64(bytes.Count(buf[:n], []byte{'\n'})))
					tcp.bytes.Add(int64(n))
					tcp.requests.Add(1)
					capture(buf[:n])
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

func serveUDP(c *net.UDPConn) {
	c.SetReadBuffer(8 << 20)
	buf := make([]byte, 64<<10)
	for {
		n, _, err := c.ReadFromUDP(buf)
		if err != nil {
			return
		}
		udp.events.Add(1)
		udp.bytes.Add(int64(n))
		udp.requests.Add(1)
	}
}

func main() {
	addrs := flag.String("addrs", "", "write the listening addresses to `FILE`")
	token := flag.String("token", "00000000-0000-0000-0000-000000000000", "the HEC token")
	rate := flag.Int64("rate", 0, "read HEC request bodies at most this many `bytes` per second (0: as fast as possible)")
	flag.StringVar(&captureDir, "capture", "", "`DIR` for captures")
	flag.Parse()
	if *addrs == "" {
		fmt.Fprintln(os.Stderr, "netsink: -addrs is required")
		os.Exit(2)
	}
	listen := func() net.Listener {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "netsink:", err)
			os.Exit(1)
		}
		return l
	}
	hl, sl, tl, cl := listen(), listen(), listen(), listen()
	uc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "netsink:", err)
		os.Exit(1)
	}
	go http.Serve(hl, hecHandler(*token, *rate))
	sd := splunktest.New(splunktest.Options{SessionKey: "bench-session-key"})
	go http.Serve(sl, sd.Handler())
	go serveTCP(tl)
	go serveUDP(uc)
	ctl := http.NewServeMux()
	ctl.HandleFunc("/count", func(w http.ResponseWriter, _ *http.Request) {
		se, sb, sr := sd.Received()
		fmt.Fprintf(w, "hec %d %d %d\n", hec.events.Load(), hec.bytes.Load(), hec.requests.Load())
		fmt.Fprintf(w, "splunkd %d %d %d\n", se, sb, sr)
		fmt.Fprintf(w, "tcp %d %d %d\n", tcp.events.Load(), tcp.bytes.Load(), tcp.requests.Load())
		fmt.Fprintf(w, "udp %d %d %d\n", udp.events.Load(), udp.bytes.Load(), udp.requests.Load())
		if u, s, ok := cpuTime(); ok {
			fmt.Fprintf(w, "cpu %d %d\n", u, s)
		}
	})
	ctl.HandleFunc("/capture", func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Base(r.URL.Query().Get("name"))
		if captureDir == "" || name == "." || name == "/" {
			http.Error(w, "no capture dir or name", 400)
			return
		}
		f, err := os.Create(filepath.Join(captureDir, name))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		capMu.Lock()
		if capFile != nil {
			capFile.Close()
		}
		capFile, capLeft = f, captureBytes
		capMu.Unlock()
	})
	go http.Serve(cl, ctl)
	var b bytes.Buffer
	fmt.Fprintf(&b, "hec %s\nsplunkd %s\ntcp %s\nudp %s\nctl %s\n", hl.Addr(), sl.Addr(), tl.Addr(), uc.LocalAddr(), cl.Addr())
	tmp := *addrs + ".tmp"
	if err := os.WriteFile(tmp, b.Bytes(), 0o644); err != nil || os.Rename(tmp, *addrs) != nil {
		fmt.Fprintln(os.Stderr, "netsink: cannot write", *addrs)
		os.Exit(1)
	}
	select {}
}
