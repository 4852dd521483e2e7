package triage

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// Role is the part an address or host plays in a pasted text.
type Role string

// Roles.
const (
	// RoleSender: who sent the failed message (a DSN's sender, the
	// bounce's To, "email from client.com"): in a bounce, the customer.
	RoleSender Role = "sender"
	// RoleAccount: the account of a client error ("username
	// jane@client.com"): the customer.
	RoleAccount Role = "account"
	// RoleServer: the server a client connects to ("Login to server
	// mail.client.com"): the customer's host.
	RoleServer Role = "server"
	// RoleRecipient: whom the failed message was for.
	RoleRecipient Role = "recipient"
	// RoleRemote: the recipient's server that refused ("host
	// mx.dest.example said", Remote-MTA).
	RoleRemote Role = "remote"
	// RoleOther: anything else: links, blocklists, message ids.
	RoleOther Role = "other"
)

// Mention is an address or a host name found in the text.
type Mention struct {
	// Address is the e-mail address, when the mention is one.
	Address string
	// Host is the domain part of Address, or the host name, lower case.
	Host string
	Role Role
}

// Domain returns the registered domain of the mention: "client.com" for
// "mail.client.com".
func (m Mention) Domain() string { return registered(m.Host) }

// mailDomain is the domain to check for a mention: an address's own
// domain (jane@shop.client.com has her mailbox at shop.client.com, and
// under a suffix the list does not know, such as the lab's .test, the
// registered domain would be too short), a host's registered domain
// (mail.client.com is client.com's server).
func (m Mention) mailDomain() string {
	if m.Address != "" {
		return m.Host
	}
	return m.Domain()
}

var (
	addressRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+'=-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}`)
	hostRE    = regexp.MustCompile(`[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}`)
)

// maxMentions bounds how many addresses and hosts a text yields.
const maxMentions = 50

// mentions finds the addresses and host names of a text with their role:
// from the DSN's fields first, then from the words before each one.
func mentions(text string, d *DSN) []Mention {
	var out []Mention
	add := func(m Mention) {
		m.Host = strings.ToLower(strings.TrimSuffix(m.Host, "."))
		if m.Host == "" || len(out) >= maxMentions {
			return
		}
		if i := slices.IndexFunc(out, func(o Mention) bool {
			return strings.EqualFold(o.Address, m.Address) && o.Host == m.Host
		}); i >= 0 {
			if out[i].Role == RoleOther {
				out[i].Role = m.Role
			}
			return
		}
		out = append(out, m)
	}
	addAddr := func(a string, role Role) {
		if _, host, ok := strings.Cut(a, "@"); ok && addressRE.MatchString(a) {
			add(Mention{Address: a, Host: host, Role: role})
		}
	}
	if d != nil {
		addAddr(d.Sender, RoleSender)
		for _, r := range d.Recipients {
			addAddr(r.FinalRecipient, RoleRecipient)
			addAddr(r.OriginalRecipient, RoleRecipient)
			if isHostName(r.RemoteMTA) {
				add(Mention{Host: r.RemoteMTA, Role: RoleRemote})
			}
		}
	}
	addrs := addressRE.FindAllStringIndex(text, maxMentions)
	for _, loc := range addrs {
		a := text[loc[0]:loc[1]]
		_, host, _ := strings.Cut(a, "@")
		add(Mention{Address: a, Host: host, Role: roleAt(text, loc[0], loc[1], true)})
	}
	for _, loc := range hostRE.FindAllStringIndex(text, 4*maxMentions) {
		h := text[loc[0]:loc[1]]
		if !isHostName(h) || slices.ContainsFunc(addrs, func(a []int) bool { return loc[0] < a[1] && a[0] < loc[1] }) {
			continue
		}
		add(Mention{Host: h, Role: roleAt(text, loc[0], loc[1], false)})
	}
	return out
}

// isHostName reports whether h looks like a host name under a real or a
// documentation top-level domain, not a file name, a version or an
// identifier ("STOREDRV.Deliver.Exception").
func isHostName(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if !strings.Contains(h, ".") || !hostRE.MatchString(h) {
		return false
	}
	tld := h[strings.LastIndexByte(h, '.')+1:]
	if tld == "example" || tld == "test" {
		return true
	}
	ps, icann := publicsuffix.PublicSuffix(h)
	return icann && ps != h
}

