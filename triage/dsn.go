package triage

import (
	"bufio"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
)

// DSN is what a delivery status notification (RFC 3464) says: the
// per-message fields and one block per recipient. Values are as pasted,
// the type prefix ("rfc822;", "dns;", "smtp;") removed.
type DSN struct {
	// ReportingMTA is the server that wrote the report.
	ReportingMTA string
	// Sender is the address the failed message came from: the returned
	// message's From, Postfix's X-Postfix-Sender or the report's To.
	Sender     string
	Recipients []DSNRecipient
}

// DSNRecipient is one per-recipient block of a DSN.
type DSNRecipient struct {
	FinalRecipient    string
	OriginalRecipient string
	Action            string // failed, delayed, delivered, relayed, expanded
	Status            string // an enhanced status code
	DiagnosticCode    string // the remote server's reply
	RemoteMTA         string // the server that refused
}

// maxParts bounds how many MIME parts of a pasted report are read.
const maxParts = 16

// parseDSN reads a DSN from a whole message (multipart/report with a
// message/delivery-status part) or, failing that, from DSN field lines
// wherever they are in a partial paste. It returns nil when the text
// carries no DSN field.
func parseDSN(text string) *DSN {
	d := &DSN{}
	if msg, err := mail.ReadMessage(strings.NewReader(text)); err == nil {
		// A bounce is addressed to the sender of the failed message.
		if isBounce(msg.Header) {
			if to, err := mail.ParseAddress(msg.Header.Get("To")); err == nil {
				d.Sender = to.Address
			}
		}
		walkPart(d, msg.Header.Get("Content-Type"), msg.Body, 0, new(int))
	}
	if d.ReportingMTA == "" && len(d.Recipients) == 0 {
		scanFields(d, text)
	}
	if d.ReportingMTA == "" && len(d.Recipients) == 0 && d.Sender == "" {
		return nil
	}
	return d
}

// isBounce reports whether a message's headers are a bounce's: a
// multipart/report, or from the mailer daemon or the postmaster.
func isBounce(h mail.Header) bool {
	from := strings.ToLower(h.Get("From"))
	return strings.HasPrefix(strings.ToLower(h.Get("Content-Type")), "multipart/report") ||
		strings.Contains(from, "mailer-daemon") || strings.Contains(from, "postmaster")
}

// walkPart reads one MIME part of a report, recursing into multiparts.
func walkPart(d *DSN, contentType string, body io.Reader, depth int, parts *int) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return
	}
	switch {
	case strings.HasPrefix(mt, "multipart/"):
		if depth > 2 || params["boundary"] == "" {
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for ; *parts < maxParts; *parts++ {
			p, err := mr.NextPart()
			if err != nil {
				return
			}
			walkPart(d, p.Header.Get("Content-Type"), p, depth+1, parts)
		}
	case mt == "message/delivery-status" || mt == "message/global-delivery-status":
		b, err := io.ReadAll(io.LimitReader(body, MaxInput))
		if err == nil {
			scanFields(d, string(b))
		}
	case mt == "message/rfc822" || mt == "text/rfc822-headers" || mt == "message/global-headers":
		if m, err := mail.ReadMessage(body); err == nil {
			if from, err := mail.ParseAddress(m.Header.Get("From")); err == nil {
				d.Sender = from.Address
			}
		}
	}
}

// scanFields reads DSN field lines ("Final-Recipient: rfc822; x@y"),
// continuation lines included, anywhere in text; a line may be quoted
// ("> ") as in a forwarded bounce.
func scanFields(d *DSN, text string) {
	var cur *DSNRecipient
	var name string
	var value *string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), MaxInput+1)
	for sc.Scan() {
		line := sc.Text()
		for strings.HasPrefix(line, ">") {
			line = strings.TrimPrefix(line[1:], " ")
		}
		if value != nil && line != "" && (line[0] == ' ' || line[0] == '\t') && strings.TrimSpace(line) != "" {
			if name == "diagnostic-code" {
				*value += " " + strings.TrimSpace(line)
			}
			continue
		}
		value = nil
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		name = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if name == "final-recipient" || name == "original-recipient" {
			// A block starts with its recipient fields: a field seen twice,
			// or after the block's other fields, starts the next one.
			if cur == nil || *recipientField(cur, name) != "" || cur.Action != "" || cur.Status != "" || cur.DiagnosticCode != "" || cur.RemoteMTA != "" {
				d.Recipients = append(d.Recipients, DSNRecipient{})
				cur = &d.Recipients[len(d.Recipients)-1]
			}
		}
		switch name {
		case "reporting-mta":
			d.ReportingMTA = typed(v)
			value = &d.ReportingMTA
		case "x-postfix-sender":
			d.Sender = typed(v)
			value = &d.Sender
		case "final-recipient", "original-recipient", "action", "status", "diagnostic-code", "remote-mta":
			if cur == nil {
				d.Recipients = append(d.Recipients, DSNRecipient{})
				cur = &d.Recipients[len(d.Recipients)-1]
			}
			value = recipientField(cur, name)
			*value = typed(v)
		}
	}
}

func recipientField(r *DSNRecipient, name string) *string {
	switch name {
	case "final-recipient":
		return &r.FinalRecipient
	case "original-recipient":
		return &r.OriginalRecipient
	case "action":
		return &r.Action
	case "status":
		return &r.Status
	case "diagnostic-code":
		return &r.DiagnosticCode
	}
	return &r.RemoteMTA
}

// typed drops the type of a DSN value ("rfc822; x@y" → "x@y") and the
// angle brackets around an address.
func typed(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(t, " <@") {
		v = strings.TrimSpace(rest)
	}
	return strings.Trim(v, "<>")
}
