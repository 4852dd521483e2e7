package platform

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/pcmhosting/mailsetup/checks/dkim"
	"github.com/pcmhosting/mailsetup/checks/spf"
)

// MaxFileSize bounds a profile file.
const MaxFileSize = 1 << 20

// file is the YAML schema; deploy/profile.example.yaml documents it.
type file struct {
	Provider     string    `json:"provider"`
	MailHost     string    `json:"mail_host"`
	Ports        ports     `json:"ports"`
	Ranges       []string  `json:"ranges"`
	MX           []string  `json:"mx"`
	NameServers  []string  `json:"name_servers"`
	Outgoing     []string  `json:"outgoing"`
	SPF          string    `json:"spf"`
	DKIM         []dkimKey `json:"dkim"`
	Autoconfig   []string  `json:"autoconfig"`
	Autodiscover []string  `json:"autodiscover"`
	DNSBL        []string  `json:"dnsbl"`
}

type ports struct {
	IMAPS       int `json:"imaps"`
	POP3S       int `json:"pop3s"`
	Submissions int `json:"submissions"`
	Submission  int `json:"submission"`
	SMTP        int `json:"smtp"`
}

type dkimKey struct {
	Selector  string `json:"selector"`
	PublicKey string `json:"public_key"`
	SHA256    string `json:"sha256"`
}

// Parse reads a profile from YAML. Unknown fields, duplicate keys and
// invalid values are refused with an error of one line that starts with
// "profile: " and names the field (`profile: ranges[2]: "10.0.0.0/33" is
// not a CIDR`). An empty document is the generic Platform.
func Parse(data []byte) (*Platform, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("profile: larger than %d bytes", MaxFileSize)
	}
	var f file
	if err := yaml.UnmarshalStrict(data, &f); err != nil {
		// The decoder names an unknown field without its place: look
		// for it again, with the path.
		var tree any
		if yaml.Unmarshal(data, &tree) == nil {
			if path := unknownField(tree, reflect.TypeFor[file](), ""); path != "" {
				return nil, fmt.Errorf("profile: unknown field %q", path)
			}
		}
		return nil, fmt.Errorf("profile: %s", decodeError(err))
	}
	p, err := f.platform()
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	return p, nil
}

