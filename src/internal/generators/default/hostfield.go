package defaultgen

// recordHostField prepares host_type = event (pytest-splunk-addon): each
// event's host is the value its token.<n>.field = host token rendered in
// it, so that the host field and the text agree. A sample event the token
// does not match keeps the stanza's host.
func (g *Gen) recordHostField() {
	if g.s.HostField == 0 {
		return
	}
	g.hostSlots = make([]int, len(g.templates))
	for k, tpl := range g.templates {
		g.hostSlots[k] = tpl.Record(g.s.HostField - 1)
	}
}
