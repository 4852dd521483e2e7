package checks

// Code is a stable finding code of docs/contract.md. Codes are API: the
// messages catalog is keyed by them, and a test generates the codes table
// of docs/contract.md from this file (the comment beside each constant is
// its severity, then after ": " a note) and keeps the catalog equal.
type Code string

// The finding codes. The severity in the comment is the usual one; a few
// codes take another depending on the check (TLS findings on smtp.25 are
// warnings, failures under an MTA-STS policy in enforce mode;
// smtp.no_starttls is a warning on port 25; a port-25 host that takes no
// mail is a warning while another MX host does).
const (
	// DNS: the mail host.
	HostNXDomain       Code = "host.nxdomain"        // fail
	HostNoAddress      Code = "host.no_address"      // fail
	HostPrivateAddress Code = "host.private_address" // fail
	ResolverFailed     Code = "resolver.failed"      // error

	// DNS: MX (RFC 5321 §5.1, null MX RFC 7505).
	MXMissing      Code = "mx.missing"      // fail without an address at the domain, warn with one: senders then deliver to the domain itself (RFC 5321 §5.1)
	MXNull         Code = "mx.null"         // fail
	MXUnresolvable Code = "mx.unresolvable" // fail, warn when another MX resolves
	MXCNAME        Code = "mx.cname"        // warn

	// SPF (RFC 7208).
	SPFMissing        Code = "spf.missing"          // fail
	SPFMultiple       Code = "spf.multiple"         // fail
	SPFSyntax         Code = "spf.syntax"           // fail
	SPFTooManyLookups Code = "spf.too_many_lookups" // fail
	SPFVoidLookups    Code = "spf.void_lookups"     // fail: more than 2 lookups found nothing (§4.6.4 permerror)
	SPFPermissive     Code = "spf.permissive"       // +all fail, ?all or no all warn
	SPFIncludeMissing Code = "spf.include_missing"  // fail: an include names a domain without SPF (permerror)
	SPFInvalidName    Code = "spf.invalid_name"     // fail: a term names an empty label, a label over 63 or a name over 253 octets
	SPFMXLimit        Code = "spf.mx_limit"         // fail: an mx term names more than 10 MX hosts (§4.6.4 permerror)
	SPFPTR            Code = "spf.ptr"              // warn: the ptr mechanism, which §5.5 says not to publish

	// DKIM (RFC 6376).
	DKIMMissing Code = "dkim.missing"  // warn
	DKIMSyntax  Code = "dkim.syntax"   // fail
	DKIMWeakKey Code = "dkim.weak_key" // warn: RSA 1024 to 2047 bits (RFC 8301 §3.2 asks for 2048)
	DKIMRevoked Code = "dkim.revoked"  // warn: p= empty, the key was withdrawn
	// DKIMKeyTooShort: RFC 8301 §3.2 forbids verifiers to accept
	// signatures made with such a key.
	DKIMKeyTooShort Code = "dkim.key_too_short" // fail: RSA under 1024 bits

	// DMARC (RFC 7489).
	DMARCMissing    Code = "dmarc.missing"     // warn
	DMARCMultiple   Code = "dmarc.multiple"    // fail
	DMARCSyntax     Code = "dmarc.syntax"      // fail
	DMARCPolicyNone Code = "dmarc.policy_none" // warn

	// Automatic client configuration (RFC 6186/8314, autoconfig, autodiscover).
	AutoconfigMissing  Code = "autoconfig.missing"  // warn
	AutoconfigMismatch Code = "autoconfig.mismatch" // warn
	AutoconfigFound    Code = "autoconfig.found"    // info: Thunderbird's autoconfig file (param url)

	// Automatic client configuration, per mail app (issue 10 item 5).
	AutoconfigSRVOnly   Code = "autoconfig.srv_only"        // warn: only RFC 6186 SRV records, which no mainstream app reads
	AutodiscoverFound   Code = "autoconfig.autodiscover"    // info: a real autodiscover service answers (param url)
	AutodiscoverMissing Code = "autoconfig.no_autodiscover" // info: an autoconfig file but no autodiscover: Outlook finds nothing
	AutoconfigTimeout   Code = "autoconfig.timeout"         // error: an autoconfig or autodiscover address not reached: no answer in time, or its DNS lookup failed (param what)

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

	// Mail routing as senders follow it (RFC 5321 §5.1 and §4.5.3.2, RFC 7505 §3).
	MXNullMixed      Code = "mx.null_mixed"      // fail: a null MX published next to other MX records (RFC 7505 §3 forbids it)
	MXPrivateAddress Code = "mx.private_address" // fail, warn when another MX resolves: the MX target resolves to private or reserved addresses only (param count)
	SMTPGreetingSlow Code = "smtp.greeting_slow" // warn: port 25 connected, no greeting within the step timeout (senders wait up to 5 minutes)

	// DNS propagation (dns.propagation): the authoritative servers asked
	// directly, compared with each other and with the resolver
	// (RFC 1034 §4.3.5, RFC 1982 serials, RFC 2308 negative caching).
	PropagationFound       Code = "propagation.found"              // info: the zone, its servers and their serials (params zone, servers, serial)
	PropagationNoZone      Code = "propagation.no_zone"            // info: no zone with name servers found above the domain: nothing to compare (status skip)
	PropagationDisagree    Code = "propagation.servers_disagree"   // warn: servers that answered give different serials or records: a secondary not updated (params stale, serial, stale_serial, kinds)
	PropagationStale       Code = "propagation.resolver_stale"     // warn: the resolver still answers an older record set than the servers (params kind, name, minutes, check)
	PropagationUnreachable Code = "propagation.server_unreachable" // warn: a name server gave no answer within the step timeout (params server, addr)
	PropagationLame        Code = "propagation.server_lame"        // warn: a name server refuses, fails, answers without authority, or has no address (params server, reason)
	PropagationForbidden   Code = "propagation.server_forbidden"   // warn: a name server on a private or special-use address: refused by the guard, not dialled (params server, addr)
	PropagationUnknown     Code = "propagation.unknown"            // error: no name server answered in time: nothing could be compared

	// Reverse DNS of the MX hosts (dns.mx): what receivers judge a
	// sending address by, when the MX host also sends (RFC 8601 §2.7.3).
	MXNoPTR          Code = "mx.no_ptr"          // warn: the MX host's address has no PTR record (params host, ip)
	MXPTRUnconfirmed Code = "mx.ptr_unconfirmed" // warn: no PTR name of the MX host's address resolves back to it (params host, ip, name)
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

	// Our outgoing addresses (smtp.outgoing): reverse DNS (RFC 8601 §2.7.3) and DNS blocklists (RFC 5782).
	OutgoingNone           Code = "outgoing.none"            // info: the profile names no outgoing address: nothing to look at
	OutgoingNoPTR          Code = "outgoing.no_ptr"          // warn: an outgoing address has no PTR record (param ip)
	OutgoingPTRUnconfirmed Code = "outgoing.ptr_unconfirmed" // warn: no PTR name of an outgoing address resolves back to it (params ip, name)
	OutgoingListed         Code = "outgoing.listed"          // fail: an outgoing address is listed on a DNSBL zone of the profile (params ip, zone, reason: the list's TXT, untrusted)
	OutgoingUnknown        Code = "outgoing.unknown"         // info, error when every lookup failed: a PTR or blocklist lookup gave no answer: could not tell, never listed nor clean (params ip, what)
)

