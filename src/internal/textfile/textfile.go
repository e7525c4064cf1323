// Package textfile reads sample and token files the way Eventgen did:
// UTF-8 with a Latin-1 fallback, and universal newlines (\n, \r\n and a
// lone \r all end a line).
package textfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Decode returns data as a string: unchanged when it is valid UTF-8
// (a leading BOM removed), otherwise decoded as Latin-1, as Eventgen
// re-read files that failed to decode.
func Decode(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	b.Grow(len(data) + len(data)/4)
	for _, c := range data {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// Normalize converts \r\n and lone \r line endings to \n.
func Normalize(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// Read reads a file, decodes it and normalizes its line endings.
func Read(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return Normalize(Decode(data)), nil
}

// Lines splits normalized text into lines without terminators; a final
// line terminator does not produce an empty last line.
func Lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// ExpandPath turns Windows separators into slashes and replaces $VAR and
// ${VAR} by their environment values, as Eventgen's pathParser did for
// sampleDir, token files and output paths.
func ExpandPath(p string) string {
	return filepath.FromSlash(os.ExpandEnv(strings.ReplaceAll(p, `\`, "/")))
}
