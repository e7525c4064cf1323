package jinja

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/config"
)

// Config is the jinja generator's settings, read from its stanza.
type Config struct {
	Dir       string // jinja_template_dir against the sample dir (default: templates)
	Target    string // jinja_target_template: the template to render, in Dir
	Path      string // the template's file
	CountType string // jinja_count_type: cycles (default), line_count or perDayVolume
	Variables []byte // jinja_variables, a JSON object; nil when unset

	countTypeText string // jinja_count_type as written, when it is none of the three
	volume        bool   // the stanza sets perDayVolume
	where         func(key string) string
}

// readConfig reads the jinja settings of s; Validate checks them.
func readConfig(s *config.Sample) Config {
	setting := func(key string) (string, bool) {
		v, ok := s.Values[key]
		if !ok || strings.TrimSpace(v.Text) == "" {
			return "", false
		}
		return strings.TrimSpace(v.Text), true
	}
	c := Config{Dir: "templates", CountType: jinjaCycles, volume: s.PerDayVolume > 0}
	c.where = func(key string) string {
		if v, ok := s.Values[key]; ok && v.File != "" {
			return fmt.Sprintf("%s:%d: ", v.File, v.Line)
		}
		return ""
	}
	if d, ok := setting("jinja_template_dir"); ok {
		c.Dir = d
	}
	if !filepath.IsAbs(c.Dir) {
		c.Dir = filepath.Join(s.SampleDir, c.Dir)
	}
	c.Target, _ = setting("jinja_target_template")
	c.Path = c.Target
	if !filepath.IsAbs(c.Path) {
		c.Path = filepath.Join(c.Dir, c.Target)
	}
	if ct, ok := setting("jinja_count_type"); ok {
		switch strings.ToLower(ct) {
		case "cycles":
			c.CountType = jinjaCycles
		case "line_count":
			c.CountType = jinjaLineCount
		case "perdayvolume":
			c.CountType = jinjaVolume
		default:
			c.countTypeText = ct
		}
	}
	if v, ok := setting("jinja_variables"); ok {
		c.Variables = []byte(v)
	}
	return c
}

// Validate checks the settings: an error (naming the setting, with its
// file:line) stops the stanza; warn receives what is replaced by a
// default.
func (c *Config) Validate(warn func(string)) error {
	if c.Target == "" {
		return fmt.Errorf("generator = jinja needs jinja_target_template, the template to render (a file in %s)", c.Dir)
	}
	if fi, err := os.Stat(c.Path); err != nil {
		return fmt.Errorf("%sjinja_target_template = %s: cannot read the template %s: %v", c.where("jinja_target_template"), c.Target, c.Path, errors.Unwrap(err))
	} else if fi.IsDir() {
		return fmt.Errorf("%sjinja_target_template = %s: %s is a directory, not a template", c.where("jinja_target_template"), c.Target, c.Path)
	}
	if c.countTypeText != "" && warn != nil {
		warn(fmt.Sprintf("%sjinja_count_type = %s is not cycles, line_count or perDayVolume; using cycles", c.where("jinja_count_type"), c.countTypeText))
	}
	if c.CountType == jinjaVolume && !c.volume && warn != nil {
		warn(fmt.Sprintf("%sjinja_count_type = perDayVolume without perDayVolume: count is read as bytes of _raw per interval", c.where("jinja_count_type")))
	}
	if c.Variables != nil {
		if _, err := decodeJinjaVars(c.Variables); err != nil {
			return fmt.Errorf("%sjinja_variables: %v", c.where("jinja_variables"), err)
		}
	}
	return nil
}
