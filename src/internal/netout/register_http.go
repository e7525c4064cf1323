//go:build !cloud

package netout

func init() {
	Register("httpevent", openHTTPEvent(false))
	Register("metric_httpevent", openHTTPEvent(true))
	Register("splunkstream", openSplunkStream)
}
