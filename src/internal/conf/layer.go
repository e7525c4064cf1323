package conf

// Layered is the result of layering files in order, later files winning
// key by key, as splunkd layers default/ < local/ and apps in the order
// given. Each merged Stanza keeps, in Values, the File and Line of the file
// that set the winning value; its own File and Line are where the stanza
// was first defined, and its Keys are in order of first appearance across
// the files.
type Layered struct {
	Stanzas []*Stanza // merged; order of first appearance across files
}

// Layer merges files, lowest precedence first. Nil files are skipped and
// the files are not modified. [default] is merged like any other stanza and
// not applied to the others: that is the caller's decision.
func Layer(files ...*File) *Layered {
	l := &Layered{}
	byName := map[string]*Stanza{}
	for _, f := range files {
		if f == nil {
			continue
		}
		for _, s := range f.Stanzas {
			m := byName[s.Name]
			if m == nil {
				m = &Stanza{Name: s.Name, File: s.File, Line: s.Line, Values: make(map[string]Value, len(s.Keys))}
				byName[s.Name] = m
				l.Stanzas = append(l.Stanzas, m)
			}
			for _, k := range s.Keys {
				v, ok := s.Values[k]
				if !ok {
					continue
				}
				if _, seen := m.Values[k]; !seen {
					m.Keys = append(m.Keys, k)
				}
				m.Values[k] = v
			}
		}
	}
	return l
}

// Stanza returns the merged stanza called name (case-sensitive), or nil.
func (l *Layered) Stanza(name string) *Stanza {
	if l == nil {
		return nil
	}
	return findStanza(l.Stanzas, name)
}