// roleKeywords are the words before an address or host that give its
// role, matched in the normalized text; the closest one wins.
var roleKeywords = []struct {
	word string
	role Role
}{
	{"final-recipient", RoleRecipient}, {"original-recipient", RoleRecipient}, {"recipient", RoleRecipient},
	{"destinataire", RoleRecipient}, {"to:", RoleRecipient}, {"delivered to", RoleRecipient},
	{"deliver to", RoleRecipient}, {"message to", RoleRecipient}, {"distribue a", RoleRecipient},
	{"destine a", RoleRecipient}, {"message a ", RoleRecipient}, {"remis a ", RoleRecipient}, {"addressed to", RoleRecipient}, {"envoye a", RoleRecipient},
	{"envoie a ", RoleRecipient}, {"envoyer a ", RoleRecipient}, {"send to", RoleRecipient}, {"sending to", RoleRecipient}, {"sent to", RoleRecipient},
	{"from:", RoleSender}, {"de :", RoleSender}, {"sender", RoleSender}, {"expediteur", RoleSender},
	{"email from", RoleSender}, {"e-mail from", RoleSender}, {"mail from", RoleSender}, {"sending domain", RoleSender},
	{"return-path", RoleSender}, {"spf check for", RoleSender}, {"spf [", RoleSender}, {"x-postfix-sender", RoleSender},
	{"username", RoleAccount}, {"user name", RoleAccount}, {"nom d'utilisateur", RoleAccount},
	{"identifiant", RoleAccount}, {"account", RoleAccount}, {"compte", RoleAccount}, {"for user", RoleAccount},
	{"le client ", RoleAccount}, {"the customer ", RoleAccount}, {"customer ", RoleAccount},
	{"server", RoleServer}, {"serveur", RoleServer}, {"(smtp)", RoleServer}, {"adresse :", RoleServer}, {"address:", RoleServer},
	{"host ", RoleRemote}, {"remote-mta", RoleRemote}, {"reporting-mta", RoleOther},
	{"://", RoleOther}, {"blocked using", RoleOther}, {"listed", RoleOther}, {"see ", RoleOther}, {"message-id", RoleOther},
}

// roleAt gives the role of the mention at text[start:end] from the 48
// bytes before it, and, for an address, from what follows: Postfix
// writes "<bob@dest.example>: host … said" and
// "<jane@client.com>: Sender address rejected".
func roleAt(text string, start, end int, address bool) Role {
	if after := normalize(text[end:min(len(text), end+24)]); address && strings.HasPrefix(after, ">: ") {
		if strings.HasPrefix(after, ">: sender address") {
			return RoleSender
		}
		return RoleRecipient
	}
	from := max(0, start-48)
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	before := normalize(text[from:start]) + " " // normalize drops a last space
	best, role := -1, RoleOther
	for _, k := range roleKeywords {
		if i := strings.LastIndex(before, k.word); i >= 0 && i+len(k.word) > best {
			best, role = i+len(k.word), k.role
		}
	}
	return role
}

