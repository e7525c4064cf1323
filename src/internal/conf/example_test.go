package conf_test

import (
	"fmt"

	"github.com/eventgen-go/eventgen/src/internal/conf"
)

func ExampleLayer() {
	def, _ := conf.Parse("default/eventgen.conf", []byte(`[sample.log]
count = 10
token.0.token = (?<=ip=)[^;]+ ; not a comment
`))
	local, _ := conf.Parse("local/eventgen.conf", []byte(`[sample.log]
count = 20
count = 30
`))
	for _, w := range local.Warnings {
		fmt.Println("warning:", w)
	}
	s := conf.Layer(def, local).Stanza("sample.log")
	for _, k := range s.Keys {
		v := s.Values[k]
		fmt.Printf("%s = %s (%s:%d)\n", k, v.Text, v.File, v.Line)
	}
	// Output:
	// warning: local/eventgen.conf:3: [sample.log] count: duplicate key: this value replaces the one on line 2 (the last one wins); remove one of them
	// count = 30 (local/eventgen.conf:3)
	// token.0.token = (?<=ip=)[^;]+ ; not a comment (default/eventgen.conf:3)
}
