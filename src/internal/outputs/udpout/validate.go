//go:build !cloud

package udpout

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/delivery"
)

// Validate checks the host and port settings of udpout, opening nothing.
func Validate(s *config.Sample) error {
	_, err := delivery.Addr(s, "udpDestinationHost", "udpDestinationPort")
	return err
}
