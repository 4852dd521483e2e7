package messages

// The placeholders ({domain}, {host}, {port}…) every text of the catalog
// is filled with: those of the whole report, those of one finding, and the
// small formatters (port lists, SRV records, an SPF suggestion) behind them.

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// baseVars are the placeholders every text of a report can use.
func baseVars(rep *checks.Report, lang Lang) map[string]string {
	t := rep.Target
	card := Settings(rep).In(lang)
	v := map[string]string{
		"domain":   t.Domain,
		"host":     t.Host,
		"username": card.Username,
	}
	if v["host"] == "" {
		v["host"] = t.Domain
	}
	if len(card.Incoming) > 0 {
		v["in_setting"] = card.Incoming[0].setting()
	}
	if len(card.Outgoing) > 0 {
		v["out_setting"] = card.Outgoing[0].setting()
	}
	if rep.Provider != "" {
		v["provider"] = rep.Provider
	}
	v["srv_records"] = srvRecords(t, card)
	v["spf_suggest"] = spfSuggest(t, "")
	return v
}

// findingVars adds to baseVars what one finding of one result says.
// Parameters are the most specific source and win, except for names the
// report owns (the e-mail address, the username).
func findingVars(rep *checks.Report, res checks.Result, f checks.Finding, lang Lang) map[string]string {
	c := cat(lang)
	v := baseVars(rep, lang)
	if ep := res.Facts.Endpoint; ep != nil {
		if ep.Host != "" {
			v["host"] = ep.Host
		}
		v["protocol"] = ep.Protocol
	}
	if res.Facts.Record != "" {
		v["record"] = res.Facts.Record
	}
	if res.Facts.Lookups > 0 {
		v["lookups"] = strconv.Itoa(res.Facts.Lookups)
	}
	if len(res.Facts.MXHosts) > 0 {
		v["mx"] = res.Facts.MXHosts[0]
	}
	for k, val := range f.Params {
		switch {
		case val == "":
			continue
		case k == "address" || k == "username" || k == "domain":
			continue
		case k == "host" && res.ID == checks.DNSMX:
			// On dns.mx a host parameter is an MX target, not the mail host.
			v["mx"] = val
			continue
		case k == "host" && idPort(res.ID) == 0 && res.ID != checks.DNSHost:
			continue
		}
		v[k] = val
	}
	// Aliases engines may use for the same thing.
	alias := func(to string, from ...string) {
		if v[to] != "" {
			return
		}
		for _, k := range from {
			if s := f.Params[k]; s != "" {
				v[to] = s
				return
			}
		}
	}
	alias("ip", "address", "addr")
	alias("selectors", "tried")
	if s := v["selectors"]; strings.Contains(s, ",") && !strings.Contains(s, ", ") {
		v["selectors"] = strings.ReplaceAll(s, ",", ", ")
	}
	alias("source", "sources")
	alias("mx", "target", "name")
	alias("version", "tls_version")
	if f.Code == checks.SPFTooManyLookups || f.Code == checks.SPFFound {
		if s := f.Params["count"]; s != "" {
			v["lookups"] = s
		}
	}
	if f.Code == checks.SPFPermissive {
		v["spf_suggest"] = spfSuggest(rep.Target, cmp.Or(f.Params["record"], res.Facts.Record))
	}
	// The final "all" of an SPF record: "+all", "?all", or "none" when
	// there is none (the default wording says so).
	if q := cmp.Or(f.Params["qualifier"], f.Params["all"]); q != "" {
		delete(v, "qualifier")
		if q != "none" {
			v["qualifier"] = c.quote(q)
		}
	} else if f.Code == checks.SPFPermissive {
		if q := spfAll(cmp.Or(f.Params["record"], res.Facts.Record)); q != "" {
			v["qualifier"] = c.quote(q)
		}
	}
	if e := f.Params["expected"]; e != "" {
		v["spf_with"] = spfWith(cmp.Or(f.Params["record"], res.Facts.Record), e)
	}
	if d := f.Params["dependency"]; d != "" {
		v["dependency"] = CheckLabel(lang, checks.ID(d))
	}
	if port := findingPort(res, f); port > 0 {
		v["port"] = strconv.Itoa(port)
		v["ports"] = c.ports([]int{port})
	}
	return v
}

// findingPort is the standard port a finding is about: its "port"
// parameter, the endpoint's port, or the port in the check id.
func findingPort(res checks.Result, f checks.Finding) int {
	if p, err := strconv.Atoi(f.Params["port"]); err == nil && p > 0 {
		return p
	}
	if ep := res.Facts.Endpoint; ep != nil && ep.Port > 0 {
		return ep.Port
	}
	return idPort(res.ID)
}

