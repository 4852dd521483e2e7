package mailwire

import "strings"

// ParseIMAPGreeting parses an IMAP server greeting (RFC 9051 §7.1,
// RFC 3501 §7.1): "* OK" or "* PREAUTH" mean the server is ready, "* BYE"
// that it refuses the connection. When the greeting carries a
// [CAPABILITY …] response code (RFC 9051 §7.1), as most servers send to
// save a round trip, caps are its capabilities as sent.
func ParseIMAPGreeting(line string) (ok bool, caps []string) {
	rest, found := strings.CutPrefix(line, "* ")
	if !found {
		return false, nil
	}
	status, text, _ := strings.Cut(rest, " ")
	switch strings.ToUpper(status) {
	case "OK", "PREAUTH":
	default:
		return false, nil
	}
	code, found := strings.CutPrefix(text, "[")
	if !found {
		return true, nil
	}
	code, _, found = strings.Cut(code, "]")
	if !found {
		return true, nil
	}
	name, args, _ := strings.Cut(code, " ")
	if strings.EqualFold(name, "CAPABILITY") {
		caps = fields(args)
	}
	return true, caps
}

// ParseIMAPCapability parses an untagged CAPABILITY response (RFC 9051
// §7.2.2), "* CAPABILITY IMAP4rev1 AUTH=PLAIN …", returning the
// capabilities as sent, or nil when the line is something else.
func ParseIMAPCapability(line string) []string {
	rest, found := strings.CutPrefix(line, "* ")
	if !found {
		return nil
	}
	name, args, _ := strings.Cut(rest, " ")
	if !strings.EqualFold(name, "CAPABILITY") {
		return nil
	}
	return fields(args)
}

// fields is strings.Fields returning nil rather than an empty slice.
func fields(s string) []string {
	if f := strings.Fields(s); len(f) > 0 {
		return f
	}
	return nil
}

// IMAPAuthMechs returns the SASL mechanisms an IMAP server offers to
// AUTHENTICATE with (its AUTH=… capabilities, upper-cased, RFC 9051
// §6.2.2) and whether it advertises LOGINDISABLED, which forbids the
// plain LOGIN command (RFC 9051 §6.2.3).
func IMAPAuthMechs(caps []string) (mechs []string, loginDisabled bool) {
	for _, c := range caps {
		u := strings.ToUpper(c)
		if m, ok := strings.CutPrefix(u, "AUTH="); ok {
			mechs = appendUnique(mechs, m)
		}
		if u == "LOGINDISABLED" {
			loginDisabled = true
		}
	}
	return mechs, loginDisabled
}

// HasCap reports whether caps holds capability c, compared without case
// as IMAP atoms and POP3/SMTP keywords are.
func HasCap(caps []string, c string) bool {
	for _, x := range caps {
		if strings.EqualFold(x, c) {
			return true
		}
	}
	return false
}
