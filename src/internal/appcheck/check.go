package appcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/eventgen-go/eventgen/src/internal/conf"
	"github.com/eventgen-go/eventgen/src/internal/settings"
)

// Result is one line of a report: a rule that holds (OK, with an optional
// detail) or one problem a rule found (Detail says what and where).
type Result struct {
	Rule   string
	OK     bool
	Detail string
}

// String formats r as check-app.sh did: "PASS rule[: detail]" or
// "FAIL rule: detail".
func (r Result) String() string {
	if r.OK {
		if r.Detail == "" {
			return "PASS " + r.Rule
		}
		return "PASS " + r.Rule + ": " + r.Detail
	}
	return "FAIL " + r.Rule + ": " + r.Detail
}

// Report is the outcome of checking one package.
type Report struct {
	Package string   // the package's name, as given to Check
	Results []Result // in rule order; a rule with problems has one per problem
	// Skipped, when set, says why the rules about the app's content were
	// not run (the archive is unsafe or ambiguous to extract); the package
	// then fails.
	Skipped string
}

// Failed reports whether any rule failed or the content rules were
// skipped.
func (r *Report) Failed() bool {
	return r.Skipped != "" || len(r.Failures()) > 0
}

// Failures returns the failed results.
func (r *Report) Failures() []Result {
	var out []Result
	for _, x := range r.Results {
		if !x.OK {
			out = append(out, x)
		}
	}
	return out
}

