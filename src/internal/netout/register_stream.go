//go:build !cloud

package netout

func init() {
	Register("syslogout", openSyslog)
	Register("tcpout", openTCP)
	Register("udpout", openUDP)
}
