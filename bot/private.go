package bot

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/netguard"
	"github.com/pcmhosting/mailsetup/messages"
)

// A report shown in Slack does not print private addresses (RFC 1918,
// loopback, link-local, unique local… what netguard refuses to dial):
// they map the customer's or the provider's inside network for anyone in
// the channel, and help no one fix a public mail setup. A name that
// resolves only to private addresses is said to, with their count. The
// command line still shows them: its user runs it on their own machine.

// ipCandidate matches what may be an IP address, with a port or not.
var ipCandidate = regexp.MustCompile(`[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*`)

// hidePrivate returns a copy of rep whose addresses, details and
// parameters name no private address; rep is not changed (the cache
// holds it).
func hidePrivate(rep *checks.Report, lang messages.Lang) *checks.Report {
	word := messages.Say(lang, messages.PhrasePrivateAddress)
	out := *rep
	out.Results = make([]checks.Result, len(rep.Results))
	for i, res := range rep.Results {
		res.Facts.Addresses = hideAddresses(res.Facts.Addresses, lang)
		if ep := res.Facts.Endpoint; ep != nil {
			c := *ep
			c.Addr = hideIPs(c.Addr, word)
			res.Facts.Endpoint = &c
		}
		if len(res.Facts.Endpoints) > 0 {
			eps := make([]checks.Endpoint, len(res.Facts.Endpoints))
			for j, ep := range res.Facts.Endpoints {
				ep.Addr = hideIPs(ep.Addr, word)
				eps[j] = ep
			}
			res.Facts.Endpoints = eps
		}
		fs := make([]checks.Finding, len(res.Findings))
		for j, f := range res.Findings {
			f.Detail = hideIPs(f.Detail, word)
			if len(f.Params) > 0 {
				p := make(map[string]string, len(f.Params))
				for k, v := range f.Params {
					p[k] = hideIPs(v, word)
				}
				f.Params = p
			}
			fs[j] = f
		}
		res.Findings = fs
		out.Results[i] = res
	}
	return &out
}

// hideAddresses keeps the public addresses of a list and sums up the
// private ones: "2 private addresses only" when there is no other.
func hideAddresses(addrs []string, lang messages.Lang) []string {
	var public []string
	private := 0
	for _, a := range addrs {
		if ip, err := netip.ParseAddr(a); err == nil && netguard.Forbidden(ip) {
			private++
			continue
		}
		public = append(public, a)
	}
	if private == 0 {
		return addrs
	}
	if len(public) == 0 {
		return []string{messages.Say(lang, messages.PhrasePrivateOnly, "count", strconv.Itoa(private))}
	}
	return append(public, strconv.Itoa(private)+" × "+messages.Say(lang, messages.PhrasePrivateAddress))
}

// hideIPs replaces every private address in s (alone, with a port, or
// in brackets) by word.
func hideIPs(s, word string) string {
	if !strings.ContainsAny(s, ".:") {
		return s
	}
	return ipCandidate.ReplaceAllStringFunc(s, func(m string) string {
		if ip, err := netip.ParseAddr(m); err == nil {
			if netguard.Forbidden(ip) {
				return word
			}
			return m
		}
		// "10.0.0.5:993:", "10.0.0.5.": the longest prefix that is an
		// address, cut before a colon or a dot.
		for i := len(m) - 1; i > 0; i-- {
			if m[i] != ':' && m[i] != '.' {
				continue
			}
			if ip, err := netip.ParseAddr(m[:i]); err == nil {
				if netguard.Forbidden(ip) {
					return word + m[i:]
				}
				return m
			}
		}
		return m
	})
}