// unknownField returns the path of the first key of tree that the
// schema t does not have ("dkim[0].key"), "" when none.
func unknownField(tree any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch v := tree.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return ""
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub := k
			if path != "" {
				sub = path + "." + k
			}
			f, ok := fieldByTag(t, k)
			if !ok {
				return sub
			}
			if p := unknownField(v[k], f.Type, sub); p != "" {
				return p
			}
		}
	case []any:
		if t.Kind() != reflect.Slice {
			return ""
		}
		for i, e := range v {
			if p := unknownField(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

var (
	unknownFieldRe = regexp.MustCompile(`unknown field "([^"]*)"`)
	typeField      = regexp.MustCompile(`cannot unmarshal (\S+) into Go struct field \S*?\.(\S+) of type (\S+)`)
)

// decodeError rewrites the decoder's messages in the profile's terms,
// on one line.
func decodeError(err error) string {
	msg := err.Error()
	if m := unknownFieldRe.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown field %q", m[1])
	}
	if m := typeField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s: a %s where a %s is expected", m[2], m[1], strings.TrimPrefix(m[3], "[]"))
	}
	for _, p := range []string{"error converting YAML to JSON: ", "error unmarshaling JSON: ", "while decoding JSON: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	return strings.Join(strings.Fields(msg), " ")
}

// fieldError names the field a value is wrong in.
func fieldError(field string, format string, args ...any) error {
	return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
}

func (f *file) platform() (*Platform, error) {
	p := &Platform{Provider: strings.TrimSpace(f.Provider)}
	if len(p.Provider) > maxProviderLen || strings.ContainsAny(p.Provider, "\r\n\t") || !validUTF8Text(p.Provider) {
		return nil, fieldError("provider", "must be one line of at most %d characters", maxProviderLen)
	}
	if f.MailHost != "" {
		if err := checkHostTemplate(f.MailHost); err != nil {
			return nil, fieldError("mail_host", "%v", err)
		}
		p.MailHostTemplate = normalizeHost(f.MailHost)
	}
	var err error
	if p.Ports, err = f.Ports.platform(); err != nil {
		return nil, err
	}
	if p.Ranges, err = parseRanges(f.Ranges); err != nil {
		return nil, err
	}
	if p.MX, err = hostList("mx", f.MX, true); err != nil {
		return nil, err
	}
	if p.NameServers, err = hostList("name_servers", f.NameServers, true); err != nil {
		return nil, err
	}
	if p.Outgoing, err = parseOutgoing(f.Outgoing); err != nil {
		return nil, err
	}
	if f.SPF != "" {
		if p.SPF, err = parseSPFTerm(f.SPF); err != nil {
			return nil, fieldError("spf", "%v", err)
		}
	}
	if p.DKIM, err = parseDKIM(f.DKIM); err != nil {
		return nil, err
	}
	if p.Autoconfig, err = urlList("autoconfig", f.Autoconfig); err != nil {
		return nil, err
	}
	if p.Autodiscover, err = urlList("autodiscover", f.Autodiscover); err != nil {
		return nil, err
	}
	if len(f.DNSBL) > MaxDNSBLZones {
		return nil, fieldError("dnsbl", "at most %d zones", MaxDNSBLZones)
	}
	if p.DNSBL, err = hostList("dnsbl", f.DNSBL, false); err != nil {
		return nil, err
	}
	return p, nil
}

func (ps ports) platform() (map[Protocol]int, error) {
	out := map[Protocol]int{}
	for _, e := range []struct {
		proto Protocol
		n     int
	}{{IMAPS, ps.IMAPS}, {POP3S, ps.POP3S}, {Submissions, ps.Submissions}, {Submission, ps.Submission}, {SMTP, ps.SMTP}} {
		switch {
		case e.n == 0:
		case e.n < 1 || e.n > 65535:
			return nil, fieldError("ports."+string(e.proto), "%d is not a port (1-65535)", e.n)
		default:
			out[e.proto] = e.n
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func parseRanges(ss []string) ([]netip.Prefix, error) {
	if len(ss) > MaxRanges {
		return nil, fieldError("ranges", "at most %d ranges", MaxRanges)
	}
	var out []netip.Prefix
	for i, s := range ss {
		field := fmt.Sprintf("ranges[%d]", i)
		pr, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil || pr.Addr().Zone() != "" {
			return nil, fieldError(field, "%q is not a CIDR", s)
		}
		if pr.Masked() != pr {
			return nil, fieldError(field, "%q has host bits set: write %s", s, pr.Masked())
		}
		if pr.Addr().Is4In6() {
			return nil, fieldError(field, "%q is an IPv4-mapped range: write it in IPv4", s)
		}
		out = append(out, pr)
	}
	return out, nil
}

func parseOutgoing(ss []string) ([]netip.Addr, error) {
	if len(ss) > MaxOutgoing {
		return nil, fieldError("outgoing", "at most %d addresses", MaxOutgoing)
	}
	var out []netip.Addr
	for i, s := range ss {
		ip, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil || ip.Zone() != "" {
			return nil, fieldError(fmt.Sprintf("outgoing[%d]", i), "%q is not an IP address", s)
		}
		out = append(out, ip.Unmap())
	}
	return out, nil
}

// parseSPFTerm reads the one SPF term customers must have: a mechanism
// that authorises hosts (not all), with a pass qualifier, no macro.
func parseSPFTerm(s string) (*spf.Directive, error) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \t") {
		return nil, fmt.Errorf("%q must be one SPF term", s)
	}
	rec, err := spf.Parse("v=spf1 " + s)
	if err != nil {
		return nil, fmt.Errorf("%q is not an SPF mechanism", s)
	}
	if len(rec.Directives) != 1 {
		return nil, fmt.Errorf("%q is not an SPF mechanism (a modifier?)", s)
	}
	d := rec.Directives[0]
	switch {
	case d.Mechanism == spf.MechAll:
		return nil, fmt.Errorf("%q authorises everyone, not the platform", s)
	case d.Qualifier != spf.QualifierPass:
		return nil, fmt.Errorf("%q must authorise (no qualifier, or +)", s)
	case spf.HasMacro(d.DomainSpec):
		return nil, fmt.Errorf("%q holds a macro", s)
	}
	return &d, nil
}

func parseDKIM(keys []dkimKey) ([]DKIMKey, error) {
	if len(keys) > MaxDKIM {
		return nil, fieldError("dkim", "at most %d selectors", MaxDKIM)
	}
	var out []DKIMKey
	for i, k := range keys {
		field := fmt.Sprintf("dkim[%d]", i)
		sel := strings.ToLower(strings.TrimSpace(k.Selector))
		if !dkim.ValidSelector(sel) {
			return nil, fieldError(field+".selector", "%q is not a DKIM selector", k.Selector)
		}
		dk := DKIMKey{Selector: sel}
		if k.PublicKey != "" {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(k.PublicKey), ""))
			if err != nil || len(der) == 0 {
				return nil, fieldError(field+".public_key", "not base64 (the p= value of the DKIM record)")
			}
			dk.PublicKey = der
		}
		if k.SHA256 != "" {
			b, err := hex.DecodeString(strings.TrimSpace(k.SHA256))
			if err != nil || len(b) != 32 {
				return nil, fieldError(field+".sha256", "%q is not a SHA-256 in hex (64 digits)", k.SHA256)
			}
			dk.SHA256 = b
			if dk.PublicKey != nil {
				if ok, _ := dk.Matches(k.PublicKey); !ok {
					return nil, fieldError(field+".sha256", "is not the SHA-256 of public_key")
				}
			}
		}
		out = append(out, dk)
	}
	return out, nil
}

