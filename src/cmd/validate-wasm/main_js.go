//go:build js && wasm

package main

import (
	"syscall/js"
	"time"
	_ "time/tzdata" // timezone = <IANA name> is checked without the OS's zoneinfo
)

func main() {
	js.Global().Set("eventgenValidate", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 1 || args[0].Type() != js.TypeString {
			return string(validate(nil, time.Now()))
		}
		return string(validate([]byte(args[0].String()), time.Now()))
	}))
	// Serve calls until the page goes away.
	select {}
}
