package triage

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
)

// result builds a check result from findings; no finding is a pass.
func result(id checks.ID, findings ...checks.Finding) checks.Result {
	r := checks.Result{ID: id, Status: checks.StatusPass}
	for _, f := range findings {
		r.Add(f)
	}
	return r
}

func fail(c checks.Code) checks.Finding {
	return checks.Finding{Code: c, Severity: checks.SeverityFail}
}

// report returns a report on domain where every check passes but the
// results given.
func report(domain string, override ...checks.Result) *checks.Report {
	rep := &checks.Report{Target: checks.Target{Domain: domain}}
	for _, id := range checks.AllIDs {
		r := result(id)
		for _, o := range override {
			if o.ID == id {
				r = o
			}
		}
		rep.Results = append(rep.Results, r)
	}
	return rep
}

func mustParse(t *testing.T, text string) *Result {
	t.Helper()
	r, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type verdictSummary struct {
	Cause    Cause
	Outcome  Outcome
	Flags    []Flag
	Confirms []checks.Code
}

func summarize(vs []Verdict) []verdictSummary {
	var out []verdictSummary
	for _, v := range vs {
		s := verdictSummary{Cause: v.Cause, Outcome: v.Outcome, Flags: v.Flags}
		for _, e := range v.Evidence {
			s.Confirms = append(s.Confirms, e.Confirms...)
		}
		out = append(out, s)
	}
	return out
}

func TestEvaluate(t *testing.T) {
	spfMissing := result(checks.DNSSPF, fail(checks.SPFMissing))
	for _, tc := range []struct {
		name string
		text string
		rep  *checks.Report
		want []verdictSummary
	}{{
		name: "Outlook 0x800CCC0E, 465 refused, 587 works: confirmed, 587 advised",
		text: "Task 'jane@client.com - Sending' reported error (0x800CCC0E) : 'Cannot connect to the server.'",
		rep:  report("client.com", result(checks.SMTP465, fail(checks.TCPRefused))),
		want: []verdictSummary{{Cause: "conn.port_blocked", Outcome: Confirmed, Flags: []Flag{FlagUse587}, Confirms: []checks.Code{checks.TCPRefused}}},
	}, {
		name: "535 5.7.8 with every server fine: authentication stays unknown, servers ok",
		text: "The server responded: 535 5.7.8 Error: authentication failed",
		rep:  report("client.com"),
		want: []verdictSummary{{Cause: "auth.bad_credentials", Outcome: Unknown, Flags: []Flag{FlagServersOK}}},
	}, {
		name: "0x800CCC92 with every server fine",
		text: "erreur (0x800CCC92) signalée : « Votre serveur de messagerie a rejeté votre connexion. »",
		rep:  report("client.fr"),
		want: []verdictSummary{{Cause: "auth.bad_credentials", Outcome: Unknown, Flags: []Flag{FlagServersOK}}},
	}, {
		name: "certificate warning while every TLS check passes: ruled out on the server side",
		text: "Cannot Verify Server Identity\nThe identity of “client.com” cannot be verified by Mail.",
		rep:  report("client.com"),
		want: []verdictSummary{{Cause: "tls.cert_untrusted", Outcome: RuledOut, Flags: []Flag{FlagServersOK}}},
	}, {
		name: "certificate warning and an expired certificate: confirmed",
		text: "Cannot Verify Server Identity",
		rep:  report("client.com", result(checks.IMAP993, fail(checks.TLSCertExpired))),
		want: []verdictSummary{{Cause: "tls.cert_untrusted", Outcome: Confirmed, Confirms: []checks.Code{checks.TLSCertExpired}}},
	}, {
		name: "Gmail 5.7.26 and no SPF record: confirmed",
		text: "550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.",
		rep:  report("client.com", spfMissing),
		want: []verdictSummary{{Cause: "send.unauthenticated", Outcome: Confirmed, Confirms: []checks.Code{checks.SPFMissing}}},
	}, {
		name: "SPF bounce, SPF record fine: unknown (the record may not list the server that sent)",
		text: "550 5.7.23 The message was rejected because of Sender Policy Framework violation",
		rep:  report("client.com"),
		want: []verdictSummary{{Cause: "send.spf_fail", Outcome: Unknown, Flags: []Flag{FlagServersOK}}},
	}, {
		name: "SMTP timeout from Thunderbird: only the SMTP ports count",
		text: "The connection to the outgoing server (SMTP) client.com timed out.",
		rep:  report("client.com", result(checks.IMAP993, fail(checks.TCPTimeout))),
		want: []verdictSummary{{Cause: "conn.timeout", Outcome: RuledOut, Flags: []Flag{FlagServersOK}}},
	}, {
		name: "a skipped check is not evidence",
		text: "0x80042109",
		rep: report("client.com", checks.Result{ID: checks.SMTP465, Status: checks.StatusSkip},
			result(checks.SMTP587)),
		want: []verdictSummary{{Cause: "conn.port_blocked", Outcome: Unknown}},
	}, {
		name: "recipient unknown at another domain: other domain, no evidence",
		text: "<paul@dest.example>: host mx.dest.example[203.0.113.7] said: 550 5.1.1 User unknown",
		rep:  report("client.com"),
		want: []verdictSummary{{Cause: "recipient.unknown", Outcome: Unknown, Flags: []Flag{FlagOtherDomain}}},
	}, {
		name: "mail to the customer's domain bounced, its MX missing: confirmed",
		text: "Final-Recipient: rfc822; jane@client.com\nStatus: 5.4.4\nDiagnostic-Code: X-Postfix; Host or domain name not found",
		rep:  report("client.com", result(checks.DNSMX, fail(checks.MXMissing))),
		want: []verdictSummary{{Cause: "recipient.domain_unknown", Outcome: Confirmed, Confirms: []checks.Code{checks.MXMissing}}},
	}, {
		name: "no report: unknown",
		text: "0x800CCC0E",
		rep:  nil,
		want: []verdictSummary{{Cause: "conn.port_blocked", Outcome: Unknown}},
	}, {
		name: "blocklisted: no check tells yet",
		text: "554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org",
		rep:  report("client.com"),
		want: []verdictSummary{{Cause: "send.blocklisted", Outcome: Unknown}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := summarize(Evaluate(mustParse(t, tc.text), tc.rep))
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("verdicts (-want +got):\n%s", d)
			}
		})
	}
}
