package appcheck

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"debug/pe"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// failedRules returns the rules that failed, each once, sorted.
func failedRules(r *Report) []string {
	var rules []string
	for _, f := range r.Failures() {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	sort.Strings(rules)
	return rules
}

func report(r *Report) string {
	var b bytes.Buffer
	_, _ = r.WriteTo(&b)
	return b.String()
}

func TestGoodPackagePasses(t *testing.T) {
	r := Check("good.tgz", goodPackage(t).bytes())
	if r.Failed() {
		t.Fatalf("the good package fails:\n%s", report(r))
	}
	// Every rule reports, so a rule that stops running is noticed.
	var passed []string
	for _, x := range r.Results {
		passed = append(passed, x.Rule)
	}
	for _, rule := range allRules {
		if !slices.Contains(passed, rule) {
			t.Errorf("no PASS line for %s:\n%s", rule, report(r))
		}
	}
	if len(allRules) != 35 {
		t.Errorf("%d rules, want 35 (the rules of check-app.sh)", len(allRules))
	}
	for _, want := range []string{
		"PASS package_compression: gzip",
		"PASS single_top_dir: SA-Eventgen",
		"PASS inputs_spec_stanzas: modinput_eventgen",
		"PASS binary_formats: 6 binaries",
		"PASS custom_conf_spec: eventgen",
		"checkapp: good.tgz passed\n",
	} {
		if !strings.Contains(report(r), want) {
			t.Errorf("report lacks %q:\n%s", want, report(r))
		}
	}
}

// allRules are the rule names, in report order.
var allRules = []string{
	"package_compression", "member_names", "member_types", "single_top_dir", "no_hidden_files",
	"no_compiled_python", "no_build_leftovers", "no_world_writable", "owner_permissions",
	"executables_in_bin", "file_modes", "package_size", "readme", "default_app_conf", "package_id",
	"is_configured", "build_number", "version_semver", "check_for_updates", "no_install_source_checksum",
	"no_local", "conf_syntax", "spec_syntax", "inputs_spec_stanzas", "modinput_executables",
	"binaries_in_bin", "binary_formats", "binaries_declared", "custom_conf_spec",
	"custom_conf_replication", "custom_conf_reload", "ui_views", "view_assets", "js_no_dynamic_code",
	"meta_sc_admin",
}

// TestBrokenPackages: a copy of the good package broken in one way fails
// exactly the rules that name that problem (rule, plus also where one
// mistake breaks more than one rule), with a message holding want.
func TestBrokenPackages(t *testing.T) {
	const (
		app    = "default/app.conf"
		inputs = "default/inputs.conf"
		server = "default/server.conf"
		ispec  = "README/inputs.conf.spec"
		linux  = "linux_x86_64/bin/modinput_eventgen"
		darwin = "darwin_x86_64/bin/modinput_eventgen"
		win    = "windows_x86_64/bin/modinput_eventgen.exe"
	)
	cases := []struct {
		name    string
		breakIt func(p *pkg)
		rule    string
		also    []string
		want    string // in the first failure of rule
		skipped bool   // content rules not run
	}{
		{"world-writable file", func(p *pkg) { p.chmod(inputs, 0o666) }, "no_world_writable", []string{"file_modes"}, "SA-Eventgen/default/inputs.conf is world-writable (mode 0666)", false},
		{"world-writable directory", func(p *pkg) { p.chmod("samples", 0o777) }, "no_world_writable", []string{"file_modes"}, "SA-Eventgen/samples/ is world-writable", false},
		{"dotfile", func(p *pkg) { p.put("static/.DS_Store", "x") }, "no_hidden_files", nil, "static/.DS_Store (hidden: .DS_Store)", false},
		{"__MACOSX folder", func(p *pkg) { p.put("__MACOSX/junk", "x") }, "no_hidden_files", nil, "(__MACOSX)", false},
		{"./ member names", func(p *pkg) { p.dotSlash = true }, "member_names", nil, "starts with ./ (build the tar from the parent folder", false},
		{"top folder differs from the app id", func(p *pkg) { p.top = "SA-Eventgen-main" }, "package_id", nil, "default/app.conf:11: [package] id 'SA-Eventgen' differs from the top folder 'SA-Eventgen-main'", false},
		{"two top-level entries", func(p *pkg) { p.extra["stray.txt"] = &entry{typ: 'f', mode: 0o644, data: []byte("x\n")} }, "single_top_dir", nil, "2 top-level entries: SA-Eventgen stray.txt", true},
		{"symbolic link", func(p *pkg) {
			p.entries["samples/link.conf"] = &entry{typ: 'l', mode: 0o777, link: "../default/app.conf"}
		}, "member_types", []string{"no_world_writable"}, "samples/link.conf is a symbolic link", true},
		{"hard link", func(p *pkg) {
			p.entries["samples/copy.sample"] = &entry{typ: 'h', mode: 0o644, link: "SA-Eventgen/samples/users.sample"}
		}, "member_types", nil, "samples/copy.sample is a hard link", true},
		{"absolute member name", func(p *pkg) { p.extra["/etc/passwd"] = &entry{typ: 'f', mode: 0o644} }, "member_names", nil, "/etc/passwd is an absolute path", true},
		{"member name with ..", func(p *pkg) { p.entries["../evil.sh"] = &entry{typ: 'f', mode: 0o644} }, "member_names", []string{"no_hidden_files"}, "SA-Eventgen/../evil.sh contains ..", true},
		{"not gzip-compressed", func(p *pkg) { p.noGzip = true }, "package_compression", nil, "is not gzip-compressed", false},
		{"[id] version differs from [launcher]", func(p *pkg) { p.setConf(app, "id", "version", "0.2.0") }, "version_semver", nil, "default/app.conf:8: [id] version 0.2.0 differs from [launcher] version 0.1.0", false},
		{"version not semver", func(p *pkg) {
			p.setConf(app, "id", "version", "1.0")
			p.setConf(app, "launcher", "version", "1.0")
		}, "version_semver", nil, "[launcher] version '1.0' is not semver", false},
		{"app.manifest version differs", func(p *pkg) {
			p.put("app.manifest", `{"schemaVersion": "2.0.0", "info": {"id": {"group": null, "name": "SA-Eventgen", "version": "0.0.9"}}}`)
		}, "version_semver", nil, "app.manifest info.id.version '0.0.9' differs from [launcher] version 0.1.0", false},
		{"is_configured = true", func(p *pkg) { p.setConf(app, "install", "is_configured", "true") }, "is_configured", nil, "default/app.conf:2: [install] is_configured = true; AppInspect wants false", false},
		{"build = 0", func(p *pkg) { p.setConf(app, "install", "build", "0") }, "build_number", nil, "[install] build = '0'; want a positive integer", false},
		{"check_for_updates = true", func(p *pkg) { p.setConf(app, "package", "check_for_updates", "true") }, "check_for_updates", nil, "[package] check_for_updates = 'true'; set it to false", false},
		{"install_source_checksum", func(p *pkg) { p.setConf(app, "install", "install_source_checksum", "0123abcd") }, "no_install_source_checksum", nil, "default/app.conf:2: [install] install_source_checksum is set", false},
		{"local/ folder", func(p *pkg) { p.put("local/inputs.conf", "[modinput_eventgen://default]\ndisabled = 0\n") }, "no_local", nil, "the package has a local/ folder", false},
		{"metadata/local.meta", func(p *pkg) { p.put("metadata/local.meta", "[eventgen]\nexport = none\n") }, "no_local", nil, "metadata/local.meta (local.meta)", false},
		{"stray text in a .conf", func(p *pkg) { p.appendText(inputs, "\nthis line is not a setting\n") }, "conf_syntax", nil, "default/inputs.conf:17: [modinput_eventgen://default]: line ignored: \"this line is not a setting\"", false},
		{"duplicate stanza in a .conf", func(p *pkg) { p.appendText(inputs, "\n[modinput_eventgen://default]\ndisabled = 0\n") }, "conf_syntax", nil, "default/inputs.conf:17: [modinput_eventgen://default]: stanza also defined on line 13", false},
		{"duplicate key in a .conf", func(p *pkg) { p.appendText(server, "\n[extra]\na = 1\na = 2\n") }, "conf_syntax", nil, "[extra] a: duplicate key", false},
		{"setting on the stanza line", func(p *pkg) { p.appendText(server, "\n[extra] a = 1\n") }, "conf_syntax", nil, "text \"a = 1\" after the stanza header", false},
		{"backslash followed by spaces", func(p *pkg) { p.appendText(server, "\n[extra]\na = one \\ \ntwo\n") }, "conf_syntax", nil, "followed by blanks", false},
		{"semicolon comment in a .conf", func(p *pkg) { p.appendText(server, "; not a comment in Splunk = really\n") }, "conf_syntax", nil, "the key starts with \";\"", false},
		{"second [] in a .meta", func(p *pkg) { p.appendText("metadata/default.meta", "\n[]\nexport = none\n") }, "conf_syntax", nil, "metadata/default.meta:13: empty stanza name", false},
		{"conf not UTF-8", func(p *pkg) { p.appendText(inputs, "# caf\xe9\n") }, "conf_syntax", nil, "default/inputs.conf:16: invalid UTF-8 (byte 0xE9 at column 6)", false},
		{"setting-like text in a .spec", func(p *pkg) {
			p.appendText(ispec, "* A description whose second line\n  count = 5 reads as a setting.\n")
		}, "spec_syntax", nil, "README/inputs.conf.spec:45: an indented setting", false},
		{"indented stanza in a .spec", func(p *pkg) { p.appendText(ispec, "\n  [modinput_eventgen]\nverbosity = <integer>\n") }, "spec_syntax", nil, "must start in column 1", false},
		{"spec stanza without a property", func(p *pkg) { p.appendText(ispec, "\n[other_input://<name>]\n* No property.\n") }, "inputs_spec_stanzas", []string{"modinput_executables"}, "README/inputs.conf.spec:45: [other_input://<name>] has no property", false},
		{"built-in scheme in the spec", func(p *pkg) { p.appendText(ispec, "\n[tcp://<name>]\nfoo = <string>\n") }, "inputs_spec_stanzas", []string{"modinput_executables"}, "'tcp' is a built-in input type", false},
		{"bad scheme in the spec", func(p *pkg) { p.appendText(ispec, "\n[_x://<name>]\nfoo = <string>\n") }, "inputs_spec_stanzas", []string{"modinput_executables"}, "scheme '_x' must match", false},
		{"missing Windows executable", func(p *pkg) { p.remove(win) }, "modinput_executables", nil, "windows_x86_64/bin/modinput_eventgen.exe is missing (scheme modinput_eventgen", false},
		{"Windows executable without .exe", func(p *pkg) {
			p.entries["windows_x86_64/bin/modinput_eventgen"] = p.entries[win]
			p.remove(win)
		}, "binary_formats", []string{"modinput_executables"}, "windows_x86_64/bin/modinput_eventgen: Windows programs must end in .exe", false},
		{"missing macOS executable", func(p *pkg) { p.remove(darwin) }, "modinput_executables", nil, "darwin_x86_64/bin/modinput_eventgen is missing", false},
		{"modular input not executable", func(p *pkg) { p.chmod(linux, 0o644) }, "modinput_executables", []string{"file_modes"}, "linux_x86_64/bin/modinput_eventgen is not executable (mode 0644)", false},
		{"undeclared file in bin", func(p *pkg) { p.putMode("linux_x86_64/bin/helper", "#!/bin/sh\necho helper\n", 0o755) }, "binaries_declared", []string{"binary_formats"}, "linux_x86_64/bin/helper is not listed in the README's Binary File Declaration", false},
		{"README without Binary File Declaration", func(p *pkg) {
			p.edit("README.md", func(s string) string { return s[:strings.Index(s, "Binary File Declaration")] })
		}, "binaries_declared", nil, "the README has no \"Binary File Declaration\" section listing the 6 files", false},
		{"no README", func(p *pkg) { p.remove("README.md") }, "readme", []string{"binaries_declared"}, "no README file at the app root", false},
		{"executable outside bin", func(p *pkg) { p.putMode("samples/run.sh", "#!/bin/sh\necho hi\n", 0o755) }, "executables_in_bin", []string{"file_modes"}, "SA-Eventgen/samples/run.sh is executable (mode 0755) outside a bin folder", false},
		{"binary outside bin", func(p *pkg) { p.put("static/eventgen", string(p.get("linux_x86_64/bin/eventgen"))) }, "binaries_in_bin", nil, "static/eventgen is an ELF binary outside a bin folder", false},
		{"file mode 0600", func(p *pkg) { p.chmod("samples/users.sample", 0o600) }, "file_modes", nil, "SA-Eventgen/samples/users.sample has mode 0600, want 0644", false},
		{"setuid program", func(p *pkg) { p.chmod(linux, 0o4755) }, "file_modes", nil, "has mode 4755, want 0755", false},
		{"file not writable by its owner", func(p *pkg) { p.chmod("samples/users.sample", 0o444) }, "owner_permissions", []string{"file_modes"}, "samples/users.sample mode 0444: the owner needs rw", false},
		{"directory the owner cannot enter", func(p *pkg) { p.chmod("samples", 0o655) }, "owner_permissions", []string{"file_modes"}, "samples/ directory mode 0655: the owner needs rwx", false},
		{"compiled Python", func(p *pkg) { p.put("static/cache.pyc", "x") }, "no_compiled_python", nil, "static/cache.pyc is compiled Python", false},
		{"build leftover", func(p *pkg) { p.put("default/inputs.conf.orig", "x") }, "no_build_leftovers", nil, "default/inputs.conf.orig looks like a backup", false},
		{"dynamically linked Linux binary", func(p *pkg) { p.entries[linux].data = fakeELF(62, true) }, "binary_formats", nil, "linux_x86_64/bin/modinput_eventgen: dynamically linked (has a PT_INTERP program header); build with CGO_ENABLED=0", false},
		{"ARM64 Linux binary", func(p *pkg) { p.entries[linux].data = fakeELF(183, false) }, "binary_formats", nil, "not x86-64 (machine EM_AARCH64)", false},
		{"damaged Linux binary", func(p *pkg) { p.entries[linux].data = []byte("\x7fELF\x02\x01") }, "binary_formats", nil, "a damaged ELF file", false},
		{"Windows binary in the Linux folder", func(p *pkg) { p.entries["linux_x86_64/bin/eventgen"].data = p.get("windows_x86_64/bin/eventgen.exe") }, "binary_formats", nil, "linux_x86_64/bin/eventgen: not an ELF executable (a Windows (PE) binary)", false},
		{"Linux binary in the macOS folder", func(p *pkg) { p.entries["darwin_x86_64/bin/eventgen"].data = p.get("linux_x86_64/bin/eventgen") }, "binary_formats", nil, "darwin_x86_64/bin/eventgen: not a Mach-O executable (an ELF binary)", false},
		{"32-bit Windows binary", func(p *pkg) { p.entries[win].data = fakePE(pe.IMAGE_FILE_MACHINE_I386, false) }, "binary_formats", nil, "not x86-64 (machine 0x014c)", false},
		{"PE32 x86-64 Windows binary", func(p *pkg) { p.entries[win].data = fakePE(pe.IMAGE_FILE_MACHINE_AMD64, false) }, "binary_formats", nil, "not a PE32+ (64-bit) executable", false},
		{"binary in a bin folder of no platform", func(p *pkg) { p.putMode("bin/eventgen", string(p.get("linux_x86_64/bin/eventgen")), 0o755) }, "binary_formats", nil, "bin/eventgen: an ELF binary in bin, which is no platform folder", false},
		{"custom conf not replicated", func(p *pkg) { p.dropLines(server, "conf_replication_include.eventgen") }, "custom_conf_replication", nil, "default/server.conf lacks [shclustering] conf_replication_include.eventgen = true", false},
		{"custom conf without reload trigger", func(p *pkg) { p.dropLines(app, "reload.eventgen") }, "custom_conf_reload", nil, "default/app.conf lacks [triggers] reload.eventgen", false},
		{"custom conf without spec", func(p *pkg) { p.remove("README/eventgen.conf.spec") }, "custom_conf_spec", nil, "default/eventgen.conf has no README/eventgen.conf.spec", false},
		{"write for admin but not sc_admin", func(p *pkg) {
			p.edit("metadata/default.meta", func(s string) string {
				return strings.ReplaceAll(s, "write : [ admin, sc_admin ]", "write : [ admin ]")
			})
		}, "meta_sc_admin", nil, "metadata/default.meta:4: [] access = read : [ * ], write : [ admin ] grants write to admin but not sc_admin", false},
		{"visible app without a nav", func(p *pkg) { p.remove("default/data/ui/nav/default.xml") }, "ui_views", nil, "[ui] is_visible = true but default/data/ui/nav/default.xml is missing", false},
		{"nav's default view missing", func(p *pkg) {
			p.edit("default/data/ui/nav/default.xml", func(s string) string { return strings.Replace(s, `name="eventgen_editor"`, `name="no_such_view"`, 1) })
		}, "ui_views", nil, "the nav's default view no_such_view has no default/data/ui/views/no_such_view.xml", false},
		{"setup_view names a missing view", func(p *pkg) { p.setConf(app, "ui", "setup_view", "no_such_view") }, "ui_views", nil, "[ui] setup_view = no_such_view but default/data/ui/views/no_such_view.xml is missing", false},
		{"view script missing", func(p *pkg) { p.remove("appserver/static/eventgen_editor.js") }, "view_assets", nil, "default/data/ui/views/eventgen_editor.xml loads script eventgen_editor.js, which is not in appserver/static", false},
		{"validate.wasm without wasm_exec.js", func(p *pkg) { p.remove("appserver/static/wasm_exec.js") }, "view_assets", nil, "appserver/static/validate.wasm has no wasm_exec.js beside it", false},
		{"eval in JavaScript", func(p *pkg) { p.appendText("appserver/static/eventgen_editor.js", "var x = eval(\"1\");\n") }, "js_no_dynamic_code", nil, "runs code built at run time (eval(); Splunk Cloud vetting rejects it", false},
		{"new Function in JavaScript", func(p *pkg) { p.appendText("appserver/static/wasm_exec.js", "const f = new Function(\"return 1\");\n") }, "js_no_dynamic_code", nil, "appserver/static/wasm_exec.js:3 runs code built at run time (new Function()", false},
		{"executable static JavaScript", func(p *pkg) { p.chmod("appserver/static/eventgen_editor.js", 0o755) }, "executables_in_bin", []string{"file_modes"}, "appserver/static/eventgen_editor.js is executable (mode 0755) outside a bin folder", false},
		{"no default/app.conf", func(p *pkg) { p.remove(app) }, "default_app_conf", []string{"custom_conf_reload"}, "default/app.conf is missing", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := goodPackage(t)
			tc.breakIt(p)
			r := Check("case.tgz", p.bytes())
			want := append([]string{tc.rule}, tc.also...)
			sort.Strings(want)
			if got := failedRules(r); !slices.Equal(got, want) {
				t.Fatalf("failed rules %v, want %v:\n%s", got, want, report(r))
			}
			var first string
			for _, f := range r.Failures() {
				if f.Rule == tc.rule {
					first = f.Detail
					break
				}
			}
			if !strings.Contains(first, tc.want) {
				t.Errorf("FAIL %s: %s\nwant a message containing %q", tc.rule, first, tc.want)
			}
			if (r.Skipped != "") != tc.skipped {
				t.Errorf("content rules skipped: %q, want skipped %v", r.Skipped, tc.skipped)
			}
			if !strings.HasSuffix(report(r), "checkapp: case.tgz FAILED\n") {
				t.Errorf("report does not end in FAILED:\n%s", report(r))
			}
		})
	}
}

