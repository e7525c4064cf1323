package generate

import "testing"

func TestChunksEndLine(t *testing.T) {
	for _, c := range []struct {
		name        string
		trim, spans bool
		want        string
		ends        []int32
	}{
		{"raw", false, false, "a \t\nb\r\n", nil},
		{"trimmed", true, false, "a\nb\n", nil},
		{"spans", false, true, "a \t\nb\r\n", []int32{4, 7}},
		{"trimmed spans", true, true, "a\nb\n", []int32{2, 4}},
	} {
		out := &Chunks{Trim: c.trim, Spans: c.spans}
		for _, ev := range []string{"a \t", "b\r"} {
			start := len(out.Buf)
			out.Buf = append(out.Buf, ev...)
			out.EndLine(start)
		}
		if string(out.Buf) != c.want || len(out.Ends) != len(c.ends) {
			t.Errorf("%s: %q %v, want %q %v", c.name, out.Buf, out.Ends, c.want, c.ends)
			continue
		}
		for i := range c.ends {
			if out.Ends[i] != c.ends[i] {
				t.Errorf("%s: ends %v, want %v", c.name, out.Ends, c.ends)
			}
		}
	}
}
