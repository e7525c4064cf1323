package counter

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/config"
)

// Config is the counter generator's settings, read from its stanza.
type Config struct {
	Start  float64 // start_count (default 0)
	End    float64 // end_count
	EndSet bool    // end_count is set; else the interval's count is the end
	By     float64 // count_by (default 1)
	// Float is set when a value is written with a '.': values print as
	// Python floats (1.0), rounded to 5 decimals as Eventgen did.
	Float    bool
	Template string // count_template, a Python str.format template
}

// readConfig reads the counter settings of s; a value that is not a
// number is an error naming its file and line.
func readConfig(s *config.Sample) (Config, error) {
	c := Config{By: 1, Template: defaultCounterTemplate}
	num := func(key string, def float64) (float64, bool, error) {
		v, ok := s.Values[key]
		if !ok || strings.TrimSpace(v.Text) == "" {
			return def, false, nil
		}
		text := strings.TrimSpace(v.Text)
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false, fmt.Errorf("%s:%d: %s = %q is not a number", v.File, v.Line, key, v.Text)
		}
		if strings.Contains(text, ".") {
			c.Float = true
			f = math.Round(f*1e5) / 1e5
		}
		return f, true, nil
	}
	var err error
	if c.Start, _, err = num("start_count", 0); err != nil {
		return c, err
	}
	if c.End, c.EndSet, err = num("end_count", 0); err != nil {
		return c, err
	}
	if c.By, _, err = num("count_by", 1); err != nil {
		return c, err
	}
	if v, ok := s.Values["count_template"]; ok && v.Text != "" {
		c.Template = v.Text
	}
	return c, nil
}

// Validate checks the settings that read as numbers; what it replaces,
// it tells warn.
func (c *Config) Validate(warn func(string)) {
	if c.By == 0 {
		warn("count_by = 0 cannot count; counting by 1 (as Eventgen)")
		c.By = 1
	}
}
