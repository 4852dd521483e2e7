package scenario

import "github.com/pcmhosting/mailsetup/checks"

// portFailures is the expectation of a scenario whose client ports all
// fail with the same code: the ports fail and smtp.25 warns (RFC 7435:
// server-to-server TLS is opportunistic). SRV and autoconfig advertise
// the guide's settings, which are right: the servers are what to fix, so
// dns.autoconfig passes.
func portFailures(c checks.Code) map[checks.ID]Expectation {
	return map[checks.ID]Expectation{
		checks.IMAP993: fail(c),
		checks.POP3995: fail(c),
		checks.SMTP465: fail(c),
		checks.SMTP587: fail(c),
		checks.SMTP25:  warn(c),
	}
}

// noMail is the expectation of a domain whose MX is missing or unusable:
// dns.mx fails with c and smtp.25 has no host to check.
func noMail(c checks.Code) map[checks.ID]Expectation {
	return map[checks.ID]Expectation{
		checks.DNSMX:  fail(c),
		checks.SMTP25: skip(),
	}
}

// one is the expectation of a scenario where only check id is not pass.
func one(id checks.ID, e Expectation) map[checks.ID]Expectation {
	return map[checks.ID]Expectation{id: e}
}

// catalog is every scenario: the mail servers first, then the DNS
// records, then what no server can be made to do.
var catalog = []Scenario{
	// Certificates.
	{
		Name:        "good",
		Description: "everything right: A, MX, SPF, DKIM, DMARC, SRV; IMAPS, POP3S, SMTPS, submission and MX with STARTTLS, certificates from the test CA",
		Runners:     Lab | RealServers | Sample,
	},
	{
		Name:        "expired",
		Description: "the certificate of every TLS port expired yesterday",
		Runners:     Lab | RealServers | Sample,
		Expect:      portFailures(checks.TLSCertExpired),
	},
	{
		Name:        "wrongname",
		Description: "every TLS port presents a valid certificate for another host name only",
		Runners:     Lab | RealServers,
		Expect:      portFailures(checks.TLSCertHostnameMismatch),
	},
	{
		Name:        "selfsigned",
		Description: "every TLS port presents a self-signed certificate for the right names",
		Runners:     Lab | RealServers,
		Expect:      portFailures(checks.TLSCertUntrusted),
	},
	{
		Name:        "expiring",
		Description: "the certificate of every TLS port expires in 5 days",
		Runners:     Lab,
		Expect: map[checks.ID]Expectation{
			checks.IMAP993: warn(checks.TLSCertExpiringSoon),
			checks.POP3995: warn(checks.TLSCertExpiringSoon),
			checks.SMTP465: warn(checks.TLSCertExpiringSoon),
			checks.SMTP587: warn(checks.TLSCertExpiringSoon),
			checks.SMTP25:  warn(checks.TLSCertExpiringSoon),
		},
	},
	{
		Name:        "notyetvalid",
		Description: "the certificate of every TLS port becomes valid tomorrow",
		Runners:     Lab,
		Expect:      portFailures(checks.TLSCertNotYetValid),
	},
	{
		Name:        "sni",
		Description: "the servers present their own certificate by default and the domain's by SNI (RFC 6066 §3), as cPanel does",
		Runners:     RealServers,
	},
	{
		Name:        "twomx",
		Description: "two MX hosts on servers choosing by SNI: mx is fine, mx2's certificate expired yesterday",
		Runners:     RealServers | Sample,
		Expect:      one(checks.SMTP25, warn(checks.TLSCertExpired)),
	},

	// The mail servers.
	{
		Name:        "oldtls",
		Description: "SMTP offers TLS 1.0 and 1.1 only",
		Runners:     RealServers,
		Expect: map[checks.ID]Expectation{
			checks.SMTP465: fail(checks.TLSProtocolOld),
			checks.SMTP587: fail(checks.TLSProtocolOld),
			checks.SMTP25:  warn(checks.TLSProtocolOld),
		},
	},
	{
		Name:        "badkey",
		Description: "the SMTP server cannot read its private key: 465 breaks the handshake, 587 and 25 advertise STARTTLS and answer it 454",
		Runners:     RealServers,
		Expect: map[checks.ID]Expectation{
			checks.SMTP465: fail(checks.TLSHandshakeFailed),
			checks.SMTP587: fail(checks.SMTPNoStartTLS),
			checks.SMTP25:  warn(checks.SMTPNoStartTLS),
		},
	},
	{
		Name:        "no465",
		Description: "port 465 refuses connections; submission on 587 with STARTTLS works",
		Runners:     Lab | RealServers | Sample,
		Expect: map[checks.ID]Expectation{
			// SRV _submissions names the guide's 465, dead on the
			// server: one remedy, the port's; dns.autoconfig passes.
			checks.SMTP465: fail(checks.TCPRefused),
		},
	},
	{
		Name:        "plain465",
		Description: "port 465 answers in clear text (465 left out of Exim's tls_on_connect_ports); 587 works",
		Runners:     RealServers,
		Expect: map[checks.ID]Expectation{
			checks.SMTP465: fail(checks.TLSHandshakeFailed),
		},
	},
	{
		Name:        "nostarttls",
		Description: "submission on 587 does not offer STARTTLS (and so no AUTH either)",
		Runners:     Lab | RealServers | Sample,
		Expect: map[checks.ID]Expectation{
			checks.SMTP587: fail(checks.SMTPNoStartTLS),
		},
	},
	{
		Name:        "noauth",
		Description: "465 and 587 do not offer AUTH, even over TLS",
		Runners:     Lab | RealServers | Sample,
		Expect: map[checks.ID]Expectation{
			checks.SMTP465: fail(checks.SMTPNoAuth),
			checks.SMTP587: fail(checks.SMTPNoAuth),
		},
	},
	{
		Name:        "authplain",
		Description: "587 advertises AUTH before STARTTLS, in clear text",
		Runners:     RealServers,
		Expect:      one(checks.SMTP587, warn(checks.SMTPAuthPlaintext)),
	},
	{
		Name:        "nopop3",
		Description: "port 995 refuses connections",
		Runners:     Lab | Sample,
		Expect:      one(checks.POP3995, fail(checks.TCPRefused)),
	},
	{
		Name:        "tarpit",
		Description: "port 993 accepts connections and never says a word",
		Runners:     Lab | Sample,
		Expect:      one(checks.IMAP993, fail(checks.ProtoTimeout)),
	},

	// The DNS records.
	{
		Name:        "nomx",
		Description: "no MX record; the domain's own A record accepts mail on port 25, so senders deliver there (RFC 5321 §5.1)",
		Runners:     Lab | RealServers | Sample,
		Expect:      one(checks.DNSMX, warn(checks.MXMissing)),
	},
	{
		Name:        "nullmx",
		Description: "a null MX, MX 0 . (RFC 7505): the domain takes no mail",
		Runners:     RealServers,
		Expect:      noMail(checks.MXNull),
	},
	{
		Name:        "mxdangling",
		Description: "the only MX target has no address record",
		Runners:     RealServers,
		Expect:      noMail(checks.MXUnresolvable),
	},
	{
		Name:        "mxcname",
		Description: "the MX target is a CNAME to the mail server (RFC 2181 §10.3)",
		Runners:     RealServers,
		Expect:      one(checks.DNSMX, warn(checks.MXCNAME)),
	},
	{
		Name:        "nospf",
		Description: "no SPF record",
		Runners:     RealServers,
		Expect:      one(checks.DNSSPF, fail(checks.SPFMissing)),
	},
	{
		Name:        "twospf",
		Description: "two SPF TXT records at the domain (RFC 7208 §3.2 permerror)",
		Runners:     Lab | RealServers | Sample,
		Expect:      one(checks.DNSSPF, fail(checks.SPFMultiple)),
	},
	{
		Name:        "spfsyntax",
		Description: "an SPF record with a malformed address, ip4:192.0.2.300",
		Runners:     RealServers,
		Expect:      one(checks.DNSSPF, fail(checks.SPFSyntax)),
	},
	{
		Name:        "spflookups",
		Description: "SPF needs 12 DNS lookups (a, mx and a chain of 10 includes), over the limit of 10 (RFC 7208 §4.6.4)",
		Runners:     Lab | RealServers | Sample,
		Expect:      one(checks.DNSSPF, fail(checks.SPFTooManyLookups)),
	},
	{
		Name:        "spfall",
		Description: "SPF +all: every host on the Internet may send as the domain",
		Runners:     Lab | RealServers | Sample,
		Expect:      one(checks.DNSSPF, fail(checks.SPFPermissive)),
	},
	{
		Name:        "spfneutral",
		Description: "SPF ending in ?all: says nothing about strangers",
		Runners:     RealServers,
		Expect:      one(checks.DNSSPF, warn(checks.SPFPermissive)),
	},
	{
		Name:        "spfinclude",
		Description: "SPF includes a name that has no SPF record (RFC 7208 §5.2 permerror)",
		Runners:     RealServers,
		Expect:      one(checks.DNSSPF, fail(checks.SPFIncludeMissing)),
	},
	{
		Name:        "spfvoid",
		Description: "SPF names three hosts that do not exist: more than 2 void lookups (RFC 7208 §4.6.4 permerror)",
		Runners:     Lab | RealServers,
		Expect:      one(checks.DNSSPF, fail(checks.SPFVoidLookups)),
	},
	{
		Name:        "nodkim",
		Description: "no DKIM key at any common selector (which proves nothing about signing: RFC 6376 §3.1)",
		Runners:     Lab | RealServers,
		Expect:      one(checks.DNSDKIM, warn(checks.DKIMMissing)),
	},
	{
		Name:        "dkimweak",
		Description: "the DKIM key is RSA 1024 (RFC 8301 §3.2 asks for 2048)",
		Runners:     Lab | RealServers,
		Expect:      one(checks.DNSDKIM, warn(checks.DKIMWeakKey)),
	},
	{
		Name:        "nodmarc",
		Description: "no DMARC record at _dmarc",
		Runners:     Lab | RealServers | Sample,
		Expect:      one(checks.DNSDMARC, warn(checks.DMARCMissing)),
	},
	{
		Name:        "dmarcnone",
		Description: "DMARC policy p=none: failing mail is delivered anyway",
		Runners:     Lab | RealServers | Sample,
		Expect:      one(checks.DNSDMARC, warn(checks.DMARCPolicyNone)),
	},
	{
		Name:        "dmarcsyntax",
		Description: "DMARC with an unknown policy, p=reject-all",
		Runners:     RealServers,
		Expect:      one(checks.DNSDMARC, fail(checks.DMARCSyntax)),
	},
	{
		Name:        "twodmarc",
		Description: "two DMARC records at _dmarc (RFC 7489 §6.6.3: no policy applies)",
		Runners:     RealServers,
		Expect:      one(checks.DNSDMARC, fail(checks.DMARCMultiple)),
	},
	// Issue 10, items 7 to 9: SPF, DKIM and DMARC verdicts.
	{
		Name:        "spfmxlimit",
		Description: "SPF mx:many. names a domain with 11 MX hosts: more than 10 behind one mx term (RFC 7208 §4.6.4 permerror)",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, fail(checks.SPFMXLimit)),
	},
	{
		Name:        "spfmacro",
		Description: "SPF exists:%{c}.x: the c macro outside explanation text (RFC 7208 §7.2 permerror)",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, fail(checks.SPFSyntax)),
	},
	{
		Name:        "spfbadname",
		Description: "SPF a:x..<domain>: a target with an empty label, which no resolver can be asked about",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, fail(checks.SPFInvalidName)),
	},
	{
		Name:        "spfptr",
		Description: "SPF with the ptr mechanism, which RFC 7208 §5.5 says not to publish",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, warn(checks.SPFPTR)),
	},
	{
		Name:        "spfredirect",
		Description: "SPF redirect=_spf.<domain> whose target ends without an all (RFC 7208 §6.1: neutral)",
		Runners:     Lab | Sample,
		Expect:      one(checks.DNSSPF, warn(checks.SPFPermissive)),
	},
	{
		Name:        "dkimshort",
		Description: "the DKIM key is RSA 512: verifiers must not accept its signatures (RFC 8301 §3.2)",
		Runners:     Lab,
		Expect:      one(checks.DNSDKIM, fail(checks.DKIMKeyTooShort)),
	},
	{
		Name:        "dmarcnonespf",
		Description: "DMARC p=none with reports to the customer's own address, and no SPF record: no stricter policy may be advised",
		Runners:     Lab | Sample,
		Expect: map[checks.ID]Expectation{
			checks.DNSSPF:   fail(checks.SPFMissing),
			checks.DNSDMARC: warn(checks.DMARCPolicyNone),
		},
	},
	{
		Name:        "nosrv",
		Description: "no SRV record, no autoconfig and no autodiscover: clients must be told the settings",
		Runners:     RealServers,
		Expect:      one(checks.DNSAutoconfig, warn(checks.AutoconfigMissing)),
	},

	// Automatic configuration, app by app: Thunderbird reads its
	// autoconfig file, Outlook autodiscover, and no mainstream app the
	// SRV records of RFC 6186.
	{
		Name:        "srvonly",
		Description: "the SRV records of RFC 6186/8314 only: no autoconfig file, no autodiscover service",
		Runners:     Lab | Sample,
		Expect:      one(checks.DNSAutoconfig, warn(checks.AutoconfigSRVOnly)),
	},
	{
		Name:        "autoconfigxml",
		Description: "Thunderbird's autoconfig file at autoconfig.<domain> and the well-known address; no SRV record, no autodiscover",
		Runners:     Lab,
	},
	{
		Name:        "autodiscover",
		Description: "an autodiscover service at autodiscover.<domain> answering Outlook's POX request; no SRV record, no autoconfig file",
		Runners:     Lab | Sample,
	},
	{
		Name:        "adwildcard",
		Description: "autodiscover.<domain> has an address (a wildcard) whose web server answers a web page, not autodiscover; no SRV record, no autoconfig file",
		Runners:     Lab,
		Expect:      one(checks.DNSAutoconfig, warn(checks.AutoconfigMissing)),
	},
	{
		Name:        "srvtimeout",
		Description: "the DNS server never answers the _imaps._tcp SRV question; the rest as good",
		Runners:     Lab,
		Expect:      one(checks.DNSAutoconfig, fault(checks.ResolverFailed)),
	},
	{
		Name:        "bigtxt",
		Description: "the SPF record among eight 250-octet verification TXT records: the answer exceeds 1232 octets, is truncated over UDP and asked again over TCP (RFC 7766)",
		Runners:     RealServers,
	},
	{
		Name:        "hostile",
		Description: "port 587 refuses service with a greeting full of terminal escapes (screen clear, window title, OSC 8 link) and a right-to-left override: every output escapes them",
		Runners:     Lab,
		Expect: map[checks.ID]Expectation{
			// The SRV and autoconfig settings name 587, which the server
			// breaks: the port's remedy is the one cause, autoconfig passes.
			checks.SMTP587: fail(checks.SMTPBadGreeting),
		},
	},
	{
		Name:        "nxdomain",
		Description: "the domain does not exist (NXDOMAIN): no record, no server",
		Runners:     Lab | RealServers | Sample,
		Expect: map[checks.ID]Expectation{
			checks.DNSHost:       fail(checks.HostNXDomain),
			checks.DNSMX:         fail(checks.MXMissing),
			checks.DNSSPF:        fail(checks.SPFMissing),
			checks.DNSDKIM:       warn(checks.DKIMMissing),
			checks.DNSDMARC:      warn(checks.DMARCMissing),
			checks.DNSAutoconfig: warn(checks.AutoconfigMissing),
			checks.IMAP993:       skip(),
			checks.POP3995:       skip(),
			checks.SMTP465:       skip(),
			checks.SMTP587:       skip(),
			checks.SMTP25:        skip(),
		},
	},

	// Mail routing as senders follow it (RFC 5321 §5.1 and §4.5.3.2,
	// RFC 7505).
	{
		Name:        "nomxnoaddr",
		Description: "no MX record and no address at the domain: no implicit MX, nowhere to deliver",
		Runners:     Lab | Sample,
		Expect: map[checks.ID]Expectation{
			checks.DNSHost: fail(checks.HostNoAddress),
			checks.DNSMX:   fail(checks.MXMissing),
			checks.IMAP993: skip(),
			checks.POP3995: skip(),
			checks.SMTP465: skip(),
			checks.SMTP587: skip(),
			checks.SMTP25:  skip(),
		},
	},
	{
		Name:        "nullmxmixed",
		Description: "a null MX (MX 0 .) beside MX 10 mx, which RFC 7505 §3 forbids; mx accepts mail",
		Runners:     Lab | Sample,
		Expect:      one(checks.DNSMX, fail(checks.MXNullMixed)),
	},
	{
		Name:        "mxbackupdown",
		Description: "MX 10 mx works, the backup MX 20 mx2 refuses connections on port 25: senders deliver to mx",
		Runners:     Lab | Sample,
		Expect:      one(checks.SMTP25, warn(checks.TCPRefused)),
	},
	{
		Name:        "mxprivate",
		Description: "the only MX target resolves to 0.0.0.0, an address no sender can deliver to",
		Runners:     Lab | Sample,
		Expect:      noMail(checks.MXPrivateAddress),
	},
	{
		Name:        "slowgreeting",
		Description: "port 25 holds its greeting back for 7 s, longer than the check's step timeout; senders wait up to 5 minutes",
		Runners:     Lab | Sample,
		Expect:      one(checks.SMTP25, warn(checks.SMTPGreetingSlow)),
	},

	{
		Name:        "mtasts",
		Description: "an MTA-STS policy in enforce mode (RFC 8461) while port 25 presents a certificate for another name: senders that honour the policy do not deliver",
		Runners:     Lab | Sample,
		Expect:      one(checks.SMTP25, fail(checks.TLSCertHostnameMismatch)),
	},

	// DNS propagation (issue 12): the domain delegated to name servers
	// of its own, compared with each other and with the resolver.
	{
		Name:        "stalesecondary",
		Description: "two name servers of its own: the secondary ns2 still serves serial 2026010100 and the old SPF record, the primary ns1 serial 2026010200 and the new one; the resolver has the new one",
		Runners:     Lab,
		// Name servers of its own, not the lab platform's: ns.elsewhere.
		Expect: map[checks.ID]Expectation{
			checks.DNSHost:        warn(checks.NSElsewhere),
			checks.DNSPropagation: warn(checks.PropagationDisagree),
		},
	},
	{
		Name:        "staleresolver",
		Description: "the MX was changed from oldmx (now gone) to mx: both name servers serve the new MX, the resolver still holds the old one for 30 minutes",
		Runners:     Lab,
		Expect: map[checks.ID]Expectation{
			checks.DNSHost:        warn(checks.NSElsewhere),
			checks.DNSMX:          fail(checks.MXElsewhere, checks.MXUnresolvable),
			checks.SMTP25:         skip(),
			checks.DNSPropagation: warn(checks.PropagationStale),
		},
	},
	{
		Name:        "lamens",
		Description: "three name servers: ns1 answers, ns2 is on 0.0.0.0 (refused by the guard, never dialled), ns3 answers REFUSED (lame)",
		Runners:     Lab,
		Expect: map[checks.ID]Expectation{
			checks.DNSHost:        warn(checks.NSElsewhere),
			checks.DNSPropagation: warn(checks.PropagationForbidden, checks.PropagationLame),
		},
	},
	// The platform: the lab checks every domain against its own
	// provider profile (127.0.0.1 is ours, 127.0.0.2 another
	// provider's; outgoing mail from 127.0.0.1, authorised by
	// include:_spf.lab.test; DKIM selector default; MX mx.<domain>;
	// name server ns.lab.test). The other runners have no profile.
	{
		Name:        "elsewhere",
		Description: "mail hosted elsewhere: the MX and the mail host are another provider's working servers, outside the platform's ranges",
		Runners:     Lab | Sample,
		Expect: map[checks.ID]Expectation{
			checks.DNSHost: warn(checks.HostNotOurs),
			checks.DNSMX:   warn(checks.MXElsewhere),
		},
	},
	{
		Name:        "dnselsewhere",
		Description: "DNS hosted elsewhere: the domain's name servers are another DNS provider's",
		Runners:     Lab,
		Expect:      one(checks.DNSHost, warn(checks.NSElsewhere)),
	},
	{
		Name:        "spfours",
		Description: "the SPF record is the platform's include alone: our outgoing address passes",
		Runners:     Lab,
	},
	{
		Name:        "spfnotours",
		Description: "SPF without our servers: it allows another provider's network only, -all, and our outgoing address fails",
		Runners:     Lab | Sample,
		Expect:      one(checks.DNSSPF, fail(checks.SPFOutgoingFail, checks.SPFPlatformMissing)),
	},
	{
		Name:        "spfsoftfail",
		Description: "SPF allows another provider's network only, ~all: our outgoing address softfails",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, warn(checks.SPFOutgoingSoftfail, checks.SPFPlatformMissing)),
	},
	{
		Name:        "spfnotsaid",
		Description: "SPF allows another provider's network only, ?all: our outgoing address is neutral",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, warn(checks.SPFOutgoingNeutral, checks.SPFPermissive, checks.SPFPlatformMissing)),
	},
	{
		Name:        "spfdnsfail",
		Description: "SPF asks, through a macro, a name whose server does not answer: check_host for our outgoing address is temperror, could not tell",
		Runners:     Lab,
		Expect:      one(checks.DNSSPF, fault(checks.SPFOutgoingTemperror)),
	},
	{
		Name:        "dkimnotours",
		Description: "a DKIM key at the selector mail, none at the platform's selector default",
		Runners:     Lab,
		Expect:      one(checks.DNSDKIM, warn(checks.DKIMPlatformMissing)),
	},
	{
		Name:        "dkimother",
		Description: "the key at the platform's DKIM selector is not the one the platform signs with",
		Runners:     Lab,
		Expect:      one(checks.DNSDKIM, fail(checks.DKIMKeyMismatch)),
	},
	{
		Name:        "expiredelsewhere",
		Description: "the certificate of every TLS port expired yesterday, on another provider's server outside the platform's ranges",
		Runners:     Lab,
		Expect: func() map[checks.ID]Expectation {
			e := portFailures(checks.TLSCertExpired)
			e[checks.DNSHost] = warn(checks.HostNotOurs)
			return e
		}(),
	},
	// Our outgoing addresses (smtp.outgoing): the lab's platform sends
	// from a good address (a PTR that resolves back, not listed) and one
	// bad one, checked on the lab's blocklist bl.lab.test.
	{
		Name:        "outgoinglisted",
		Description: "one of our outgoing addresses (127.0.0.13) is listed on the blocklist bl.lab.test, with a TXT reason carrying markup",
		Runners:     Lab,
		Expect:      one(checks.SMTPOutgoing, fail(checks.OutgoingListed)),
	},
	{
		Name:        "outgoingnoptr",
		Description: "one of our outgoing addresses (127.0.0.11) has no PTR record",
		Runners:     Lab,
		Expect:      one(checks.SMTPOutgoing, warn(checks.OutgoingNoPTR)),
	},
	{
		Name:        "outgoingunconfirmed",
		Description: "one of our outgoing addresses (127.0.0.12) has a PTR name that does not resolve back to it",
		Runners:     Lab,
		Expect:      one(checks.SMTPOutgoing, warn(checks.OutgoingPTRUnconfirmed)),
	},

	// The checker's side.
	{
		Name:        "resolverdown",
		Description: "the checker's resolver answers SERVFAIL while the domain's records are fine: the DNS checks cannot tell, the port checks, which need an address, are not run",
		Runners:     Lab | Sample,
		Expect: map[checks.ID]Expectation{
			checks.DNSHost:        fault(checks.ResolverFailed),
			checks.DNSMX:          fault(checks.ResolverFailed),
			checks.DNSSPF:         fault(checks.ResolverFailed),
			checks.DNSDKIM:        fault(checks.ResolverFailed),
			checks.DNSDMARC:       fault(checks.ResolverFailed),
			checks.DNSAutoconfig:  fault(checks.ResolverFailed),
			checks.DNSPropagation: fault(checks.ResolverFailed),
			checks.IMAP993:        skip(),
			checks.POP3995:        skip(),
			checks.SMTP465:        skip(),
			checks.SMTP587:        skip(),
			checks.SMTP25:         skip(),
		},
	},
}
