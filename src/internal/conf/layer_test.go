package conf

import (
	"slices"
	"testing"
)

func mustParse(t testing.TB, name, text string) *File {
	t.Helper()
	f, err := Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestLayer(t *testing.T) {
	def := mustParse(t, "default/eventgen.conf", `[global]
interval = 60
count = 10

[sample.log]
count = 5
earliest = -1m
`)
	local := mustParse(t, "local/eventgen.conf", `# user overrides
[sample.log]
index = test
count = 50

[extra.log]
count = 1
`)
	l := Layer(def, nil, local)

	var names []string
	for _, s := range l.Stanzas {
		names = append(names, s.Name)
	}
	if want := []string{"global", "sample.log", "extra.log"}; !slices.Equal(names, want) {
		t.Errorf("stanzas = %q, want %q", names, want)
	}

	s := l.Stanza("sample.log")
	if s == nil {
		t.Fatal("no [sample.log]")
	}
	if s.File != "default/eventgen.conf" || s.Line != 5 {
		t.Errorf("[sample.log] defined at %s:%d, want default/eventgen.conf:5", s.File, s.Line)
	}
	if want := []string{"count", "earliest", "index"}; !slices.Equal(s.Keys, want) {
		t.Errorf("[sample.log] keys = %q, want %q", s.Keys, want)
	}
	for key, want := range map[string]Value{
		"count":    {"50", "local/eventgen.conf", 4},    // overridden
		"earliest": {"-1m", "default/eventgen.conf", 7}, // kept
		"index":    {"test", "local/eventgen.conf", 3},  // added
	} {
		if got, ok := s.Get(key); !ok || got != want {
			t.Errorf("[sample.log] %s = %+v, %v; want %+v", key, got, ok, want)
		}
	}

	x := l.Stanza("extra.log")
	if x == nil || x.File != "local/eventgen.conf" || x.Line != 6 {
		t.Fatalf("[extra.log] = %+v, want from local/eventgen.conf:6", x)
	}
	if v, _ := x.Get("count"); v != (Value{"1", "local/eventgen.conf", 7}) {
		t.Errorf("[extra.log] count = %+v", v)
	}
	if g := l.Stanza("global"); g == nil || g.Values["interval"] != (Value{"60", "default/eventgen.conf", 2}) {
		t.Errorf("[global] = %+v", g)
	}
	if l.Stanza("Sample.log") != nil {
		t.Error("Layered.Stanza is case-insensitive")
	}

	// The inputs are not modified.
	if v, _ := def.Stanza("sample.log").Get("count"); v.Text != "5" {
		t.Errorf("Layer modified its input: default count = %q", v.Text)
	}
	if len(def.Stanza("sample.log").Keys) != 2 {
		t.Errorf("Layer modified its input's keys: %q", def.Stanza("sample.log").Keys)
	}
}

func TestLayerDefaultNotApplied(t *testing.T) {
	f := mustParse(t, "a.conf", "host = h\n[s]\na = 1\n")
	l := Layer(f)
	if _, ok := l.Stanza("s").Get("host"); ok {
		t.Error("Layer applied [default] to [s]")
	}
	if v, ok := l.Stanza("default").Get("host"); !ok || v.Text != "h" {
		t.Errorf("[default] host = %+v, %v", v, ok)
	}
}

func TestLayerEmpty(t *testing.T) {
	l := Layer()
	if len(l.Stanzas) != 0 || l.Stanza("x") != nil {
		t.Errorf("Layer() = %+v", l)
	}
	var nilLayered *Layered
	if nilLayered.Stanza("x") != nil {
		t.Error("Stanza on nil Layered found a stanza")
	}
}
