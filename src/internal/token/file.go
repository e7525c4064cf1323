package token

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/eventgen-go/eventgen/src/internal/textfile"
)

// File is a token file (file, mvfile, seqfile): its non-blank lines,
// whitespace-trimmed, read once per run.
type File struct {
	Path  string
	id    int
	lines []string
	cols  [][]string // lines split on commas, built on first column use
	once  sync.Once
}

func (f *File) split() {
	f.once.Do(func() {
		f.cols = make([][]string, len(f.lines))
		for i, l := range f.lines {
			f.cols[i] = strings.Split(l, ",")
		}
	})
}

func (f *File) column(row, col int) string {
	f.split()
	c := f.cols[row]
	if col > len(c) {
		return ""
	}
	return strings.TrimSpace(c[col-1])
}

func (f *File) rowsWithout(col int) int {
	f.split()
	n := 0
	for _, c := range f.cols {
		if col > len(c) {
			n++
		}
	}
	return n
}

// FileCache shares token files between the tokens of a run so that
// mvfile tokens naming the same file pick columns from the same row.
type FileCache struct {
	mu    sync.Mutex
	files map[string]*File
	noted map[string]bool // paths whose fallback was reported: once per run
}

// appsPath finds the part of a path after .../apps/<app>/.
var appsPath = regexp.MustCompile(`(?i)[\\/]apps[\\/][^\\/]+[\\/](.+)$`)

// NewFileCache returns an empty cache.
func NewFileCache() *FileCache { return &FileCache{files: map[string]*File{}} }

// Open resolves and reads a token file. Eventgen resolved paths against
// the process's working directory after expanding $VARS, so paths like
// $SPLUNK_HOME/etc/apps/<app>/samples/x.sample often failed outside
// Splunk or in a renamed app (real-world-configs §5). Ours tries, in
// order: the path as written (env-expanded, relative to the working
// directory), the path relative to the sample directory, the same path
// in this app when it went through another app's folder, and last the
// file's base name in the sample directory — and says when it fell back.
func (c *FileCache) Open(path, sampleDir string) (*File, string, error) {
	expanded := textfile.ExpandPath(path)
	type candidate struct{ path, from string } // from: a fallback, said once
	candidates := []candidate{{path: expanded}}
	if !filepath.IsAbs(expanded) && sampleDir != "" {
		candidates = append(candidates, candidate{path: filepath.Join(sampleDir, expanded)})
	}
	if m := appsPath.FindStringSubmatch(expanded); m != nil && sampleDir != "" {
		// A path through another app's folder (a renamed app, or one not
		// installed here): the same path in this app, the parent of its
		// sample directory, as pytest-splunk-addon looks for it.
		local := filepath.Join(filepath.Dir(filepath.Clean(sampleDir)), filepath.FromSlash(strings.ReplaceAll(m[1], `\`, "/")))
		candidates = append(candidates, candidate{path: local, from: "this app"})
	}
	if base := filepath.Join(sampleDir, filepath.Base(expanded)); sampleDir != "" && base != candidates[len(candidates)-1].path {
		candidates = append(candidates, candidate{path: base, from: "the sample directory"})
	}
	var tried []string
	for _, cand := range candidates {
		p := cand.path
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			if err == nil {
				err = errors.New("not a regular file")
			} else if errors.Is(err, fs.ErrNotExist) {
				err = errors.New("not found")
			}
			tried = append(tried, fmt.Sprintf("%s (%v)", p, err))
			continue
		}
		f, err := c.load(p)
		if err != nil {
			return nil, "", err
		}
		note := ""
		if cand.from != "" && c.firstNote(path+"\x00"+p) {
			note = fmt.Sprintf("file %q not found; using %s from %s", path, p, cand.from)
		}
		return f, note, nil
	}
	hint := ""
	os.Expand(path, func(name string) string {
		if _, ok := os.LookupEnv(name); !ok && !strings.Contains(hint, name) {
			hint += fmt.Sprintf("; $%s is not set", name)
		}
		return ""
	})
	fix := ""
	if sampleDir != "" {
		fix = fmt.Sprintf("; correct the path, or put %s in %s", filepath.Base(expanded), sampleDir)
	}
	return nil, "", fmt.Errorf("cannot find file %q; tried %s%s%s", path, strings.Join(tried, ", "), hint, fix)
}

// firstNote reports whether key is reported for the first time.
func (c *FileCache) firstNote(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.noted == nil {
		c.noted = map[string]bool{}
	}
	if c.noted[key] {
		return false
	}
	c.noted[key] = true
	return true
}

func (c *FileCache) load(path string) (*File, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil {
		c.files = map[string]*File{}
	}
	if f, ok := c.files[abs]; ok {
		return f, nil
	}
	text, err := textfile.Read(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var lines []string
	for _, l := range textfile.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("file %s has no non-blank line to choose from", path)
	}
	f := &File{Path: path, id: len(c.files), lines: lines}
	c.files[abs] = f
	return f, nil
}
