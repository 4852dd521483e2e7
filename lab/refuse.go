package lab

import (
	"context"
	"fmt"

	"github.com/pcmhosting/mailsetup/internal/reserve"
)

// refusingPort returns a loopback port where a connection is refused
// (ECONNREFUSED, as from a server whose service is stopped), held for the
// lab's lifetime so that no other listener of this machine (another
// test's server, running in parallel) can take it: a port that was merely
// closed could be handed out again and answer in clear text where the
// scenario wants a refusal.
func (l *Lab) refusingPort() (int, error) {
	p, release, err := reserve.Port()
	if err != nil {
		return 0, fmt.Errorf("lab: reserve a refusing port: %w", err)
	}
	l.onClose(func(context.Context) error { return release() })
	return p, nil
}
