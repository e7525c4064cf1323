//go:build !cloud && !js && race

package httpevent

const hecRaceEnabled = true
