// Command refgen is reference (b) of scripts/bench.sh, the generation
// floor: a hand-written loop, with no configuration, that produces the
// exact line shape of scenario 2 (a web access log with five tokens):
//
//	203.0.113.7 - - [04/Mar/2024:13:40:02] "GET /cart.do?action=view HTTP/1.1" 200 1362
//
// As the engine does for that stanza, it runs -n events in intervals of
// -per events, each event stamped at a random microsecond of the
// interval's last second (earliest = -1s, latest = now); the timestamp
// is formatted once per second (cached), the IPv4 address comes from one
// PCG draw, the request from a fixed list, status 200..599 and bytes
// 100..100000. Each line is appended into one reused buffer and written
// through one 64 KiB bufio.Writer to stdout.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"time"
)

var requests = []string{
	"GET /cart.do?action=view",
	"POST /cart.do?action=purchase",
	"GET /product.screen?id=7",
	"GET /search?q=flowers",
}

func main() {
	n := flag.Int("n", 2_000_000, "events")
	per := flag.Int("per", 100_000, "events per interval (one simulated second each)")
	seed := flag.Uint64("seed", 1, "PCG seed")
	start := flag.String("now", "2024-03-04T00:00:00Z", "simulated start (RFC3339)")
	flag.Parse()
	now, err := time.Parse(time.RFC3339, *start)
	if err != nil || *per <= 0 {
		fmt.Fprintln(os.Stderr, "refgen: bad -now or -per")
		os.Exit(2)
	}
	rng := rand.New(rand.NewPCG(*seed, 0x5eed))
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	buf := make([]byte, 0, 256)
	var ts []byte // cached "dd/Mon/YYYY:HH:MM:SS"
	cached := int64(-1 << 62)
	for done := 0; done < *n; {
		earliest := now.Add(-time.Second)
		for i := 0; i < *per && done < *n; i, done = i+1, done+1 {
			t := earliest.Add(time.Duration(rng.Int64N(1_000_001)) * time.Microsecond)
			if sec := t.Unix(); sec != cached {
				cached = sec
				ts = t.UTC().AppendFormat(ts[:0], "02/Jan/2006:15:04:05")
			}
			x := rng.Uint32()
			buf = strconv.AppendUint(buf[:0], uint64(x>>24), 10)
			buf = append(buf, '.')
			buf = strconv.AppendUint(buf, uint64(x>>16&0xff), 10)
			buf = append(buf, '.')
			buf = strconv.AppendUint(buf, uint64(x>>8&0xff), 10)
			buf = append(buf, '.')
			buf = strconv.AppendUint(buf, uint64(x&0xff), 10)
			buf = append(buf, " - - ["...)
			buf = append(buf, ts...)
			buf = append(buf, "] \""...)
			buf = append(buf, requests[rng.IntN(len(requests))]...)
			buf = append(buf, " HTTP/1.1\" "...)
			buf = strconv.AppendInt(buf, 200+rng.Int64N(400), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, 100+rng.Int64N(99_901), 10)
			buf = append(buf, '\n')
			w.Write(buf)
		}
		now = now.Add(time.Second)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "refgen:", err)
		os.Exit(1)
	}
}
