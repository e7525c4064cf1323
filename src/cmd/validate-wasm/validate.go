// Command validate-wasm is eventgen validate's stanza checks compiled to
// WebAssembly for the eventgen.conf editor page in Splunk Web
// (app/appserver/static/eventgen_editor.js): the page validates a form
// with the same Go code as the CLI and the modular input, so the rules
// cannot drift apart. Build it with
//
//	GOOS=js GOARCH=wasm go build -o app/appserver/static/validate.wasm ./src/cmd/validate-wasm
//
// (package.sh does, and copies Go's wasm_exec.js next to it). It defines
// one JavaScript function, eventgenValidate(request JSON) → answer JSON;
// see request and answer.
package main

import (
	"encoding/json"
	"time"

	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/outputs"

	_ "github.com/eventgen-go/eventgen/src/internal/outputs/all" // registers the outputs this build has
)

// request is what the page sends: a stanza's name and settings, and the
// [global] settings visible to it.
type request struct {
	Stanza string            `json:"stanza"`
	Values map[string]string `json:"values"`
	Global map[string]string `json:"global"`
}

// problem is one finding, keyed so the page can show it next to its field.
type problem struct {
	Severity string `json:"severity"` // ERROR or WARN
	Key      string `json:"key"`      // the setting, "" for the stanza itself
	Message  string `json:"message"`
}

// answer is {"problems":[...]} or {"error":"..."} when the request is not
// valid JSON.
type answer struct {
	Problems []problem `json:"problems"`
	Error    string    `json:"error,omitempty"`
}

// validate checks one stanza (config.CheckStanza) and answers in JSON.
func validate(in []byte, now time.Time) []byte {
	var req request
	out := answer{Problems: []problem{}}
	if err := json.Unmarshal(in, &req); err != nil {
		out.Error = "eventgenValidate: the request is not {\"stanza\":...,\"values\":{...}}: " + err.Error()
	} else {
		for _, p := range config.CheckStanza(req.Stanza, req.Values, req.Global, config.Options{Location: time.UTC, Now: now, CheckOutput: outputs.Validate}) {
			out.Problems = append(out.Problems, problem{Severity: p.Severity.String(), Key: p.Key, Message: p.Msg})
		}
	}
	b, _ := json.Marshal(out) // strings and slices only: cannot fail
	return b
}
