//go:build !cloud && !race

package httpevent

const hecRaceEnabled = false
