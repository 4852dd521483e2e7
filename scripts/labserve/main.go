// Command labserve runs the lab of lab/ on its own, for tools
// outside the Go tests: scripts/bench-manual.sh times mailsetup against
// openssl, swaks, dig and testssl.sh on it.
//
// It starts one scenario (good by default), writes the lab CA in PEM to
// -ca (for SSL_CERT_FILE and openssl -CAfile), prints shell assignments
// (LAB_DNS, LAB_DNS_PORT, LAB_DOMAIN, LAB_CA, PORT_993 … PORT_443,
// LAB_PORT_MAP, then LAB_READY=1) on standard output, and serves until
// SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/pcmhosting/mailsetup/lab"
)

func main() {
	scenario := flag.String("scenario", "good", "lab `scenario` to serve")
	caFile := flag.String("ca", filepath.Join(os.TempDir(), "mailsetup-lab-ca.pem"), "`file` the trust anchor is written to")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(*scenario, *caFile); err != nil {
		log.Error("labserve", "err", err)
		os.Exit(1)
	}
}

func run(scenario, caFile string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l, err := lab.Start(ctx, lab.Options{Scenarios: []string{scenario}})
	if err != nil {
		return err
	}
	defer l.Close()
	s, ok := l.Scenario(scenario)
	if !ok || len(s.Profile.PortMap) == 0 {
		return fmt.Errorf("scenario %q has no servers", scenario)
	}
	if err := writeAnchor(l, caFile); err != nil {
		return err
	}
	_, dnsPort, _ := net.SplitHostPort(l.DNSAddr)
	var b strings.Builder
	fmt.Fprintf(&b, "LAB_DNS=%s\nLAB_DNS_PORT=%s\nLAB_DOMAIN=%s\nLAB_CA=%s\n", l.DNSAddr, dnsPort, s.Domain, caFile)
	var pairs []string
	std := make([]int, 0, len(s.Profile.PortMap))
	for p := range s.Profile.PortMap {
		std = append(std, p)
	}
	slices.Sort(std)
	for _, p := range std {
		fmt.Fprintf(&b, "PORT_%d=%d\n", p, s.Profile.PortMap[p])
		pairs = append(pairs, fmt.Sprintf("%d:%d", p, s.Profile.PortMap[p]))
	}
	fmt.Fprintf(&b, "LAB_PORT_MAP=%s\nLAB_READY=1\n", strings.Join(pairs, ","))
	if _, err := os.Stdout.WriteString(b.String()); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// writeAnchor writes the lab CA, the trust anchor of every scenario
// certificate, for SSL_CERT_FILE.
func writeAnchor(l *lab.Lab, file string) error {
	return os.WriteFile(file, l.CAPEM, 0o644)
}
