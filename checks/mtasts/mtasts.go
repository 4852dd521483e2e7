// Package mtasts reads a domain's SMTP MTA Strict Transport Security
// policy (RFC 8461). A domain announces one with a TXT record at
// _mta-sts.<domain> starting "v=STSv1" (§3.1) and serves it at
// https://mta-sts.<domain>/.well-known/mta-sts.txt (§3.3). In "enforce"
// mode, senders that honour it deliver only to MX hosts that match the
// policy's mx patterns and present, after STARTTLS, a certificate that is
// valid, trusted and issued for the MX host's name (§4.1, §4.2, §5): the
// certificate findings of port 25, otherwise warnings, then mean that
// such senders do not deliver there.
package mtasts

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// Mode is a policy's mode (RFC 8461 §3.2).
type Mode string

// The modes of RFC 8461 §5.
const (
	ModeEnforce Mode = "enforce"
	ModeTesting Mode = "testing"
	ModeNone    Mode = "none"
)

// MaxPolicySize bounds the policy body read. RFC 8461 §3.3 lets senders
// limit it; 64 KiB is far above any real policy.
const MaxPolicySize = 64 << 10

// Policy is a parsed MTA-STS policy.
type Policy struct {
	Mode   Mode
	MX     []string // patterns: a host name or "*." and a domain
	MaxAge int
}

// ErrSyntax is the error of a policy that does not follow RFC 8461 §3.2.
var ErrSyntax = errors.New("mta-sts: malformed policy")

// Parse reads a policy body (RFC 8461 §3.2): "key: value" lines ending in
// LF or CRLF; version must be STSv1, mode one of the three, max_age a
// number, and mx given at least once unless the mode is none. Unknown
// keys are ignored.
func Parse(body []byte) (Policy, error) {
	var p Policy
	version := ""
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 1024), MaxPolicySize)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return Policy{}, fmt.Errorf("%w: line %q", ErrSyntax, truncate(line, 40))
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "version":
			version = v
		case "mode":
			p.Mode = Mode(v)
		case "mx":
			p.MX = append(p.MX, strings.ToLower(v))
		case "max_age":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return Policy{}, fmt.Errorf("%w: max_age %q", ErrSyntax, truncate(v, 20))
			}
			p.MaxAge = n
		}
	}
	if err := sc.Err(); err != nil {
		return Policy{}, fmt.Errorf("%w: %v", ErrSyntax, err)
	}
	switch {
	case version != "STSv1":
		return Policy{}, fmt.Errorf("%w: version %q", ErrSyntax, truncate(version, 20))
	case p.Mode != ModeEnforce && p.Mode != ModeTesting && p.Mode != ModeNone:
		return Policy{}, fmt.Errorf("%w: mode %q", ErrSyntax, truncate(string(p.Mode), 20))
	case p.Mode != ModeNone && len(p.MX) == 0:
		return Policy{}, fmt.Errorf("%w: no mx", ErrSyntax)
	}
	return p, nil
}

// Fetch returns the policy domain publishes, if any: found is false when
// there is no "v=STSv1" TXT record at _mta-sts.<domain>, or when the
// policy cannot be fetched or parsed, since senders then apply none
// (RFC 8461 §3.3, §5). err is set only when the resolver failed. The
// HTTPS fetch goes through client (the run's guarded one), to
// httpsPort (443 but in the lab), follows no redirect (§3.3) and is
// bounded by timeout.
func Fetch(ctx context.Context, r lookup.Resolver, client *http.Client, domain string, httpsPort int, timeout time.Duration) (p Policy, found bool, err error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	txts, _, err := lookup.TXT(tctx, r, "_mta-sts."+domain)
	if err != nil {
		return Policy{}, false, err
	}
	announced := false
	for _, t := range txts {
		if strings.HasPrefix(t, "v=STSv1") {
			announced = true
		}
	}
	if !announced || client == nil {
		return Policy{}, false, nil
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	host := "mta-sts." + domain
	if httpsPort != 0 && httpsPort != checks.PortHTTPS {
		host = net.JoinHostPort(host, strconv.Itoa(httpsPort))
	}
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, "https://"+host+"/.well-known/mta-sts.txt", nil)
	if err != nil {
		return Policy{}, false, nil
	}
	resp, err := c.Do(req)
	if err != nil {
		return Policy{}, false, nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Policy{}, false, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxPolicySize+1))
	if err != nil || len(body) > MaxPolicySize {
		return Policy{}, false, nil
	}
	p, err = Parse(body)
	if err != nil {
		return Policy{}, false, nil
	}
	return p, true, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
