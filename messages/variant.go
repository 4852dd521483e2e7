package messages

import (
	"slices"

	"github.com/pcmhosting/mailsetup/checks"
)

// variantName names a second wording of a code, for a case where the
// usual one would not be true.
type variantName string

const (
	// port25 words a TLS finding seen on port 25 only. There other mail
	// servers deliver, not mail apps, and most senders neither check the
	// certificate's name nor its dates (opportunistic TLS, RFC 3207 §4.1,
	// RFC 7435) unless an MTA-STS policy (RFC 8461) or DANE (RFC 7672)
	// asks them to.
	port25 variantName = "port25"
	// implicitMX words mx.missing when the domain has an address: RFC
	// 5321 §5.1 has senders deliver to the domain itself.
	implicitMX variantName = "implicit_mx"
	// backupMX words a connection finding on port 25 that is only a
	// warning: smtp.25 says so only while another MX host accepts mail,
	// and senders move on to it (RFC 5321 §5.1).
	backupMX variantName = "backup_mx"
	// mtaSTS words a port-25 TLS finding that fails because the domain's
	// MTA-STS policy is in enforce mode (RFC 8461 §5.1).
	mtaSTS variantName = "mta_sts"
)

// hostDown are the codes of a port-25 host that does not take mail.
var hostDown = []checks.Code{checks.TCPRefused, checks.TCPTimeout, checks.TCPUnreachable,
	checks.ProtoTimeout, checks.ProtoError, checks.SMTPBadGreeting}

// variantKey keys a catalog's variants.
type variantKey struct {
	code checks.Code
	name variantName
}

// withVariant adds to m the same wording e of variant name for every
// code of codes, and returns m.
func withVariant(m map[variantKey]Entry, name variantName, codes []checks.Code, e Entry) map[variantKey]Entry {
	for _, c := range codes {
		m[variantKey{c, name}] = e
	}
	return m
}

// variantFor chooses the wording of a finding seen with this severity on
// these standard ports: a variant when one applies, "" for the usual.
func variantFor(code checks.Code, sev checks.Severity, ports []int) variantName {
	switch {
	case code == checks.MXMissing && sev == checks.SeverityWarn:
		return implicitMX
	case len(ports) == 0 || slices.ContainsFunc(ports, func(p int) bool { return p != checks.PortSMTP }):
		return ""
	case sev == checks.SeverityWarn && slices.Contains(hostDown, code):
		return backupMX
	case sev == checks.SeverityFail && slices.Contains(checks.MTASTSCodes, code):
		// Port-25 TLS findings are warnings but under an enforced
		// MTA-STS policy (checks/mailcheck).
		return mtaSTS
	}
	return port25
}

// entry returns the wording of a code in a variant: the usual entry with
// the variant's non-empty fields in its place.
func (c *catalog) entry(code checks.Code, v variantName) (Entry, bool) {
	e, ok := c.codes[code]
	if !ok || v == "" {
		return e, ok
	}
	if o, ok := c.variants[variantKey{code, v}]; ok {
		if o.Title != "" {
			e.Title = o.Title
		}
		if o.Meaning != "" {
			e.Meaning = o.Meaning
		}
		if o.Steps != nil {
			e.Steps = o.Steps
		}
		if o.Reply != "" {
			e.Reply = o.Reply
		}
	}
	return e, true
}
