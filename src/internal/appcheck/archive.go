package appcheck

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
)

// member is one entry of the archive, in archive order.
type member struct {
	name string // as stored in the archive
	typ  byte   // 'f' regular file, 'd' directory, 'l' symbolic link, 'h' hard link, else the tar type flag
	mode int64  // permission bits, with setuid, setgid and sticky
	size int64
	data []byte // contents of a regular file
}

// readArchive decompresses and lists a package. The error is a
// package_compression failure's text.
func readArchive(name string, data []byte) ([]member, error) {
	if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		return nil, fmt.Errorf("%s is not gzip-compressed (starts with 0x%x); build it with tar and gzip (package.sh does)", name, data[:min(len(data), 2)])
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s is a damaged gzip file: %v", name, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s is a damaged gzip file: %v", name, err)
	}
	tr := tar.NewReader(bytes.NewReader(raw))
	var ms []member
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s does not hold a tar archive: %v", name, err)
		}
		m := member{name: h.Name, mode: h.Mode & 0o7777, size: h.Size}
		switch h.Typeflag {
		case tar.TypeReg, tar.TypeRegA:
			m.typ = 'f'
			if m.data, err = io.ReadAll(tr); err != nil {
				return nil, fmt.Errorf("%s does not hold a tar archive: %s: %v", name, h.Name, err)
			}
		case tar.TypeDir:
			m.typ = 'd'
		case tar.TypeSymlink:
			m.typ = 'l'
		case tar.TypeLink:
			m.typ = 'h'
		default:
			m.typ = h.Typeflag
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// app is the content of a package's top folder, as extracting it would
// leave it: later entries replace earlier ones.
type app struct {
	top   string
	files map[string]*member // regular files, by path inside the top folder
	dirs  map[string]bool    // folders, explicit or implied by a file
}

func newApp(top string, ms []member) *app {
	a := &app{top: top, files: map[string]*member{}, dirs: map[string]bool{}}
	for i := range ms {
		rel, ok := strings.CutPrefix(clean(ms[i].name), top+"/")
		if !ok || rel == "" {
			continue
		}
		switch ms[i].typ {
		case 'f':
			a.files[rel] = &ms[i]
			for d := path.Dir(rel); d != "."; d = path.Dir(d) {
				a.dirs[d] = true
			}
		case 'd':
			a.dirs[rel] = true
		}
	}
	return a
}

// clean is a member name without a leading "./" or trailing "/".
func clean(name string) string {
	for strings.HasPrefix(name, "./") {
		name = name[2:]
	}
	return strings.TrimSuffix(name, "/")
}

// file returns the regular file at rel, or nil.
func (a *app) file(rel string) *member { return a.files[rel] }

// list returns the regular files for which keep returns true, sorted.
func (a *app) list(keep func(rel string) bool) []string {
	var out []string
	for rel := range a.files {
		if keep(rel) {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

// inBin reports whether a file in folder dir (relative to the app) is in
// a folder splunkd runs programs from: one named bin, or
// appserver/controllers.
func inBin(dir string) bool {
	d := "/" + dir + "/"
	return strings.Contains(d, "/bin/") || strings.Contains(d, "/appserver/controllers/")
}
