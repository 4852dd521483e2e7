// Package dmarc parses DMARC policy records (RFC 7489).
//
// A domain publishes its DMARC policy as a TXT record at _dmarc.<domain>
// (§6.1): a tag list such as "v=DMARC1; p=quarantine; rua=mailto:
// reports@example.com" telling receivers what to do with mail that fails
// both SPF and DKIM alignment (p=: none, quarantine, reject) and where to
// send aggregate reports (rua=). p=none only asks for reports; it protects
// nothing.
//
// Parse builds on github.com/emersion/go-msgauth/dmarc.Parse, which reads
// the tag values, and adds what RFC 7489 §6.3/§6.4 require and it does
// not check, or relaxes what it checks too strictly:
//   - v=DMARC1 must be the first tag (it only checks that v is present);
//   - a tag given twice invalidates the record (it keeps the last one);
//   - tag names follow the DKIM tag-list grammar (RFC 6376 §3.2);
//   - rua= and ruf= must be URIs with an optional "!size" suffix (it
//     accepts anything);
//   - pct= and ri= are plain digits (it accepts "+5");
//   - keyword values (p=, sp=, adkim=, aspf=, fo=, rf=) are
//     case-insensitive as in any ABNF (it refuses "p=Reject");
//   - rf= takes any keyword list (it refuses everything but afrf).
package dmarc

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/emersion/go-msgauth/dmarc"

	"github.com/pcmhosting/mailsetup/checks/dkim"
)

// Version is the only DMARC version (RFC 7489 §6.3).
const Version = "DMARC1"

// Record is a parsed DMARC record: the values as go-msgauth reads them.
type Record struct {
	dmarc.Record
}

// SyntaxError is a DMARC record receivers must ignore or cannot apply.
type SyntaxError struct {
	Tag string // the offending tag, empty for the record as a whole
	Msg string
}

func (e *SyntaxError) Error() string {
	if e.Tag == "" {
		return "dmarc: invalid record: " + e.Msg
	}
	return fmt.Sprintf("dmarc: invalid record: %s=: %s", e.Tag, e.Msg)
}

// IsRecord reports whether a TXT string at _dmarc.<domain> is meant as a
// DMARC record: its first tag is v with the value DMARC1, in any case, so
// that "v=dmarc1" is reported as invalid rather than ignored. Other TXT
// records sharing the name are discarded (§6.6.3).
func IsRecord(txt string) bool {
	first, _, _ := strings.Cut(txt, ";")
	name, value, ok := strings.Cut(first, "=")
	return ok && strings.TrimRight(name, " \t") == "v" && strings.EqualFold(strings.Trim(value, " \t"), Version)
}

// Parse parses a DMARC record (RFC 7489 §6.3, §6.4) and checks it as the
// package documentation says. The record must carry p=, as the record of
// an organizational domain must. Errors are *SyntaxError.
func Parse(txt string) (*Record, error) {
	if !IsRecord(txt) {
		return nil, &SyntaxError{"v", "the record must start with v=DMARC1"}
	}
	tags, err := splitTags(txt)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 || tags[0].Name != "v" {
		return nil, &SyntaxError{"v", "the record must start with v=DMARC1"}
	}
	if tags[0].Value != Version {
		return nil, &SyntaxError{"v", fmt.Sprintf("version %q is not %s", tags[0].Value, Version)}
	}
	var (
		norm   []string
		hasP   bool
		rf     []dmarc.ReportFormat
		badTag = func(t dkim.Tag, format string, args ...any) error {
			return &SyntaxError{t.Name, fmt.Sprintf(format, args...)}
		}
	)
	for _, t := range tags {
		v := t.Value
		switch t.Name {
		case "p", "sp", "adkim", "aspf", "fo":
			v = strings.ToLower(v)
			hasP = hasP || t.Name == "p"
		case "rf":
			for _, k := range strings.Split(v, ":") {
				k = strings.ToLower(strings.Trim(k, " \t"))
				if !isKeyword(k) {
					return nil, badTag(t, "invalid report format %q", k)
				}
				rf = append(rf, dmarc.ReportFormat(k))
			}
			continue // not handed over: go-msgauth knows only afrf
		case "pct", "ri":
			if n, err := strconv.ParseUint(v, 10, 32); err != nil || strings.Trim(v, "0123456789") != "" {
				return nil, badTag(t, "%q is not a number", v)
			} else if t.Name == "pct" && n > 100 {
				return nil, badTag(t, "%d is above 100", n)
			}
		case "rua", "ruf":
			uris, err := checkURIs(v)
			if err != nil {
				return nil, badTag(t, "%v", err)
			}
			v = strings.Join(uris, ",")
		}
		norm = append(norm, t.Name+"="+v)
	}
	if !hasP {
		return nil, &SyntaxError{"p", "missing policy"}
	}
	lib, err := dmarc.Parse(strings.Join(norm, ";"))
	if err != nil {
		return nil, &SyntaxError{"", strings.TrimPrefix(err.Error(), "dmarc: ")}
	}
	lib.ReportFormat = rf
	return &Record{*lib}, nil
}

