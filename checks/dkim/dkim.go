// Package dkim parses DKIM public key records (RFC 6376 §3.6.1, RFC 8463).
//
// A domain that signs its mail with DKIM publishes each public key as a
// TXT record at <selector>._domainkey.<domain>; the selector is named in
// every signature (the s= tag of DKIM-Signature) and cannot be listed, so
// a checker can only try the selectors it knows. The record is a tag list
// such as "v=DKIM1; k=rsa; p=MIIBIjANBg…": p= is the base64 public key,
// empty when the key was revoked (§3.6.1), k= the key type (rsa by
// default, ed25519 since RFC 8463). RSA keys below 1024 bits must not be
// used (RFC 8301 §3.2) and 2048 bits is what current guidance asks for.
//
// ParseKey is a pure function over the record text; it reports the key
// size measured on the decoded key, not on the length of the text.
package dkim

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
)

// Key types of the k= tag.
const (
	AlgorithmRSA     = "rsa"
	AlgorithmEd25519 = "ed25519"
)

// Key is a parsed DKIM key record.
type Key struct {
	// Version is the v= tag, "DKIM1" or empty when absent.
	Version string
	// Algorithm is the key type: AlgorithmRSA or AlgorithmEd25519.
	Algorithm string
	// Bits is the key size: the RSA modulus length, 256 for ed25519,
	// 0 when revoked.
	Bits int
	// Revoked is set when p= is empty: the key was withdrawn and
	// signatures made with it fail (§3.6.1).
	Revoked bool
	// Hashes are the acceptable hash algorithms (h=), empty for all.
	Hashes []string
	// Services are the service types (s=), empty for all ("*").
	Services []string
	// Flags are the t= flags: "y" testing, "s" strict subdomains.
	Flags []string
	// Notes is the n= tag.
	Notes string
	// PublicKey is the decoded key: *rsa.PublicKey or ed25519.PublicKey,
	// nil when revoked.
	PublicKey crypto.PublicKey
}

// Testing reports whether the t=y flag says the domain is testing DKIM.
func (k *Key) Testing() bool {
	for _, f := range k.Flags {
		if f == "y" {
			return true
		}
	}
	return false
}

// SyntaxError is a key record that cannot be used.
type SyntaxError struct {
	Tag string // the offending tag name, empty for the tag list itself
	Msg string
}

func (e *SyntaxError) Error() string {
	if e.Tag == "" {
		return "dkim: invalid key record: " + e.Msg
	}
	return fmt.Sprintf("dkim: invalid key record: %s=: %s", e.Tag, e.Msg)
}

// IsRecord reports whether a TXT string looks like a DKIM key record: it
// starts with "v=DKIM1" or carries a p= tag. Other TXT records sharing the
// name are ignored.
func IsRecord(txt string) bool {
	tags, err := ParseTags(txt)
	if err != nil {
		t := strings.TrimLeft(txt, " \t\r\n")
		return strings.HasPrefix(t, "v=DKIM1") || strings.Contains(txt, "p=")
	}
	if len(tags) > 0 && tags[0].Name == "v" && tags[0].Value == "DKIM1" {
		return true
	}
	for _, t := range tags {
		if t.Name == "p" {
			return true
		}
	}
	return false
}

// Tag is one tag=value pair of a tag list (RFC 6376 §3.2).
type Tag struct {
	Name, Value string
}

// ParseTags splits a tag list (RFC 6376 §3.2): tag=value pairs separated
// by ";", empty tags skipped, whitespace around names and values
// dropped. Tag names are case-sensitive; a name given twice makes the
// whole list invalid. DMARC records share this syntax (RFC 7489 §6.3).
func ParseTags(s string) ([]Tag, error) {
	var tags []Tag
	seen := map[string]bool{}
	parts := strings.Split(s, ";")
	for _, p := range parts {
		if strings.Trim(p, " \t\r\n") == "" {
			// A final ";" is allowed; an empty tag elsewhere is not, but
			// verifiers shrug it off, and so do we.
			continue
		}
		name, value, ok := strings.Cut(p, "=")
		name = strings.Trim(name, " \t\r\n")
		if !ok {
			return nil, &SyntaxError{"", fmt.Sprintf("%q is not tag=value", strings.Trim(p, " \t\r\n"))}
		}
		if !isTagName(name) {
			return nil, &SyntaxError{"", fmt.Sprintf("invalid tag name %q", name)}
		}
		if seen[name] {
			return nil, &SyntaxError{name, "tag appears twice"}
		}
		seen[name] = true
		value = strings.Trim(value, " \t\r\n")
		if err := checkTagValue(value); err != nil {
			return nil, &SyntaxError{name, err.Error()}
		}
		tags = append(tags, Tag{name, value})
	}
	return tags, nil
}

