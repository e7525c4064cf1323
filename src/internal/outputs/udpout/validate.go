//go:build !cloud

package udpout

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Validate checks the host and port settings of udpout, opening nothing.
func Validate(s *config.Sample) error {
	_, err := outputs.Addr(s, "udpDestinationHost", "udpDestinationPort")
	return err
}