// splitTags splits the tag list: DMARC uses DKIM's syntax (RFC 7489
// §6.3 refers to RFC 6376 §3.2), without line breaks inside a value.
func splitTags(s string) ([]dkim.Tag, error) {
	tags, err := dkim.ParseTags(s)
	if se, ok := errors.AsType[*dkim.SyntaxError](err); ok {
		return nil, &SyntaxError{se.Tag, se.Msg}
	}
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		if strings.ContainsAny(t.Value, "\r\n") {
			return nil, &SyntaxError{t.Name, "line break inside the value"}
		}
	}
	return tags, nil
}

// isKeyword: Keyword of RFC 5321 §4.1.2, Ldh-str.
func isKeyword(s string) bool {
	if s == "" || !isAlpha(s[0]) && !isDigit(s[0]) || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// checkURIs checks a comma-separated list of dmarc-uri (§6.4): an
// absolute URI, commas and semicolons encoded, optionally followed by
// "!" digits and a unit (k, m, g, t) bounding the report size. mailto:
// URIs must name an address.
func checkURIs(v string) ([]string, error) {
	var out []string
	for _, u := range strings.Split(v, ",") {
		u = strings.Trim(u, " \t")
		if u == "" {
			return nil, errors.New("empty URI")
		}
		base := u
		if i := strings.LastIndexByte(u, '!'); i >= 0 {
			size := strings.TrimRight(strings.ToLower(u[i+1:]), "kmgt")
			if len(u[i+1:])-len(size) > 1 || size == "" || strings.Trim(size, "0123456789") != "" {
				return nil, fmt.Errorf("invalid size limit in %q", u)
			}
			base = u[:i]
		}
		if strings.ContainsAny(base, " \t") {
			return nil, fmt.Errorf("invalid URI %q", u)
		}
		p, err := url.Parse(base)
		if err != nil || p.Scheme == "" {
			return nil, fmt.Errorf("invalid URI %q", u)
		}
		if strings.EqualFold(p.Scheme, "mailto") {
			local, domain, ok := strings.Cut(p.Opaque, "@")
			if !ok || local == "" || domain == "" {
				return nil, fmt.Errorf("mailto URI %q has no address", u)
			}
		}
		out = append(out, u)
	}
	return out, nil
}

// String returns the record in canonical form, every tag explicit:
// Parse(r.String()) gives back an equal Record.
func (r *Record) String() string {
	parts := []string{"v=" + Version, "p=" + string(r.Policy)}
	if r.SubdomainPolicy != "" {
		parts = append(parts, "sp="+string(r.SubdomainPolicy))
	}
	parts = append(parts, "adkim="+string(r.DKIMAlignment), "aspf="+string(r.SPFAlignment))
	if r.Percent != nil {
		parts = append(parts, "pct="+strconv.Itoa(*r.Percent))
	}
	if r.FailureOptions != 0 {
		var fo []string
		for _, o := range []struct {
			f dmarc.FailureOptions
			s string
		}{{dmarc.FailureAll, "0"}, {dmarc.FailureAny, "1"}, {dmarc.FailureDKIM, "d"}, {dmarc.FailureSPF, "s"}} {
			if r.FailureOptions&o.f != 0 {
				fo = append(fo, o.s)
			}
		}
		parts = append(parts, "fo="+strings.Join(fo, ":"))
	}
	if len(r.ReportFormat) > 0 {
		var rf []string
		for _, f := range r.ReportFormat {
			rf = append(rf, string(f))
		}
		parts = append(parts, "rf="+strings.Join(rf, ":"))
	}
	if r.ReportInterval > 0 {
		parts = append(parts, "ri="+strconv.Itoa(int(r.ReportInterval.Seconds())))
	}
	if len(r.ReportURIAggregate) > 0 {
		parts = append(parts, "rua="+strings.Join(r.ReportURIAggregate, ","))
	}
	if len(r.ReportURIFailure) > 0 {
		parts = append(parts, "ruf="+strings.Join(r.ReportURIFailure, ","))
	}
	return strings.Join(parts, "; ")
}

// Suggest returns the DMARC record to publish in place of raw: raw's
// tags in raw's order and as written (the rua= and ruf= addresses, sp=,
// pct=, alignment…), with p= set to policy and the tags that would make
// the record invalid left out. policy "" keeps raw's own p= when it is
// valid, else "none". When raw is not a tag list starting with
// v=DMARC1, it returns a record asking only for aggregate reports to
// postmaster@domain, with that policy.
func Suggest(raw, domain, policy string) string {
	tags := looseTags(raw)
	if !IsRecord(raw) || len(tags) == 0 {
		if policy == "" {
			policy = string(dmarc.PolicyNone)
		}
		return "v=" + Version + "; p=" + policy + "; rua=mailto:postmaster@" + domain
	}
	parts := []string{"v=" + Version}
	seen := map[string]bool{"v": true}
	pAt := -1
	for _, t := range tags[1:] {
		if seen[t.Name] {
			continue // a tag given twice invalidates the record
		}
		seen[t.Name] = true
		if t.Name == "p" {
			p := policy
			if p == "" {
				p = validPolicy(t.Value)
			}
			pAt = len(parts)
			parts = append(parts, "p="+p)
			continue
		}
		tag := t.Name + "=" + t.Value
		if _, err := Parse("v=" + Version + "; p=none; " + tag); err != nil {
			continue
		}
		parts = append(parts, tag)
	}
	if pAt < 0 {
		if policy == "" {
			policy = string(dmarc.PolicyNone)
		}
		parts = append(parts[:1], append([]string{"p=" + policy}, parts[1:]...)...)
	}
	return strings.Join(parts, "; ")
}

// validPolicy returns p, lower-cased, when it is a policy of RFC 7489
// §6.3, else "none".
func validPolicy(p string) string {
	switch p = strings.ToLower(p); dmarc.Policy(p) {
	case dmarc.PolicyNone, dmarc.PolicyQuarantine, dmarc.PolicyReject:
		return p
	}
	return string(dmarc.PolicyNone)
}

// looseTags splits a tag list as a reader would who wants to keep what
// can be kept: pieces that are not tag=value are left out, where
// dkim.ParseTags refuses the whole list.
func looseTags(s string) []dkim.Tag {
	var tags []dkim.Tag
	for _, p := range strings.Split(s, ";") {
		name, value, ok := strings.Cut(p, "=")
		name = strings.Trim(name, " \t\r\n")
		if !ok || name == "" {
			continue
		}
		tags = append(tags, dkim.Tag{Name: name, Value: strings.Trim(value, " \t\r\n")})
	}
	return tags
}
