package token

// Record makes Append note where the value of token k lands in this
// template (its first use), for a field taken from the event's text
// (pytest-splunk-addon's host_type = event). It returns the slot to pass
// to Context.Span, or -1 when the template does not use token k.
func (t *Template) Record(k int) int {
	for i := range t.segs {
		if s := &t.segs[i]; s.tok == k && s.first < 0 {
			s.setMemo() // Append keeps the span of memo segments
			return i
		}
	}
	return -1
}

// Span returns where the value of slot (from Template.Record) landed in
// the buffer of the last Append with c.
func (c *Context) Span(slot int) (start, end int) {
	sp := c.spans[slot]
	return sp[0], sp[1]
}
