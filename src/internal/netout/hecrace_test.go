//go:build !cloud && race

package netout

const hecRaceEnabled = true
