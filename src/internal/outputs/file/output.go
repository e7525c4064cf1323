// Package file is the file output: raw events appended to a size-rotated
// file.
package file

import (
	"io"
	"path/filepath"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/output"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

// The file output appends raw events to fileName (default: spoolDir/
// spoolFile), rotated at fileMaxBytes with fileBackupFiles kept (NewFile).

var raw, _ = output.NewEncoder("raw")

// Settings are the file output's typed settings. config reads them into
// the sample (fileName's default depends on the sample's spool settings).
type Settings struct {
	Path     string // fileName, $VARIABLES expanded
	MaxBytes int64  // fileMaxBytes
	Backups  int    // fileBackupFiles
}

// SettingsOf returns a sample's file settings.
func SettingsOf(s *config.Sample) Settings {
	return Settings{Path: textfile.ExpandPath(s.FileName), MaxBytes: s.FileMaxBytes, Backups: s.FileBackupFiles}
}

// Open is the file Opener. The file is opened when the engine first asks
// for it: samples with the same file share one Writer.
func Open(s *config.Sample, _ outputs.Env) (*outputs.Output, error) {
	c := SettingsOf(s)
	path, err := filepath.Abs(c.Path)
	if err != nil {
		return nil, err
	}
	return &outputs.Output{
		Enc:        raw,
		Open:       func() (io.WriteCloser, error) { return NewFile(path, c.MaxBytes, c.Backups) },
		Key:        "file:" + path,
		QueueBytes: output.LocalQueueBytes,
	}, nil
}

// Validate checks nothing beyond what config checks (the keys' types and
// ranges): the path is checked when the file is opened.
func Validate(*config.Sample) error { return nil }
