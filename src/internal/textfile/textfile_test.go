package textfile

import (
	"reflect"
	"testing"
)

func TestDecodeAndLines(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\nb", []string{"a", "b"}},
		{"a\rb\r", []string{"a", "b"}},
		{"\xef\xbb\xbfbom\n", []string{"bom"}},
		{"caf\xe9\n", []string{"café"}},
		{"", nil},
		{"\n", nil},
	}
	for _, c := range cases {
		if got := Lines(Normalize(Decode([]byte(c.in)))); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}
