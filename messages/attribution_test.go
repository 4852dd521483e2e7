package messages

import (
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// withParty marks every endpoint of a report as on party's server.
func withParty(rep *checks.Report, provider string, party checks.Party) *checks.Report {
	rep.Provider = provider
	for i := range rep.Results {
		if ep := rep.Results[i].Facts.Endpoint; ep != nil {
			ep.Party = party
		}
		for j := range rep.Results[i].Facts.Endpoints {
			rep.Results[i].Facts.Endpoints[j].Party = party
		}
	}
	return rep
}

// TestAttribution: a cause on a server's side is the host's to fix only
// when the address dialled is one of the platform's; on another's it is
// that server's provider's, and without a profile the wording is
// neutral. The customer reply follows, and never says "we are fixing it"
// of a server that is not ours.
func TestAttribution(t *testing.T) {
	weFix := []string{"nous le renouvelons", "c'est à nous", "nous corrigeons", "de notre côté", "De notre côté", "l'hébergeur"}
	tests := []struct {
		name      string
		rep       *checks.Report
		hostSide  bool
		owner     string
		reply     []string // in the customer reply
		notInRepl []string
	}{
		{"ours", withParty(sample.CertExpired(), "PCM Hosting", checks.PartyOurs), true,
			"à corriger par l'hébergeur", []string{"De notre côté :", "c'est à nous de le renouveler"}, nil},
		{"another provider's", withParty(sample.CertExpired(), "PCM Hosting", checks.PartyOther), false,
			"à corriger par le fournisseur du serveur de client.com, qui n'est pas chez PCM Hosting",
			[]string{"Sur le serveur de client.com, qui n'est pas chez nous :", "à corriger par qui gère ce serveur"}, weFix},
		{"no profile", sample.CertExpired(), false,
			"à corriger par qui gère le serveur de client.com",
			[]string{"Sur le serveur de client.com :"}, append(weFix, "pas chez")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := Remedies(tt.rep, FR)
			if len(rs) != 1 || rs[0].Code != checks.TLSCertExpired {
				t.Fatalf("remedies %v, want one tls.cert_expired", codes(rs))
			}
			r := rs[0]
			if r.HostSide != tt.hostSide || r.Elsewhere == tt.hostSide || r.Owner != tt.owner {
				t.Errorf("HostSide %v Elsewhere %v Owner %q, want %v, %v, %q", r.HostSide, r.Elsewhere, r.Owner, tt.hostSide, !tt.hostSide, tt.owner)
			}
			reply := CustomerReply(tt.rep, FR, "")
			for _, s := range tt.reply {
				if !strings.Contains(reply, s) {
					t.Errorf("reply lacks %q:\n%s", s, reply)
				}
			}
			for _, s := range tt.notInRepl {
				if strings.Contains(reply, s) {
					t.Errorf("reply says %q:\n%s", s, reply)
				}
			}
		})
	}
}

// TestAttributionPerMX: on smtp.25 each MX host is judged by its own
// endpoint: a fault on another provider's MX is not ours, even when the
// mail host is.
func TestAttributionPerMX(t *testing.T) {
	rep := withParty(sample.Good(), "PCM Hosting", checks.PartyOurs)
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.ID != checks.SMTP25 {
			continue
		}
		other := r.Facts.Endpoints[0]
		other.Host, other.Party = "mx.backup-provider.example", checks.PartyOther
		r.Facts.Endpoints = append(r.Facts.Endpoints, other)
		r.Add(checks.Finding{Code: checks.TLSCertExpired, Severity: checks.SeverityWarn,
			Params: map[string]string{"host": "mx.backup-provider.example", "port": "25"}})
	}
	rep.Status = checks.Overall(rep.Results)
	rs := Remedies(rep, EN)
	if len(rs) != 1 || rs[0].HostSide || !rs[0].Elsewhere || rs[0].Party != checks.PartyOther {
		t.Fatalf("remedies %+v, want one on another provider's MX", rs)
	}
	if reply := CustomerReply(rep, EN, ""); strings.Contains(reply, "we are") || !strings.Contains(reply, "which is not ours") {
		t.Errorf("reply:\n%s", reply)
	}
}

// TestSPFWith: the profile's term goes before the final all or
// redirect, once.
func TestSPFWith(t *testing.T) {
	for _, tt := range []struct{ rec, want string }{
		{"v=spf1 include:_spf.google.com -all", "v=spf1 include:_spf.google.com include:_spf.x.fr -all"},
		{"v=spf1 mx redirect=_spf.other.net", "v=spf1 mx include:_spf.x.fr redirect=_spf.other.net"},
		{"v=spf1 a mx", "v=spf1 a mx include:_spf.x.fr"},
		{"v=spf1 include:_spf.x.fr -all", "v=spf1 include:_spf.x.fr -all"},
		{"", "v=spf1 a mx include:_spf.x.fr ~all"},
	} {
		if got := spfWith(tt.rec, "include:_spf.x.fr"); got != tt.want {
			t.Errorf("spfWith(%q) = %q, want %q", tt.rec, got, tt.want)
		}
	}
}
