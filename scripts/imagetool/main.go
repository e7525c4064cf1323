// Command imagetool builds eventgen's container image without a daemon:
// an OCI image (a layout, archived as one tar file) holding the static
// eventgen binary, the bundled demo samples and an /etc/passwd naming the
// non-root user it runs as. There is no shell and nothing else. The
// entrypoint is eventgen serve, listening on 0.0.0.0:8090.
//
//	go run . -binary BIN -samples DIR -version V -out eventgen-V.oci.tar
//
// scripts/image.sh runs it (package.sh calls that). The same inputs and
// SOURCE_DATE_EPOCH give the same bytes.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Where things are in the image.
const (
	BinaryPath = "eventgen"     // /eventgen
	SamplesDir = "samples"      // /samples: the demo, samples/eventgen.conf
	UID        = 65532          // the conventional "nonroot" of distroless images
	Listen     = "0.0.0.0:8090" // serve's address in the image
	Port       = "8090/tcp"     // exposed
	Repository = "eventgen-go/eventgen"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "imagetool:", err)
		os.Exit(1)
	}
}

// Options are the image's inputs.
type Options struct {
	Binary, Samples, Version, Revision, Out string
	Created                                 time.Time
}

func run(args []string, logw io.Writer) error {
	fset := flag.NewFlagSet("imagetool", flag.ContinueOnError)
	var o Options
	fset.StringVar(&o.Binary, "binary", "", "the static linux eventgen binary")
	fset.StringVar(&o.Samples, "samples", "", "the samples folder (with eventgen.conf)")
	fset.StringVar(&o.Version, "version", "", "the version (a label and the tag)")
	fset.StringVar(&o.Revision, "revision", "", "the commit (a label)")
	fset.StringVar(&o.Out, "out", "", "the image tarball to write")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if o.Binary == "" || o.Samples == "" || o.Version == "" || o.Out == "" {
		return fmt.Errorf("-binary, -samples, -version and -out are needed")
	}
	o.Created = time.Unix(0, 0).UTC()
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
		}
		o.Created = time.Unix(n, 0).UTC()
	}
	img, err := Build(o)
	if err != nil {
		return err
	}
	if err := WriteArchive(img, o.Out, Repository+":"+o.Version); err != nil {
		return err
	}
	d, _ := img.Digest()
	st, _ := os.Stat(o.Out)
	fmt.Fprintf(logw, "imagetool: %s (%s, %d bytes)\n", o.Out, d, st.Size())
	return nil
}

// Build assembles the image.
func Build(o Options) (v1.Image, error) {
	rootfs, err := rootFS(o)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(rootfs)), nil },
		tarball.WithMediaType(types.OCILayer))
	if err != nil {
		return nil, err
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{Layer: layer, History: v1.History{Created: v1.Time{Time: o.Created}, CreatedBy: "scripts/image.sh", Comment: "eventgen " + o.Version}})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS = "amd64", "linux"
	cf.Created = v1.Time{Time: o.Created}
	cf.Config.User = strconv.Itoa(UID) + ":" + strconv.Itoa(UID)
	cf.Config.WorkingDir = "/"
	cf.Config.Entrypoint = []string{"/" + BinaryPath, "serve", "--listen", Listen}
	cf.Config.Cmd = nil
	cf.Config.Env = []string{"PATH=/"}
	cf.Config.ExposedPorts = map[string]struct{}{Port: {}}
	cf.Config.StopSignal = "SIGTERM"
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.title":       "eventgen",
		"org.opencontainers.image.description": "Synthetic events from eventgen.conf and sample files (a Go Splunk Eventgen); eventgen serve on :8090",
		"org.opencontainers.image.version":     o.Version,
		"org.opencontainers.image.revision":    o.Revision,
		"org.opencontainers.image.created":     o.Created.Format(time.RFC3339),
		"org.opencontainers.image.licenses":    "Apache-2.0",
	}
	return mutate.ConfigFile(img, cf)
}

// WriteArchive writes img as an OCI image layout archived in one tar
// file (podman load, skopeo oci-archive:, docker load from Docker 25).
func WriteArchive(img v1.Image, out, ref string) error {
	dir, err := os.MkdirTemp("", "imagetool-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": "docker.io/" + ref,
		"io.containerd.image.name":          "docker.io/" + ref,
	})); err != nil {
		return err
	}
	var files []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, f)
		if err := tw.WriteHeader(&tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: time.Unix(0, 0), Format: tar.FormatPAX}); err != nil {
			return err
		}
		tw.Write(data)
	}
	if err := tw.Close(); err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// rootFS is the one layer: /eventgen, /samples/..., /etc/passwd and
// /etc/group naming the non-root user, and a writable /tmp.
func rootFS(o Options) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mt := o.Created
	dir := func(name string, mode int64) error {
		return tw.WriteHeader(&tar.Header{Name: name + "/", Mode: mode, Typeflag: tar.TypeDir, ModTime: mt, Format: tar.FormatPAX})
	}
	file := func(name string, mode int64, data []byte) error {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: mt, Format: tar.FormatPAX}); err != nil {
			return err
		}
		_, err := tw.Write(data)
		return err
	}
	bin, err := os.ReadFile(o.Binary)
	if err != nil {
		return nil, err
	}
	if err := file(BinaryPath, 0o755, bin); err != nil {
		return nil, err
	}
	for _, d := range []string{"etc", SamplesDir} {
		if err := dir(d, 0o755); err != nil {
			return nil, err
		}
	}
	if err := file("etc/passwd", 0o644, fmt.Appendf(nil, "root:x:0:0:root:/:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/tmp:/sbin/nologin\n", UID, UID)); err != nil {
		return nil, err
	}
	if err := file("etc/group", 0o644, fmt.Appendf(nil, "root:x:0:\nnonroot:x:%d:\n", UID)); err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "tmp/", Mode: 0o1777, Typeflag: tar.TypeDir, ModTime: mt, Format: tar.FormatPAX}); err != nil {
		return nil, err
	}
	var samples []string
	err = filepath.WalkDir(o.Samples, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name()[0] == '.' && path != o.Samples {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if path != o.Samples {
			samples = append(samples, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(samples)
	for _, p := range samples {
		rel, _ := filepath.Rel(o.Samples, p)
		name := SamplesDir + "/" + filepath.ToSlash(rel)
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if st.IsDir() {
			if err := dir(name, 0o755); err != nil {
				return nil, err
			}
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		if err := file(name, 0o644, data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
