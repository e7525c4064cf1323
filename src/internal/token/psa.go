package token

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The random forms of pytest-splunk-addon's sample generator
// (pytest_splunk_addon/sample_generation/rule.py and sample_event.py),
// which Splunk-built add-ons write in eventgen.conf (real-world-configs
// §13): src[...], dest[...], dvc[...], host[...], user[...], url[...],
// email, src_port and dest_port.
//
// pytest-splunk-addon numbers hosts, addresses and users with counters
// global to its run, so that each value its tests look for is unique.
// Here the numbers are drawn at random from the same patterns and ranges
// (with --seed, the same ones every run), so a Random stays immutable and
// events can still be rendered in parallel.
const kindPSA randomKind = 64

// psaForm is a parsed pytest-splunk-addon form.
type psaForm struct {
	rule  string   // src, dest, dvc, host, user, url, email, src_port, dest_port
	parts []string // the quoted list: "ipv4", "fqdn", "name", "path", ...
}

// psaRules are the address-like rules and what their list may hold.
var psaRules = map[string][]string{
	"src":  {"host", "ipv4", "ipv6", "fqdn"},
	"dest": {"host", "ipv4", "ipv6", "fqdn"},
	"dvc":  {"host", "ipv4", "ipv6", "fqdn"},
	"host": {"host", "ipv4", "ipv6", "fqdn"},
	"user": {"name", "email", "domain_user", "distinquised_name", "distinguished_name"},
	"url":  {"ip_host", "fqdn_host", "path", "query", "protocol", "full"},
}

// psaIPv6 are the IPv6 prefixes of sample_event.py's ip_rules; its IPv4
// ranges (src 10.1.x.x, dest 10.100.x.x, dvc 172.16.0-50.x, host
// 172.16.51-100.x) are in psaForm.append.
var psaIPv6 = map[string]string{
	"src": "fdee:1fe4:2b8c:3261", "dest": "fdee:1fe4:2b8c:3262",
	"dvc": "fdee:1fe4:2b8c:3263", "host": "fdee:1fe4:2b8c:3264",
}

// parsePSA recognises a pytest-splunk-addon form; ok is false when s is
// none (the caller then reports it as an unknown form).
func parsePSA(s string) (r *Random, ok bool, err error) {
	v := strings.TrimSpace(s)
	low := strings.ToLower(v)
	switch low {
	case "email", "src_port", "dest_port":
		return &Random{kind: kindPSA, psa: &psaForm{rule: low}}, true, nil
	}
	i := strings.IndexByte(v, '[')
	if i < 0 {
		return nil, false, nil
	}
	name := strings.ToLower(v[:i])
	allowed, known := psaRules[name]
	if !known {
		return nil, false, nil
	}
	parts, good := PyList(v[i:])
	if !good || len(parts) == 0 {
		return nil, true, fmt.Errorf("%q: write %s[%s] with one or more of those, quoted", s, name, quoteList(allowed))
	}
	for _, p := range parts {
		if !contains(allowed, p) {
			return nil, true, fmt.Errorf("%q: %q is not one of %s", s, p, quoteList(allowed))
		}
	}
	return &Random{kind: kindPSA, psa: &psaForm{rule: name, parts: parts}}, true, nil
}

func quoteList(l []string) string {
	q := make([]string, len(l))
	for i, s := range l {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// PyList reads a Python list literal of strings and numbers, as
// pytest-splunk-addon's eval of list[...] and src[...] did: items quoted
// with " or ', or bare numbers. It returns the items as text.
func PyList(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return nil, false
	}
	s = s[1 : len(s)-1]
	var out []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, true
		}
		var item string
		switch q := s[0]; q {
		case '"', '\'':
			var b strings.Builder
			i := 1
			for ; i < len(s) && s[i] != q; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, false
			}
			item, s = b.String(), s[i+1:]
		default:
			end := strings.IndexByte(s, ',')
			if end < 0 {
				end = len(s)
			}
			item = strings.TrimSpace(s[:end])
			if _, err := strconv.ParseFloat(item, 64); err != nil {
				return nil, false
			}
			s = s[end:]
		}
		out = append(out, item)
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, true
		}
		if s[0] != ',' {
			return nil, false
		}
		s = s[1:]
	}
}

// userNumbers bounds the N of user<N>, <rule>-sample_host<N> and the
// like: pytest-splunk-addon counts them up; here they are drawn below it.
const userNumbers = 1000

