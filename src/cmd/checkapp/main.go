// Command checkapp checks Splunk app packages (.tgz or .spl) against the
// AppInspect rules that apply to SA-Eventgen (see package appcheck):
//
//	checkapp PACKAGE.tgz ...
//	checkapp conf-value FILE STANZA KEY
//
// It prints "PASS <rule>[: detail]" for every rule that holds and
// "FAIL <rule>: <detail>" for every problem found, then a line per package
// saying whether it passed. The exit status is 0 if every package passed,
// 1 if one failed and 2 on a usage error.
//
// conf-value prints the value of KEY in [STANZA] of a .conf file, read
// with the project's one conf reader (package.sh reads app.conf with it);
// it exits 1 when the file does not parse or has no such key.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/eventgen-go/eventgen/src/internal/appcheck"
	"github.com/eventgen-go/eventgen/src/internal/conf"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintln(stderr, "usage: checkapp PACKAGE.tgz ...")
		return 2
	}
	if args[0] == "conf-value" {
		return confValue(args[1:], stdout, stderr)
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

func confValue(args []string, stdout, stderr io.Writer) int {
	if len(args) != 3 {
		fmt.Fprintln(stderr, "usage: checkapp conf-value FILE STANZA KEY")
		return 2
	}
	f, err := conf.ReadFile(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "checkapp: %v\n", err)
		return 1
	}
	v, ok := f.Stanza(args[1]).Get(args[2])
	if !ok {
		fmt.Fprintf(stderr, "checkapp: %s has no %s in [%s]\n", args[0], args[2], args[1])
		return 1
	}
	fmt.Fprintln(stdout, v.Text)
	return 0
}
