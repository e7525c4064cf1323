package token

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestPSAForms(t *testing.T) {
	cases := []struct{ spec, re string }{
		{`src["ipv4"]`, `^10\.1\.\d+\.\d+$`},
		{`dest['ipv4']`, `^10\.100\.\d+\.\d+$`},
		{`dvc["ipv4"]`, `^172\.16\.([0-9]|[1-4][0-9]|50)\.\d+$`},
		{`host["ipv4"]`, `^172\.16\.(5[1-9]|[6-9][0-9]|100)\.\d+$`},
		{`src["ipv6"]`, `^fdee:1fe4:2b8c:3261(:[0-9a-f]{4}){4}$`},
		{`host["host"]`, `^host-sample_host\d+$`},
		{`dest["fqdn"]`, `^dest_sample_host\.sample_domain\d+\.com$`},
		{`Dvc["host", "fqdn"]`, `^(dvc-sample_host\d+|dvc_sample_host\.sample_domain\d+\.com)$`},
		{`user["name"]`, `^user\d+$`},
		{`user["email"]`, `^user\d+@email\.com$`},
		{`user["domain_user"]`, `^sample_domain\.com\\user\d+$`},
		{`user["distinquised_name"]`, `^CN=user\d+$`},
		{`email`, `^user\d+@email\.com$`},
		{`src_port`, `^(4\d{3}|5000)$`},
		{`dest_port`, `^(80|443|25|22|21)$`},
		{`url["ip_host", "path", "query"]`, `^192\.168\.\d+\.\d+/[\w./-]+\?[a-z]{2,5}=[a-z0-9]{2,5}(&[a-z]{2,5}=[a-z0-9]{2,5}){0,3}$`},
		{`url["fqdn_host", "protocol"]`, `^https?://[a-z]+-\d+\.[a-z]+\.[a-z]+$`},
		{`url["full"]`, `^https?://[^/?]+/[\w./-]+\?.+$`},
		{`url["path"]`, `^/[\w./-]+$`},
		{`url["query"]`, `^\?[a-z]`},
		{`url["protocol"]`, `^https?://www\.[a-z]+\.[a-z]+$`},
		{`list['a.exe', "b.exe"]`, `^(a|b)\.exe$`},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		r, err := ParseRandom(c.spec)
		if err != nil {
			t.Errorf("%s: %v", c.spec, err)
			continue
		}
		re := regexp.MustCompile(c.re)
		for i := 0; i < 200; i++ {
			if v := string(r.Append(nil, rng, 1)); !re.MatchString(v) {
				t.Errorf("%s gave %q, want %s", c.spec, v, c.re)
				break
			}
		}
	}
	for _, bad := range []string{`src["mac"]`, `user[]`, `url["everything"]`, `dest[ipv4]`} {
		if _, err := ParseRandom(bad); err == nil || !strings.Contains(err.Error(), bad[:3]) {
			t.Errorf("ParseRandom(%s): err = %v", bad, err)
		}
	}
}

func TestPyList(t *testing.T) {
	for in, want := range map[string]string{
		`["a","b"]`:         "a|b",
		`['a', 'b,c', 3]`:   "a|b,c|3",
		`[]`:                "",
		`["it\'s"]`:         "it's",
		`['x' 'y']`:         "!",
		`[bare]`:            "!",
		`["unterminated]`:   "!",
		`not a list`:        "!",
		` [ "sp" , 'ace' ]`: "sp|ace",
	} {
		got, ok := PyList(in)
		s := strings.Join(got, "|")
		if !ok {
			s = "!"
		}
		if s != want {
			t.Errorf("PyList(%s) = %q, want %q", in, s, want)
		}
	}
}

func FuzzPyList(f *testing.F) {
	for _, s := range []string{`["a","b"]`, `['a', 'b,c', 3]`, `[]`, `["it\'s"]`, `[bare]`, `["x"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		items, ok := PyList(s)
		if !ok && items != nil {
			t.Fatalf("PyList(%q) failed but returned %q", s, items)
		}
		if r, err := ParseRandom("src" + s); err == nil {
			r.Append(nil, rand.New(rand.NewPCG(1, 1)), 1)
		}
	})
}
