package appcheck

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"path"
	"strings"
)

// kind is what a file's first bytes say it is.
type kind int

const (
	kindOther kind = iota
	kindELF
	kindMachO
	kindPE
)

func (k kind) String() string {
	return [...]string{"other", "ELF", "Mach-O", "Windows (PE)"}[k]
}

// article is "an ELF", "a Mach-O", ...
func (k kind) article() string {
	if k == kindELF {
		return "an ELF"
	}
	return "a " + k.String()
}

func kindOf(data []byte) kind {
	switch {
	case bytes.HasPrefix(data, []byte("\x7fELF")):
		return kindELF
	case len(data) >= 4 && isMachOMagic(data[:4]):
		return kindMachO
	case bytes.HasPrefix(data, []byte("MZ")):
		return kindPE
	}
	return kindOther
}

func isMachOMagic(b []byte) bool {
	for _, m := range []string{"\xcf\xfa\xed\xfe", "\xce\xfa\xed\xfe", "\xfe\xed\xfa\xcf", "\xfe\xed\xfa\xce", "\xca\xfe\xba\xbe"} {
		if string(b) == m {
			return true
		}
	}
	return false
}

// binaryProblem says why the file at rel, in a bin folder, is not the
// program splunkd expects there, or returns "".
func binaryProblem(rel string, data []byte) string {
	k := kindOf(data)
	platform, _, _ := strings.Cut(rel, "/")
	if !strings.HasPrefix(rel, platform+"/bin/") {
		platform = ""
	}
	switch platform {
	case "linux_x86_64", "linux_x86":
		if k != kindELF {
			return fmt.Sprintf("not an ELF executable (%s); put the linux/amd64 build here", describe(k))
		}
		return elfProblem(data)
	case "darwin_x86_64", "darwin_x86":
		if k != kindMachO {
			return fmt.Sprintf("not a Mach-O executable (%s); put the darwin/amd64 build here", describe(k))
		}
		return machoProblem(data)
	case "windows_x86_64", "windows_x86":
		if !strings.HasSuffix(rel, ".exe") {
			return "Windows programs must end in .exe (splunkd and AppInspect go by the extension)"
		}
		if k != kindPE {
			return fmt.Sprintf("not a PE executable (%s); put the windows/amd64 build here", describe(k))
		}
		return peProblem(data)
	}
	if k != kindOther {
		return fmt.Sprintf("%s binary in %s, which is no platform folder splunkd resolves; move it to linux_x86_64/bin, darwin_x86_64/bin or windows_x86_64/bin", k.article(), path.Dir(rel))
	}
	return ""
}

func describe(k kind) string {
	if k == kindOther {
		return "not a binary"
	}
	return k.article() + " binary"
}

// elfProblem: a 64-bit x86-64 ELF without a PT_INTERP program header
// (statically linked, as CGO_ENABLED=0 builds are).
func elfProblem(data []byte) string {
	f, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		return fmt.Sprintf("a damaged ELF file (%v); rebuild it", err)
	}
	defer f.Close()
	if f.Class != elf.ELFCLASS64 {
		return fmt.Sprintf("not a 64-bit ELF (%v); build with GOARCH=amd64", f.Class)
	}
	if f.Machine != elf.EM_X86_64 {
		return fmt.Sprintf("not x86-64 (machine %v); build with GOARCH=amd64", f.Machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "dynamically linked (has a PT_INTERP program header); build with CGO_ENABLED=0"
		}
	}
	return ""
}

// machoProblem: a thin 64-bit x86_64 Mach-O file.
func machoProblem(data []byte) string {
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		if _, ferr := macho.NewFatFile(bytes.NewReader(data)); ferr == nil {
			return "a universal (fat) Mach-O file; ship the thin darwin/amd64 build (GOOS=darwin GOARCH=amd64)"
		}
		return fmt.Sprintf("a damaged Mach-O file (%v); rebuild it", err)
	}
	defer f.Close()
	if f.Magic != macho.Magic64 || f.Cpu != macho.CpuAmd64 {
		return fmt.Sprintf("not a 64-bit x86_64 Mach-O file (cpu %v); build with GOOS=darwin GOARCH=amd64", f.Cpu)
	}
	return ""
}

// peProblem: a PE32+ x86-64 file.
func peProblem(data []byte) string {
	f, err := pe.NewFile(bytes.NewReader(data))
	if err != nil {
		return fmt.Sprintf("a damaged or non-PE file (%v); rebuild it with GOOS=windows GOARCH=amd64", err)
	}
	defer f.Close()
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Sprintf("not x86-64 (machine 0x%04x); build with GOARCH=amd64", f.Machine)
	}
	if _, ok := f.OptionalHeader.(*pe.OptionalHeader64); !ok {
		return "not a PE32+ (64-bit) executable; build with GOARCH=amd64"
	}
	return ""
}