// idPort is the port of a port check id ("smtp.465" → 465), 0 for the
// DNS checks.
func idPort(id checks.ID) int {
	s := string(id)
	if strings.HasPrefix(s, "dns.") {
		return 0
	}
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		if p, err := strconv.Atoi(s[i+1:]); err == nil {
			return p
		}
	}
	return 0
}

// findingHost is the server a port finding is about ("" for DNS checks):
// smtp.25 checks every MX host, the others the mail host.
func findingHost(rep *checks.Report, res checks.Result, f checks.Finding) string {
	if idPort(res.ID) == 0 {
		return ""
	}
	if h := f.Params["host"]; h != "" {
		return h
	}
	if ep := res.Facts.Endpoint; ep != nil && ep.Host != "" {
		return ep.Host
	}
	return rep.Target.Host
}

// ports writes "le port 465" or "les ports 993, 995 et 465".
func (c *catalog) ports(list []int) string {
	items := make([]string, len(list))
	for i, p := range list {
		items[i] = strconv.Itoa(p)
	}
	tmpl := c.portOne
	if len(list) > 1 {
		tmpl = c.portMany
	}
	return strings.Replace(tmpl, "{list}", c.list(items), 1)
}

// srvRecords writes the RFC 6186/8314 SRV records announcing the servers
// that work (the guide's when none does), IMAP and 465 preferred.
func srvRecords(t checks.Target, card SettingsCard) string {
	names := map[int]string{
		checks.PortIMAPS:       "_imaps._tcp.",
		checks.PortPOP3S:       "_pop3s._tcp.",
		checks.PortSubmissions: "_submissions._tcp.",
		checks.PortSubmission:  "_submission._tcp.",
	}
	// RFC 6186 §3.4: a lower priority is preferred, also across IMAP
	// and POP3; the guide recommends IMAP and port 465.
	prio := map[int]int{checks.PortIMAPS: 0, checks.PortPOP3S: 10, checks.PortSubmissions: 0, checks.PortSubmission: 10}
	var lines []string
	for _, list := range [][]Server{card.Incoming, card.Outgoing} {
		for _, s := range working(list) {
			lines = append(lines, names[s.Port]+t.Domain+" SRV "+strconv.Itoa(prio[s.Port])+" 1 "+strconv.Itoa(s.Port)+" "+s.Host+".")
		}
	}
	return strings.Join(lines, "\n")
}

// spfSuggest proposes an SPF record: the current one with its final
// "all" made "~all", or one allowing the domain's own servers.
func spfSuggest(t checks.Target, current string) string {
	if f := strings.Fields(current); len(f) > 1 && strings.EqualFold(f[0], "v=spf1") {
		var keep []string
		for _, term := range f {
			if spfAllTerm(term) || strings.HasPrefix(strings.ToLower(term), "redirect=") {
				continue
			}
			keep = append(keep, term)
		}
		return strings.Join(append(keep, "~all"), " ")
	}
	if t.Host != "" && t.Host != t.Domain {
		return "v=spf1 a mx a:" + t.Host + " ~all"
	}
	return "v=spf1 a mx ~all"
}

// spfWith proposes the SPF record current with term added before its
// final "all" or redirect (RFC 7208 §5.1: terms after "all" are never
// reached), or a record of its own when there is none.
func spfWith(current, term string) string {
	f := strings.Fields(current)
	if len(f) < 1 || !strings.EqualFold(f[0], "v=spf1") {
		return "v=spf1 a mx " + term + " ~all"
	}
	for _, t := range f[1:] {
		if strings.EqualFold(t, term) {
			return current
		}
	}
	at := len(f)
	for i, t := range f {
		if i > 0 && (spfAllTerm(t) || strings.HasPrefix(strings.ToLower(t), "redirect=")) {
			at = i
			break
		}
	}
	out := append(append(append([]string{}, f[:at]...), term), f[at:]...)
	return strings.Join(out, " ")
}

// spfAll returns the final "all" term of an SPF record, if any.
func spfAll(record string) string {
	f := strings.Fields(record)
	for i := len(f) - 1; i > 0; i-- {
		if spfAllTerm(f[i]) {
			return f[i]
		}
	}
	return ""
}

func spfAllTerm(term string) bool {
	t := strings.ToLower(strings.TrimLeft(term, "+-~?"))
	return t == "all" && len(term)-len(t) <= 1
}

// portList writes ports for a title: "port 465", "ports 993, 995 et 465".
func portList(c *catalog, list []int) string {
	items := make([]string, len(list))
	for i, p := range list {
		items[i] = strconv.Itoa(p)
	}
	if len(list) == 1 {
		return "port " + items[0]
	}
	return "ports " + c.list(items)
}
