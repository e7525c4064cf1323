//go:build !cloud

package tcpout

import (
	"github.com/eventgen-go/eventgen/src/internal/config"
	"github.com/eventgen-go/eventgen/src/internal/outputs"
)

// Validate checks the host and port settings of tcpout, opening nothing.
func Validate(s *config.Sample) error {
	_, err := outputs.Addr(s, "tcpDestinationHost", "tcpDestinationPort")
	return err
}