// AllCodes lists every finding code, in the order above.
var AllCodes = []Code{
	HostNXDomain, HostNoAddress, HostPrivateAddress, ResolverFailed,
	MXMissing, MXNull, MXUnresolvable, MXCNAME,
	SPFMissing, SPFMultiple, SPFSyntax, SPFTooManyLookups, SPFVoidLookups, SPFPermissive, SPFIncludeMissing,
	SPFInvalidName, SPFMXLimit, SPFPTR,
	DKIMMissing, DKIMSyntax, DKIMWeakKey, DKIMRevoked, DKIMKeyTooShort,
	DMARCMissing, DMARCMultiple, DMARCSyntax, DMARCPolicyNone,
	AutoconfigMissing, AutoconfigMismatch, AutoconfigFound,
	AutoconfigSRVOnly, AutodiscoverFound, AutodiscoverMissing, AutoconfigTimeout,
	TCPRefused, TCPTimeout, TCPUnreachable, ProtoTimeout, ProtoError,
	TLSHandshakeFailed, TLSCertExpired, TLSCertNotYetValid, TLSCertHostnameMismatch, TLSCertUntrusted, TLSCertExpiringSoon, TLSProtocolOld,
	SMTPBadGreeting, SMTPNoAuth, SMTPNoStartTLS, SMTPAuthPlaintext,
	IMAPBadGreeting, IMAPNoAuth, POP3BadGreeting, POP3NoAuth,
	CheckSkipped, CheckInternal,
	HostFound, MXFound, SPFFound, DKIMFound, DMARCFound,
	MXNullMixed, MXPrivateAddress, SMTPGreetingSlow,
	PropagationFound, PropagationNoZone, PropagationDisagree, PropagationStale,
	PropagationUnreachable, PropagationLame, PropagationForbidden, PropagationUnknown,
	MXNoPTR, MXPTRUnconfirmed,
	MXElsewhere, NSElsewhere, HostNotOurs, SPFPlatformMissing,
	SPFOutgoingPass, SPFOutgoingFail, SPFOutgoingSoftfail, SPFOutgoingNeutral, SPFOutgoingPermerror, SPFOutgoingTemperror,
	DKIMPlatformMissing, DKIMKeyMismatch,
	OutgoingNone, OutgoingNoPTR, OutgoingPTRUnconfirmed, OutgoingListed, OutgoingUnknown,
}

// MTASTSCodes are the port-25 findings an MTA-STS policy in enforce mode
// makes failures: the MX host's TLS does not pass the validation senders
// that honour the policy require (RFC 8461 §4.2, §5.1).
var MTASTSCodes = []Code{TLSHandshakeFailed, TLSCertExpired, TLSCertNotYetValid,
	TLSCertHostnameMismatch, TLSCertUntrusted, TLSProtocolOld, SMTPNoStartTLS}
