package config

import (
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// knownKey reports whether key is a setting, a token key or a host token key.
func knownKey(key string) bool {
	if _, ok := settings.Lookup(key); ok {
		return true
	}
	if strings.HasPrefix(key, "eai:") {
		return true // added by splunkd REST
	}
	if key == "host.token" || key == "host.replacement" {
		return true
	}
	_, _, ok := tokenKey(key)
	return ok
}
