package triage

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTooLong(t *testing.T) {
	if _, err := Parse(strings.Repeat("x", MaxInput)); err != nil {
		t.Fatalf("Parse of exactly MaxInput bytes: %v", err)
	}
	_, err := Parse(strings.Repeat("x", MaxInput+1))
	var tl *TooLongError
	if !errors.Is(err, ErrTooLong) || !errors.As(err, &tl) || tl.Size != MaxInput+1 || tl.Max != MaxInput {
		t.Fatalf("Parse of MaxInput+1 bytes: %v, want a *TooLongError", err)
	}
}

func TestScanCodes(t *testing.T) {
	for _, tc := range []struct {
		in       string
		statuses []string
		replies  []string
	}{
		{"550 5.7.1 Relay denied", []string{"5.7.1"}, []string{"550 5.7.1"}},
		{"550-5.7.26 a\n550 5.7.26 b", []string{"5.7.26"}, []string{"550 5.7.26"}},
		{"said: 535 Authentication failed", nil, []string{"535"}},
		{"smtp; 554 delivery error", nil, []string{"554"}},
		{"Status: 4.4.7", []string{"4.4.7"}, nil},
		{"(#5.1.1)", []string{"5.1.1"}, nil},
		{"code 5.7.708 here", []string{"5.7.708"}, nil},
		// Not codes: IP addresses, versions, a subject RFC 3463 does not define.
		{"from 10.5.2.4 and 192.0.2.1", nil, nil},
		{"plugin 5.2.2-1 and 5.2.2.4", nil, nil},
		{"version 5.9.1 and 5.1.1234", nil, nil},
		{"Dovecot 2.3.21", nil, nil},
		{"250 2.0.0 OK", []string{"2.0.0"}, []string{"250 2.0.0"}},
		{"I have 550 problems", nil, nil},
		{"port 465 or 587 blocked", nil, nil},
	} {
		st, rp := scanCodes(tc.in)
		var gotS, gotR []string
		for _, s := range st {
			gotS = append(gotS, s.String())
		}
		for _, r := range rp {
			s := strings.TrimSpace(strings.Join([]string{itoa(r.Code), statusString(r.Status)}, " "))
			gotR = append(gotR, s)
		}
		if d := cmp.Diff(tc.statuses, gotS); d != "" {
			t.Errorf("%q statuses (-want +got):\n%s", tc.in, d)
		}
		if d := cmp.Diff(tc.replies, gotR); d != "" {
			t.Errorf("%q replies (-want +got):\n%s", tc.in, d)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func statusString(s *Status) string {
	if s == nil {
		return ""
	}
	return s.String()
}

// TestParseDSN reads the fields of a whole multipart/report and of a
// partial paste.
func TestParseDSN(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "corpus", "gmail-01-unauthenticated-dsn.eml"))
	if err != nil {
		t.Fatal(err)
	}
	_, text, _ := strings.Cut(string(data), "\n---\n")
	r, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := &DSN{
		ReportingMTA: "mail.client.com",
		Sender:       "jane@client.com",
		Recipients: []DSNRecipient{{
			FinalRecipient:    "paul@dest.example",
			OriginalRecipient: "paul@dest.example",
			Action:            "failed",
			Status:            "5.7.26",
			RemoteMTA:         "gmail-smtp-in.l.google.com",
			DiagnosticCode:    "550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.",
		}},
	}
	if d := cmp.Diff(want, r.DSN); d != "" {
		t.Errorf("whole report (-want +got):\n%s", d)
	}

	partial := "> Final-Recipient: rfc822; a@dest.example\n> Status: 5.1.1\n> Final-Recipient: rfc822;b@dest.example\n> Action: delayed\n> Status: 4.2.2\n"
	r, err = Parse(partial)
	if err != nil {
		t.Fatal(err)
	}
	wantPartial := &DSN{Recipients: []DSNRecipient{
		{FinalRecipient: "a@dest.example", Status: "5.1.1"},
		{FinalRecipient: "b@dest.example", Action: "delayed", Status: "4.2.2"},
	}}
	if d := cmp.Diff(wantPartial, r.DSN); d != "" {
		t.Errorf("quoted partial paste (-want +got):\n%s", d)
	}
	if got := r.Causes(); !cmp.Equal(got, []Cause{"recipient.unknown", "recipient.mailbox_full"}) {
		t.Errorf("causes %v", got)
	}
}

// TestFallback: a fallback entry counts only when nothing else matches.
func TestFallback(t *testing.T) {
	for in, want := range map[string]Cause{
		"Sending of the message failed.": "send.smtp_failed",
		"Sending of the message failed. The server responded: 535 5.7.8 Error: authentication failed": "auth.bad_credentials",
		"Cannot Get Mail\nThe connection to the server failed.":                                       "conn.port_blocked",
	} {
		r, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Causes(); len(got) != 1 || got[0] != want {
			t.Errorf("%q: causes %v, want [%s]", in, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	got := normalize("  L’identité de « Client.FR »\u00a0ne peut\n\tpas être vérifiée… Œuvre ")
	want := `l'identite de " client.fr " ne peut pas etre verifiee... oeuvre`
	if got != want {
		t.Errorf("normalize = %q, want %q", got, want)
	}
}

func TestContainsParts(t *testing.T) {
	for _, tc := range []struct {
		s     string
		parts []string
		want  bool
	}{
		{"login to server mail.client.com with username x failed.", []string{"login to server", "failed"}, true},
		{"failed: login to server x", []string{"login to server", "failed"}, false},
		{"login to server " + strings.Repeat("x", window+1) + " failed", []string{"login to server", "failed"}, false},
		{"login to server a login to server b failed", []string{"login to server", "failed"}, true},
	} {
		if got := containsParts(tc.s, tc.parts); got != tc.want {
			t.Errorf("containsParts(%q, %q) = %v", tc.s, tc.parts, got)
		}
	}
}

// TestNoGuess: a code that providers reuse, alone in a sentence, is no
// cause; after a reply code it is.
func TestNoGuess(t *testing.T) {
	if got := mustParse(t, "version 1.2.3.4, build 5.4.1").Causes(); len(got) != 0 {
		t.Errorf("bare 5.4.1: causes %v, want none", got)
	}
	if got := mustParse(t, "said: 550 5.4.1 no answer").Causes(); !cmp.Equal(got, []Cause{"recipient.unreachable"}) {
		t.Errorf("550 5.4.1: causes %v", got)
	}
}
