package main

import (
	"archive/tar"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

const repoRoot = "../.."

// The image tarball unpacks to a root file system whose static binary
// runs: it generates the bundled demo and serves /healthz. The image runs
// as a non-root user, has no shell, starts eventgen serve and carries its
// version in labels; the same inputs give the same bytes.
func TestImage(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the image is linux/amd64; its binary runs only there")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "eventgen")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version=9.9.9-test", "-o", bin, "./src/cmd/eventgen")
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	o := Options{Binary: bin, Samples: filepath.Join(repoRoot, "samples"), Version: "9.9.9", Revision: "abc1234", Created: time.Unix(1700000000, 0).UTC()}
	img, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(tmp, "eventgen.oci.tar")
	if err := WriteArchive(img, archive, Repository+":9.9.9"); err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(tmp, "again.oci.tar")
	img2, _ := Build(o)
	if err := WriteArchive(img2, again, Repository+":9.9.9"); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(archive)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Error("two builds from the same inputs differ")
	}

	// Read the archive back as a consumer would: untar the layout, open
	// the image it indexes.
	layoutDir := filepath.Join(tmp, "layout")
	untar(t, bytes.NewReader(a), layoutDir)
	idx, err := layout.ImageIndexFromPath(layoutDir)
	if err != nil {
		t.Fatal(err)
	}
	im, err := idx.IndexManifest()
	if err != nil || len(im.Manifests) != 1 {
		t.Fatalf("index: %v %+v", err, im)
	}
	if got := im.Manifests[0].Annotations["org.opencontainers.image.ref.name"]; got != "docker.io/eventgen-go/eventgen:9.9.9" {
		t.Errorf("ref.name %q", got)
	}
	got, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if c.User == "" || strings.HasPrefix(c.User, "0") || strings.HasPrefix(c.User, "root") {
		t.Errorf("user %q: want a non-root user", c.User)
	}
	if want := []string{"/eventgen", "serve", "--listen", "0.0.0.0:8090"}; !slices.Equal(c.Entrypoint, want) {
		t.Errorf("entrypoint %q, want %q", c.Entrypoint, want)
	}
	if _, ok := c.ExposedPorts["8090/tcp"]; !ok {
		t.Errorf("exposed ports %v", c.ExposedPorts)
	}
	if c.Labels["org.opencontainers.image.version"] != "9.9.9" || c.Labels["org.opencontainers.image.revision"] != "abc1234" {
		t.Errorf("labels %v", c.Labels)
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" {
		t.Errorf("platform %s/%s", cf.OS, cf.Architecture)
	}

	rootfs := filepath.Join(tmp, "rootfs")
	untar(t, mutate.Extract(got), rootfs)
	for _, sh := range []string{"bin/sh", "bin/bash", "bin/busybox", "usr/bin/sh"} {
		if _, err := os.Lstat(filepath.Join(rootfs, sh)); err == nil {
			t.Errorf("the image has a shell: /%s", sh)
		}
	}
	if _, err := os.Stat(filepath.Join(rootfs, "samples", "eventgen.conf")); err != nil {
		t.Errorf("no bundled samples: %v", err)
	}
	passwd, _ := os.ReadFile(filepath.Join(rootfs, "etc", "passwd"))
	if uid := strings.Split(c.User, ":")[0]; !regexp.MustCompile(`(?m)^nonroot:x:` + uid + `:`).Match(passwd) {
		t.Errorf("/etc/passwd does not name user %s:\n%s", uid, passwd)
	}
	ef, err := elf.Open(filepath.Join(rootfs, "eventgen"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ef.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked (it has an interpreter)")
		}
	}
	ef.Close()

	// Run it from the unpacked root file system, as the entrypoint would
	// (working directory /: the demo is samples/eventgen.conf).
	exe := filepath.Join(rootfs, "eventgen")
	cmd := exec.Command(exe, "version")
	cmd.Dir = rootfs
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "9.9.9-test") {
		t.Errorf("eventgen version: %v %q", err, out)
	}
	cmd = exec.Command(exe, "generate", "--end", "1", "--now", "2024-01-01T00:00:00Z", "--seed", "1")
	cmd.Dir = rootfs
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || strings.Count(stdout.String(), "\n") < 10 {
		t.Errorf("generate from the image's root: %v, %d lines\n%s", err, strings.Count(stdout.String(), "\n"), stderr.String())
	}
	// The entrypoint's command, on loopback for the test.
	cmd = exec.Command(exe, "serve", "--listen", "127.0.0.1:0", "--output", "devnull")
	cmd.Dir = rootfs
	pr, pw := io.Pipe()
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := make(chan string, 1)
	go func() {
		buf := make([]byte, 64<<10)
		var seen []byte
		re := regexp.MustCompile(`msg="serving HTTP" addr=(\S+)`)
		for {
			n, err := pr.Read(buf)
			seen = append(seen, buf[:n]...)
			if m := re.FindSubmatch(seen); m != nil {
				addr <- string(m[1])
				io.Copy(io.Discard, pr)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case a := <-addr:
		if code, body := httpGet(t, "http://"+a+"/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("/healthz: %d %q", code, body)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not start within 15 s")
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after interrupt: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("serve did not stop within 15 s")
	}
	pw.Close()
}

func untar(t *testing.T, r io.Reader, dir string) {
	t.Helper()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		switch h.Typeflag {
		case tar.TypeDir:
			os.MkdirAll(p, 0o755)
		case tar.TypeReg:
			os.MkdirAll(filepath.Dir(p), 0o755)
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, os.FileMode(h.Mode&0o777)); err != nil {
				t.Fatal(err)
			}
		default:
			os.MkdirAll(filepath.Dir(p), 0o755)
			if h.Typeflag == tar.TypeSymlink {
				os.Symlink(h.Linkname, p)
			}
		}
	}
}
