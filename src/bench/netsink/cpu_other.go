//go:build !unix

package main

// cpuTime is not measured here: the suite runs on Linux.
func cpuTime() (user, sys int64, ok bool) { return 0, 0, false }
