// Command netpost is the ceiling of the delivery benchmark in
// scripts/bench.sh: it sends pre-rendered events, as fast as the receiver
// takes them, with nothing generated or encoded on the way.
//
//	netpost -url URL -in FILE -events N [-payload BYTES] [-conns C] [-token T] [-gzip]
//	netpost -tcp HOST:PORT -in FILE -events N
//
// FILE holds the events as the output sends them, one per line (a capture
// of netsink). With -url, the lines are cut once into bodies of at most
// -payload bytes (whole lines) and posted in turn on -conns connections
// until N events are sent (Authorization: Splunk T; with -gzip the bodies
// are compressed once, before the clock starts). With -tcp, the lines are
// written on one connection in 64 KiB writes, and the connection is then
// half-closed and held until the receiver closes its side, as tcpout and
// syslogout end theirs. It prints the events sent.
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
)

type body struct {
	data   []byte
	events int
}

func die(f string, a ...any) {
	fmt.Fprintf(os.Stderr, "netpost: "+f+"\n", a...)
	os.Exit(1)
}

func main() {
	url := flag.String("url", "", "POST to `URL`")
	tcpAddr := flag.String("tcp", "", "write to `HOST:PORT` over TCP")
	in := flag.String("in", "", "the events, one per line")
	events := flag.Int64("events", 0, "events to send")
	payload := flag.Int("payload", 1<<20, "largest body, in `bytes`")
	conns := flag.Int("conns", 1, "connections (requests in flight)")
	token := flag.String("token", "00000000-0000-0000-0000-000000000000", "Authorization: Splunk `TOKEN`")
	gz := flag.Bool("gzip", false, "gzip the bodies")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err != nil || len(data) == 0 || *events <= 0 {
		die("need -in with events and -events > 0 (%v)", err)
	}
	if *tcpAddr != "" {
		sendTCP(*tcpAddr, data, *events)
		return
	}
	var bodies []body
	for rest := data; len(rest) > 0; {
		n, k := 0, 0
		for n < len(rest) {
			i := bytes.IndexByte(rest[n:], '\n')
			if i < 0 {
				i = len(rest) - n - 1
			}
			if k > 0 && n+i+1 > *payload {
				break
			}
			n += i + 1
			k++
		}
		b := body{data: rest[:n], events: k}
		if *gz {
			var z bytes.Buffer
			w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
			w.Write(b.data)
			w.Close()
			b.data = z.Bytes()
		}
		bodies = append(bodies, b)
		rest = rest[n:]
	}
	tr := &http.Transport{MaxIdleConnsPerHost: *conns + 4, DisableCompression: true}
	client := &http.Client{Transport: tr}
	var sent, next atomic.Int64
	var wg sync.WaitGroup
	for range *conns {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				b := bodies[i%int64(len(bodies))]
				if sent.Add(int64(b.events))-int64(b.events) >= *events {
					sent.Add(-int64(b.events))
					return
				}
				req, _ := http.NewRequest(http.MethodPost, *url, bytes.NewReader(b.data))
				req.Header.Set("Authorization", "Splunk "+*token)
				if *gz {
					req.Header.Set("Content-Encoding", "gzip")
				}
				resp, err := client.Do(req)
				if err != nil {
					die("%v", err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					die("%s answered %s", *url, resp.Status)
				}
			}
		})
	}
	wg.Wait()
	fmt.Println(sent.Load())
}

func sendTCP(addr string, data []byte, events int64) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		die("%v", err)
	}
	lines := int64(bytes.Count(data, []byte{'\n'}))
	var sent int64
	for sent < events {
		rest := data
		if left := events - sent; left < lines {
			// the first left lines only
			n := 0
			for k := int64(0); k < left; k++ {
				n += bytes.IndexByte(rest[n:], '\n') + 1
			}
			rest = rest[:n]
			sent += left
		} else {
			sent += lines
		}
		for len(rest) > 0 {
			n := min(len(rest), 64<<10)
			if _, err := c.Write(rest[:n]); err != nil {
				die("%v", err)
			}
			rest = rest[n:]
		}
	}
	// As tcpout does (delivery.Stream.Close): half-close and wait for the
	// receiver to close its side, so the clock stops once every byte has
	// been read, not when the last one is queued in the socket buffers.
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		die("%v", err)
	}
	if _, err := io.Copy(io.Discard, c); err != nil {
		die("%v", err)
	}
	if err := c.Close(); err != nil {
		die("%v", err)
	}
	fmt.Println(sent)
}
