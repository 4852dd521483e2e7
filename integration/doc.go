// Package integration runs the whole check engine against the servers a
// web host's customers really run, not against servers this project
// wrote: Exim (as cPanel runs it) for SMTP on 465 with implicit TLS
// (RFC 8314), on 587 with STARTTLS and AUTH (RFC 6409, 3207, 4954) and on
// 25 (RFC 5321); Dovecot for IMAP on 993 and POP3 on 995; Knot, an
// authoritative DNS server, for the zone realtest.test (".test" is
// reserved for testing, RFC 6761 §6.2).
//
// The servers come from Debian packages (integration/setup.sh installs
// them). Each test run makes a CA, certificates, a zone file and server
// configurations in a temporary directory of its own, starts the servers
// there as root, bound only to 127.0.0.1 on free high ports (the engine's
// Profile.PortMap maps 993, 995, 465, 587 and 25 to them), and stops
// them, process group and all, at the end. Without the servers, or
// without root, the tests skip with a plain message.
//
// Every scenario is a domain of the zone: some on mail servers of their
// own (an expired certificate, no 465, no STARTTLS…), most on the
// healthy ones with DNS records that differ (no MX, two SPF records,
// DMARC p=none…). Each says what a correct engine reports for every
// check, and the test compares every check's status and non-info codes.
//
// The package holds tests only; this file gives it its documentation and
// lets `go build ./...` see a package. docs/integration.md tells how to
// run it.
package integration