// WriteTo writes the report, one result a line, and a last line saying
// whether the package passed.
func (r *Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, x := range r.Results {
		b.WriteString(x.String())
		b.WriteByte('\n')
	}
	if r.Skipped != "" {
		b.WriteString("checkapp: " + r.Skipped + "\n")
	}
	if r.Failed() {
		b.WriteString("checkapp: " + r.Package + " FAILED\n")
	} else {
		b.WriteString("checkapp: " + r.Package + " passed\n")
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// CheckFile reads the package at path and checks it. A file that cannot
// be read fails package_compression.
func CheckFile(path string) *Report {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		r := &Report{Package: path}
		r.Results = append(r.Results, Result{Rule: "package_compression", Detail: fmt.Sprintf("%s is not a readable file: %v", path, err)})
		return r
	}
	return Check(path, data)
}

// Check checks the package whose bytes are data; name is used in
// messages.
func Check(name string, data []byte) *Report {
	c := &checker{r: &Report{Package: name}, size: int64(len(data))}
	c.run(name, data)
	return c.r
}

// checker runs the rules in order, collecting results.
type checker struct {
	r     *Report
	fails int
	size  int64

	ms    []member
	top   string
	app   *app
	confs map[string]*conf.File // parsed .conf and .meta files by path; nil for a file that does not parse

	readmes  []string
	schemes  []string
	binFiles []string
}

func (c *checker) fail(rule, format string, args ...any) {
	c.r.Results = append(c.r.Results, Result{Rule: rule, Detail: fmt.Sprintf(format, args...)})
	c.fails++
}

func (c *checker) pass(rule, detail string) {
	c.r.Results = append(c.r.Results, Result{Rule: rule, OK: true, Detail: detail})
}

// rule runs check and adds a pass for rule if check added no failure.
func (c *checker) rule(rule string, check func() string) {
	n := c.fails
	detail := check()
	if c.fails == n {
		c.pass(rule, detail)
	}
}

func (c *checker) run(name string, data []byte) {
	ms, err := readArchive(name, data)
	if err != nil {
		c.fail("package_compression", "%v", err)
		return
	}
	c.pass("package_compression", "gzip")
	c.ms = ms
	if len(ms) == 0 {
		c.fail("single_top_dir", "the archive is empty; pack the app folder (package.sh does)")
		return
	}
	safe := c.memberNames()
	safe = c.memberTypes() && safe
	c.singleTopDir()
	c.nameRules()
	c.modeRules()
	c.packageSize()
	if !safe || c.top == "" {
		c.r.Skipped = "not reading the content of an unsafe or ambiguous archive; content rules skipped (fix the FAIL lines above)"
		return
	}
	c.app = newApp(c.top, ms)
	c.parseConfs()

	c.rule("readme", c.readme)
	if c.app.file("default/app.conf") == nil {
		c.fail("default_app_conf", "default/app.conf is missing; every app needs one")
	} else {
		c.pass("default_app_conf", "")
		c.appConf()
	}
	c.rule("no_local", c.noLocal)
	c.rule("conf_syntax", c.confSyntax)
	c.rule("spec_syntax", c.specSyntax)
	c.rule("inputs_spec_stanzas", c.inputsSpec)
	c.rule("modinput_executables", c.modinputExecutables)
	c.rule("binaries_in_bin", c.binariesInBin)
	c.rule("binary_formats", c.binaryFormats)
	c.rule("binaries_declared", c.binariesDeclared)
	c.customConfs()
	c.rule("ui_views", c.uiViews)
	c.rule("view_assets", c.viewAssets)
	c.rule("js_no_dynamic_code", c.jsNoDynamicCode)
	c.rule("meta_sc_admin", c.metaScAdmin)
}

// ---------------------------------------------------------------- archive

func (c *checker) memberNames() bool {
	safe := true
	c.rule("member_names", func() string {
		for _, m := range c.ms {
			if strings.HasPrefix(m.name, "./") || m.name == "." {
				c.fail("member_names", "%s starts with ./ (build the tar from the parent folder, naming the app folder)", m.name)
			}
			if strings.HasPrefix(m.name, "/") {
				c.fail("member_names", "%s is an absolute path; store paths relative to the app's parent folder", m.name)
				safe = false
			}
			if strings.Contains("/"+m.name+"/", "/../") {
				c.fail("member_names", "%s contains ..; store only paths inside the app folder", m.name)
				safe = false
			}
		}
		return ""
	})
	return safe
}

func (c *checker) memberTypes() bool {
	safe := true
	c.rule("member_types", func() string {
		for _, m := range c.ms {
			switch m.typ {
			case 'f', 'd':
				continue
			case 'l':
				c.fail("member_types", "%s is a symbolic link; package a copy of the file instead", m.name)
			case 'h':
				c.fail("member_types", "%s is a hard link; package a copy of the file instead", m.name)
			default:
				c.fail("member_types", "%s is not a regular file or directory (tar type %q); remove it", m.name, m.typ)
			}
			safe = false
		}
		return ""
	})
	return safe
}

func (c *checker) singleTopDir() {
	c.rule("single_top_dir", func() string {
		tops := map[string]bool{}
		for _, m := range c.ms {
			n, _, _ := strings.Cut(clean(m.name), "/")
			if n != "" && n != "." {
				tops[n] = true
			}
		}
		if len(tops) != 1 {
			names := make([]string, 0, len(tops))
			for n := range tops {
				names = append(names, n)
			}
			sort.Strings(names)
			c.fail("single_top_dir", "%d top-level entries: %s; the package must hold one folder named after the app", len(tops), strings.Join(names, " "))
			return ""
		}
		for n := range tops {
			c.top = n
		}
		isDir := false
		for _, m := range c.ms {
			if clean(m.name) == c.top && m.typ == 'd' {
				isDir = true
			}
		}
		if !isDir {
			// tar may omit the directory entry; it is still one folder if
			// every member is below it.
			for _, m := range c.ms {
				if !strings.HasPrefix(strings.TrimPrefix(m.name, "./"), c.top+"/") {
					c.fail("single_top_dir", "%s is not inside a top folder; put everything in the app folder", m.name)
				}
			}
		}
		if strings.HasPrefix(c.top, ".") {
			c.fail("single_top_dir", "the top folder %s is hidden; name it after the app", c.top)
		}
		return c.top
	})
}

var leftovers = []string{"~", ".swp", ".orig", ".rej", ".bak", ".tmp", ".test", ".out"}

func (c *checker) nameRules() {
	c.rule("no_hidden_files", func() string {
		for _, m := range c.ms {
			for _, p := range strings.Split(clean(m.name), "/") {
				if strings.HasPrefix(p, ".") {
					c.fail("no_hidden_files", "%s (hidden: %s); leave it out of the package", m.name, p)
					break
				}
				if p == "__MACOSX" {
					c.fail("no_hidden_files", "%s (__MACOSX); leave it out of the package", m.name)
					break
				}
			}
		}
		return ""
	})
	c.rule("no_compiled_python", func() string {
		for _, m := range c.ms {
			if strings.HasSuffix(m.name, ".pyc") || strings.HasSuffix(m.name, ".pyo") || strings.Contains(m.name, "/__pycache__/") {
				c.fail("no_compiled_python", "%s is compiled Python; leave it out of the package", m.name)
			}
		}
		return ""
	})
	c.rule("no_build_leftovers", func() string {
		for _, m := range c.ms {
			n := strings.TrimSuffix(m.name, "/")
			for _, s := range leftovers {
				if strings.HasSuffix(n, s) {
					c.fail("no_build_leftovers", "%s looks like a backup or build leftover (*%s); leave it out of the package", m.name, s)
					break
				}
			}
		}
		return ""
	})
}

// rel is a member's path inside the top folder.
func (c *checker) rel(m member) string {
	n := clean(m.name)
	if c.top != "" {
		n = strings.TrimPrefix(n, c.top+"/")
	}
	return n
}

func (c *checker) modeRules() {
	c.rule("no_world_writable", func() string {
		for _, m := range c.ms {
			if m.mode&0o002 != 0 {
				c.fail("no_world_writable", "%s is world-writable (mode %04o); chmod o-w", m.name, m.mode)
			}
		}
		return ""
	})
	c.rule("owner_permissions", func() string {
		for _, m := range c.ms {
			if m.typ == 'd' && m.mode&0o700 != 0o700 {
				c.fail("owner_permissions", "%s directory mode %04o: the owner needs rwx (chmod u+rwx)", m.name, m.mode)
			} else if m.typ != 'd' && m.mode&0o600 != 0o600 {
				c.fail("owner_permissions", "%s mode %04o: the owner needs rw (chmod u+rw)", m.name, m.mode)
			}
		}
		return ""
	})
	c.rule("executables_in_bin", func() string {
		for _, m := range c.ms {
			if m.typ == 'f' && m.mode&0o111 != 0 && !inBin(path.Dir(c.rel(m))) {
				c.fail("executables_in_bin", "%s is executable (mode %04o) outside a bin folder; chmod 0644, or move a program to <platform>/bin", m.name, m.mode)
			}
		}
		return ""
	})
	c.rule("file_modes", func() string {
		for _, m := range c.ms {
			var want int64
			switch {
			case m.typ == 'd':
				want = 0o755
			case m.typ != 'f':
				continue
			case inBin(path.Dir(c.rel(m))):
				want = 0o755
			default:
				want = 0o644
			}
			if m.mode != want {
				c.fail("file_modes", "%s has mode %04o, want %04o", m.name, m.mode, want)
			}
		}
		return ""
	})
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/1048576) }

