package settings

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// HECServer is one entry of httpeventServers.
type HECServer struct {
	Protocol string // http or https
	Address  string // host name or IP address, without brackets
	Port     int
	Key      string // the HEC token
}

const hecServersShape = `{"servers":[{"protocol":"https","address":"splunk.example.com","port":"8088","key":"<HEC token>"}]}`

// ParseHECServers reads httpeventServers (Eventgen's JSON shape; port may
// be a string or a number). A value that is a whole environment variable
// reference, "$NAME" or "${NAME}", is that variable's value: a container
// or a Kubernetes pod passes the HEC token from a Secret that way, and the
// conf file (a ConfigMap) never holds it. Errors name the variable, never
// its value.
func ParseHECServers(text string) ([]HECServer, error) {
	return ParseHECServersEnv(text, os.LookupEnv)
}

// ParseHECServersEnv is ParseHECServers with the environment read
// through lookup.
func ParseHECServersEnv(text string, lookup func(string) (string, bool)) ([]HECServer, error) {
	if strings.TrimSpace(text) == "" {
		return nil, fmt.Errorf("not set: it lists the HEC servers as JSON, e.g. %s", hecServersShape)
	}
	var v struct {
		Servers []map[string]any `json:"servers"`
	}
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return nil, fmt.Errorf("not valid JSON (%v): want e.g. %s", err, hecServersShape)
	}
	if len(v.Servers) == 0 {
		return nil, fmt.Errorf("lists no servers: want e.g. %s", hecServersShape)
	}
	var out []HECServer
	for i, m := range v.Servers {
		var unset []string
		get := func(k string) string {
			switch x := m[k].(type) {
			case string:
				x = strings.TrimSpace(x)
				if name, ok := envRef(x); ok {
					v, set := lookup(name)
					if !set || strings.TrimSpace(v) == "" {
						unset = append(unset, fmt.Sprintf("%q refers to $%s, which is not set", k, name))
						return x
					}
					return strings.TrimSpace(v)
				}
				return x
			case float64:
				return strconv.FormatFloat(x, 'f', -1, 64)
			}
			return ""
		}
		var missing []string
		for _, k := range []string{"protocol", "address", "port", "key"} {
			if get(k) == "" {
				missing = append(missing, `"`+k+`"`)
			}
		}
		if len(unset) > 0 {
			return nil, fmt.Errorf("server %d: %s", i+1, strings.Join(slices.Compact(unset), "; "))
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("server %d has no %s (each server needs protocol, address, port and key)", i+1, strings.Join(missing, ", "))
		}
		proto := strings.ToLower(get("protocol"))
		if proto != "http" && proto != "https" {
			return nil, fmt.Errorf("server %d: protocol %q: want http or https", i+1, get("protocol"))
		}
		port, err := strconv.Atoi(get("port"))
		if err != nil || port <= 0 || port > 65535 {
			return nil, fmt.Errorf("server %d: port %q is not a port number", i+1, get("port"))
		}
		out = append(out, HECServer{Protocol: proto, Address: strings.Trim(get("address"), "[]"), Port: port, Key: get("key")})
	}
	return out, nil
}

// envRef reports whether s is "$NAME" or "${NAME}" and returns NAME.
func envRef(s string) (string, bool) {
	if !strings.HasPrefix(s, "$") {
		return "", false
	}
	name := s[1:]
	if strings.HasPrefix(name, "{") && strings.HasSuffix(name, "}") {
		name = name[1 : len(name)-1]
	}
	if name == "" {
		return "", false
	}
	for i, c := range name {
		if !(c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return name, true
}

func hecServers(text string) error { _, err := ParseHECServers(text); return err }

// Syslog facilities (RFC 5424 §6.2.1) and severities by name.
var (
	syslogFacilities = map[string]int{
		"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
		"uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "security": 13, "audit": 13,
		"console": 14, "alert": 14, "clock": 15, "solaris-cron": 15,
		"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
	}
	syslogSeverities = map[string]int{
		"emerg": 0, "panic": 0, "alert": 1, "crit": 2, "err": 3, "error": 3,
		"warning": 4, "warn": 4, "notice": 5, "info": 6, "informational": 6, "debug": 7,
	}
)

// SyslogPriority is PRI = facility × 8 + severity, from syslogFacility
// and syslogSeverity (names or numbers).
func SyslogPriority(facility, severity string) (int, error) {
	f, err := syslogCode(syslogFacilities, 23)(facility)
	if err != nil {
		return 0, err
	}
	s, err := syslogCode(syslogSeverities, 7)(severity)
	return f*8 + s, err
}

// syslogCode reads a syslog facility or severity: a name of names, or a
// number from 0 to maxN.
func syslogCode(names map[string]int, maxN int) func(string) (int, error) {
	return func(text string) (int, error) {
		text = strings.TrimSpace(text)
		if n, ok := names[strings.ToLower(text)]; ok {
			return n, nil
		}
		if n, err := strconv.Atoi(text); err == nil && n >= 0 && n <= maxN {
			return n, nil
		}
		keys := make([]string, 0, len(names))
		for k := range names {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(names[a], names[b]), cmp.Compare(a, b)) })
		return 0, fmt.Errorf("use a name (%s) or a number from 0 to %d", strings.Join(keys, ", "), maxN)
	}
}

func syslogCheck(names map[string]int, maxN int) func(string) error {
	return func(text string) error { _, err := syslogCode(names, maxN)(text); return err }
}

// syslogApp checks an RFC 3164 tag / RFC 5424 APP-NAME.
func syslogApp(text string) error {
	if len(text) > 48 || strings.ContainsFunc(text, func(r rune) bool { return r < 33 || r > 126 || r == ':' || r == '[' || r == ']' }) {
		return fmt.Errorf("use 1 to 48 printable ASCII characters without spaces, ':', '[' or ']'")
	}
	return nil
}
