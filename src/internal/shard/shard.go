// Package shard is instance K of N: which share of every stanza's events
// one eventgen process generates when N of them run the same
// configuration (eventgen generate --shard K/N, EVENTGEN_SHARD=K/N, the
// modular input's shard argument). K counts from 0 to N-1, as Kubernetes
// numbers an Indexed Job's completion indexes and a StatefulSet's pods.
package shard

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Env is the environment variable FromEnv reads.
const Env = "EVENTGEN_SHARD"

// Shard is instance K of N. The zero value, like 0/1, is the whole.
type Shard struct{ K, N int }

// Parse reads "K/N": 0 <= K < N.
func Parse(s string) (Shard, error) {
	ks, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want K/N, instance K of N counted from 0 (e.g. 0/4)", s)
	}
	k, err := strconv.Atoi(strings.TrimSpace(ks))
	if err != nil {
		return Shard{}, fmt.Errorf("shard %q: K is not a whole number", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if err != nil {
		return Shard{}, fmt.Errorf("shard %q: N is not a whole number", s)
	}
	if n < 1 {
		return Shard{}, fmt.Errorf("shard %q: N must be at least 1", s)
	}
	if k < 0 || k >= n {
		return Shard{}, fmt.Errorf("shard %q: K must be from 0 to %d (instances are counted from 0)", s, n-1)
	}
	return Shard{K: k, N: n}, nil
}

// FromEnv reads EVENTGEN_SHARD; ok is false when it is unset or empty.
func FromEnv() (s Shard, ok bool, err error) {
	v := os.Getenv(Env)
	if strings.TrimSpace(v) == "" {
		return Shard{}, false, nil
	}
	s, err = Parse(v)
	if err != nil {
		return Shard{}, true, fmt.Errorf("%s: %w", Env, err)
	}
	return s, true, nil
}

// Whole reports whether s is all of the events (0/1 or the zero value).
func (s Shard) Whole() bool { return s.N <= 1 }

// String is "K/N".
func (s Shard) String() string {
	if s.N == 0 {
		return "0/1"
	}
	return strconv.Itoa(s.K) + "/" + strconv.Itoa(s.N)
}

// Range is the share of s in n items numbered 0..n-1: the contiguous
// items [from, to). The N shares of n add up to n exactly and differ by
// at most one item.
func (s Shard) Range(n int) (from, to int) {
	if s.N <= 1 || n <= 0 {
		return 0, max(n, 0)
	}
	return share(n, s.K, s.N), share(n, s.K+1, s.N)
}

// Owns reports whether item i is s's, for items dealt one by one
// (replay: event i of a pass goes to shard i mod N).
func (s Shard) Owns(i int) bool { return s.N <= 1 || i%s.N == s.K }

// share is ⌊n·k/N⌋ without overflowing for large n.
func share(n, k, N int) int {
	return n/N*k + n%N*k/N
}