func (c *checker) packageSize() {
	var unpacked int64
	for _, m := range c.ms {
		unpacked += m.size
	}
	if c.size >= 1<<30 {
		c.fail("package_size", "%s compressed: Splunkbase takes packages under 1 GiB; leave out what the app does not need", mib(c.size))
		return
	}
	c.pass("package_size", fmt.Sprintf("%s compressed, %s unpacked, %d entries", mib(c.size), mib(unpacked), len(c.ms)))
}

// ---------------------------------------------------------------- .conf

// parseConfs reads every .conf and .meta file of the app.
func (c *checker) parseConfs() {
	c.confs = map[string]*conf.File{}
	for _, rel := range c.app.list(isConf) {
		f, err := conf.Parse(rel, c.app.file(rel).data)
		if err != nil {
			f = nil
		}
		c.confs[rel] = f
	}
}

func isConf(rel string) bool {
	return strings.HasSuffix(rel, ".conf") || strings.HasSuffix(rel, ".meta")
}

// get returns the value of key in [stanza] of the .conf at rel, and
// whether it is set.
func (c *checker) get(rel, stanza, key string) (conf.Value, bool) {
	return c.confs[rel].Stanza(stanza).Get(key)
}

// at is "file:line" for a value.
func at(v conf.Value) string { return v.File + ":" + strconv.Itoa(v.Line) }

