// Command checkapp checks Splunk app packages (.tgz or .spl) against the
// AppInspect rules that apply to SA-Eventgen (see package appcheck):
//
//	checkapp PACKAGE.tgz ...
//
// It prints "PASS <rule>[: detail]" for every rule that holds and
// "FAIL <rule>: <detail>" for every problem found, then a line per package
// saying whether it passed. The exit status is 0 if every package passed,
// 1 if one failed and 2 on a usage error.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/eventgen-go/eventgen/src/internal/appcheck"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintln(stderr, "usage: checkapp PACKAGE.tgz ...")
		return 2
	}
	code := 0
	for _, p := range args {
		r := appcheck.CheckFile(p)
		if _, err := r.WriteTo(stdout); err != nil {
			fmt.Fprintf(stderr, "checkapp: writing the report: %v\n", err)
			return 1
		}
		if r.Failed() {
			code = 1
		}
	}
	return code
}
