package settings

import (
	"strings"
	"testing"
)

// A HEC token can come from the environment (a Kubernetes Secret), and no
// error ever shows its value.
func TestParseHECServersEnv(t *testing.T) {
	const secret = "11111111-2222-3333-4444-555555555555"
	env := map[string]string{"HEC_TOKEN": secret, "HEC_HOST": "127.0.0.1", "EMPTY": " "}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tc := range []struct {
		name, text, wantKey, wantErr string
	}{
		{"dollar", `{"servers":[{"protocol":"http","address":"127.0.0.1","port":"8088","key":"$HEC_TOKEN"}]}`, secret, ""},
		{"braces", `{"servers":[{"protocol":"http","address":"${HEC_HOST}","port":8088,"key":"${HEC_TOKEN}"}]}`, secret, ""},
		{"literal", `{"servers":[{"protocol":"http","address":"h","port":"1","key":"abc$HEC_TOKEN"}]}`, "abc$HEC_TOKEN", ""},
		{"unset", `{"servers":[{"protocol":"http","address":"h","port":"1","key":"$NOPE"}]}`, "", `server 1: "key" refers to $NOPE, which is not set`},
		{"empty", `{"servers":[{"protocol":"http","address":"h","port":"1","key":"$EMPTY"}]}`, "", `$EMPTY, which is not set`},
		{"bad port keeps the token out", `{"servers":[{"protocol":"http","address":"h","port":"x","key":"$HEC_TOKEN"}]}`, "", `port "x"`},
		{"bad protocol keeps the token out", `{"servers":[{"protocol":"ftp","address":"h","port":"1","key":"$HEC_TOKEN"}]}`, "", `protocol "ftp"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHECServersEnv(tc.text, lookup)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("the error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[0].Key != tc.wantKey {
				t.Errorf("key %q, want %q", got[0].Key, tc.wantKey)
			}
		})
	}
}

func TestEnvRef(t *testing.T) {
	for in, want := range map[string]string{"$A": "A", "${A_1}": "A_1", "$": "", "${}": "", "$1A": "", "$A-B": "", "A": "", "${A": ""} {
		got, ok := envRef(in)
		if got != want || ok != (want != "") {
			t.Errorf("envRef(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