func (c *checker) readme() string {
	for rel := range c.app.files {
		if !strings.Contains(rel, "/") && strings.HasPrefix(strings.ToLower(rel), "readme") {
			c.readmes = append(c.readmes, rel)
		}
	}
	sort.Strings(c.readmes)
	if len(c.readmes) == 0 {
		c.fail("readme", "no README file at the app root (README/ is for .spec files; add README.md or README.txt)")
	}
	return strings.Join(c.readmes, " ")
}

var (
	packageIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	semverRe    = regexp.MustCompile(`^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	buildRe     = regexp.MustCompile(`^[1-9][0-9]*$`)
)

// appConf runs the rules about default/app.conf.
func (c *checker) appConf() {
	const ac = "default/app.conf"
	c.rule("package_id", func() string {
		id, _ := c.get(ac, "package", "id")
		name, hasName := c.get(ac, "id", "name")
		if id.Text == "" {
			c.fail("package_id", "%s: [package] id is not set; set it to the app folder's name, %s", ac, c.top)
		} else {
			if !packageIDRe.MatchString(id.Text) || strings.HasSuffix(id.Text, ".") {
				c.fail("package_id", "%s: [package] id '%s' may hold only letters, digits, '.', '_' and '-', and must not end with '.'", at(id), id.Text)
			}
			if id.Text != c.top {
				c.fail("package_id", "%s: [package] id '%s' differs from the top folder '%s'; name the folder after the id", at(id), id.Text, c.top)
			}
		}
		if name.Text != "" && name.Text != c.top {
			c.fail("package_id", "%s: [id] name '%s' differs from the top folder '%s'; name the folder after the app", at(name), name.Text, c.top)
		}
		if !hasName || name.Text == "" {
			c.fail("package_id", "%s: [id] name is not set; set it to the app folder's name, %s", ac, c.top)
		}
		return id.Text
	})

	v, _ := c.get(ac, "install", "is_configured")
	if b, err := settings.ParseBool(v.Text); v.Text == "" {
		c.fail("is_configured", "%s: [install] is_configured is not set; set it to false", ac)
	} else if err != nil || b {
		c.fail("is_configured", "%s: [install] is_configured = %s; AppInspect wants false", at(v), v.Text)
	} else {
		c.pass("is_configured", v.Text)
	}

	v, ok := c.get(ac, "install", "build")
	if buildRe.MatchString(v.Text) {
		c.pass("build_number", v.Text)
	} else if ok {
		c.fail("build_number", "%s: [install] build = '%s'; want a positive integer", at(v), v.Text)
	} else {
		c.fail("build_number", "%s: [install] build is not set; want a positive integer", ac)
	}

	c.rule("version_semver", func() string {
		idv, _ := c.get(ac, "id", "version")
		lv, _ := c.get(ac, "launcher", "version")
		if lv.Text == "" {
			c.fail("version_semver", "%s: [launcher] version is not set; set it to MAJOR.MINOR.PATCH", ac)
		}
		if idv.Text == "" {
			c.fail("version_semver", "%s: [id] version is not set; set it to [launcher] version", ac)
		}
		if lv.Text != "" && !semverRe.MatchString(lv.Text) {
			c.fail("version_semver", "%s: [launcher] version '%s' is not semver (MAJOR.MINOR.PATCH)", at(lv), lv.Text)
		}
		if idv.Text != "" && !semverRe.MatchString(idv.Text) {
			c.fail("version_semver", "%s: [id] version '%s' is not semver (MAJOR.MINOR.PATCH)", at(idv), idv.Text)
		}
		if lv.Text != "" && idv.Text != "" && lv.Text != idv.Text {
			c.fail("version_semver", "%s: [id] version %s differs from [launcher] version %s (%s); make them equal", at(idv), idv.Text, lv.Text, at(lv))
		}
		if m := c.app.file("app.manifest"); m != nil {
			var manifest struct {
				Info struct {
					ID struct {
						Version string `json:"version"`
					} `json:"id"`
				} `json:"info"`
			}
			if err := json.Unmarshal(m.data, &manifest); err != nil {
				c.fail("version_semver", "app.manifest is not valid JSON (%v); fix it or regenerate it with slim", err)
			} else if manifest.Info.ID.Version != lv.Text {
				c.fail("version_semver", "app.manifest info.id.version '%s' differs from [launcher] version %s; make them equal", manifest.Info.ID.Version, lv.Text)
			}
		}
		return lv.Text
	})

	v, _ = c.get(ac, "package", "check_for_updates")
	if b, err := settings.ParseBool(v.Text); err == nil && !b {
		c.pass("check_for_updates", v.Text)
	} else if v.Text == "" {
		c.fail("check_for_updates", "%s: [package] check_for_updates is not set (default true); set it to false", ac)
	} else {
		c.fail("check_for_updates", "%s: [package] check_for_updates = '%s'; set it to false", at(v), v.Text)
	}

	c.rule("no_install_source_checksum", func() string {
		if f := c.confs[ac]; f != nil {
			for _, s := range f.Stanzas {
				if v, ok := s.Get("install_source_checksum"); ok {
					c.fail("no_install_source_checksum", "%s: [%s] install_source_checksum is set; remove it (Splunk writes it on install)", at(v), s.Name)
				}
			}
		}
		return ""
	})
}

func (c *checker) noLocal() string {
	if c.app.dirs["local"] || c.app.file("local") != nil {
		c.fail("no_local", "the package has a local/ folder; settings ship in default/")
	}
	for _, rel := range c.app.list(func(rel string) bool { return path.Base(rel) == "local.meta" }) {
		c.fail("no_local", "%s (local.meta); permissions ship in metadata/default.meta", rel)
	}
	return ""
}

// confSyntax: every .conf and .meta file parses without a warning: Splunk
// would apply what it warns about silently, and not as meant.
func (c *checker) confSyntax() string {
	rels := c.app.list(isConf)
	for _, rel := range rels {
		data := c.app.file(rel).data
		f, err := conf.Parse(rel, data)
		if err != nil {
			c.fail("conf_syntax", "%v", err)
			continue
		}
		for _, w := range f.Warnings {
			if strings.HasSuffix(rel, ".meta") && isAppStanza(data, w) {
				continue
			}
			c.fail("conf_syntax", "%v", w)
		}
	}
	return fmt.Sprintf("%d files", len(rels))
}

// isAppStanza reports whether w is the warning about the first "[]"
// header of a .meta file: there the empty name is the stanza for the
// whole app (splunk-platform.md §4.6), not a mistake.
func isAppStanza(data []byte, w *conf.Error) bool {
	if w.Stanza != "" || w.Key != "" {
		return false
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Trim(line, " \t\r") == "[]" {
			return i+1 == w.Line
		}
	}
	return false
}

func (c *checker) specSyntax() string {
	rels := c.app.list(func(rel string) bool { return strings.HasSuffix(rel, ".spec") })
	for _, rel := range rels {
		for _, p := range lintSpec(rel, c.app.file(rel).data).problems {
			c.fail("spec_syntax", "%v", p)
		}
	}
	return fmt.Sprintf("%d files", len(rels))
}

// ---------------------------------------------------------------- modular inputs

var (
	schemeRe      = regexp.MustCompile(`^[0-9a-zA-Z][0-9a-zA-Z_-]*$`)
	builtinInputs = []string{"batch", "fifo", "monitor", "script", "splunktcp", "tcp", "udp"}
)

func (c *checker) inputsSpec() string {
	const rel = "README/inputs.conf.spec"
	m := c.app.file(rel)
	if m == nil {
		return "no README/inputs.conf.spec (no modular input)"
	}
	stanzas := lintSpec(rel, m.data).stanzas()
	if len(stanzas) == 0 {
		c.fail("inputs_spec_stanzas", "%s has no stanza; declare [<scheme>://<name>] with its properties", rel)
	}
	for _, s := range stanzas {
		where := fmt.Sprintf("%s:%d: [%s]", rel, s.Line, s.Name)
		if len(s.Keys) == 0 {
			c.fail("inputs_spec_stanzas", "%s has no property; AppInspect needs at least one (key = <type>)", where)
		}
		scheme, _, ok := strings.Cut(s.Name, "://")
		if !ok {
			continue
		}
		if !schemeRe.MatchString(scheme) {
			c.fail("inputs_spec_stanzas", "%s: scheme '%s' must match [0-9a-zA-Z][0-9a-zA-Z_-]*", where, scheme)
		}
		if slices.Contains(builtinInputs, scheme) {
			c.fail("inputs_spec_stanzas", "%s: '%s' is a built-in input type; name the modular input's scheme after its program", where, scheme)
		}
		c.schemes = append(c.schemes, scheme)
	}
	if len(c.schemes) == 0 {
		return "no modular input"
	}
	return strings.Join(c.schemes, " ")
}

func (c *checker) modinputExecutables() string {
	for _, scheme := range c.schemes {
		for _, want := range []string{"linux_x86_64/bin/" + scheme, "darwin_x86_64/bin/" + scheme, "windows_x86_64/bin/" + scheme + ".exe"} {
			m := c.app.file(want)
			if m == nil {
				c.fail("modinput_executables", "%s is missing (scheme %s of README/inputs.conf.spec); splunkd runs it for %s:// inputs", want, scheme, scheme)
			} else if m.mode&0o111 != 0o111 {
				c.fail("modinput_executables", "%s is not executable (mode %04o); chmod 0755", want, m.mode)
			}
		}
	}
	if len(c.schemes) == 0 {
		return "none"
	}
	return strings.Join(c.schemes, " ")
}

// ---------------------------------------------------------------- binaries

func (c *checker) binariesInBin() string {
	for _, rel := range c.app.list(func(string) bool { return true }) {
		if inBin(path.Dir(rel)) {
			c.binFiles = append(c.binFiles, rel)
			continue
		}
		if k := kindOf(c.app.file(rel).data); k != kindOther {
			c.fail("binaries_in_bin", "%s is %s binary outside a bin folder; move it to <platform>/bin or leave it out", rel, k.article())
		}
	}
	return ""
}

func (c *checker) binaryFormats() string {
	for _, rel := range c.binFiles {
		if problem := binaryProblem(rel, c.app.file(rel).data); problem != "" {
			c.fail("binary_formats", "%s: %s", rel, problem)
		}
	}
	return fmt.Sprintf("%d binaries (checked with debug/elf, debug/macho, debug/pe)", len(c.binFiles))
}

func (c *checker) binariesDeclared() string {
	var decl strings.Builder
	for _, r := range c.readmes {
		decl.WriteString(declarationSection(string(c.app.file(r).data)))
	}
	if len(c.binFiles) > 0 && decl.Len() == 0 {
		c.fail("binaries_declared", "the README has no \"Binary File Declaration\" section listing the %d files in bin folders; add one naming each file, its platform and its source", len(c.binFiles))
		return ""
	}
	for _, rel := range c.binFiles {
		if !strings.Contains(decl.String(), rel) {
			c.fail("binaries_declared", "%s is not listed in the README's Binary File Declaration; add it with its platform and source", rel)
		}
	}
	return fmt.Sprintf("%d files", len(c.binFiles))
}

// ---------------------------------------------------------------- custom confs

// splunkConfs are the .conf files Splunk itself defines; any other in
// default/ is the app's own.
var splunkConfs = strings.Fields(`alert_actions app audit authentication authorize bookmarks checklist collections commands
  crawl datamodels datatypesbnf default-mode deployment deploymentclient distsearch event_renderers
  eventdiscoverer eventtypes federated fields global-banner health indexes inputs instance limits
  literals livetail macros messages metric_alerts metric_rollups migration multikv outputs passwords
  procmon-filters props pubsub restmap savedsearches searchbnf segmenters server serverclass
  source-classifier sourcetypes splunk-launch tags telemetry times transactiontypes transforms
  ui-prefs ui-tour user-prefs user-seed viewstates visualizations web web-features wmi
  workflow_actions workload_policy workload_pools workload_rules`)

func (c *checker) customConfs() {
	var custom []string
	for _, rel := range c.app.list(func(rel string) bool {
		return path.Dir(rel) == "default" && strings.HasSuffix(rel, ".conf")
	}) {
		if n := strings.TrimSuffix(path.Base(rel), ".conf"); !slices.Contains(splunkConfs, n) {
			custom = append(custom, n)
		}
	}
	names := "none"
	if len(custom) > 0 {
		names = strings.Join(custom, " ")
	}
	c.rule("custom_conf_spec", func() string {
		for _, n := range custom {
			if c.app.file("README/"+n+".conf.spec") == nil {
				c.fail("custom_conf_spec", "default/%s.conf has no README/%s.conf.spec (btool check would reject its keys); add the spec", n, n)
			}
		}
		return names
	})
	c.rule("custom_conf_replication", func() string {
		for _, n := range custom {
			v, _ := c.get("default/server.conf", "shclustering", "conf_replication_include."+n)
			if b, err := settings.ParseBool(v.Text); err != nil || !b {
				c.fail("custom_conf_replication", "default/server.conf lacks [shclustering] conf_replication_include.%s = true; add it so search head clusters replicate %s.conf", n, n)
			}
		}
		return names
	})
	c.rule("custom_conf_reload", func() string {
		for _, n := range custom {
			if _, ok := c.get("default/app.conf", "triggers", "reload."+n); !ok {
				c.fail("custom_conf_reload", "default/app.conf lacks [triggers] reload.%s (simple is enough); add it so changes apply without a restart", n)
			}
		}
		return names
	})
}

// ---------------------------------------------------------------- views

const viewsDir = "default/data/ui/views"

var (
	navDefaultRe = regexp.MustCompile(`<view [^>]*default="true"[^>]*>`)
	nameAttrRe   = regexp.MustCompile(`.*name="([^"]*)"`)
	viewTagRe    = regexp.MustCompile(`<(dashboard|form)[^>]*>`)
	assetAttrRe  = map[string]*regexp.Regexp{
		"script":     regexp.MustCompile(`.*\sscript="([^"]*)"`),
		"stylesheet": regexp.MustCompile(`.*\sstylesheet="([^"]*)"`),
	}
)

