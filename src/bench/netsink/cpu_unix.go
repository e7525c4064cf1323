//go:build unix

package main

import "syscall"

// cpuTime returns the user and system CPU time this process has used, in
// microseconds: the receiver's share of the machine in the suite's CPU
// accounting (scripts/bench-net.sh).
func cpuTime() (user, sys int64, ok bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0, false
	}
	return ru.Utime.Sec*1e6 + int64(ru.Utime.Usec), ru.Stime.Sec*1e6 + int64(ru.Stime.Usec), true
}
