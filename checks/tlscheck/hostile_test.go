package tlscheck

import (
	"crypto/tls"
	"slices"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks/tlscheck/tlstest"
)

// TestClientHelloClassic: the probe's ClientHello offers the classic
// groups only, no post-quantum hybrid, so it fits one TCP segment as
// most mail clients' do, and a server that mishandles a split
// ClientHello is not failed for it.
func TestClientHelloClassic(t *testing.T) {
	now := time.Now()
	ca, err := tlstest.NewCA(now)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue(tlstest.Valid(now, host))
	if err != nil {
		t.Fatal(err)
	}
	hellos := make(chan *tls.ClientHelloInfo, 1)
	addr := serve(t, &tls.Config{
		Certificates: []tls.Certificate{cert},
		GetConfigForClient: func(h *tls.ClientHelloInfo) (*tls.Config, error) {
			hellos <- h
			return nil, nil
		},
	})
	connect(t, addr)
	h := <-hellos
	if !slices.Equal(h.SupportedCurves, classicGroups) {
		t.Errorf("groups offered %v, want %v", h.SupportedCurves, classicGroups)
	}
}
