//go:build !cloud

package netout

func init() {
	Register("httpevent", openHTTPEvent(false), validateHEC(false))
	Register("metric_httpevent", openHTTPEvent(true), validateHEC(true))
	Register("splunkstream", openSplunkStream, validateSplunkStream)
}