// hostList validates host names, templates allowed when templates.
func hostList(field string, ss []string, templates bool) ([]string, error) {
	if len(ss) > MaxHosts {
		return nil, fieldError(field, "at most %d names", MaxHosts)
	}
	var out []string
	for i, s := range ss {
		f := fmt.Sprintf("%s[%d]", field, i)
		var err error
		if templates {
			err = checkHostTemplate(s)
		} else if !validHost(s) {
			err = fmt.Errorf("%q is not a host name", s)
		}
		if err != nil {
			return nil, fieldError(f, "%v", err)
		}
		out = append(out, normalizeHost(s))
	}
	return out, nil
}

func urlList(field string, ss []string) ([]string, error) {
	if len(ss) > MaxURLs {
		return nil, fieldError(field, "at most %d URLs", MaxURLs)
	}
	for i, s := range ss {
		if err := checkURLTemplate(s); err != nil {
			return nil, fieldError(fmt.Sprintf("%s[%d]", field, i), "%v", err)
		}
	}
	return ss, nil
}

// errPlaceholder is a brace that is not DomainPlaceholder.
var errPlaceholder = errors.New("only {domain} may appear in braces")

// checkHostTemplate accepts a host name in which DomainPlaceholder may
// stand for whole labels ("{domain}", "mail.{domain}").
func checkHostTemplate(s string) error {
	probe := strings.ReplaceAll(strings.ToLower(s), DomainPlaceholder, "example.com")
	if strings.ContainsAny(probe, "{}") {
		return fmt.Errorf("%q: %w", s, errPlaceholder)
	}
	if !validHost(probe) {
		return fmt.Errorf("%q is not a host name", s)
	}
	return nil
}

// checkURLTemplate accepts an http or https URL in which DomainPlaceholder
// may appear in the host or the path.
func checkURLTemplate(s string) error {
	probe := strings.ReplaceAll(s, DomainPlaceholder, "example.com")
	if strings.ContainsAny(probe, "{}") {
		return fmt.Errorf("%q: %w", s, errPlaceholder)
	}
	u, err := url.Parse(probe)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return fmt.Errorf("%q is not an http or https URL", s)
	}
	if !validHost(u.Hostname()) {
		return fmt.Errorf("%q: %q is not a host name", s, u.Hostname())
	}
	return nil
}

// validHost accepts a fully qualified host name: two labels or more of
// letters, digits, "-" and "_" (service labels), 253 octets at most.
func validHost(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) == 0 || len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, l := range strings.Split(s, ".") {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

func validUTF8Text(s string) bool {
	for _, r := range s {
		if r == 0xFFFD || r < 0x20 {
			return false
		}
	}
	return true
}
