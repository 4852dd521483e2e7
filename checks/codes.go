package checks

// Code is a stable finding code of docs/contract.md. Codes are API: the
// messages catalog is keyed by them, and a test generates the codes table
// of docs/contract.md from this file (the comment beside each constant is
// its severity, then after ": " a note) and keeps the catalog equal.
type Code string

// The finding codes. The severity in the comment is the usual one; a few
// codes take another depending on the check (TLS findings on smtp.25 are
// warnings, smtp.no_starttls is a warning on port 25).
const (
	// DNS: the mail host.
	HostNXDomain       Code = "host.nxdomain"        // fail
	HostNoAddress      Code = "host.no_address"      // fail
	HostPrivateAddress Code = "host.private_address" // fail
	ResolverFailed     Code = "resolver.failed"      // error

	// DNS: MX (RFC 5321 §5.1, null MX RFC 7505).
	MXMissing      Code = "mx.missing"      // fail
	MXNull         Code = "mx.null"         // fail
	MXUnresolvable Code = "mx.unresolvable" // fail, warn when another MX resolves
	MXCNAME        Code = "mx.cname"        // warn

	// SPF (RFC 7208).
	SPFMissing        Code = "spf.missing"          // fail
	SPFMultiple       Code = "spf.multiple"         // fail
	SPFSyntax         Code = "spf.syntax"           // fail
	SPFTooManyLookups Code = "spf.too_many_lookups" // fail
	SPFVoidLookups    Code = "spf.void_lookups"     // warn
	SPFPermissive     Code = "spf.permissive"       // +all fail, ?all or no all warn
	SPFIncludeMissing Code = "spf.include_missing"  // fail: an include names a domain without SPF (permerror)

	// DKIM (RFC 6376).
	DKIMMissing Code = "dkim.missing"  // warn
	DKIMSyntax  Code = "dkim.syntax"   // fail
	DKIMWeakKey Code = "dkim.weak_key" // < 1024 bits fail, < 2048 warn
	DKIMRevoked Code = "dkim.revoked"  // warn: p= empty, the key was withdrawn

	// DMARC (RFC 7489).
	DMARCMissing    Code = "dmarc.missing"     // warn
	DMARCMultiple   Code = "dmarc.multiple"    // fail
	DMARCSyntax     Code = "dmarc.syntax"      // fail
	DMARCPolicyNone Code = "dmarc.policy_none" // warn

	// Automatic client configuration (RFC 6186/8314, autoconfig, autodiscover).
	AutoconfigMissing  Code = "autoconfig.missing"  // warn
	AutoconfigMismatch Code = "autoconfig.mismatch" // warn
	AutoconfigFound    Code = "autoconfig.found"    // info

	// Connection.
	TCPRefused     Code = "tcp.refused"     // fail
	TCPTimeout     Code = "tcp.timeout"     // fail
	TCPUnreachable Code = "tcp.unreachable" // fail: no route to the host
	ProtoTimeout   Code = "proto.timeout"   // fail: connected, then silence
	ProtoError     Code = "proto.error"     // fail: the server closed or spoke garbage mid-dialogue

	// TLS.
	TLSHandshakeFailed      Code = "tls.handshake_failed"       // fail
	TLSCertExpired          Code = "tls.cert_expired"           // fail
	TLSCertNotYetValid      Code = "tls.cert_not_yet_valid"     // fail
	TLSCertHostnameMismatch Code = "tls.cert_hostname_mismatch" // fail
	TLSCertUntrusted        Code = "tls.cert_untrusted"         // fail
	TLSCertExpiringSoon     Code = "tls.cert_expiring_soon"     // warn (< 14 days)
	TLSProtocolOld          Code = "tls.protocol_old"           // fail (< TLS 1.2)

	// Protocols.
	SMTPBadGreeting   Code = "smtp.bad_greeting"   // fail
	SMTPNoAuth        Code = "smtp.no_auth"        // fail
	SMTPNoStartTLS    Code = "smtp.no_starttls"    // fail on 587, warn on 25
	SMTPAuthPlaintext Code = "smtp.auth_plaintext" // warn: AUTH before STARTTLS
	IMAPBadGreeting   Code = "imap.bad_greeting"   // fail
	IMAPNoAuth        Code = "imap.no_auth"        // fail
	POP3BadGreeting   Code = "pop3.bad_greeting"   // fail
	POP3NoAuth        Code = "pop3.no_auth"        // fail

	// Engine.
	CheckSkipped  Code = "check.skipped"  // info: blocked by a failed check it depends on (param "dependency")
	CheckInternal Code = "check.internal" // error: the checker itself broke (a recovered panic, the run deadline)

	// DNS: what the dns.* checks found, with the records in Detail.
	HostFound  Code = "host.found"  // info: the host's addresses and CNAME chain (params host, count)
	MXFound    Code = "mx.found"    // info: the MX targets by preference (param count)
	SPFFound   Code = "spf.found"   // info: "N lookups; tree" (params record, count)
	DKIMFound  Code = "dkim.found"  // info: the keys found (params selectors, count)
	DMARCFound Code = "dmarc.found" // info: the policy (params record, policy, rua)

	// The platform: what a provider profile expects, reported only when
	// the profile sets the expectation (without one, the guide's generic
	// rules alone apply).
	MXElsewhere          Code = "mx.elsewhere"           // warn: no MX is the platform's (params mx, other: the provider named from the MX, provider)
	NSElsewhere          Code = "ns.elsewhere"           // warn: no name server is the platform's (params ns, dns_provider, provider)
	HostNotOurs          Code = "host.not_ours"          // warn: no address of the mail host is in the platform's ranges (params host, ip, provider)
	SPFPlatformMissing   Code = "spf.platform_missing"   // warn: the record lacks the profile's SPF term (params expected, record)
	SPFOutgoingPass      Code = "spf.outgoing_pass"      // info: check_host gives pass for an outgoing address (params ip, matched)
	SPFOutgoingFail      Code = "spf.outgoing_fail"      // fail: check_host gives fail for an outgoing address (params ip, result, matched, expected)
	SPFOutgoingSoftfail  Code = "spf.outgoing_softfail"  // warn: check_host gives softfail for an outgoing address
	SPFOutgoingNeutral   Code = "spf.outgoing_neutral"   // warn: check_host gives neutral (or none) for an outgoing address
	SPFOutgoingPermerror Code = "spf.outgoing_permerror" // fail: check_host gives permerror for an outgoing address
	SPFOutgoingTemperror Code = "spf.outgoing_temperror" // error: a DNS lookup failed during check_host: could not tell
	DKIMPlatformMissing  Code = "dkim.platform_missing"  // warn: no key at a selector the platform signs with (param selector)
	DKIMKeyMismatch      Code = "dkim.key_mismatch"      // fail: the key at the platform's selector is not the one it signs with (param selector)
)

