package messages

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks/tlscheck"
)

// Certificate is one distinct certificate the checks saw, shown once
// however many ports present it: what the findings' evidence refers to.
type Certificate struct {
	// Title is "Certificat 1, présenté sur les ports 993 et 995".
	Title string
	// Fields are the certificate's labelled values (subject, names,
	// issuer, end of validity); the values are raw, from the network.
	Fields []EvidenceField
}

// EvidenceField is one labelled value of a certificate.
type EvidenceField struct {
	Label, Value string
}

// evidenceWords is the wording of certificate evidence in one language.
type evidenceWords struct {
	heading, title                          string
	ref                                     string
	subject, names, issuer, notAfter        string
	expired, expires, validFrom, negotiated string
	noCert, reason                          string
}

var evidenceCatalog = map[Lang]evidenceWords{
	FR: {
		heading: "Certificats présentés", title: "Certificat {n}, présenté sur {ports}",
		ref:     "certificat {n}",
		subject: "sujet", names: "noms", issuer: "émetteur", notAfter: "valide jusqu'au",
		expired: "expiré le", expires: "expire le", validFrom: "valide à partir du", negotiated: "version négociée",
		noCert: "aucun certificat présenté", reason: "erreur",
	},
	EN: {
		heading: "Certificates presented", title: "Certificate {n}, presented on {ports}",
		ref:     "certificate {n}",
		subject: "subject", names: "names", issuer: "issuer", notAfter: "valid until",
		expired: "expired on", expires: "expires on", validFrom: "valid from", negotiated: "negotiated version",
		noCert: "no certificate presented", reason: "error",
	},
}

// CertificatesHeading is the heading of the certificates of a view.
func (v *View) CertificatesHeading() string { return evidenceCatalog[v.Lang.orDefault()].heading }

// certificates gathers the certificates of the TLS findings of v, each
// once, and gives those findings an evidence line in v's language that
// refers to them.
func (v *View) certificates() {
	c := cat(v.Lang)
	w := evidenceCatalog[v.Lang.orDefault()]
	index := map[string]int{} // certificate key → 1-based number
	var ports [][]int
	for i := range v.Checks {
		l := &v.Checks[i]
		for j := range l.Findings {
			f := &l.Findings[j]
			if !strings.HasPrefix(string(f.Code), "tls.") {
				continue
			}
			e, ok := tlscheck.ParseEvidence(f.Detail)
			if !ok {
				continue
			}
			f.Evidence = reasonLine(e.Reason, w, c.words.Colon)
			if e.Subject == "" && e.SAN == "" {
				continue
			}
			n, seen := index[e.Key()]
			if !seen {
				v.Certificates = append(v.Certificates, Certificate{Fields: []EvidenceField{
					{w.subject, e.Subject}, {w.names, e.SAN}, {w.issuer, e.Issuer}, {w.notAfter, e.NotAfter},
				}})
				ports = append(ports, nil)
				n = len(v.Certificates)
				index[e.Key()] = n
			}
			if p := idPort(l.ID); p > 0 && !slices.Contains(ports[n-1], p) {
				ports[n-1] = append(ports[n-1], p)
			}
			f.Evidence += " · " + strings.Replace(w.ref, "{n}", strconv.Itoa(n), 1)
		}
	}
	for i := range v.Certificates {
		v.Certificates[i].Title = strings.NewReplacer("{n}", strconv.Itoa(i+1), "{ports}", c.ports(ports[i])).Replace(w.title)
	}
}

// reasonLine labels what Inspect found: "expiré le : 2025-01-03T23:59:59Z".
func reasonLine(reason string, w evidenceWords, colon string) string {
	for _, r := range []struct{ prefix, label string }{
		{"expired ", w.expired}, {"expires ", w.expires}, {"valid from ", w.validFrom}, {"negotiated ", w.negotiated},
	} {
		if v, ok := strings.CutPrefix(reason, r.prefix); ok {
			return r.label + colon + v
		}
	}
	if reason == "no certificate" {
		return w.noCert
	}
	return w.reason + colon + reason
}