func (c *checker) uiViews() string {
	const ac = "default/app.conf"
	if c.app.file(ac) == nil {
		return ""
	}
	if v, _ := c.get(ac, "ui", "is_visible"); v.Text != "" {
		if b, err := settings.ParseBool(v.Text); err == nil && b {
			const nav = "default/data/ui/nav/default.xml"
			m := c.app.file(nav)
			if m == nil {
				c.fail("ui_views", "%s: [ui] is_visible = %s but %s is missing (Splunk Web would show an empty app); add a nav or set is_visible = false", at(v), v.Text, nav)
			} else {
				text := strings.ReplaceAll(string(m.data), "\n", " ")
				dv := ""
				if tag := navDefaultRe.FindString(text); tag != "" {
					if sm := nameAttrRe.FindStringSubmatch(tag); sm != nil {
						dv = sm[1]
					}
				}
				if dv == "" {
					c.fail("ui_views", "%s has no <view name=... default=\"true\"/>; mark the app's first page", nav)
				} else if c.app.file(viewsDir+"/"+dv+".xml") == nil {
					c.fail("ui_views", "the nav's default view %s has no %s/%s.xml; add the view or fix %s", dv, viewsDir, dv, nav)
				}
			}
		}
	}
	if sv, ok := c.get(ac, "ui", "setup_view"); ok && sv.Text != "" && c.app.file(viewsDir+"/"+sv.Text+".xml") == nil {
		c.fail("ui_views", "%s: [ui] setup_view = %s but %s/%s.xml is missing; add the view or fix setup_view", at(sv), sv.Text, viewsDir, sv.Text)
	}
	return ""
}

