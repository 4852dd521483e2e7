package messages

import "github.com/pcmhosting/mailsetup/triage"

// Steps of the guide "Boîte mails Basic", in English.
const (
	guideEN51a = "Check that the username is the full e-mail address (guide, section 5.1)."
	guideEN51b = "Make sure the password is correct (guide, section 5.1)."
	guideEN52a = "Check that the ports and the security (SSL/TLS) are set correctly (guide, section 5.2)."
	guideEN52b = "Make sure the network is not blocked by a firewall (guide, section 5.2)."
	guideEN53a = "Check that SMTP authentication is turned on and that the login details are correct (guide, section 5.3)."
	guideEN53b = "Try SMTP port 587 with STARTTLS if 465 does not work (guide, section 5.3)."
	guideEN54  = "Set the mail app to download headers only if the mailbox holds many messages (guide, section 5.4)."
	guideEN2   = "Go over the guide's settings (section 2): server {domain}, IMAP 993 or POP3 995 with SSL/TLS, SMTP 465 with SSL/TLS and authentication, the full e-mail address as username."
	guideEN6   = "Check the DNS settings of {domain}: MX, SPF and DKIM records (guide, section 6)."
	whoENCust  = "The customer, in their mail app."
	whoENHost  = "Us, the host: the customer has nothing to change."
	whoENRcpt  = "The recipient or their provider: neither the customer nor we can fix it."
)