func (f *psaForm) append(dst []byte, rng *rand.Rand) []byte {
	switch f.rule {
	case "email":
		return appendUser(dst, "email", rng)
	case "src_port":
		return strconv.AppendInt(dst, 4000+rng.Int64N(1001), 10)
	case "dest_port":
		return strconv.AppendInt(dst, []int64{80, 443, 25, 22, 21}[rng.IntN(5)], 10)
	case "user":
		return appendUser(dst, f.parts[rng.IntN(len(f.parts))], rng)
	case "url":
		return f.appendURL(dst, rng)
	}
	// src, dest, dvc, host: one of the listed kinds at random.
	switch f.parts[rng.IntN(len(f.parts))] {
	case "host":
		dst = append(dst, f.rule...)
		dst = append(dst, "-sample_host"...)
		return strconv.AppendInt(dst, 1+rng.Int64N(userNumbers), 10)
	case "fqdn":
		dst = append(dst, f.rule...)
		dst = append(dst, "_sample_host.sample_domain"...)
		dst = strconv.AppendInt(dst, 1+rng.Int64N(userNumbers), 10)
		return append(dst, ".com"...)
	case "ipv6":
		dst = append(dst, psaIPv6[f.rule]...)
		x := rng.Uint64()
		for i := 3; i >= 0; i-- {
			w := x >> (16 * i) & 0xffff
			dst = append(dst, ':', hexLower[w>>12], hexLower[w>>8&15], hexLower[w>>4&15], hexLower[w&15])
		}
		return dst
	}
	var a, b uint32
	switch f.rule {
	case "src":
		a, b = 10<<24|1<<16, 1<<16
	case "dest":
		a, b = 10<<24|100<<16, 1<<16
	case "dvc":
		a, b = 172<<24|16<<16, 51<<8
	default: // host
		a, b = 172<<24|16<<16|51<<8, 50<<8
	}
	return appendIPv4(dst, a+rng.Uint32N(b))
}

// appendUser writes one of rule.py's user forms for a random user<N>.
func appendUser(dst []byte, form string, rng *rand.Rand) []byte {
	n := 1 + rng.Int64N(userNumbers)
	switch form {
	case "email":
		dst = strconv.AppendInt(append(dst, "user"...), n, 10)
		return append(dst, "@email.com"...)
	case "domain_user":
		return strconv.AppendInt(append(dst, `sample_domain.com\user`...), n, 10)
	case "distinquised_name", "distinguished_name":
		return strconv.AppendInt(append(dst, "CN=user"...), n, 10)
	}
	return strconv.AppendInt(append(dst, "user"...), n, 10)
}

// Word lists standing in for the Faker calls of UrlRule (hostname,
// url, uri_path, uri_page, uri_extension).
var (
	urlHostPrefix = []string{"web", "db", "srv", "mail", "email", "lt", "desktop", "laptop"}
	urlWords      = []string{"app", "blog", "category", "explore", "list", "main", "posts", "search", "tag", "tags", "wp-content", "index", "home", "about", "terms", "privacy", "login", "faq"}
	urlDomains    = []string{"smith", "johnson", "williams", "brown", "jones", "miller", "davis", "garcia", "wilson", "martin"}
	urlTLDs       = []string{"com", "net", "org", "biz", "info"}
	urlExtensions = []string{".html", ".htm", ".php", ".jsp", ".asp"}
)

func pick(l []string, rng *rand.Rand) string { return l[rng.IntN(len(l))] }

// appendURL follows UrlRule.replace: a host (an address in 192.168.x.x
// or a host name) with or without a protocol, then a path and a query
// when asked for; "path" or "query" alone give only that part.
func (f *psaForm) appendURL(dst []byte, rng *rand.Rand) []byte {
	has := func(names ...string) bool {
		for _, n := range names {
			if contains(f.parts, n) {
				return true
			}
		}
		return false
	}
	only := len(f.parts) == 1
	switch {
	case has("ip_host", "fqdn_host", "full"):
		if has("full", "protocol") {
			dst = append(dst, pick([]string{"http://", "https://"}, rng)...)
		}
		var hosts []func([]byte) []byte
		if has("full", "ip_host") {
			hosts = append(hosts, func(d []byte) []byte { return appendIPv4(d, 192<<24|168<<16+rng.Uint32N(1<<16)) })
		}
		if has("full", "fqdn_host") {
			hosts = append(hosts, func(d []byte) []byte {
				d = append(d, pick(urlHostPrefix, rng)...)
				d = strconv.AppendInt(append(d, '-'), rng.Int64N(100), 10)
				return append(append(append(append(d, '.'), pick(urlDomains, rng)...), '.'), pick(urlTLDs, rng)...)
			})
		}
		dst = hosts[rng.IntN(len(hosts))](dst)
	case only && (f.parts[0] == "path" || f.parts[0] == "query"):
	default: // Faker's url(): a protocol and a www host
		dst = append(dst, pick([]string{"http://", "https://"}, rng)...)
		dst = append(append(append(append(dst, "www."...), pick(urlDomains, rng)...), '.'), pick(urlTLDs, rng)...)
	}
	if has("full", "path") {
		dst = append(dst, '/')
		if rng.IntN(2) == 0 {
			for i, n := 0, 1+rng.IntN(3); i < n; i++ {
				if i > 0 {
					dst = append(dst, '/')
				}
				dst = append(dst, pick(urlWords, rng)...)
			}
		} else {
			dst = append(append(dst, pick(urlWords, rng)...), pick(urlExtensions, rng)...)
		}
	}
	if has("full", "query") {
		const letters = "abcdefghijklmnopqrstuvwxyz"
		const alnum = letters + "0123456789"
		dst = append(dst, '?')
		for i, n := 0, 1+rng.IntN(4); i < n; i++ {
			if i > 0 {
				dst = append(dst, '&')
			}
			for j, m := 0, 2+rng.IntN(4); j < m; j++ {
				dst = append(dst, letters[rng.IntN(len(letters))])
			}
			dst = append(dst, '=')
			for j, m := 0, 2+rng.IntN(4); j < m; j++ {
				dst = append(dst, alnum[rng.IntN(len(alnum))])
			}
		}
	}
	return dst
}