func (c *checker) viewAssets() string {
	views := c.app.list(func(rel string) bool {
		return strings.HasPrefix(rel, viewsDir+"/") && strings.HasSuffix(rel, ".xml")
	})
	for _, rel := range views {
		tag := viewTagRe.FindString(strings.ReplaceAll(string(c.app.file(rel).data), "\n", " "))
		for _, attr := range []string{"script", "stylesheet"} {
			sm := assetAttrRe[attr].FindStringSubmatch(tag)
			if sm == nil {
				continue
			}
			for _, a := range strings.Split(sm[1], ",") {
				a = strings.ReplaceAll(a, " ", "")
				if a == "" || strings.Contains(a, ":") { // "app:file" is another app's asset
					continue
				}
				if c.app.file("appserver/static/"+a) == nil {
					c.fail("view_assets", "%s loads %s %s, which is not in appserver/static; add the file or fix the view", rel, attr, a)
				}
			}
		}
	}
	for _, rel := range c.app.list(func(rel string) bool {
		return strings.HasPrefix(rel, "appserver/static/") && strings.HasSuffix(rel, ".wasm")
	}) {
		if c.app.file(path.Dir(rel)+"/wasm_exec.js") == nil {
			c.fail("view_assets", "%s has no wasm_exec.js beside it (Go's WebAssembly runtime, from $(go env GOROOT)/lib/wasm); copy it there", rel)
		}
	}
	return fmt.Sprintf("%d views", len(views))
}

