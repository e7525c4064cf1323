// Package all registers every output this build has: import it (blank)
// from a command. The network outputs are registered from files built
// without the "cloud" tag, so the Splunk Cloud build has none of them.
package all
