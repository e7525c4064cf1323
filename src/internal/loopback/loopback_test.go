package loopback

import "testing"

func TestHost(t *testing.T) {
	for _, tc := range []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost", true},
		{"localhost.", true},
		{"splunk.localhost", true},
		{"127.0.0.1", true},
		{"127.1.2.3", true},
		{"::1", true},
		{"[::1]", true},
		{"0:0:0:0:0:0:0:1", true},
		{"", false},
		{"10.0.0.1", false},
		{"::2", false},
		{"[fe80::1]", false},
		{"localhost.example.com", false},
		{"notlocalhost", false},
		{"splunk.example.com", false},
	} {
		if got := Host(tc.host); got != tc.want {
			t.Errorf("Host(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}

func FuzzHost(f *testing.F) {
	for _, s := range []string{"localhost", "[::1]", "127.0.0.1", "a.localhost.", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		// Brackets around a host never change the answer.
		if Host(host) != Host("["+host+"]") && host != "" {
			t.Errorf("Host(%q) != Host([%q])", host, host)
		}
	})
}
