// Command modinput_eventgen is SA-Eventgen's modular input: splunkd runs
// it with --scheme (introspection), --validate-arguments (when an admin
// saves the input), or with no argument and the input's configuration on
// stdin. In run mode it reads the merged eventgen.conf of every app from
// splunkd's REST API (or from disk when REST is unreachable), generates
// every stanza, and streams the events of modinput stanzas to stdout as
// splunkd's XML stream through one writer. Messages go to stderr, where
// splunkd files them in splunkd.log (index=_internal,
// component=ExecProcessor).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // timezone names on Windows and minimal systems

	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all" // registers the outputs this build has
)

// version is stamped by package.sh with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// A broken stdout pipe (splunkd gone) must surface as a write error
	// so the run can stop cleanly, instead of killing the process.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &proc{in: os.Stdin, out: os.Stdout, err: os.Stderr, env: os.Getenv, exe: os.Executable})
	stop()
	os.Exit(code)
}

// proc is the process I/O the command uses, so tests run it in-process.
type proc struct {
	in  io.Reader
	out io.Writer
	err io.Writer
	env func(string) string
	exe func() (string, error)
}
