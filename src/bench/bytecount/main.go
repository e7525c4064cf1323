// Command bytecount is the pipe reader of scripts/bench.sh: it reads
// stdin to the end in 256 KiB reads and prints the number of bytes. It
// replaces `wc -c`, whose small reads made it the bottleneck of the
// pipe runs (docs/performance.md).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	buf := make([]byte, 256<<10)
	var n int64
	for {
		k, err := os.Stdin.Read(buf)
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bytecount:", err)
			os.Exit(1)
		}
	}
	fmt.Println(n)
}
