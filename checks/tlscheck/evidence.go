package tlscheck

import (
	"strconv"
	"strings"
)

// Evidence is a finding's Detail read back: the reason Inspect gave and
// the connection summary of Detail. Renderers label it in the reader's
// language and show each certificate once; the values are raw.
type Evidence struct {
	// Reason is what Inspect found before the summary: "expired
	// 2025-01-03T23:59:59Z", "negotiated TLS 1.1", an x509 error.
	Reason string
	// Subject, SAN (comma-separated), Issuer and NotAfter describe the
	// leaf certificate; empty when none was presented.
	Subject, SAN, Issuer, NotAfter string
	// Version and Cipher describe the connection.
	Version, Cipher string
}

// Key identifies the certificate of the evidence: two connections with
// the same key presented the same certificate as far as a reader can
// tell (same names, issuer and end of validity).
func (e Evidence) Key() string {
	return strings.Join([]string{e.Subject, e.SAN, e.Issuer, e.NotAfter}, "\x00")
}

// ParseEvidence reads a finding Detail written by Inspect ("reason;
// subject=… san=… issuer=… not_after=… version=… cipher=…"). It
// reports false for any other text.
func ParseEvidence(detail string) (Evidence, bool) {
	reason, summary, ok := strings.Cut(detail, "; ")
	if !ok {
		return Evidence{}, false
	}
	e := Evidence{Reason: reason}
	rest := summary
	if strings.HasPrefix(rest, "subject=") {
		var fields [3]string
		for i, key := range []string{"subject=", "san=", "issuer="} {
			if !strings.HasPrefix(rest, key) {
				return Evidence{}, false
			}
			q, err := strconv.QuotedPrefix(rest[len(key):])
			if err != nil {
				return Evidence{}, false
			}
			fields[i], _ = strconv.Unquote(q)
			rest = strings.TrimPrefix(rest[len(key)+len(q):], " ")
		}
		e.Subject, e.SAN, e.Issuer = fields[0], fields[1], fields[2]
		date, after, ok := strings.Cut(strings.TrimPrefix(rest, "not_after="), " ")
		if !ok || !strings.HasPrefix(rest, "not_after=") {
			return Evidence{}, false
		}
		e.NotAfter, rest = date, after
	}
	version, cipher, ok := strings.Cut(strings.TrimPrefix(rest, "version="), " cipher=")
	if !ok || !strings.HasPrefix(rest, "version=") {
		return Evidence{}, false
	}
	e.Version, e.Cipher = version, cipher
	return e, true
}
