// Package history answers "what changed?" and "since when?" from the
// checks the store keeps: Snapshot reduces a report to the values worth
// comparing, Diff lists what changed between two checks of a domain,
// Streaks says since when each line in trouble has been so, and Timeline
// folds a domain's checks into its changes of state.
//
// Everything here is data with stable kinds; the wording is the messages
// package's.
package history

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/store"
)

// Snapshot reduces a report to what the store keeps of it: each check's
// status and the codes of its findings that are not mere information,
// and the observed values Diff compares (the mail host's addresses, the
// MX, the SPF and DMARC records, each port probed).
//
// A port's certificate (fingerprint and end of validity) comes from the
// endpoint when the TLS handshake completed; failing that, the end of
// validity a finding reports (expired, expiring soon).
func Snapshot(r *checks.Report) store.Snapshot {
	s := store.Snapshot{Status: r.Status}
	for _, res := range r.Results {
		s.Checks = append(s.Checks, store.Check{ID: res.ID, Status: res.Status, Codes: problemCodes(res.Findings)})
		switch res.ID {
		case checks.DNSHost:
			s.Addresses = slices.Clone(res.Facts.Addresses)
		case checks.DNSMX:
			s.MX = slices.Clone(res.Facts.MXHosts)
		case checks.DNSSPF:
			s.SPF = res.Facts.Record
		case checks.DNSDMARC:
			s.DMARC = res.Facts.Record
		}
		if ep := res.Facts.Endpoint; ep != nil {
			s.Ports = append(s.Ports, port(res, *ep))
		}
		for _, ep := range res.Facts.Endpoints {
			s.Ports = append(s.Ports, port(res, ep))
		}
	}
	return s
}

// problemCodes returns the codes of findings that are not information,
// each once, in order.
func problemCodes(fs []checks.Finding) []checks.Code {
	var out []checks.Code
	for _, f := range fs {
		if f.Severity != checks.SeverityInfo && !slices.Contains(out, f.Code) {
			out = append(out, f.Code)
		}
	}
	return out
}

// port is what an endpoint of res saw: whether it accepted a connection
// and its certificate, from the handshake or, failing that, from a
// finding of that host and port.
func port(res checks.Result, ep checks.Endpoint) store.Port {
	p := store.Port{Check: res.ID, Host: normHost(ep.Host), Port: ep.Port, Answered: ep.Addr != "",
		Fingerprint: ep.CertSHA256, NotAfter: ep.CertNotAfter}
	if !p.NotAfter.IsZero() {
		return p
	}
	for _, f := range res.Findings {
		na, ok := f.Params["not_after"]
		if !ok || !strings.EqualFold(normHost(f.Params["host"]), p.Host) || f.Params["port"] != strconv.Itoa(ep.Port) {
			continue
		}
		if t, err := time.Parse(time.DateOnly, na); err == nil {
			p.NotAfter = t
		}
	}
	return p
}

func normHost(h string) string { return strings.ToLower(strings.TrimSuffix(h, ".")) }
