//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main outside WebAssembly only says how to build the program; the
// checks themselves are tested on every platform (validate_test.go).
func main() {
	fmt.Fprintln(os.Stderr, "validate-wasm runs in a browser: build it with GOOS=js GOARCH=wasm go build ./src/cmd/validate-wasm")
	os.Exit(2)
}
