package settings

import (
	"fmt"
	"strings"
)

// ParseBool accepts Splunk's boolean spellings (1/0, true/false, t/f,
// yes/no, y/n, on/off, in any case). Eventgen 7.2.1 took anything but
// 0/false/False as true (inventory §6, bug 5); here a typo is an error.
// It is the only boolean parser of the project: conf values, output
// settings and the splunkd REST fake all use it.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "t", "yes", "y", "on":
		return true, nil
	case "0", "false", "f", "no", "n", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean; use true or false", s)
}
