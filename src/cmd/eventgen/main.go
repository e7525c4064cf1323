// Command eventgen generates synthetic events from eventgen.conf files
// and sample files, as Splunk Eventgen does, outside Splunk.
//
//	eventgen generate [flags] [APP_DIR | eventgen.conf ...]
//	eventgen validate [flags] [APP_DIR | eventgen.conf ...]
//
// With no path, the bundled demo (samples/eventgen.conf) is used.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // timezone names work on Windows and minimal systems

	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all" // registers the outputs this build has
)

// version is stamped by package.sh with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &stdio{out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// stdio is all the process I/O the commands use, so tests run them
// in-process with buffers.
type stdio struct {
	out io.Writer
	err io.Writer
}