// AllCodes lists every finding code, in the order above.
var AllCodes = []Code{
	HostNXDomain, HostNoAddress, HostPrivateAddress, ResolverFailed,
	MXMissing, MXNull, MXUnresolvable, MXCNAME,
	SPFMissing, SPFMultiple, SPFSyntax, SPFTooManyLookups, SPFVoidLookups, SPFPermissive, SPFIncludeMissing,
	DKIMMissing, DKIMSyntax, DKIMWeakKey, DKIMRevoked,
	DMARCMissing, DMARCMultiple, DMARCSyntax, DMARCPolicyNone,
	AutoconfigMissing, AutoconfigMismatch, AutoconfigFound,
	TCPRefused, TCPTimeout, TCPUnreachable, ProtoTimeout, ProtoError,
	TLSHandshakeFailed, TLSCertExpired, TLSCertNotYetValid, TLSCertHostnameMismatch, TLSCertUntrusted, TLSCertExpiringSoon, TLSProtocolOld,
	SMTPBadGreeting, SMTPNoAuth, SMTPNoStartTLS, SMTPAuthPlaintext,
	IMAPBadGreeting, IMAPNoAuth, POP3BadGreeting, POP3NoAuth,
	CheckSkipped, CheckInternal,
	HostFound, MXFound, SPFFound, DKIMFound, DMARCFound,
	MXElsewhere, NSElsewhere, HostNotOurs, SPFPlatformMissing,
	SPFOutgoingPass, SPFOutgoingFail, SPFOutgoingSoftfail, SPFOutgoingNeutral, SPFOutgoingPermerror, SPFOutgoingTemperror,
	DKIMPlatformMissing, DKIMKeyMismatch,
}
