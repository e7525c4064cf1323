//go:build !linux && !cloud

package delivery

import "net"

// mmsgState is empty where there is no sendmmsg(2).
type mmsgState struct{}

// send writes the datagrams one by one (see datagram.go).
func (d *Stream) send(l *streamLink, dgs []dgram) (int, error) { return d.sendEach(l, dgs) }

// udpConn keeps the dialed connection where the poller's wakeups were not
// measured (see udpconn_linux.go).
func udpConn(c net.Conn) net.Conn { return c }
