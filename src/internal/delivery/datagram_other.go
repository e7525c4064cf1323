//go:build !linux && !cloud

package delivery

// mmsgState is empty where there is no sendmmsg(2).
type mmsgState struct{}

// send writes the datagrams one by one (see datagram.go).
func (d *Stream) send(l *streamLink, dgs []dgram) (int, error) { return d.sendEach(l, dgs) }
