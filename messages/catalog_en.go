package messages

import "github.com/pcmhosting/mailsetup/checks"

// catalogEN translates catalogFR; the guide sections cited are the same.
var catalogEN = catalog{
	codes: map[checks.Code]Entry{
		// Section 2: "Adresse du serveur : votre_domaine.com".
		checks.HostNXDomain: {
			Title:   "The domain does not exist",
			Meaning: "The domain {domain} cannot be found in the DNS: it is not registered, it has expired or its name is misspelt.",
			Steps: []string{
				"Check the spelling of the domain: {domain}.",
				"Check in your registrar's customer area that the domain is registered and has not expired.",
				"If the domain was just bought or transferred, wait for DNS propagation (up to 48 hours), then run the check again.",
			},
		},
		// Section 2.
		checks.HostNoAddress: {
			Title:   "The server has no IP address",
			Meaning: "{host} has no IP address in the DNS: mail apps cannot reach the server given in the settings (guide, section 2).",
			Steps: []string{
				"In the DNS zone of {domain}, add an A record for {host} pointing to your hosting's IP address (shown in your customer area).",
				"Wait for DNS propagation (from a few minutes to a few hours), then run the check again.",
			},
		},
		// Section 2; guide silent on private addresses.
		checks.HostPrivateAddress: {
			Title:   "Server address not public",
			Meaning: "{host} points to a private or reserved address ({ip}) that cannot be reached from the Internet.",
			Steps: []string{
				"In the DNS zone of {domain}, replace the address of {host} with your hosting's public IP address.",
				"Wait for DNS propagation, then run the check again.",
			},
		},
		// Guide silent: the checker could not tell.
		checks.ResolverFailed: {
			Title:   "DNS check not possible",
			Meaning: "Our DNS resolver did not answer while {domain} was being checked: this part could not be checked, and that says nothing about your setup.",
			Steps: []string{
				"Run the check again in a few minutes.",
				"If it fails again, pass the technical detail on to the team that maintains the tool: the checker's DNS resolver is the first suspect.",
			},
			Reply: "Part of the check could not be completed on our side (a DNS lookup failed): it has to be run again, and this failure says nothing about your setup.",
		},

		// Section 6: "vérifiez les paramètres DNS (enregistrements MX, SPF, DKIM)".
		checks.MXMissing: {
			Title:   "No MX record",
			Meaning: "{domain} has no MX record and no public IP address to fall back on: other servers have nowhere to deliver mail sent to your addresses, so incoming mail does not work.",
			Steps: []string{
				"In the DNS zone of {domain}, add this MX record:\n{domain} MX 10 {host}.",
				"Wait for DNS propagation, then send yourself an e-mail from another account to check that it arrives (guide, section 4).",
			},
		},
		// Section 6 (MX).
		checks.MXNull: {
			Title:   "Null MX: the domain refuses all mail",
			Meaning: "{domain} publishes a \"null\" MX (\".\") that tells the whole world the domain receives no e-mail.",
			Steps: []string{
				"In the DNS zone of {domain}, delete the MX record \"0 .\" and replace it with:\n{domain} MX 10 {host}.",
				"Wait for DNS propagation, then check that mail arrives (guide, section 4).",
			},
		},
		// Section 6 (MX).
		checks.MXUnresolvable: {
			Title:   "The MX server cannot be found",
			Meaning: "The MX record of {domain} names {mx}, which has no IP address: mail sent to you cannot be delivered.",
			Steps: []string{
				"Correct the MX record so that it names your mail server:\n{domain} MX 10 {host}.",
				"If {mx} is the right server, give it an A record with its IP address.",
			},
		},
		// Section 6 (MX); RFC 5321 §5.1 forbids an alias there.
		checks.MXCNAME: {
			Title:   "The MX names an alias",
			Meaning: "The MX of {domain} names {mx}, which is an alias (CNAME): the standards forbid it and some servers then refuse to deliver.",
			Steps: []string{
				"Point the MX directly at the server's real name (the one with the IP address), for example:\n{domain} MX 10 {host}.",
			},
		},

		// Section 6 (SPF).
		checks.SPFMissing: {
			Title:   "No SPF record",
			Meaning: "{domain} has no SPF record: your e-mails may land in spam or be refused, and anyone can send e-mail in your name.",
			Steps: []string{
				"In the DNS zone of {domain}, add this TXT record:\n{domain} TXT \"{spf_suggest}\"",
				"If you also send e-mail through another service (newsletter, invoicing software…), add its \"include:\" before \"~all\".",
			},
		},
		// Section 6 (SPF).
		checks.SPFMultiple: {
			Title:   "Several SPF records",
			Meaning: "{domain} publishes {count} SPF {count|record|records} where only one is allowed: receiving servers ignore them all.",
			Steps: []string{
				"Merge them into a single TXT record that starts with \"v=spf1\", keeps every item (include:, ip4:, a, mx…) and ends with a single \"~all\".",
				"Delete the other \"v=spf1\" records of {domain}. With no other sending service, this one is enough:\n{domain} TXT \"{spf_suggest}\"",
			},
		},
		// Section 6 (SPF).
		checks.SPFSyntax: {
			Title:   "Invalid SPF record",
			Meaning: "The SPF record of {domain} contains an error: receiving servers cannot use it.",
			Steps: []string{
				"Correct the item shown in the technical detail and keep the others as they are.",
				"If {domain} sends its e-mails only through its own servers (no newsletter or other sending service), this record is enough:\n{domain} TXT \"{spf_suggest}\"",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.6.4 sets the limit of 10.
		checks.SPFTooManyLookups: {
			Title:   "SPF too complex",
			Meaning: "The SPF record of {domain} needs {lookups} DNS {lookups|lookup|lookups} where the limit is 10: receiving servers treat it as invalid.",
			Steps: []string{
				"Remove the \"include:\" of services you no longer use.",
				"Replace unneeded \"a\" and \"mx\" items with the matching addresses (\"ip4:\", \"ip6:\").",
				"Run the check again: the total must be 10 lookups at most.",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.6.4: more than 2 void lookups is
		// permerror.
		checks.SPFVoidLookups: {
			Title:   "SPF: too many lookups that find nothing",
			Meaning: "The SPF record of {domain} leads to {count} DNS {count|lookup that finds|lookups that find} nothing (a name that does not exist, or has no record of the type asked for); RFC 7208 allows 2, and receiving servers that reach the third treat the record as invalid.",
			Steps: []string{
				"Remove from the SPF record the \"include:\", \"a:\", \"mx:\" or \"exists:\" items that name non-existent names, or correct their spelling (see the technical detail).",
			},
		},
		// Section 6 (SPF); RFC 7208 §6.1 when the record ends in a
		// redirect= (authSteps).
		checks.SPFPermissive: {
			Title:   "SPF too permissive",
			Meaning: "The final rule of the SPF record of {domain} ({qualifier}) does not protect your domain: receiving servers are not told to distrust e-mails sent in your name by other servers.",
			Steps: []string{
				"End the SPF record with \"~all\" (or \"-all\" once all your sending services are listed), keeping its other items:\n{domain} TXT \"{spf_suggest}\"",
			},
		},
		// Section 6 (SPF).
		checks.SPFIncludeMissing: {
			Title:   "SPF: \"include\" not found",
			Meaning: "The SPF record of {domain} includes {include}, which has no SPF record: the SPF check fails for all your e-mails.",
			Steps: []string{
				"Correct the name after \"include:\" (a typo?) or remove that \"include:\" if you no longer use the service.",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.3 and RFC 1035 §2.3.4: a name DNS
		// cannot be asked about.
		checks.SPFInvalidName: {
			Title:   "SPF: invalid domain name",
			Meaning: "The SPF record of {where} contains \"{term}\", whose name is not a valid domain name (an empty label, a label over 63 characters or a name over 253): no server can look it up, and the SPF check of your e-mails can end in error.",
			Steps: []string{
				"Correct the name in \"{term}\" (a doubled dot? a typo?) or remove that item from the SPF record of {where}.",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.6.4: more than 10 MX hosts behind
		// one mx term is permerror (the a mechanism has no such limit).
		checks.SPFMXLimit: {
			Title:   "SPF: \"mx\" names too many servers",
			Meaning: "The item \"{term}\" of the SPF record of {where} leads to {count} mail {count|server|servers} (MX records) where RFC 7208 allows {limit}: receiving servers that evaluate it end the SPF check in error.",
			Steps: []string{
				"Replace \"{term}\" with the addresses of the servers that really send e-mail for {domain} (\"ip4:\", \"ip6:\").",
			},
		},
		// Section 6 (SPF); RFC 7208 §5.5: "This mechanism SHOULD NOT be
		// published."
		checks.SPFPTR: {
			Title:   "SPF: \"ptr\" mechanism",
			Meaning: "The SPF record of {where} uses \"{term}\", which RFC 7208 says should not be published: it is slow and less reliable than the other mechanisms.",
			Steps: []string{
				"Replace \"{term}\" with the addresses of your sending servers (\"ip4:\", \"ip6:\") or with an \"a:\" item naming them.",
			},
		},

		// Section 6 (DKIM); RFC 6376 §3.1: selectors cannot be listed, so
		// no key at the usual ones proves nothing about signing.
		checks.DKIMMissing: {
			Title:   "No DKIM key found at the usual selectors",
			Meaning: "No DKIM key was found for {domain} at the usual selectors ({selectors}). Selectors cannot be listed, so this does not show whether your e-mails are signed: the server that sends them may use another selector.",
			Steps: []string{
				"Ask whoever runs the server that sends the e-mails of {domain} (your host, Microsoft 365, Google Workspace…) whether it signs them with DKIM, and with which selector.",
				"If it does not sign them, enable DKIM there (cPanel: \"Email Deliverability\"; Plesk: the domain's \"Mail Settings\") and publish in the DNS zone of {domain} the TXT record it gives, which looks like:\n{selector}._domainkey.{domain} TXT \"v=DKIM1; k=rsa; p=…\"",
				"If it already signs them with another selector, nothing needs to change: the s= tag of the \"DKIM-Signature\" header of a sent e-mail names that selector.",
			},
		},
		// Section 6 (DKIM).
		checks.DKIMSyntax: {
			Title:   "Invalid DKIM key",
			Meaning: "The DKIM record {selector}._domainkey.{domain} is malformed: the signature of your e-mails cannot be verified.",
			Steps: []string{
				"Copy the TXT record exactly as the mail server gives it (no extra space or quote), or generate a new DKIM key.",
			},
		},
		// Section 6 (DKIM); RFC 8301 §3.2: signers SHOULD use 2048 bits.
		checks.DKIMWeakKey: {
			Title:   "DKIM key shorter than recommended",
			Meaning: "The DKIM key of selector {selector} has {bits} bits: it is still accepted, but RFC 8301 recommends at least 2048 bits.",
			Steps: []string{
				"Generate a new 2048-bit DKIM key on the mail server.",
				"Replace the TXT record {selector}._domainkey.{domain} with the new key.",
			},
		},
		// Section 6 (DKIM).
		checks.DKIMRevoked: {
			Title:   "DKIM key revoked",
			Meaning: "The DKIM key of selector {selector} is empty (revoked): e-mails signed with this selector fail verification.",
			Steps: []string{
				"If the selector is still in use, publish its key again; otherwise enable DKIM with a new key and publish it.",
			},
		},
		// Section 6 (DKIM); RFC 8301 §3.2: "Verifiers MUST NOT consider
		// signatures using RSA keys of less than 1024 bits as valid".
		checks.DKIMKeyTooShort: {
			Title:   "DKIM key too short: signatures not accepted",
			Meaning: "The DKIM key of selector {selector} has only {bits} bits: RFC 8301 requires receiving servers to treat signatures made with an RSA key under 1024 bits as invalid, so the DKIM signature of your e-mails does not count.",
			Steps: []string{
				"Generate a new 2048-bit DKIM key on the server that sends the e-mails of {domain}.",
				"Replace the TXT record {selector}._domainkey.{domain} with the new key.",
			},
		},

		// Guide silent on DMARC. Gmail and Yahoo require it (p=none is
		// enough) only from senders of more than 5,000 e-mails a day
		// (their 2024 sender guidelines): a first record asks only for
		// reports.
		checks.DMARCMissing: {
			Title:   "No DMARC record",
			Meaning: "{domain} publishes no DMARC policy: receiving servers are not told what to do with e-mails that fail SPF and DKIM in your name, and you receive no reports. Gmail and Yahoo require one (p=none is enough) only from senders of more than 5,000 e-mails a day; for other domains it is recommended.",
			Steps: []string{
				"In the DNS zone of {domain}, add this TXT record, which only asks for reports (p=none) and changes nothing for your e-mails:\n{dmarc_name} TXT \"{dmarc_record}\"",
				"Make sure the address postmaster@{domain} exists: it will receive the recipients' reports.",
			},
		},
		// Guide silent (DMARC); the record suggested is the first valid
		// one, its tags kept (authSteps).
		checks.DMARCMultiple: {
			Title:   "Several DMARC records",
			Meaning: "_dmarc.{domain} holds {count} DMARC {count|record|records} where only one is allowed: recipients ignore them all.",
			Steps: []string{
				"Keep a single \"v=DMARC1\" TXT record at {dmarc_name} and delete the others, for example:\n{dmarc_name} TXT \"{dmarc_record}\"",
			},
		},
		// Guide silent (DMARC); the record suggested keeps the valid tags
		// (authSteps).
		checks.DMARCSyntax: {
			Title:   "Invalid DMARC record",
			Meaning: "The DMARC record of {domain} is malformed: recipients ignore it.",
			Steps: []string{
				"Replace it with this record, which keeps your valid tags (report addresses included) and leaves out or corrects the invalid ones:\n{dmarc_name} TXT \"{dmarc_record}\"",
			},
		},
		// Guide silent (DMARC); the next step depends on SPF and DKIM in
		// the same report (authSteps).
		checks.DMARCPolicyNone: {
			Title:   "DMARC in monitoring mode only",
			Meaning: "The DMARC policy of {domain} is \"p={policy}\": it asks for no action against e-mails that spoof your domain.",
			Steps: []string{
				"Nothing is urgent: \"p=none\" is a normal first step, and the reports it asks for show who sends e-mail in your name.",
			},
		},

		// Step 3.A.3 (automatic configuration) and 3.A.4 (manual). What
		// each app reads, from its own documentation and source:
		// Thunderbird its autoconfig file (not RFC 6186 SRV records,
		// Mozilla bug 342242), Outlook autodiscover (MS-OXDSCLI), Apple
		// Mail and the Gmail app neither.
		checks.AutoconfigMissing: {
			Title:   "No automatic configuration",
			Meaning: "Nothing tells mail apps the settings of {domain}: no autoconfig file for Thunderbird, no autodiscover service for Outlook. At best an app guesses the server names; otherwise everything must be typed by hand (guide, section 3.B).",
			Steps: []string{
				"Set up the mailbox by hand with the settings below (guide, section 3.B).",
				"For Thunderbird to fill in the settings by itself, publish an autoconfig file (Mozilla's config-v1.1.xml format) at https://autoconfig.{domain}/mail/config-v1.1.xml.",
			},
		},
		checks.AutoconfigSRVOnly: {
			Title:   "Settings only in SRV records, which mail apps do not read",
			Meaning: "{domain} publishes its settings only in SRV records (RFC 6186), which Thunderbird, Outlook, Apple Mail and the Gmail app do not read: at best an app guesses the server names; otherwise the settings must be typed by hand (guide, section 3.B).",
			Steps: []string{
				"Set up the mailbox by hand with the settings below (guide, section 3.B).",
				"For Thunderbird to fill in the settings by itself, publish an autoconfig file (Mozilla's config-v1.1.xml format) at https://autoconfig.{domain}/mail/config-v1.1.xml. The SRV records can stay: they do no harm.",
			},
		},
		// Step 3.A.3; guide silent on the records.
		checks.AutoconfigMismatch: {
			Title:   "Wrong automatic configuration",
			Meaning: "The automatic configuration of {domain} ({source}) announces settings for {protocol} that do not work ({advertised}): mail apps may set themselves up wrongly.",
			Steps: []string{
				"Correct the automatic configuration (SRV records, autoconfig or autodiscover file) so that it only announces settings that work:\n{srv_records}",
				"Meanwhile, set up the mailbox by hand (guide, section 3.B).",
			},
		},
		// Step 3.A.3.
		checks.AutoconfigFound: {
			Title:   "Autoconfig file for Thunderbird",
			Meaning: "Thunderbird reads the autoconfig file of {domain} ({url}) and fills in the settings from the e-mail address alone.",
			Steps: []string{
				"Nothing to do in Thunderbird: the full e-mail address and the password are enough (guide, step 3.A.3).",
			},
		},
		checks.AutodiscoverFound: {
			Title:   "Autodiscover service for Outlook",
			Meaning: "Outlook asks the autodiscover service of {domain} ({url}) and fills in the settings from the e-mail address and the password.",
			Steps: []string{
				"Nothing to do in Outlook: the full e-mail address and the password are enough (guide, step 3.A.3).",
			},
		},
		checks.AutodiscoverMissing: {
			Title:   "No autodiscover service for Outlook",
			Meaning: "Outlook does not read Thunderbird's autoconfig file, and {domain} has no autodiscover service: in Outlook, the settings must be typed by hand (guide, section 3.B).",
			Steps: []string{
				"In Outlook, set up the mailbox by hand with the settings below (guide, section 3.B).",
			},
		},
		checks.AutoconfigTimeout: {
			Title:   "Automatic configuration not checked",
			Meaning: "We could not reach {what} (no answer in time, or its DNS lookup failed): we cannot tell what mail apps find for {domain}.",
			Steps: []string{
				"Run the check again in a few minutes.",
			},
		},

		// Section 5.2: ports and firewall; here the server side is closed.
		checks.TCPRefused: {
			Title:   "Port closed",
			Meaning: "{host} refuses connections on {ports}: the mail service is not listening there or a firewall blocks it.",
			Steps: []string{
				"Check that the mail service is running on {host} and listening on {ports}.",
				"Check that the server's firewall allows {ports} (guide, section 5.2).",
			},
			Reply: "The server {host} refuses connections on {ports}: this is for us to fix.",
		},
		// Section 5.2 (firewall).
		checks.TCPTimeout: {
			Title:   "No answer",
			Meaning: "{host} does not answer on {ports}: a firewall probably blocks access.",
			Steps: []string{
				"Check that the server's firewall, and the hosting's upstream firewall if there is one, allows {ports} (guide, section 5.2).",
				"Check that the mail service is listening on {ports}.",
			},
			Reply: "The server {host} does not answer on {ports}: this is for us to fix.",
		},
		// Section 5.2.
		checks.TCPUnreachable: {
			Title:   "Server unreachable",
			Meaning: "{host} cannot be reached on {ports}: the server is down or its address in the DNS is wrong.",
			Steps: []string{
				"Check that the server {host} is running and that its IP address in the DNS is the right one.",
				"Check the server's firewall and routing (guide, section 5.2).",
			},
			Reply: "The server {host} cannot be reached: this is for us to fix.",
		},
		// Guide silent: the port answers, then stays silent (a tarpit).
		checks.ProtoTimeout: {
			Title:   "The server stops answering",
			Meaning: "The connection to {host} on {ports} opens, then the server stops answering: the service is stuck, overloaded or deliberately slowed down by an anti-spam tool.",
			Steps: []string{
				"Restart the mail service on {host} and check its load and logs.",
				"Check that no anti-spam or blocking tool (fail2ban, connection limits) slows down or blocks connections.",
			},
			Reply: "The server {host} does not answer properly on {ports}: this is for us to fix.",
		},
		// Guide silent.
		checks.ProtoError: {
			Title:   "Unexpected answer from the server",
			Meaning: "{host} closed the connection or answered something unintelligible on {ports}.",
			Steps: []string{
				"Check that the mail service is what listens on {ports} (and not, say, a web server).",
				"Read the mail service's logs on {host}.",
			},
			Reply: "The server {host} answers abnormally on {ports}: this is for us to fix.",
		},

		// Section 2: "Sécurité : SSL/TLS obligatoire"; guide silent on
		// certificates, which only the host can renew.
		checks.TLSHandshakeFailed: {
			Title:   "Secure connection impossible",
			Meaning: "The SSL/TLS connection to {host} fails on {ports}: mail apps cannot connect with SSL/TLS as the guide requires.",
			Steps: []string{
				"Check that the service on {ports} is set up for SSL/TLS with a valid certificate for {host}.",
				"Check that it accepts TLS 1.2 or newer.",
			},
			Reply: "The secure connection to the server {host} fails on {ports}: this is for us to fix.",
		},
		// Section 2 (SSL/TLS required); guide silent on renewal.
		checks.TLSCertExpired: {
			Title:   "Certificate expired",
			Meaning: "The security certificate of {host} has expired: mail apps show a warning or refuse to connect.",
			Steps: []string{
				"Renew the certificate of {host} (AutoSSL in cPanel, Let's Encrypt in Plesk, or with the certificate authority).",
				"Restart the mail services (IMAP, POP3, SMTP) so that they use the new certificate, then run the check again.",
				"Check that automatic renewal is on so that this does not happen again.",
			},
			Reply: "The security certificate of the server {host} has expired: renewing it is up to us. Until then, your mail app may show a security warning; do not add an exception, simply try again once it is renewed.",
		},
		// Section 2; guide silent.
		checks.TLSCertNotYetValid: {
			Title:   "Certificate not yet valid",
			Meaning: "The security certificate of {host} is not valid yet: the server's clock or the certificate is wrong, and mail apps refuse to connect.",
			Steps: []string{
				"Check the clock of the server {host} (time synchronisation).",
				"Install a certificate valid today, then restart the mail services.",
			},
			Reply: "The security certificate of the server {host} cannot be used: replacing it is up to us.",
		},
		// Section 2 ("Adresse du serveur : votre_domaine.com"); guide silent.
		checks.TLSCertHostnameMismatch: {
			Title:   "Certificate for the wrong name",
			Meaning: "The certificate presented on {ports} is not issued for {host}: mail apps show a security warning.",
			Steps: []string{
				"Install a certificate that covers {host} for the mail services (AutoSSL or Let's Encrypt, adding {host} to the certificate's names).",
				"Restart the mail services, then run the check again.",
			},
			Reply: "The server's security certificate does not match the name {host}: fixing it is up to us. Until then, your mail app may show a security warning.",
		},
		// Section 2; guide silent.
		checks.TLSCertUntrusted: {
			Title:   "Certificate not trusted",
			Meaning: "The certificate of {host} is not issued by a recognised authority (self-signed, or incomplete chain): mail apps show a security warning.",
			Steps: []string{
				"Install a certificate issued by a recognised authority (AutoSSL, Let's Encrypt…).",
				"If the certificate is already a recognised one, add the intermediate certificate (full chain) to the mail services' configuration.",
			},
			Reply: "The security certificate of the server {host} is not trusted by mail apps: replacing it is up to us.",
		},
		// Guide silent: a warning before tls.cert_expired.
		checks.TLSCertExpiringSoon: {
			Title:   "Certificate expiring soon",
			Meaning: "The security certificate of {host} expires in {days} {days|day|days}: without renewal, secure connections will fail.",
			Steps: []string{
				"Renew the certificate of {host} now, or check that automatic renewal (AutoSSL, Let's Encrypt) works.",
				"Then restart the mail services.",
			},
			Reply: "The security certificate of the server {host} is about to expire: renewing it is up to us.",
		},
		// Section 2 (SSL/TLS); guide silent on versions.
		checks.TLSProtocolOld: {
			Title:   "Outdated security protocol",
			Meaning: "The newest security protocol version {host} offers on {ports} is {version}: current mail apps require TLS 1.2 or newer.",
			Steps: []string{
				"Enable TLS 1.2 and TLS 1.3 in the mail services' configuration on {host}, and disable SSLv3, TLS 1.0 and TLS 1.1.",
				"Restart the services, then run the check again.",
			},
			Reply: "The server {host} uses a security protocol too old for current mail apps: updating it is up to us.",
		},

		// Section 2 (outgoing server) and 5.3.
		checks.SMTPBadGreeting: {
			Title:   "The outgoing server refuses the connection",
			Meaning: "The outgoing server {host} answers on {ports} with an error or unexpected message instead of its greeting.",
			Steps: []string{
				"Read the server's message (technical detail) and the SMTP service's logs on {host}.",
				"Check that the IP address the check runs from is not blocked (blocklist, connection limits).",
			},
			Reply: "The outgoing server {host} refuses connections on {ports}: this is for us to fix.",
		},
		// Section 2: "Authentification requise : Oui"; 5.3.
		checks.SMTPNoAuth: {
			Title:   "SMTP authentication not offered",
			Meaning: "The outgoing server {host} offers no authentication on {ports}: the guide requires it (\"Authentication required: Yes\"), so sending cannot work.",
			Steps: []string{
				"Enable SMTP authentication (SMTP AUTH) on {ports} in the configuration of the outgoing server of {host}.",
				"Check that it is offered once the connection is secured.",
			},
			Reply: "The outgoing server {host} does not accept logins on {ports}: fixing its configuration is up to us.",
		},
		// Section 5.3: "port 587 avec STARTTLS".
		checks.SMTPNoStartTLS: {
			Title:   "STARTTLS not offered",
			Meaning: "The server {host} does not offer STARTTLS on {ports}: the connection cannot be secured.",
			Steps: []string{
				"Enable STARTTLS on {ports} with a valid certificate for {host}.",
				"Run the check again.",
			},
			Reply: "The server {host} offers no secure connection (STARTTLS) on {ports}: this is for us to fix.",
		},
		// Section 2 (SSL/TLS required); guide silent.
		checks.SMTPAuthPlaintext: {
			Title:   "AUTH offered without encryption",
			Meaning: "On {ports}, {host} offers authentication before the connection is secured: a badly set-up app could send the password in clear text.",
			Steps: []string{
				"Set up the outgoing server to offer authentication only after STARTTLS on {ports}.",
			},
			Reply: "The outgoing server {host} offers authentication before securing the connection on {ports}: fixing this setting is up to us.",
		},
		// Section 2 (incoming server, IMAP).
		checks.IMAPBadGreeting: {
			Title:   "The IMAP server refuses the connection",
			Meaning: "The incoming server {host} answers IMAP on {ports} with an error or unexpected message.",
			Steps: []string{
				"Read the server's message (technical detail) and the IMAP service's logs on {host}.",
				"Restart the IMAP service if needed.",
			},
			Reply: "The incoming server {host} refuses IMAP connections: this is for us to fix.",
		},
		// Section 2; 5.1 cannot help while the server offers no login.
		checks.IMAPNoAuth: {
			Title:   "IMAP login impossible",
			Meaning: "The IMAP server {host} offers no login method on {ports}: even with the right address and password, the connection will fail.",
			Steps: []string{
				"Enable password login (LOGIN, AUTH=PLAIN) on the IMAP service, after the SSL/TLS connection.",
			},
			Reply: "The incoming server {host} does not accept IMAP logins: fixing its configuration is up to us.",
		},
		// Section 2 (incoming server, POP3).
		checks.POP3BadGreeting: {
			Title:   "The POP3 server refuses the connection",
			Meaning: "The incoming server {host} answers POP3 on {ports} with an error or unexpected message.",
			Steps: []string{
				"Read the server's message (technical detail) and the POP3 service's logs on {host}.",
				"Restart the POP3 service if needed.",
			},
			Reply: "The incoming server {host} refuses POP3 connections: this is for us to fix.",
		},
		// Section 2; 5.1 cannot help while the server offers no login.
		checks.POP3NoAuth: {
			Title:   "POP3 login impossible",
			Meaning: "The POP3 server {host} offers no login method on {ports}: even with the right address and password, the connection will fail.",
			Steps: []string{
				"Enable password login (USER/PASS, SASL PLAIN) on the POP3 service, after the SSL/TLS connection.",
			},
			Reply: "The incoming server {host} does not accept POP3 logins: fixing its configuration is up to us.",
		},

		// The engine's own note: no remedy of its own, the cause's is enough.
		checks.CheckSkipped: {
			Title:   "Not checked",
			Meaning: "This check was not run because \"{dependency}\" failed.",
			Steps: []string{
				"First fix \"{dependency}\", then run the check again.",
			},
		},
		// The engine broke (a recovered panic, the run deadline): run again.
		checks.CheckInternal: {
			Title:   "Internal error in the check",
			Meaning: "The check itself ran into an error: this result says nothing about your mail setup.",
			Steps: []string{
				"Run the check again.",
				"If the error persists, pass the technical detail on to the team that maintains the tool.",
			},
			Reply: "Part of the check could not be completed on our side: it has to be run again, and this failure says nothing about your setup.",
		},

		// Observations (info): nothing to do, they feed the summaries.
		checks.HostFound: {
			Title:   "Server address found",
			Meaning: "{host} has {count} IP {count|address|addresses}: mail apps can reach the server.",
			Steps:   []string{"Nothing to do."},
		},
		checks.MXFound: {
			Title:   "Incoming servers found",
			Meaning: "{domain} names its incoming servers ({count} MX {count|record|records}).",
			Steps:   []string{"Nothing to do."},
		},
		checks.SPFFound: {
			Title:   "SPF record found",
			Meaning: "The SPF record of {domain} needs {lookups} DNS {lookups|lookup|lookups} (10 at most).",
			Steps:   []string{"Nothing to do."},
		},
		checks.DKIMFound: {
			Title:   "DKIM key found",
			Meaning: "DKIM key published for {domain} (selectors: {selectors}).",
			Steps:   []string{"Nothing to do."},
		},
		checks.DMARCFound: {
			Title:   "DMARC policy found",
			Meaning: "The DMARC policy of {domain} is \"p={policy}\".",
			Steps:   []string{"Nothing to do."},
		},

		// Mail routing as senders follow it (RFC 5321 §5.1, RFC 7505 §3).
		// Section 6 (MX).
		checks.MXNullMixed: {
			Title:   "Null MX beside other MX records",
			Meaning: "{domain} publishes a null MX (\".\", meaning \"this domain accepts no mail\") next to other MX records. The standard forbids this mix (RFC 7505): some senders deliver to the other servers, others may refuse mail for {domain}.",
			Steps: []string{
				"In the DNS zone of {domain}, delete the MX record \"0 .\" and keep only the MX records of your mail servers, for example:\n{domain} MX 10 {host}.",
				"Wait for DNS propagation, then send yourself an e-mail from another account to check that it arrives (guide, section 4).",
			},
		},
		// Section 6 (MX).
		checks.MXPrivateAddress: {
			Title:   "MX server at a private address",
			Meaning: "The MX record of {domain} names {mx}, which resolves only to private or reserved addresses ({count} found): other servers on the Internet cannot deliver mail there.",
			Steps: []string{
				"Give {mx} the public IP address of your mail server (A record), or correct the MX record so that it names your mail server:\n{domain} MX 10 {host}.",
				"Wait for DNS propagation, then run the check again.",
			},
		},
		// Guide silent: RFC 5321 §4.5.3.2.1 gives senders 5 minutes.
		checks.SMTPGreetingSlow: {
			Title:   "Slow greeting",
			Meaning: "{host} accepts connections on port 25 but sent no greeting within {seconds} {seconds|second|seconds}. Sending servers wait up to 5 minutes for it (RFC 5321) and some servers hold it back on purpose against spam: this alone does not mean that mail is lost, but a server that never answers would lose it.",
			Steps: []string{
				"If the delay is deliberate (an anti-spam greeting delay), check that it stays well under 5 minutes.",
				"Otherwise, check the load and the logs of the mail service on {host}, and restart it if it is stuck.",
			},
			Reply: "Our server {host} is slow to answer the servers that deliver your mail: checking it is up to us.",
		},
		// The platform (a provider profile). Guide, section 6: "check the
		// DNS settings (MX, SPF, DKIM records)".
		checks.MXElsewhere: {
			Title:   "This domain's mail is handled elsewhere",
			Meaning: "The MX of {domain} is {mx}: this domain's mail is handled by {other}, not by {provider}; the guide's settings do not apply.",
			Steps: []string{
				"If the mail of {domain} is to be received by {provider}, point its MX to {expected_mx} in the DNS zone (guide, section 6), then wait for DNS propagation.",
				"Otherwise the mailboxes of this domain are at {other}: mail app settings and delivery problems are for that provider.",
			},
		},
		checks.NSElsewhere: {
			Title:   "DNS managed elsewhere",
			Meaning: "The name servers of {domain} are {ns} ({dns_provider}): its DNS zone is not managed by {provider}, and records (MX, SPF, DKIM, DMARC) are changed at that DNS provider.",
			Steps: []string{
				"The DNS fixes of this report are for the customer to make in the account of their DNS provider ({dns_provider}), which runs {ns}.",
				"To have {provider} manage the DNS, replace the domain's name servers at its registrar with {expected_ns}, once the zone has been recreated.",
			},
		},
		checks.HostNotOurs: {
			Title:   "The mail server is hosted elsewhere",
			Meaning: "{host} points to {ip}, an address not run by {provider}: mail apps connect to someone else's server, and its problems are for the provider that hosts it.",
			Steps: []string{
				"If the mailboxes of {domain} are with {provider}, fix the A record of {host} in the DNS zone so that it points to the hosting's IP address (customer area; guide, section 2).",
				"Otherwise the server's settings are those of the provider that hosts it: see with them.",
			},
		},
		checks.SPFPlatformMissing: {
			Title:   "The SPF record lacks our servers' mechanism",
			Meaning: "The SPF record of {domain} does not contain \"{expected}\", the mechanism that authorises our sending servers.",
			Steps:   spfAddOursEN,
		},
		checks.SPFOutgoingPass: {
			Title:   "The SPF record authorises our sending servers",
			Meaning: "For our sending address {ip}, the SPF record of {domain} gives \"pass\" ({matched}).",
			Steps:   []string{"Nothing to do."},
		},
		checks.SPFOutgoingFail: {
			Title:   "The SPF record does not authorise our sending servers",
			Meaning: "For our sending address {ip}, the SPF record of {domain} gives \"fail\" ({matched}): mail you send through our servers may be rejected or marked as spam.",
			Steps:   spfAddOursEN,
		},
		checks.SPFOutgoingSoftfail: {
			Title:   "The SPF record makes mail sent through our servers suspect",
			Meaning: "For our sending address {ip}, the SPF record of {domain} gives \"softfail\" ({matched}): mail you send through our servers may be marked as spam.",
			Steps:   spfAddOursEN,
		},
		checks.SPFOutgoingNeutral: {
			Title:   "The SPF record says nothing of our sending servers",
			Meaning: "For our sending address {ip}, the SPF record of {domain} gives \"{result}\": it does not say whether our servers may send for you, and receivers judge your mail without that proof.",
			Steps:   spfAddOursEN,
		},
		checks.SPFOutgoingPermerror: {
			Title:   "The SPF record cannot be evaluated for our servers",
			Meaning: "For our sending address {ip}, evaluating the SPF record of {domain} fails (\"permerror\"): receivers cannot rely on it, and your mail may be rejected or marked as spam.",
			Steps: []string{
				"Fix the SPF record of {domain} as the technical detail says: one record only, at most 10 DNS lookups, includes that exist (guide, section 6).",
				spfAddOursEN[0],
			},
		},
		checks.SPFOutgoingTemperror: {
			Title:   "SPF evaluation of our servers impossible",
			Meaning: "For our sending address {ip}, a DNS lookup failed while evaluating the SPF record of {domain} (\"temperror\"): whether our servers are authorised cannot be told for now.",
			Steps:   []string{"Run the check again in a few minutes."},
		},
		checks.DKIMPlatformMissing: {
			Title:   "No DKIM key at our selector",
			Meaning: "No DKIM key is published at {selector}._domainkey.{domain}, the selector our servers sign your mail with: receivers cannot verify that signature.",
			Steps: []string{
				"In the DNS zone of {domain}, publish as TXT at {selector}._domainkey.{domain} the DKIM key given in the customer area (guide, section 6: DKIM records).",
				"Wait for DNS propagation, then run the check again.",
			},
		},
		checks.DKIMKeyMismatch: {
			Title:   "The DKIM key is not our servers' key",
			Meaning: "The key published at {selector}._domainkey.{domain} is not the one our servers sign your mail with: the DKIM signature fails at receivers, and DMARC can only rely on SPF.",
			Steps: []string{
				"In the DNS zone of {domain}, replace the value of the TXT {selector}._domainkey.{domain} with the DKIM key given in the customer area (guide, section 6: DKIM records).",
				"Wait for DNS propagation, then run the check again.",
			},
		},
		// DNS propagation (issue 12). Guide section 6: check the DNS
		// settings (MX, SPF, DKIM records) of the domain. Secondaries copy
		// the zone on NOTIFY (RFC 1996) or at the SOA refresh (RFC 1035
		// §4.3.5); resolvers keep an answer for its TTL (RFC 1035 §3.2.1,
		// RFC 2308) and try another server when one does not answer
		// (RFC 1034 §5.3.3).
		checks.PropagationFound: {
			Title:   "The domain's DNS servers",
			Meaning: "The zone {zone} is served by {count} {count|DNS server|DNS servers}: {servers} (serial {serial}).",
			Steps:   []string{"Nothing to do."},
		},
		checks.PropagationNoZone: {
			Title:   "Propagation not checked",
			Meaning: "No DNS zone with name servers was found above {domain}: nothing to compare.",
			Steps:   []string{"Nothing to do."},
		},
		checks.PropagationDisagree: {
			Title:   "DNS servers disagree",
			Meaning: "The DNS servers of {domain} do not publish the same version of the zone: {stale} still serves an older one (serial {stale_serial}, against {serial} on the others; records that differ: {kinds}). Depending on the server they ask, other servers on the Internet see the old or the new version.",
			Steps: []string{
				"If you run your DNS servers: check that {stale} receives the primary server's updates (zone transfer allowed, NOTIFY messages) and that the zone's serial was increased at the last change.",
				"If your DNS is run by a provider (registrar, DNS host): tell them that {stale} serves an old version of the zone of {domain}.",
				"When every server publishes the same MX, SPF and DKIM records (guide, section 6), run the check again.",
			},
		},
		checks.PropagationStale: {
			Title:   "Old answer still cached",
			Meaning: "The DNS servers of {domain} already publish a new {kind} record for {name} ({new_record}), but the DNS resolver the check uses keeps the old one in its cache for about {minutes} more min. Every other resolver that read the old version likewise keeps it until its copy expires.",
			Steps: []string{
				"Change nothing: wait about {minutes} minutes, then run the check again (guide, section 6).",
			},
		},
		checks.PropagationUnreachable: {
			Title:   "DNS server unreachable",
			Meaning: "The DNS server {server} ({addr}) of {domain} did not answer within the check's time limit. Servers on the Internet fall back on the domain's other DNS servers, with a delay; if none answers, the domain cannot be found, mail included.",
			Steps: []string{
				"Check with your DNS host that {server} works and answers for {domain} (port 53, UDP and TCP), or remove it from the domain's DNS servers (NS) at your registrar.",
				"Then run the check again (guide, section 6).",
			},
		},
		checks.PropagationLame: {
			Title:   "DNS server that does not serve the domain",
			Meaning: "{server} is declared as a DNS server of {domain} but does not answer for it with authority (it refuses, fails, or has no address): a broken delegation, which delays or fails the resolvers that ask it.",
			Steps: []string{
				"At your registrar, keep among the DNS servers (NS) of {domain} only those that really serve the zone, or set the zone up on {server}.",
				"Then run the check again (guide, section 6).",
			},
		},
		checks.PropagationForbidden: {
			Title:   "DNS server on a private address",
			Meaning: "{server}, a DNS server of {domain}, has the address {addr}, a private or reserved one: servers on the Internet cannot ask it. The check did not contact it.",
			Steps: []string{
				"Give {server} its public IP address (A or AAAA record), or remove it from the DNS servers (NS) of {domain} at your registrar.",
				"Then run the check again (guide, section 6).",
			},
		},
		checks.PropagationUnknown: {
			Title:   "DNS propagation not checked",
			Meaning: "No DNS server of {domain} answered in time: their answers could not be compared. This does not mean they disagree.",
			Steps: []string{
				"Run the check again in a few minutes.",
			},
		},
		// Reverse DNS of the MX hosts (issue 12). Guide silent; Gmail's
		// sender guidelines require of sending IPs a PTR whose name
		// resolves back (RFC 8601 §2.7.3 "iprev"); only the holder of
		// an address publishes its PTR (RFC 1035 §3.5).
		checks.MXNoPTR: {
			Title:   "MX server without reverse DNS",
			Meaning: "The address {ip} of {mx} has no PTR record (reverse DNS). That does not hinder the mail {domain} receives; but if this server also sends mail, as mail servers often do, Gmail and other receivers refuse or mark as spam what it sends.",
			Steps: []string{
				"Ask the holder of the address {ip} (the server's host or network provider: only they can publish its PTR) for a PTR record to {mx}, a name that must itself point to {ip}.",
				"If this server sends no mail, there is no hurry.",
			},
		},
		checks.MXPTRUnconfirmed: {
			Title:   "MX server's reverse DNS not confirmed",
			Meaning: "The address {ip} of {mx} has the PTR {name}, but that name does not point to {ip}. That does not hinder the mail received; but if this server also sends mail, Gmail and other receivers treat it as an address without valid reverse DNS and refuse or mark as spam what it sends.",
			Steps: []string{
				"Point {name} to {ip} (A or AAAA record), or ask the holder of the address {ip} for a PTR to a name that points to it, {mx} for instance.",
				"If this server sends no mail, there is no hurry.",
			},
		},
		// Our outgoing addresses (smtp.outgoing, issue 12). Guide 5.3
		// ("E-mails not sent") lists the customer's settings only: these
		// causes are on our sending servers (RFC 8601 §2.7.3 "iprev",
		// RFC 1035 §3.5, RFC 5782 §2.1 and §2.1.1).
		checks.OutgoingNone: {
			Title:   "No outgoing address to check",
			Meaning: "The hosting profile names no outgoing address: their reverse DNS and blocklist listings were not checked.",
			Steps:   []string{"Nothing to do."},
		},
		checks.OutgoingNoPTR: {
			Title:   "Outgoing address without reverse DNS",
			Meaning: "Our outgoing address {ip}, which our customers' mail leaves from, has no PTR record (reverse DNS). Gmail and other receivers reject or mark as spam mail from an address without reverse DNS, {domain}'s included.",
			Steps: []string{
				"Publish for {ip} a PTR record to the sending server's name, a name that must itself point to {ip} (A or AAAA record); only the holder of the address can publish its PTR.",
				"The customer has nothing to change in their sending settings (guide, section 5.3): the cause is on our sending server.",
			},
			Reply: "One of our outgoing addresses has no reverse DNS, which can get your mail rejected or marked as spam: fixing it is up to us.",
		},
		checks.OutgoingPTRUnconfirmed: {
			Title:   "Outgoing address's reverse DNS not confirmed",
			Meaning: "Our outgoing address {ip} has the PTR {name}, but that name does not point to {ip}. Gmail and other receivers treat it as an address without valid reverse DNS and reject or mark as spam the mail it sends, {domain}'s included.",
			Steps: []string{
				"Point {name} to {ip} (A or AAAA record), or publish for {ip} a PTR to a name that points to it.",
				"The customer has nothing to change in their sending settings (guide, section 5.3): the cause is on our sending server.",
			},
			Reply: "The reverse DNS of one of our outgoing addresses is incomplete, which can get your mail rejected or marked as spam: fixing it is up to us.",
		},
		checks.OutgoingListed: {
			Title:   "Outgoing address on a blocklist",
			Meaning: "Our outgoing address {ip} is listed on the blocklist {zone}. Reason the list publishes: “{reason}”. Receivers that consult this list refuse mail sent from this address, {domain}'s included.",
			Steps: []string{
				"Find and stop the source of the mail reported from {ip} (a hacked account, an abused form), then ask for {ip} to be removed by following the procedure of the list {zone}.",
				"The customer has nothing to change in their sending settings (guide, section 5.3): the cause is on our sending server.",
			},
			Reply: "One of our outgoing addresses is on a blocklist, which gets some of your mail refused: fixing it is up to us.",
		},
		checks.OutgoingUnknown: {
			Title:   "Outgoing address not checked",
			Meaning: "The {what} lookup for our outgoing address {ip} did not finish in time: whether it is in order cannot be told. This does not mean that it is blocked.",
			Steps: []string{
				"Run the check again in a few minutes.",
			},
		},
	},

	inputs: map[checks.InputReason]string{
		checks.InputEmpty:        "Give a domain or an e-mail address to check.",
		checks.InputTooLong:      "\"{input}\" is too long to be a domain (253 characters at most).",
		checks.InputLabelTooLong: "\"{input}\" is not a domain: a part between two dots is longer than 63 characters.",
		checks.InputBadChar:      "\"{input}\" is not a domain: it contains characters that are not allowed.",
		checks.InputIPLiteral:    "\"{input}\" is an IP address: give the mailbox's domain.",
		checks.InputPort:         "\"{input}\" contains a port number: give only the domain, all the ports are checked.",
		checks.InputSingleLabel:  "\"{input}\" is not a full domain: the extension (.com, .fr…) is missing.",
		checks.InputSeveralWords: "\"{input}\" is not a domain: it has several words.",
		checks.InputSpecialUse:   "\"{input}\" is a reserved name that does not exist on the Internet.",
		checks.InputNotPublic:    "\"{input}\" is not a name on the Internet: it does not end in a public top-level domain (.com, .fr, .co.uk…). Internal names are not checked.",
		checks.InputBadAddress:   "\"{input}\" is not a valid e-mail address.",
	},
	inputExample: "Example: {command} client.com or jane@client.com",

	checks: map[checks.ID]checkWords{
		checks.DNSHost: {Label: "Server address (DNS)", Summary: map[checks.Status]string{
			checks.StatusPass: "{host} points to {addresses}.",
			checks.StatusWarn: "{host} has an address, with a remark.",
			checks.StatusFail: "{host} has no usable address.",
		}},
		checks.DNSMX: {Label: "Incoming mail (MX)", Summary: map[checks.Status]string{
			checks.StatusPass: "Mail is routed to {mx_list}.",
			checks.StatusWarn: "Mail can be delivered, with a remark.",
			checks.StatusFail: "Mail sent to {domain} is not delivered, or not by every sender.",
		}},
		checks.DNSSPF: {Label: "SPF", Summary: map[checks.Status]string{
			checks.StatusPass: "One valid SPF record.",
			checks.StatusWarn: "SPF record to improve.",
			checks.StatusFail: "SPF missing or invalid.",
		}},
		checks.DNSDKIM: {Label: "DKIM", Summary: map[checks.Status]string{
			checks.StatusPass: "DKIM key found.",
			checks.StatusWarn: "No DKIM key at the usual selectors, or key to improve.",
			checks.StatusFail: "DKIM key unusable.",
		}},
		checks.DNSDMARC: {Label: "DMARC", Summary: map[checks.Status]string{
			checks.StatusPass: "DMARC policy in place.",
			checks.StatusWarn: "DMARC missing or in monitoring mode only.",
			checks.StatusFail: "Invalid DMARC record.",
		}},
		checks.DNSAutoconfig: {Label: "Automatic configuration", Summary: map[checks.Status]string{
			checks.StatusPass: "{apps}",
			checks.StatusWarn: "No reliable automatic detection: manual setup.",
			checks.StatusFail: "No reliable automatic detection: manual setup.",
		}},
		checks.DNSPropagation: {Label: "DNS propagation", Summary: map[checks.Status]string{
			checks.StatusPass: "The DNS servers of {domain} and the resolver give the same answers.",
			checks.StatusWarn: "The DNS servers do not all give the same answers, or a change is not visible everywhere yet.",
			checks.StatusFail: "The DNS servers do not all give the same answers, or a change is not visible everywhere yet.",
		}},
		checks.IMAP993: {Label: "IMAP (port 993, SSL/TLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "IMAP incoming mail works.",
			checks.StatusWarn: "IMAP works, with a remark.",
			checks.StatusFail: "IMAP incoming mail impossible.",
		}},
		checks.POP3995: {Label: "POP3 (port 995, SSL/TLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "POP3 incoming mail works.",
			checks.StatusWarn: "POP3 works, with a remark.",
			checks.StatusFail: "POP3 incoming mail impossible.",
		}},
		checks.SMTP465: {Label: "SMTP (port 465, SSL/TLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "Sending works, authentication offered.",
			checks.StatusWarn: "Sending possible, with a remark.",
			checks.StatusFail: "Sending impossible on port 465.",
		}},
		checks.SMTP587: {Label: "SMTP (port 587, STARTTLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "Sending works, authentication offered.",
			checks.StatusWarn: "Sending possible, with a remark.",
			checks.StatusFail: "Sending impossible on port 587.",
		}},
		checks.SMTP25: {Label: "Mail from the Internet (port 25)", Summary: map[checks.Status]string{
			checks.StatusPass: "Other servers can deliver your mail, encrypted.",
			checks.StatusWarn: "Other servers can deliver your mail, with a remark.",
			checks.StatusFail: "Other servers cannot deliver your mail.",
		}},
		checks.SMTPOutgoing: {Label: "Our outgoing addresses", Summary: map[checks.Status]string{
			checks.StatusPass: "{outgoing}",
			checks.StatusWarn: "An outgoing address of the host has missing or unconfirmed reverse DNS.",
			checks.StatusFail: "An outgoing address of the host is on a blocklist.",
		}},
	},
	// What each mail app's automatic setup does (dns.autoconfig's
	// Facts.Clients), joined into the check's summary.
	apps: map[string]string{
		"sep":                    "; ", // between two apps
		"thunderbird=autoconfig": "Thunderbird fills in the settings from the autoconfig file",
		"thunderbird=guess":      "Thunderbird guesses the server names",
		"thunderbird=unknown":    "Thunderbird: not checked",
		"outlook=autodiscover":   "Outlook fills in the settings through autodiscover",
		"outlook=none":           "Outlook finds no autodiscover service",
		"outlook=unknown":        "Outlook: not checked",
		"apple+gmail=guess":      "Apple Mail and the Gmail app guess the servers or ask for them",
	},

	skipped:      "Not checked.",
	skippedAfter: "Depends on \"{dependency}\", which did not pass.",
	couldNotTell: "No conclusion possible for now.",

	tips: map[tip]Entry{
		// Section 5.1.
		tipAuth: {
			Title: "Authentication error",
			Steps: []string{
				"Check that your username is your full e-mail address ({username}).",
				"Make sure the password is correct.",
			},
		},
		// Section 5.2.
		tipConnection: {
			Title: "Cannot connect to the servers",
			Steps: []string{
				"Check that the ports and security (SSL/TLS) are set correctly: {in_setting} for incoming mail, {out_setting} for sending.",
				"Make sure your network is not blocked by a firewall (try from another network, for example your phone's hotspot).",
			},
		},
		// Section 5.3.
		tipSending: {
			Title: "E-mails not sent",
			Steps: []string{
				"Check that SMTP authentication is enabled and that the login details are correct.",
			},
		},
		// Section 5.4.
		tipSlowIMAP: {
			Title: "Slow synchronisation (IMAP)",
			Steps: []string{
				"If your mailbox holds many messages, set your mail app to download only the e-mail headers.",
			},
		},
	},

	authSteps: map[authStep][]string{
		// RFC 7208 §6.1: the redirect target's "all" applies.
		spfAtRedirect: {
			"Keep the record of {domain} as it is: it hands the check over to {redirect} (\"redirect={redirect}\"), and the final rule to add belongs at the end of the SPF record of {redirect}:\n{redirect} TXT \"{spf_suggest}\"",
			"If {redirect} is managed by your e-mail provider, ask the provider to make that change.",
		},
		dmarcEnforce: {
			"Once the reports show that your own e-mails pass SPF or DKIM, you can ask receivers to put the e-mails that fail in spam, by changing only p=:\n{dmarc_name} TXT \"{dmarc_record}\"",
		},
		dmarcWait: {
			"Keep \"p=none\" for now: this check does not show both SPF and DKIM in place for {domain} (see above), and a stricter policy could send your own e-mails to spam.",
		},
	},

	workarounds: map[workaround]string{
		// Section 5.3.
		useSubmission: "Meanwhile, use SMTP port 587 with STARTTLS, which works (guide, section 5.3).",
		// Section 5.3, for the tip when 587 works.
		tryPort587: "Try changing the SMTP port to 587 with STARTTLS if 465 does not work.",
		// Sections 2 and 6: IMAP is recommended.
		preferIMAP: "Use IMAP (port 993, SSL/TLS), which works and which the guide recommends: it keeps your messages in sync on all your devices (guide, sections 2 and 6).",
		// Step 3.B.1: POP3 downloads to one device.
		usePOP3: "Meanwhile, you can use POP3 (port 995, SSL/TLS), which works: e-mails will then be downloaded to a single device (guide, step 3.B.1).",
		// Guide silent: many networks block outgoing port 25.
		port25Blocked: "If only port 25 is concerned, first check that the network the check runs from does not block that port outbound (many networks do).",
		unknownCode:   "Read the technical detail of the check.",
		staleWait:     "Change nothing yet: the DNS servers of {domain} already publish a new {kind} record ({new_record}); the resolver the check uses keeps the old one for about {minutes} more min. Wait about {minutes} minutes, then run the check again: if the problem remains, it will say what to fix (guide, section 6).",
	},

	notes: map[note]string{
		noteURL:     "I took the domain from the web address: {domain}",
		noteURLWWW:  "I took the domain from the web address, without \"www.\": {domain}",
		noteHost:    "Mail server checked: {host} (instead of {domain})",
		noteExample: "No address given: the username is shown as {username}.",
	},

	verdicts: map[verdict]string{
		verdictPass:       "all good",
		verdictWarnOne:    "works, 1 point to improve",
		verdictWarnMany:   "works, {n} points to improve",
		verdictFailOne:    "1 problem to fix",
		verdictFailMany:   "{n} problems to fix",
		verdictIncomplete: "check incomplete, run it again",
		verdictHeadline:   "{domain}: {verdict}",
	},

	words: Words{
		Checks:        "Checks",
		Remedies:      "What to do",
		HostSide:      "for the host to fix",
		Tips:          "If the problem persists (guide, section 5)",
		Settings:      "Mailbox settings",
		Username:      "Username",
		Password:      "Password",
		PasswordValue: "the mailbox's password",
		Incoming:      "Incoming server",
		Outgoing:      "Outgoing server",
		Recommended:   "recommended",
		Works:         "works",
		Fails:         "does not work",
		NotChecked:    "not checked",
		AuthRequired:  "authentication required",
		Address:       "Address",
		Host:          "Server",
		Note:          "Note",
		Elapsed:       "Checked in {elapsed}",
		Colon:         ": ",
		Rerun:         "Run again",
		ChooseClient:  "Guide for…",
		CustomerReply: "Customer reply",
		Share:         "Share",
		Status: map[checks.Status]string{
			checks.StatusPass:  "PASS",
			checks.StatusWarn:  "WARN",
			checks.StatusFail:  "FAIL",
			checks.StatusSkip:  "SKIP",
			checks.StatusError: "ERROR",
		},
	},

	defaults: map[string]string{
		"provider":     "us",
		"other":        "another provider",
		"ns":           "other servers",
		"dns_provider": "another DNS provider",
		"expected_mx":  "our MX hosts",
		"expected_ns":  "our name servers",
		"expected":     "our servers' SPF mechanism",
		"spf_with":     "v=spf1 a mx ~all",
		"matched":      "no term matched",
		"result":       "neutral",
		"domain":       "your_domain.com",
		"host":         "your_domain.com",
		"port":         "concerned",
		"ports":        "the ports concerned",
		"username":     "firstname.lastname@your_domain.com",
		"count":        "several",
		"lookups":      "more than 10",
		"days":         "a few",
		"seconds":      "a few",
		"selector":     "default",
		"selectors":    "the common selectors",
		"bits":         "under 2048",
		"policy":       "none",
		"qualifier":    "missing",
		"mx":           "the server named",
		"mx_list":      "your MX servers",
		"addresses":    "an IP address",
		"include":      "a domain",
		"version":      "older than TLS 1.2",
		"dependency":   "an earlier check",
		"apps":         "Settings published for the mail apps that read them.",
		"url":          "see the technical detail",
		"what":         "an autoconfig or autodiscover address",
		"source":       "SRV, autoconfig or autodiscover",
		"protocol":     "mail",
		"advertised":   "see the technical detail",
		"ip":           "not public",
		"spf_suggest":  "v=spf1 a mx ~all",
		"where":        "your domain",
		"term":         "see the technical detail",
		"limit":        "10",
		"redirect":     "the domain named after redirect=",
		"dmarc_name":   "_dmarc.your_domain.com",
		"dmarc_record": "v=DMARC1; p=none; rua=mailto:postmaster@your_domain.com",
		"srv_records":  "_imaps._tcp.your_domain.com SRV 0 1 993 your_domain.com.\n_submissions._tcp.your_domain.com SRV 0 1 465 your_domain.com.",
		"in_setting":   "IMAP 993 or POP3 995 with SSL/TLS",
		"out_setting":  "SMTP 465 with SSL/TLS",
		"input":        "",
		"command":      "/mailsetup",
		"n":            "several",
		"elapsed":      "?",
		"verdict":      "to check",
		"security":     "SSL/TLS",
		"client":       "your mail app",
		"in_protocol":  "IMAP",
		"in_host":      "your_domain.com",
		"in_port":      "993",
		"in_security":  "SSL/TLS",
		"out_host":     "your_domain.com",
		"out_port":     "465",
		"out_security": "SSL/TLS",
		// DNS propagation (issue 12).
		"zone":         "your_domain.com",
		"servers":      "its DNS servers",
		"serial":       "the newest",
		"stale":        "a DNS server",
		"stale_serial": "an older one",
		"kinds":        "see the technical detail",
		"kind":         "DNS",
		"name":         "your domain",
		"new_record":   "see the technical detail",
		"minutes":      "a few",
		"server":       "a DNS server",
		"addr":         "see the technical detail",
		// Our outgoing addresses (smtp.outgoing).
		"outgoing": "Our outgoing addresses have confirmed reverse DNS and are on none of the blocklists asked.",
		"reason":   "no reason published",
	},
	portOne:    "port {list}",
	portMany:   "ports {list}",
	and:        " and ",
	quoteOpen:  "\"",
	quoteClose: "\"",

	variants: withVariant(withVariant(variantsEN, backupMX, hostDown, Entry{Meaning: backupMXEN}), mtaSTS, checks.MTASTSCodes, mtaSTSEN),
	clients:  clientsEN,
	reply:    replyEN,
	party:    partyEN,
}

// clientsEN are the where-to-click sequences in English, as the apps'
// English menus name things.
var clientsEN = map[Client]clientWords{
	// Steps 3.A and 3.B.
	Generic: {Name: "your mail app", Menu: "Other app", Sections: []guideSection{{Steps: []string{
		"Open your mail app and click \"Add account\" or \"Set up an e-mail account\".",
		"Enter your full e-mail address ({username}) and your password. If automatic detection fails, choose manual setup.",
		"Account type: {in_protocol}.",
		"Incoming server: {in_host}, port {in_port}, security {in_security}, username {username}.",
		"Outgoing server (SMTP): {out_host}, port {out_port}, security {out_security}, authentication on with the same username and password.",
		"Save, then send a test e-mail and send yourself one from another account (guide, section 4).",
	}}}},
	// "Configuration sur Outlook" (Outlook for Windows).
	Outlook: {Name: "Outlook", Menu: "Outlook", Sections: []guideSection{{Steps: []string{
		"In Outlook, click File > Add Account.",
		"Enter {username}, click \"Advanced options\", tick \"Let me set up my account manually\", then click \"Connect\".",
		"Choose {in_protocol}.",
		"Incoming mail: server {in_host}, port {in_port}, encryption method {in_security}.",
		"Outgoing mail: server {out_host}, port {out_port}, encryption method {out_security}.",
		"Click \"Next\", enter the mailbox password, then click \"Connect\".",
	}}}},
	// "Configuration sur Thunderbird".
	Thunderbird: {Name: "Thunderbird", Menu: "Thunderbird", Sections: []guideSection{{Steps: []string{
		"In Thunderbird, open the ≡ menu > New Account > Existing Email.",
		"Enter your name, {username} and the password, then click \"Configure manually\".",
		"Incoming server: protocol {in_protocol}, hostname {in_host}, port {in_port}, connection security {in_security}, authentication method \"Normal password\", username {username}.",
		"Outgoing server: hostname {out_host}, port {out_port}, connection security {out_security}, authentication method \"Normal password\", username {username}.",
		"Click \"Re-test\", then \"Done\".",
	}}}},
	// "Configuration sur Apple": Mail on macOS, then iPhone and iPad.
	Apple: {Name: "Apple Mail", Menu: "Apple (Mac, iPhone)", Sections: []guideSection{
		{Title: "On a Mac (Mail)", Steps: []string{
			"In Mail, choose Mail > Add Account, then \"Other Mail Account…\".",
			"Enter your name, {username} and the password, then click \"Sign In\".",
			"If Mail cannot find the settings: account type {in_protocol}, user name {username}, incoming mail server {in_host}, outgoing mail server {out_host}, then \"Sign In\".",
			"In Mail > Settings > Accounts > Server Settings, untick \"Automatically manage connection settings\": incoming port {in_port}, outgoing port {out_port}, with \"Use TLS/SSL\" ticked for both.",
		}},
		{Title: "On iPhone and iPad", Steps: []string{
			"Open Settings > Apps > Mail > Mail Accounts (Settings > Mail > Accounts before iOS 18) > Add Account > Other > Add Mail Account.",
			"Enter your name, {username}, the password and a description, then tap \"Next\".",
			"Choose {in_protocol}. Incoming mail server: host name {in_host}, user name {username}, password. Outgoing mail server: host name {out_host}, user name {username}, password.",
			"Tap \"Next\", then \"Save\".",
			"To check the ports, tap the account > Account: under \"Outgoing Mail Server\" > primary server, \"Use SSL\" on and port {out_port}; under \"Advanced\", \"Use SSL\" on and port {in_port}.",
		}},
	}},
	// "Configuration sur Gmail": the Gmail app on a phone.
	Gmail: {Name: "Gmail", Menu: "Gmail (app)", Sections: []guideSection{{Title: "Gmail app (Android, iPhone)", Steps: []string{
		"In the Gmail app, tap your profile picture > Add another account > Other.",
		"Enter {username}, tap \"Manual setup\", then choose \"Personal ({in_protocol})\".",
		"Enter the mailbox password.",
		"Incoming server: username {username}, server {in_host}, port {in_port}, security type {in_security}.",
		"Outgoing server: \"Require sign-in\" on, username {username}, SMTP server {out_host}, port {out_port}, security type {out_security}.",
		"Tap \"Next\" until the setup is done.",
	}}}},
	// Step 3.A.1: "une application mobile"; any other phone app.
	Mobile: {Name: "your mobile app", Menu: "Other mobile app", Sections: []guideSection{{Steps: []string{
		"Open your phone's mail app and choose \"Add account\".",
		"Choose \"Other\" (or \"IMAP\"), enter {username} and the password, then choose manual setup.",
		"Account type: {in_protocol}. Incoming server: {in_host}, port {in_port}, security {in_security}, username {username}.",
		"Outgoing server: {out_host}, port {out_port}, security {out_security}, sign-in required with the same username and password.",
		"Save, then send a test e-mail.",
	}}}},
}

var replyEN = replyWords{
	Greeting:        "Hello,",
	Intro:           "We have checked the e-mail setup of {domain}.",
	AllGood:         "Everything works on our side: the incoming and outgoing servers answer correctly.",
	WeFix:           "On our side:",
	YouDo:           "What we found, and what you can do:",
	Settings:        "The settings to enter in your mail app (guide, section 2):",
	Username:        "Username: {username} (your full e-mail address)",
	UsernameExample: "Username: your full e-mail address (for example {username})",
	Password:        "Password: your mailbox's password",
	IncomingLabel:   "Incoming server",
	OutgoingLabel:   "Outgoing server",
	ServerLine:      "{host}, {protocol}, port {port}, {security}",
	Or:              "or",
	Recommended:     " (recommended)",
	Colon:           ": ",
	GuideIntro:      "To set up the mailbox in {client}:",
	TipsIntro:       "If the problem persists on your side:",
	Closing:         "Feel free to get back to us if you need anything else.",
	Signature:       "Best regards,\nThe support team",
}

// variantsEN word codes where the usual wording would not be true
// (variant.go).
var variantsEN = map[variantKey]Entry{
	// Section 6 (MX); RFC 5321 §5.1: with no MX, senders use the domain.
	{checks.MXMissing, implicitMX}: {
		Title:   "No MX record (senders use the domain itself)",
		Meaning: "{domain} publishes no MX record. Senders then deliver to {domain} itself, at its IP address (RFC 5321): the port 25 check says whether mail arrives there. Publish an MX record so that mail goes to your mail server by design.",
	},
	// Port 25: other servers deliver there, not mail apps, and most do
	// not check the certificate unless a policy (MTA-STS) requires it.
	{checks.TLSHandshakeFailed, port25}: {
		Meaning: "The encrypted connection (STARTTLS) to {host} fails on port 25, where other mail servers deliver your mail. Most of them then deliver without encryption, so mail arrives unprotected; senders that require encryption do not deliver.",
		Reply:   "The encrypted connection other mail servers use to deliver to our server {host} fails: fixing it is up to us.",
	},
	{checks.TLSCertExpired, port25}: {
		Meaning: "The certificate {host} presents on port 25, where other mail servers deliver your mail, has expired. Most senders do not check it there and still deliver; senders that require a valid certificate (for example under an MTA-STS policy) do not.",
		Reply:   "The certificate our server {host} presents to other mail servers has expired: renewing it is up to us.",
	},
	{checks.TLSCertNotYetValid, port25}: {
		Meaning: "The certificate {host} presents on port 25, where other mail servers deliver your mail, is not valid yet. Most senders do not check it there and still deliver; senders that require a valid certificate (for example under an MTA-STS policy) do not.",
		Reply:   "The certificate our server {host} presents to other mail servers cannot be used: replacing it is up to us.",
	},
	{checks.TLSCertHostnameMismatch, port25}: {
		Meaning: "The certificate presented on port 25, where other mail servers deliver your mail, is not issued for {host}. Most senders do not check the name there and still deliver; senders that require a valid certificate (for example under an MTA-STS policy) do not.",
		Reply:   "The certificate our server {host} presents to other mail servers does not match its name: fixing it is up to us.",
	},
	{checks.TLSCertUntrusted, port25}: {
		Meaning: "The certificate {host} presents on port 25, where other mail servers deliver your mail, is not issued by a recognised authority (self-signed, or incomplete chain). Most senders do not check it there and still deliver; senders that require a valid certificate (for example under an MTA-STS policy) do not.",
		Reply:   "The certificate our server {host} presents to other mail servers is not issued by a recognised authority: replacing it is up to us.",
	},
	{checks.TLSCertExpiringSoon, port25}: {
		Meaning: "The certificate {host} presents on port 25, where other mail servers deliver your mail, expires in {days} {days|day|days}. Most senders do not check it there, but those that require a valid certificate (for example under an MTA-STS policy) will stop delivering once it has expired.",
		Reply:   "The certificate our server {host} presents to other mail servers is about to expire: renewing it is up to us.",
	},
	{checks.TLSProtocolOld, port25}: {
		Meaning: "The newest security protocol version {host} offers on port 25, where other mail servers deliver your mail, is {version}: senders that require TLS 1.2 or newer deliver without encryption, or not at all.",
		Reply:   "Our server {host} offers other mail servers only an outdated security protocol: updating it is up to us.",
	},
}

// backupMXEN is the meaning of a port-25 host that does not take mail
// while another MX host does.
const backupMXEN = "{host}, one of the MX servers of {domain}, does not accept mail on port 25 (see the technical detail). Senders then deliver to your other MX servers, which accept it: nothing is lost while they work, but this server does not serve as a backup."

// mtaSTSEN words a port-25 TLS finding under an MTA-STS policy in
// enforce mode.
var mtaSTSEN = Entry{
	Meaning: "{domain} publishes an MTA-STS policy in enforce mode: senders that honour it deliver only over an encrypted connection, with a valid certificate issued for the MX server's name. On port 25, {host} does not pass that check (see the technical detail), so those senders do not deliver to it.",
	Reply:   "Our server {host} does not meet the secure delivery policy (MTA-STS) of your domain: fixing it is up to us.",
}

// spfAddOursEN is the remedy of an SPF record that does not authorise the
// platform's outgoing addresses (guide, section 6: SPF records).
var spfAddOursEN = []string{
	"In the DNS zone of {domain}, add \"{expected}\" to the existing SPF record, before the final \"all\" (one SPF record only: edit it, do not add a second one; guide, section 6):\n{domain} TXT \"{spf_with}\"",
	"Keep the includes of the other services that send for you (Google, Microsoft 365, a newsletter…): one record can authorise several providers.",
	"Wait for DNS propagation, then run the check again.",
}

// partyEN words who must fix a cause on a server (issue 12): ours only
// when the address dialled is in the platform's ranges.
var partyEN = partyWords{
	OwnerNeutral: "for whoever runs the server of {domain} to fix",
	OwnerOther:   "for the provider of the server of {domain} to fix (not run by {provider})",
	ReplyNeutral: "On the server of {domain}:",
	ReplyOther:   "On the server of {domain}, which is not ours:",
	ReplyTell:    "These do not depend on your mail app: they are for whoever runs that server to fix. Please pass this message on to them.",
}