func TestDamagedArchives(t *testing.T) {
	good := goodPackage(t).bytes()
	cases := []struct {
		name string
		data []byte
		rule string
		want string
	}{
		{"empty file", nil, "package_compression", "is not gzip-compressed (starts with 0x)"},
		{"truncated gzip", good[:len(good)/2], "package_compression", "is a damaged gzip file"},
		{"gzip of text", gzipped("just text, not a tar archive, long enough to fill a tar header block or not"), "package_compression", "does not hold a tar archive"},
		{"empty tar", gzipped(string(make([]byte, 1024))), "single_top_dir", "the archive is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Check("x.tgz", tc.data)
			f := r.Failures()
			if len(f) != 1 || f[0].Rule != tc.rule || !strings.Contains(f[0].Detail, tc.want) {
				t.Fatalf("failures %v, want one %s containing %q", f, tc.rule, tc.want)
			}
		})
	}
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.Bytes()
}

func TestCheckFileMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.tgz")
	r := CheckFile(missing)
	f := r.Failures()
	if len(f) != 1 || f[0].Rule != "package_compression" || !strings.Contains(f[0].Detail, missing+" is not a readable file") {
		t.Fatalf("failures %v", f)
	}
	good := filepath.Join(t.TempDir(), "SA-Eventgen-0.1.0.tgz")
	if err := os.WriteFile(good, goodPackage(t).bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := CheckFile(good); r.Failed() {
		t.Fatalf("good package on disk fails:\n%s", report(r))
	}
}

// TestSystemDynamicBinary: a real dynamically linked program (this
// system's ls or sh) in place of the static Linux one fails binary_formats.
func TestSystemDynamicBinary(t *testing.T) {
	var data []byte
	for _, candidate := range []string{"/bin/ls", "/usr/bin/ls", "/bin/sh"} {
		b, err := os.ReadFile(candidate)
		if err != nil {
			continue
		}
		if f, err := elf.NewFile(bytes.NewReader(b)); err == nil && f.Machine == elf.EM_X86_64 {
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					data = b
				}
			}
		}
		if data != nil {
			break
		}
	}
	if data == nil {
		t.Skip("no dynamically linked x86-64 ELF program on this system")
	}
	p := goodPackage(t)
	p.entries["linux_x86_64/bin/modinput_eventgen"].data = data
	r := Check("case.tgz", p.bytes())
	f := r.Failures()
	if len(f) != 1 || f[0].Rule != "binary_formats" || !strings.Contains(f[0].Detail, "dynamically linked (has a PT_INTERP program header)") {
		t.Fatalf("failures %v, want one binary_formats about PT_INTERP", f)
	}
}