var dynamicCodeRe = regexp.MustCompile(`(^|[^A-Za-z0-9_.])eval\s*\(|new\s+Function\s*\(|document\.write(ln)?\s*\(`)

func (c *checker) jsNoDynamicCode() string {
	files := c.app.list(func(rel string) bool { return strings.HasSuffix(rel, ".js") })
	for _, rel := range files {
		for i, line := range strings.Split(string(c.app.file(rel).data), "\n") {
			for _, m := range dynamicCodeRe.FindAllString(line, -1) {
				m = m[strings.IndexAny(m, "abcdefghijklmnopqrstuvwxyz"):]
				c.fail("js_no_dynamic_code", "%s:%d runs code built at run time (%s); Splunk Cloud vetting rejects it, so build the code into the file", rel, i+1, m)
			}
		}
	}
	return fmt.Sprintf("%d files", len(files))
}

var adminRe = regexp.MustCompile(`(^|[^a-z_])admin([^a-z_]|$)`)

func (c *checker) metaScAdmin() string {
	for _, rel := range c.app.list(func(rel string) bool {
		return strings.HasPrefix(rel, "metadata/") && strings.HasSuffix(rel, ".meta")
	}) {
		f := c.confs[rel]
		if f == nil {
			continue
		}
		for _, s := range f.Stanzas {
			v, ok := s.Get("access")
			if !ok {
				continue
			}
			_, w, ok := strings.Cut(v.Text, "write")
			if !ok {
				continue
			}
			w, _, _ = strings.Cut(w, "]")
			if adminRe.MatchString(w) && !strings.Contains(w, "sc_admin") {
				c.fail("meta_sc_admin", "%s: [%s] access = %s grants write to admin but not sc_admin; add sc_admin (Splunk Cloud's admin role)", at(v), s.Name, v.Text)
			}
		}
	}
	return ""
}
