package appcheck

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"debug/pe"
	"encoding/binary"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// repoRoot is the module root, from this package's folder.
var repoRoot = filepath.Join("..", "..", "..")

// entry is one file, folder or link of a test package.
type entry struct {
	typ  byte // 'f', 'd', 'l' (symbolic link) or 'h' (hard link)
	mode int64
	data []byte
	link string
}

// pkg is an app package being built for a test: entries by path inside
// the top folder, and how to pack them.
type pkg struct {
	t        *testing.T
	top      string
	entries  map[string]*entry
	extra    map[string]*entry // members outside the top folder, by archive name
	dotSlash bool              // pack as "tar -C dir .": "./" and "./top/..." names
	noGzip   bool              // a plain tar
}

var (
	pristineOnce sync.Once
	pristine     *pkg
	pristineErr  error
)

// goodPackage returns a fresh copy of a package assembled as package.sh
// assembles it (app/ without local settings, samples/ without its
// eventgen.conf, modes 0755/0644), with small fake programs for the three
// platforms and fake WebAssembly files: it passes every rule.
func goodPackage(t *testing.T) *pkg {
	t.Helper()
	pristineOnce.Do(func() { pristine, pristineErr = assemble() })
	if pristineErr != nil {
		t.Fatalf("assembling the good package from app/ and samples/: %v", pristineErr)
	}
	p := &pkg{t: t, top: pristine.top, entries: map[string]*entry{}, extra: map[string]*entry{}}
	for k, e := range pristine.entries {
		c := *e
		p.entries[k] = &c
	}
	return p
}

func assemble() (*pkg, error) {
	p := &pkg{top: "SA-Eventgen", entries: map[string]*entry{}, extra: map[string]*entry{}}
	skip := func(rel string) bool {
		base := path.Base(rel)
		return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp")
	}
	copyTree := func(src, dst string, excluded ...string) error {
		return filepath.WalkDir(src, func(file string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			r, err := filepath.Rel(src, file)
			if err != nil || r == "." {
				return err
			}
			r = filepath.ToSlash(r)
			for _, x := range excluded {
				if r == x || strings.HasPrefix(r, x+"/") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
			}
			if skip(r) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				p.entries[path.Join(dst, r)] = &entry{typ: 'd', mode: 0o755}
				return nil
			}
			data, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			p.entries[path.Join(dst, r)] = &entry{typ: 'f', mode: 0o644, data: data}
			return nil
		})
	}
	if err := copyTree(filepath.Join(repoRoot, "app"), ".", "local", "metadata/local.meta", "appserver/static/validate.wasm", "appserver/static/wasm_exec.js"); err != nil {
		return nil, err
	}
	if err := copyTree(filepath.Join(repoRoot, "samples"), "samples", "eventgen.conf"); err != nil {
		return nil, err
	}
	p.entries["samples"] = &entry{typ: 'd', mode: 0o755}
	p.entries["appserver/static/validate.wasm"] = &entry{typ: 'f', mode: 0o644, data: []byte("\x00asm\x01\x00\x00\x00")}
	p.entries["appserver/static/wasm_exec.js"] = &entry{typ: 'f', mode: 0o644, data: []byte("\"use strict\";\n// Go's WebAssembly runtime (a stand-in)\n")}
	bins := map[string][]byte{"linux_x86_64": fakeELF(62, false), "darwin_x86_64": fakeMachO(), "windows_x86_64": fakePE(pe.IMAGE_FILE_MACHINE_AMD64, true)}
	for dir, data := range bins {
		p.entries[dir] = &entry{typ: 'd', mode: 0o755}
		p.entries[dir+"/bin"] = &entry{typ: 'd', mode: 0o755}
		ext := ""
		if dir == "windows_x86_64" {
			ext = ".exe"
		}
		for _, name := range []string{"modinput_eventgen", "eventgen"} {
			p.entries[dir+"/bin/"+name+ext] = &entry{typ: 'f', mode: 0o755, data: data}
		}
	}
	return p, nil
}

