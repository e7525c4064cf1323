//go:build linux

package output

import (
	"os"

	"golang.org/x/sys/unix"
)

// pipeBytes is the capacity growPipe asks for: the default
// /proc/sys/fs/pipe-max-size, what an unprivileged process may set.
const pipeBytes = 1 << 20

// growPipe enlarges the pipe behind dst, when dst is one, to pipeBytes,
// or to the largest power of two below that the kernel accepts. Linux
// pipes hold 64 KiB by default: exactly one of our chunks, so every
// write blocked until the reader (a shell pipeline, or splunkd reading a
// modular input's stdout) had drained the previous one, and each chunk
// cost the writer goroutine and the reader a sleep and a wake-up
// (~4,800 context switches for scenario 2's 175 MB). With 1 MiB both
// sides run for 16 chunks between waits. Best effort: a pipe the kernel
// will not enlarge (pipe-max-size, the user's pipe-user-pages limits)
// keeps its size, and anything but a pipe is left alone.
func growPipe(dst any) {
	f, ok := dst.(*os.File)
	if !ok {
		return
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		cur, err := unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0)
		if err != nil {
			return
		}
		for size := pipeBytes; size > cur; size /= 2 {
			if _, err := unix.FcntlInt(fd, unix.F_SETPIPE_SZ, size); err == nil {
				return
			}
		}
	})
}
