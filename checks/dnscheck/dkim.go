package dnscheck

import (
	"context"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/dkim"
	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// commonSelectors are the DKIM selectors of the usual control panels
// and mail providers (cPanel and Plesk "default", Microsoft 365
// "selector1/2", Google Workspace "google", Mailchimp "k1-3", Zoho,
// Proton, Fastmail "fm1", Postmark "pm"…). A selector cannot be listed
// (RFC 6376 §3.1), so a checker can only guess the common ones.
var commonSelectors = []string{
	"default", "mail", "dkim", "selector1", "selector2", "google",
	"k1", "k2", "k3", "s1", "s2", "key1", "key2", "dkim1",
	"mandrill", "mxvault", "everlytickey1", "zoho", "protonmail",
	"sig1", "20210112", "fm1", "pm",
}

// maxSelectors bounds the selectors tried, configured ones included.
const maxSelectors = 24

// dkimParallel bounds the selector queries in flight.
const dkimParallel = 8

// Selectors returns the selectors dns.dkim tries: the configured ones
// first, then the common ones, lower-cased, de-duplicated, invalid names
// dropped, at most 24.
func Selectors(configured []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range append(append([]string{}, configured...), commonSelectors...) {
		s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
		if !dkim.ValidSelector(s) || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
		if len(out) == maxSelectors {
			break
		}
	}
	return out
}

// DKIM returns dns.dkim: a DKIM key is published at one of the configured
// or common selectors (<selector>._domainkey.<domain>, RFC 6376 §3.6.2.1),
// it parses, it is not revoked, and an RSA key has at least 1024 bits
// (RFC 8301 §3.2, fail below) and preferably 2048 (warn below). No key
// at these selectors proves nothing about signing: selectors cannot be
// listed (RFC 6376 §3.1), so dkim.missing is a warning that says so.
func DKIM() checks.Check {
	return checks.Check{ID: checks.DNSDKIM, Run: runDKIM}
}

type selectorResult struct {
	selector string
	records  []string
	err      error
}

func runDKIM(ctx context.Context, env *checks.Env, t checks.Target, _ checks.Deps) checks.Result {
	r := checks.Result{ID: checks.DNSDKIM, Status: checks.StatusPass}
	res := resolver(env)
	sels := Selectors(append(env.Profile.Platform.DKIMSelectors(), env.DKIMSelectors...))
	results := parallel(len(sels), dkimParallel, func(i int) selectorResult {
		sr := selectorResult{selector: sels[i]}
		txts, _, err := lookup.TXT(ctx, res, sels[i]+"._domainkey."+t.Domain)
		if err != nil {
			sr.err = err
			return sr
		}
		for _, txt := range txts {
			if dkim.IsRecord(txt) {
				sr.records = append(sr.records, txt)
			}
		}
		return sr
	})

	dkimPlatform(&r, env, t.Domain, results)
	var found []selectorResult
	var failed []selectorResult
	for _, sr := range results {
		switch {
		case len(sr.records) > 0:
			found = append(found, sr)
		case sr.err != nil:
			failed = append(failed, sr)
		}
	}
	if len(found) == 0 {
		if len(failed) > 0 {
			// Some selector could not be asked: it may be the one in use.
			var names []string
			for _, sr := range failed {
				names = append(names, sr.selector)
			}
			r.Add(resolverFailed(failed[0].err, map[string]string{"selectors": strings.Join(names, ","), "count": strconv.Itoa(len(failed))}))
			return r
		}
		r.Add(checks.Finding{Code: checks.DKIMMissing, Severity: checks.SeverityWarn,
			Params: map[string]string{"selectors": strings.Join(sels, ","), "domain": t.Domain},
			Detail: "no key at " + strings.Join(sels, ", ") + " (._domainkey." + t.Domain + ")"})
		return r
	}

	var summary, names []string
	for _, sr := range found {
		names = append(names, sr.selector)
		raw := sr.records[0]
		if r.Facts.Record == "" {
			r.Facts.Record = raw
		}
		sel := map[string]string{"selector": sr.selector}
		key, err := dkim.ParseKey(raw)
		switch {
		case err != nil:
			sel["record"] = raw
			r.Add(checks.Finding{Code: checks.DKIMSyntax, Severity: checks.SeverityFail, Params: sel, Detail: err.Error()})
			summary = append(summary, "selector "+sr.selector+": invalid")
			continue
		case key.Revoked:
			r.Add(checks.Finding{Code: checks.DKIMRevoked, Severity: checks.SeverityWarn, Params: sel, Detail: raw})
			summary = append(summary, "selector "+sr.selector+": revoked")
			continue
		}
		line := "selector " + sr.selector + ": " + key.Algorithm
		if key.Algorithm == dkim.AlgorithmRSA {
			line += " " + strconv.Itoa(key.Bits) + " bits"
			// RFC 8301 §3.2: "Verifiers MUST NOT consider signatures
			// using RSA keys of less than 1024 bits as valid"; signers
			// SHOULD use 2048.
			params := map[string]string{"selector": sr.selector, "bits": strconv.Itoa(key.Bits)}
			switch {
			case key.Bits < 1024:
				r.Add(checks.Finding{Code: checks.DKIMKeyTooShort, Severity: checks.SeverityFail, Params: params, Detail: line})
			case key.Bits < 2048:
				r.Add(checks.Finding{Code: checks.DKIMWeakKey, Severity: checks.SeverityWarn, Params: params, Detail: line})
			}
		}
		if key.Testing() {
			line += " (t=y testing)"
		}
		if len(sr.records) > 1 {
			line += " (" + strconv.Itoa(len(sr.records)) + " records, first judged)"
		}
		summary = append(summary, line)
	}
	r.Add(checks.Finding{Code: checks.DKIMFound, Severity: checks.SeverityInfo,
		Params: map[string]string{"selectors": strings.Join(names, ","), "count": strconv.Itoa(len(found))}, Detail: strings.Join(summary, "; ")})
	return r
}