// triageEN words every triage cause in English.
var triageEN = map[triage.Cause]TriageText{
	"auth.bad_credentials": {
		Title:   "Username or password refused",
		Meaning: "The server answered but refused the login: the username or password typed in the mail app does not match the mailbox.",
		Who:     whoENCust,
		Steps:   []string{guideEN51a, guideEN51b, "If the password was forgotten, reset it in the customer area, then type it again on every device."},
	},
	"conn.port_blocked": {
		Title:   "Cannot connect to the server",
		Meaning: "The mail app could not open a connection to the mail server on the configured port: the port is closed, filtered, or the wrong one.",
		Who:     "The customer (port, firewall, network); us, if the port is closed on our side.",
		Steps:   []string{guideEN52a, guideEN52b, guideEN53b},
	},
	"conn.timeout": {
		Title:   "The server does not answer in time",
		Meaning: "The connection to the server timed out without an answer: a firewall or the network often blocks the port, or the server is unreachable.",
		Who:     "The customer (network, firewall, antivirus); us, if the server does not answer our check either.",
		Steps:   []string{guideEN52a, guideEN52b, guideEN53b},
	},
	"conn.interrupted": {
		Title:   "Connection interrupted",
		Meaning: "The connection to the server opened and was then cut: often a security setting (SSL/TLS) that does not match the port, or an antivirus scanning mail.",
		Who:     whoENCust,
		Steps:   []string{guideEN52a, guideEN52b, "Turn off the antivirus's mail scanning for a moment and try again."},
	},
	"conn.host_unknown": {
		Title:   "Server not found",
		Meaning: "The mail app cannot find the server named in its settings: the name is mistyped, or the domain has no address in the DNS.",
		Who:     "The customer (server name); the domain's owner if the DNS is at fault.",
		Steps:   []string{guideEN2, guideEN6},
	},
	"conn.wrong_security": {
		Title:   "Connection security set wrong",
		Meaning: "The mail app and the server do not agree on encryption: the security chosen (SSL/TLS, STARTTLS, none) does not match the port.",
		Who:     whoENCust,
		Steps:   []string{guideEN2, guideEN52a, guideEN53b},
	},
	"conn.incoming_failed": {
		Title:   "Cannot get mail",
		Meaning: "The mail app cannot fetch mail and does not say why: connection, security or password.",
		Who:     whoENCust,
		Steps:   []string{guideEN2, guideEN52a, guideEN51b},
	},
	"client.network": {
		Title:   "No network access",
		Meaning: "The computer cannot reach the Internet when sending or receiving: the problem is on the customer's device or network, not on the server.",
		Who:     "The customer: their device or network.",
		Steps:   []string{guideEN52b, "Check that the computer reaches the Internet, then restart the mail app."},
	},
	"client.data_file": {
		Title:   "Outlook data file damaged",
		Meaning: "Outlook cannot read or write its local data file (.pst/.ost): the server is not involved.",
		Who:     "The customer: their Outlook installation.",
		Steps:   []string{"Repair the data file with Outlook's Inbox Repair Tool (scanpst.exe), or create a new Outlook profile."},
	},
	"tls.cert_untrusted": {
		Title:   "Server certificate not recognised",
		Meaning: "The mail app could not verify the server's identity: the certificate is invalid or expired, the server name typed is not the certificate's, or the device's date is wrong.",
		Who:     "Us, if our check finds an invalid certificate; otherwise the customer (device date and time, server name).",
		Steps:   []string{"Check that the device's date and time are right.", guideEN2, guideEN52a},
	},
	"imap.slow": {
		Title:   "IMAP synchronisation failing or slow",
		Meaning: "Outlook cannot synchronise the IMAP folders: often a very large mailbox or an overloaded folder.",
		Who:     whoENCust,
		Steps:   []string{guideEN54, "Empty the trash and archive the largest folders."},
	},
	"send.smtp_failed": {
		Title:   "Cannot send",
		Meaning: "The mail app could not send the message through the outgoing (SMTP) server, without saying why.",
		Who:     whoENCust,
		Steps:   []string{guideEN53a, guideEN53b, guideEN2},
	},
	"send.auth_off": {
		Title:   "SMTP authentication not turned on",
		Meaning: "The outgoing server refuses to relay the message because the mail app did not log in: \"My outgoing server requires authentication\" is off.",
		Who:     whoENCust,
		Steps:   []string{guideEN53a, guideEN53b},
	},
	"send.sender_mismatch": {
		Title:   "Sender address refused",
		Meaning: "The server refuses to send with a sender address other than the one of the account logged in.",
		Who:     whoENCust,
		Steps:   []string{"Send from the mailbox address the mail app logs in with, or set up a separate account for the other address.", guideEN53a},
	},
	"send.spf_fail": {
		Title:   "SPF failed at the recipient's",
		Meaning: "The recipient's server refused the message because the SPF record of {domain} does not allow the server that sent it.",
		Who:     "The domain's owner, in their DNS zone (we can help).",
		Steps:   []string{guideEN6, "Fix the SPF record so that it includes our sending servers, then send the message again once DNS has propagated."},
	},
	"send.dkim_fail": {
		Title:   "DKIM signature missing or invalid",
		Meaning: "The recipient's server found no valid DKIM signature for {domain} on the message.",
		Who:     "Us, the host (signing); the domain's owner if the DKIM key must be published in their DNS zone.",
		Steps:   []string{guideEN6, "Publish the DKIM key the host provides in the DNS zone of {domain}."},
	},
	"send.dmarc_reject": {
		Title:   "Refused by the DMARC policy",
		Meaning: "The message failed SPF and DKIM aligned with {domain}, and the domain's DMARC policy asks for it to be refused.",
		Who:     "The domain's owner, in their DNS zone (we can help).",
		Steps:   []string{guideEN6, "Fix SPF and DKIM first; relax the DMARC policy (p=none) only while fixing them."},
	},
	"send.unauthenticated": {
		Title:   "Message not authenticated (SPF/DKIM)",
		Meaning: "The recipient's provider requires every message to pass SPF or DKIM; this one passed neither for {domain}.",
		Who:     "The domain's owner, in their DNS zone (we can help).",
		Steps:   []string{guideEN6, "Fix the SPF record so that it includes our servers and publish the DKIM key, then send the message again."},
	},
	"send.sender_domain_unknown": {
		Title:   "Sender's domain not found",
		Meaning: "The recipient's server cannot find the sender address's domain in the DNS: it is mistyped, expired, or has neither MX nor address.",
		Who:     "The domain's owner (DNS, renewal) or the customer (mistyped address).",
		Steps:   []string{guideEN6, "Check the sender address set in the mail app."},
	},
	"send.no_ptr": {
		Title:   "Sending IP without reverse name (PTR)",
		Meaning: "The recipient's server refuses mail from an IP address without a matching PTR record: the sending server is at fault, not the customer's settings.",
		Who:     whoENHost,
		Steps:   []string{"Pass the IP address quoted in the refusal to the technical team so they check its PTR."},
	},
	"send.blocklisted": {
		Title:   "Sending server on a blocklist",
		Meaning: "The IP address of the server that sent the message is on a blocklist (Spamhaus, Microsoft, Orange…) the recipient consults.",
		Who:     whoENHost,
		Steps:   []string{"Pass the IP address and the list quoted in the refusal to the technical team, for a delisting request.", "Meanwhile the customer may try again later; there is no setting to change."},
	},
	"send.spam_policy": {
		Title:   "Refused as unwanted mail",
		Meaning: "The recipient's filter judged the message unwanted (content, links, reputation or the domain's authentication).",
		Who:     "The customer (message content); the domain's owner if SPF, DKIM or DMARC fail.",
		Steps:   []string{guideEN6, "Send a plain message, without attachment or shortened link, to see whether the content is the cause."},
	},
	"send.rate_limited": {
		Title:   "Sending slowed down by the recipient",
		Meaning: "The recipient's provider temporarily limits mail from our server (volume, complaints): messages are delayed, not lost.",
		Who:     whoENHost,
		Steps:   []string{"The server retries by itself; tell the technical team if the delays last more than a few hours."},
	},
	"send.message_too_big": {
		Title:   "Message too large",
		Meaning: "The message is over the size the recipient's server accepts, usually because of attachments.",
		Who:     whoENCust,
		Steps:   []string{"Make the attachments smaller or send a download link instead."},
	},
	"recipient.unknown": {
		Title:   "Recipient address unknown",
		Meaning: "The recipient's server says this mailbox does not exist: the address is mistyped or was deleted.",
		Who:     "The customer: check the address with the recipient.",
		Steps:   []string{"Check the spelling of the recipient's address and ask them for a valid one."},
	},
	"recipient.domain_unknown": {
		Title:   "Recipient's domain not found",
		Meaning: "The domain of the recipient's address does not exist in the DNS or accepts no mail: often a typo.",
		Who:     "The customer (mistyped address); the domain's owner if it is {domain}.",
		Steps:   []string{"Check the spelling of the domain after the @ in the recipient's address.", guideEN6},
	},
	"recipient.mailbox_full": {
		Title:   "Recipient's mailbox full",
		Meaning: "The recipient's mailbox is over its quota: it cannot receive mail until it is emptied.",
		Who:     whoENRcpt,
		Steps:   []string{"Tell the recipient by another means; send the message again once their mailbox has been emptied."},
	},
	"recipient.disabled": {
		Title:   "Recipient's mailbox disabled",
		Meaning: "The recipient's account is disabled or suspended by their provider.",
		Who:     whoENRcpt,
		Steps:   []string{"Ask the recipient for another address."},
	},
	"recipient.policy": {
		Title:   "Refused by the recipient's rules",
		Meaning: "The recipient's domain has a rule that refuses this message (allowed senders, restricted group, no forwarding).",
		Who:     whoENRcpt,
		Steps:   []string{"Ask the recipient to have their administrator allow the sender's address."},
	},
	"recipient.unreachable": {
		Title:   "Recipient's server unreachable",
		Meaning: "The recipient's server has not answered for hours or days: the message is delayed or has expired.",
		Who:     whoENRcpt,
		Steps:   []string{"Wait for the retries to end; if the message expired, send it again later.", "If the recipient is at {domain}, check its MX records (guide, section 6)."},
	},
}
