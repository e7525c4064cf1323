// Package spool is the spool output: raw events published, one file per
// interval, into a Splunk batch/spool directory.
package spool

import (
	"io"
	"path/filepath"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

var raw, _ = output.NewEncoder("raw")

// Settings are the spool output's typed settings, read by config into the
// sample (spoolFile's default is the sample's file name).
type Settings struct {
	Dir  string // spoolDir, $VARIABLES expanded
	File string // spoolFile
}

// SettingsOf returns a sample's spool settings.
func SettingsOf(s *config.Sample) Settings {
	return Settings{Dir: textfile.ExpandPath(s.SpoolDir), File: s.SpoolFile}
}

// Open is the spool Opener: raw events, one spool file published at the
// end of each interval (Flush).
func Open(s *config.Sample, _ outputs.Env) (*outputs.Output, error) {
	c := SettingsOf(s)
	return &outputs.Output{
		Enc:        raw,
		Open:       func() (io.WriteCloser, error) { return NewSpool(c.Dir, c.File) },
		Key:        "spool:" + filepath.Join(c.Dir, c.File),
		QueueBytes: output.LocalQueueBytes,
		Flush:      true,
	}, nil
}

// Validate checks nothing beyond what config checks: the directory and
// the name are checked when the spool is opened.
func Validate(*config.Sample) error { return nil }
