// Command refwrite is reference (a) of scripts/bench.sh, the write
// ceiling: it reads a file of pre-formatted lines once, then writes them
// to stdout, line by line and cycling, through one 64 KiB bufio.Writer
// until -n lines have been written. Nothing is generated; what it
// measures is the cost of moving the bytes.
//
//	refwrite -in lines.txt -n 5000000 > /dev/null
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("in", "", "file of pre-formatted lines (required)")
	n := flag.Int("n", 1_000_000, "lines to write")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err != nil || len(data) == 0 {
		fmt.Fprintln(os.Stderr, "refwrite: -in: need a non-empty file:", err)
		os.Exit(2)
	}
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			lines = append(lines, append(data, '\n'))
			break
		}
		lines = append(lines, data[:i+1])
		data = data[i+1:]
	}
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	for i := 0; i < *n; i++ {
		w.Write(lines[i%len(lines)])
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "refwrite:", err)
		os.Exit(1)
	}
}
