package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestJSBuildLinksNoNetworkCode fails when validate.wasm links the
// outputs' network or file code again: the page downloads it, and those
// packages more than doubled its size (1.6 MB gzipped without them, 3.6
// MB with). The outputs' checks live in files of their own; the code
// that opens destinations is built with !js (see outputs/registry.go).
func TestJSBuildLinksNoNetworkCode(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the js build's packages:", err)
	}
	cmd := exec.Command(gotool, "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("GOOS=js GOARCH=wasm go list -deps: %v\n%s", err, stderr)
	}
	forbidden := map[string]bool{
		"net/http":                              true,
		"crypto/tls":                            true,
		"github.com/hashicorp/go-retryablehttp": true,
		"gopkg.in/natefinch/lumberjack.v2":      true,
		"github.com/eventgen-go/eventgen/src/internal/delivery": true,
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %q", deps)
	}
	for _, p := range deps {
		if forbidden[p] {
			t.Errorf("the js build (validate.wasm) links %s: keep network and file code in files built with !js", p)
		}
	}
}