// fakeELF is a minimal 64-bit little-endian ELF executable for machine
// (62 is x86-64), with a PT_INTERP program header if dynamic.
func fakeELF(machine uint16, dynamic bool) []byte {
	const interp = "/lib64/ld-linux-x86-64.so.2\x00"
	phnum := uint16(1)
	if dynamic {
		phnum = 2
	}
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.Write([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	w(uint16(2))        // e_type: executable
	w(machine)          // e_machine
	w(uint32(1))        // e_version
	w(uint64(0x400000)) // e_entry
	w(uint64(64))       // e_phoff
	w(uint64(0))        // e_shoff
	w(uint32(0))        // e_flags
	w(uint16(64))       // e_ehsize
	w(uint16(56))       // e_phentsize
	w(phnum)            // e_phnum
	w(uint16(64))       // e_shentsize
	w(uint16(0))        // e_shnum
	w(uint16(0))        // e_shstrndx
	end := uint64(64 + 56*int(phnum))
	size := end
	if dynamic {
		size += uint64(len(interp))
	}
	prog := func(typ uint32, off, n uint64) {
		w(typ)
		w(uint32(5)) // flags: r-x
		w(off)       // p_offset
		w(0x400000 + off)
		w(0x400000 + off)
		w(n) // p_filesz
		w(n) // p_memsz
		w(uint64(0x1000))
	}
	prog(1, 0, size) // PT_LOAD
	if dynamic {
		prog(3, end, uint64(len(interp))) // PT_INTERP
		b.WriteString(interp)
	}
	return b.Bytes()
}

// fakeMachO is a minimal 64-bit x86_64 Mach-O executable.
func fakeMachO() []byte {
	var b bytes.Buffer
	for _, v := range []uint32{0xfeedfacf, 0x01000007, 3, 2, 0, 0, 0, 0} {
		_ = binary.Write(&b, binary.LittleEndian, v)
	}
	return b.Bytes()
}

// fakePE is a minimal PE executable for machine, PE32+ if wide.
func fakePE(machine uint16, wide bool) []byte {
	var b bytes.Buffer
	dos := make([]byte, 64)
	copy(dos, "MZ")
	binary.LittleEndian.PutUint32(dos[0x3c:], 64)
	b.Write(dos)
	b.WriteString("PE\x00\x00")
	var opt any = &pe.OptionalHeader64{Magic: 0x20b, NumberOfRvaAndSizes: 16, SizeOfHeaders: 512, Subsystem: 3}
	size := uint16(240)
	if !wide {
		opt = &pe.OptionalHeader32{Magic: 0x10b, NumberOfRvaAndSizes: 16, SizeOfHeaders: 512, Subsystem: 3}
		size = 224
	}
	_ = binary.Write(&b, binary.LittleEndian, pe.FileHeader{Machine: machine, SizeOfOptionalHeader: size, Characteristics: 0x22})
	_ = binary.Write(&b, binary.LittleEndian, opt)
	return b.Bytes()
}

// get returns a file's contents.
func (p *pkg) get(rel string) []byte {
	p.t.Helper()
	e := p.entries[rel]
	if e == nil || e.typ != 'f' {
		p.t.Fatalf("the good package has no file %s", rel)
	}
	return e.data
}

// put writes a file (0644), adding its folders.
func (p *pkg) put(rel, text string) { p.putMode(rel, text, 0o644) }

func (p *pkg) putMode(rel, text string, mode int64) {
	p.entries[rel] = &entry{typ: 'f', mode: mode, data: []byte(text)}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if p.entries[d] == nil {
			p.entries[d] = &entry{typ: 'd', mode: 0o755}
		}
	}
}

// appendText adds text at the end of a file.
func (p *pkg) appendText(rel, text string) {
	p.entries[rel].data = append(append([]byte(nil), p.get(rel)...), text...)
}

// edit replaces the file's text by f's result.
func (p *pkg) edit(rel string, f func(string) string) {
	p.entries[rel].data = []byte(f(string(p.get(rel))))
}

// setConf replaces the line of key in [stanza], or adds one at the
// stanza's start.
func (p *pkg) setConf(rel, stanza, key, value string) {
	p.edit(rel, func(s string) string {
		lines := strings.Split(s, "\n")
		cur, header := "", -1
		for i, l := range lines {
			if strings.HasPrefix(l, "[") {
				cur = strings.TrimSuffix(strings.TrimPrefix(l, "["), "]")
				if cur == stanza {
					header = i
				}
				continue
			}
			if k, _, ok := strings.Cut(l, "="); ok && cur == stanza && strings.TrimSpace(k) == key {
				lines[i] = key + " = " + value
				return strings.Join(lines, "\n")
			}
		}
		if header < 0 {
			p.t.Fatalf("%s has no [%s]", rel, stanza)
		}
		lines = append(lines[:header+1], append([]string{key + " = " + value}, lines[header+1:]...)...)
		return strings.Join(lines, "\n")
	})
}

// dropLines removes the lines containing substr.
func (p *pkg) dropLines(rel, substr string) {
	p.edit(rel, func(s string) string {
		var kept []string
		n := 0
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, substr) {
				n++
				continue
			}
			kept = append(kept, l)
		}
		if n == 0 {
			p.t.Fatalf("%s has no line with %q", rel, substr)
		}
		return strings.Join(kept, "\n")
	})
}

// remove deletes a file or a folder with its content.
func (p *pkg) remove(rel string) {
	if p.entries[rel] == nil {
		p.t.Fatalf("the good package has no %s to remove", rel)
	}
	for k := range p.entries {
		if k == rel || strings.HasPrefix(k, rel+"/") {
			delete(p.entries, k)
		}
	}
}

// chmod sets an entry's mode.
func (p *pkg) chmod(rel string, mode int64) {
	if p.entries[rel] == nil {
		p.t.Fatalf("the good package has no %s", rel)
	}
	p.entries[rel].mode = mode
}

// bytes packs the package as package.sh does: a gzip-compressed tar with
// the top folder first and every entry sorted by name.
func (p *pkg) bytes() []byte {
	p.t.Helper()
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	write := func(name string, e *entry) {
		h := &tar.Header{Name: name, Mode: e.mode, Uname: "root", Gname: "root", Format: tar.FormatPAX}
		switch e.typ {
		case 'd':
			h.Typeflag = tar.TypeDir
			h.Name += "/"
		case 'l':
			h.Typeflag, h.Linkname = tar.TypeSymlink, e.link
		case 'h':
			h.Typeflag, h.Linkname = tar.TypeLink, e.link
		default:
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			p.t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil && e.typ == 'f' {
			p.t.Fatal(err)
		}
	}
	prefix := ""
	if p.dotSlash {
		prefix = "./"
		write(".", &entry{typ: 'd', mode: 0o755})
	}
	write(prefix+p.top, &entry{typ: 'd', mode: 0o755})
	names := make([]string, 0, len(p.entries))
	for k := range p.entries {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		write(prefix+p.top+"/"+k, p.entries[k])
	}
	extra := make([]string, 0, len(p.extra))
	for k := range p.extra {
		extra = append(extra, k)
	}
	sort.Strings(extra)
	for _, k := range extra {
		write(k, p.extra[k])
	}
	if err := tw.Close(); err != nil {
		p.t.Fatal(err)
	}
	if p.noGzip {
		return raw.Bytes()
	}
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	_, _ = zw.Write(raw.Bytes())
	_ = zw.Close()
	return out.Bytes()
}
