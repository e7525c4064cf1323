// Package all links in every generator: a program (or a test) that
// builds generators by name imports it for its side effect,
//
//	import _ "github.com/eventgen-go/eventgen/src/internal/generators/all"
//
// Adding a generator is one folder, src/internal/generators/<name>/,
// whose init calls generate.Register, and one line here.
package all

import (
	_ "github.com/eventgen-go/eventgen/src/internal/generators/counter"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/default"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/jinja"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/replay"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/weblog"
	_ "github.com/eventgen-go/eventgen/src/internal/generators/windbag"
)