// isTagName: ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA / DIGIT / "_".
func isTagName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !('0' <= c && c <= '9') && c != '_' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// checkTagValue: tval *( 1*(WSP / FWS) tval ), tval = 1*VALCHAR,
// VALCHAR = %x21-3A / %x3C-7E.
func checkTagValue(v string) error {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		case c < 0x21 || c > 0x7e:
			return fmt.Errorf("invalid character %q", c)
		}
	}
	return nil
}

// ParseKey parses a DKIM key record and decodes its public key. v=, when
// present, must come first and be "DKIM1"; k= must be rsa (the default)
// or ed25519; p= is required, base64 with whitespace allowed, and empty
// for a revoked key. An RSA key is read as a SubjectPublicKeyInfo (what
// §3.6.1 specifies) or, failing that, as a bare PKCS #1 key, which some
// generators publish and verifiers accept. An ed25519 key is the raw 32
// bytes (RFC 8463 §4.2). Unknown tags are ignored. Errors are
// *SyntaxError.
func ParseKey(txt string) (*Key, error) {
	tags, err := ParseTags(txt)
	if err != nil {
		return nil, err
	}
	k := &Key{Algorithm: AlgorithmRSA}
	var p *string
	for i, t := range tags {
		switch t.Name {
		case "v":
			if i != 0 {
				return nil, &SyntaxError{"v", "must be the first tag"}
			}
			if t.Value != "DKIM1" {
				return nil, &SyntaxError{"v", fmt.Sprintf("version %q is not DKIM1", t.Value)}
			}
			k.Version = t.Value
		case "k":
			switch strings.ToLower(t.Value) {
			case AlgorithmRSA, AlgorithmEd25519:
				k.Algorithm = strings.ToLower(t.Value)
			default:
				return nil, &SyntaxError{"k", fmt.Sprintf("unknown key type %q", t.Value)}
			}
		case "h":
			k.Hashes = colonList(t.Value)
		case "s":
			k.Services = colonList(t.Value)
		case "t":
			k.Flags = colonList(t.Value)
		case "n":
			k.Notes = t.Value
		case "p":
			p = &tags[i].Value
		}
	}
	if p == nil {
		return nil, &SyntaxError{"p", "missing public key"}
	}
	b64 := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, *p)
	if b64 == "" {
		k.Revoked = true
		return k, nil
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		// Some publishers drop the padding; verifiers accept it.
		if der, err = base64.RawStdEncoding.DecodeString(b64); err != nil {
			return nil, &SyntaxError{"p", "invalid base64: " + err.Error()}
		}
	}
	switch k.Algorithm {
	case AlgorithmEd25519:
		if len(der) != ed25519.PublicKeySize {
			return nil, &SyntaxError{"p", fmt.Sprintf("ed25519 key of %d bytes, want %d", len(der), ed25519.PublicKeySize)}
		}
		k.PublicKey = ed25519.PublicKey(der)
		k.Bits = 8 * ed25519.PublicKeySize
	default:
		pub, err := parseRSA(der)
		if err != nil {
			return nil, &SyntaxError{"p", err.Error()}
		}
		k.PublicKey = pub
		k.Bits = pub.N.BitLen()
	}
	return k, nil
}

func parseRSA(der []byte) (*rsa.PublicKey, error) {
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		if k, err2 := x509.ParsePKCS1PublicKey(der); err2 == nil {
			return k, nil
		}
		return nil, fmt.Errorf("not an RSA public key: %v", err)
	}
	k, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("k=rsa but the key is %T", pub)
	}
	return k, nil
}

func colonList(v string) []string {
	var out []string
	for _, e := range strings.Split(v, ":") {
		if e = strings.Trim(e, " \t\r\n"); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// ValidSelector reports whether s can be a selector: dot-separated
// lower-case labels of letters, digits, "-" and "_" (RFC 6376 §3.1:
// selectors are sub-domains), short enough to fit in a DNS name.
func ValidSelector(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
