package shard

import (
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		err  bool
	}{
		{"0/1", Shard{0, 1}, false},
		{"3/4", Shard{3, 4}, false},
		{" 2 / 16 ", Shard{2, 16}, false},
		{"4/4", Shard{}, true},
		{"-1/4", Shard{}, true},
		{"1/0", Shard{}, true},
		{"1", Shard{}, true},
		{"a/4", Shard{}, true},
		{"1/b", Shard{}, true},
		{"", Shard{}, true},
	} {
		got, err := Parse(tc.in)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("Parse(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(Env, "")
	if _, ok, err := FromEnv(); ok || err != nil {
		t.Fatalf("unset: ok=%v err=%v", ok, err)
	}
	t.Setenv(Env, "1/3")
	if s, ok, err := FromEnv(); !ok || err != nil || s != (Shard{1, 3}) {
		t.Fatalf("1/3: %v %v %v", s, ok, err)
	}
	t.Setenv(Env, "3/3")
	if _, ok, err := FromEnv(); !ok || err == nil {
		t.Fatalf("3/3: ok=%v err=%v", ok, err)
	}
}

func TestRangeAddsUp(t *testing.T) {
	for N := 1; N <= 17; N++ {
		for _, n := range []int{0, 1, 5, 16, 17, 100, 8191, 1 << 40} {
			next := 0
			for k := range N {
				from, to := Shard{k, N}.Range(n)
				if from != next || to < from || to-from > n/N+1 {
					t.Fatalf("n=%d %d/%d: [%d,%d) after %d", n, k, N, from, to, next)
				}
				next = to
			}
			if next != n {
				t.Fatalf("n=%d N=%d: shares end at %d", n, N, next)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "4/4", "x", "1/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := Parse(s)
		if err == nil && (sh.K < 0 || sh.K >= sh.N) {
			t.Fatalf("Parse(%q) = %v", s, sh)
		}
	})
}
