// Package file is the file output: raw events appended to a size-rotated
// file.
package file

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

// The file output appends raw events to fileName (default: spoolDir/
// spoolFile), rotated at fileMaxBytes with fileBackupFiles kept (NewFile).

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

// Validate checks nothing beyond what config checks (the keys' types and
// ranges): the path is checked when the file is opened.
func Validate(*config.Sample) error { return nil }