// registered returns the registered domain of a host name (its public
// suffix and one label more), or the host itself when it has none.
func registered(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// Reason says why Choose picked a domain.
type Reason string

// Reasons, in the order Choose tries them.
const (
	ReasonGiven   Reason = "given"   // the agent named it in the command
	ReasonSender  Reason = "sender"  // the sender of the bounced message
	ReasonAccount Reason = "account" // the account of the client error
	ReasonServer  Reason = "server"  // the server the client connects to
	ReasonOnly    Reason = "only"    // the only domain the text names
	ReasonNone    Reason = "none"    // nothing to go on: ask the agent
)

// Choice is the domain to check and why, and the other domains named.
type Choice struct {
	Domain string
	Reason Reason
	// Found is the customer's domain the text points to when it differs
	// from the one given: the agent may have typed the wrong one.
	Found string
	// Others are the other domains named: the recipient's, the servers
	// that refused. They are named in the answer, not checked.
	Others []string
}

// Choose picks the domain to check: the one given by the agent (a
// domain or an address), else the customer's domain found in the text —
// a bounce's sender, then a client error's account, then its server,
// then the only domain of an address the text names.
func Choose(r *Result, given string) Choice {
	var c Choice
	// In a bounce, "server" and "account" are the recipient's: "the
	// server mx1.free.fr answered", "doesn't have a yahoo.com account".
	bounce := r.bounce()
	tries := []struct {
		role   Role
		reason Reason
	}{{RoleSender, ReasonSender}, {RoleAccount, ReasonAccount}, {RoleServer, ReasonServer}}
	if bounce {
		tries = tries[:1]
	}
	for _, try := range tries {
		if i := slices.IndexFunc(r.Mentions, func(m Mention) bool { return m.Role == try.role }); i >= 0 {
			c.Domain, c.Reason = r.Mentions[i].mailDomain(), try.reason
			break
		}
	}
	if c.Domain == "" {
		var only []string
		for _, m := range r.Mentions {
			if m.Role == RoleOther && m.Address != "" && !slices.Contains(only, m.mailDomain()) {
				only = append(only, m.mailDomain())
			}
		}
		c.Reason = ReasonNone
		if len(only) == 1 && !slices.ContainsFunc(r.Mentions, func(m Mention) bool { return m.Role == RoleRecipient }) {
			c.Domain, c.Reason = only[0], ReasonOnly
		}
	}
	if given = strings.TrimSpace(given); given != "" {
		if _, host, ok := strings.Cut(given, "@"); ok {
			given = host
		}
		given = strings.ToLower(strings.TrimSuffix(given, "."))
		if c.Domain != "" && registered(c.Domain) != registered(given) {
			c.Found = c.Domain
		}
		c.Domain, c.Reason = given, ReasonGiven
	}
	for _, m := range r.Mentions {
		d := m.Domain()
		other := m.Role == RoleRecipient || m.Role == RoleRemote || (bounce && (m.Role == RoleServer || m.Role == RoleAccount))
		if other && d != registered(c.Domain) && !slices.Contains(c.Others, d) {
			c.Others = append(c.Others, d)
		}
	}
	return c
}

// clientSources are the catalog files of mail clients' errors.
var clientSources = []string{"outlook", "thunderbird", "apple", "android"}

// bounce reports whether the text reads as a bounce rather than a mail
// client's error: a DSN; else, without any client error, a recipient or
// a refusing server named, or server codes.
func (r *Result) bounce() bool {
	if r.DSN != nil {
		return true
	}
	if len(r.ErrorNumbers) > 0 || slices.ContainsFunc(r.Matches, func(e Entry) bool { return slices.Contains(clientSources, e.Source) }) {
		return false
	}
	return len(r.Statuses)+len(r.Replies) > 0 ||
		slices.ContainsFunc(r.Mentions, func(m Mention) bool { return m.Role == RoleRecipient || m.Role == RoleRemote })
}

// Mask hides the local part of every address in s whose domain is not
// customerDomain's ("bob@dest.example" → "b…@dest.example"): answers
// show the customer's own addresses and the other domains, not other
// people's addresses. Message ids, which look like addresses, are masked
// too. s may be a whole text or a single address.
func Mask(s, customerDomain string) string {
	keep := registered(customerDomain)
	mask := func(a string) string {
		local, host, _ := strings.Cut(a, "@")
		if customerDomain != "" && registered(host) == keep {
			return a
		}
		r, _ := utf8.DecodeRuneInString(local)
		return string(r) + "…@" + host
	}
	// Addresses can overlap ("a@b.example@c.example"): mask again until
	// nothing changes, a few rounds at most.
	for range 4 {
		next := addressRE.ReplaceAllStringFunc(s, mask)
		if next == s {
			break
		}
		s = next
	}
	return s
}

// ChosenFrom returns the address or host name the text named that made
// Choose pick c.Domain ("jane@client.com" for a bounce's sender), or ""
// when the domain was given or none was found. An address is the
// customer's own: the check can use it as the username.
func (r *Result) ChosenFrom(c Choice) string {
	role, ok := map[Reason]Role{ReasonSender: RoleSender, ReasonAccount: RoleAccount, ReasonServer: RoleServer}[c.Reason]
	for _, m := range r.Mentions {
		switch {
		case ok && m.Role == role:
			return cmp.Or(m.Address, m.Host)
		case c.Reason == ReasonOnly && m.Role == RoleOther && m.Address != "" && m.mailDomain() == c.Domain:
			return m.Address
		}
	}
	return ""
}
