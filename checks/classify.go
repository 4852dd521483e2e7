package checks

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/netguard"
)

// Stage is how far a connection got when an error happened. The same
// error means different things at different stages: a deadline while
// dialling is a port nobody answers (tcp.timeout, often a firewall), after
// the connection is a server that accepted and then fell silent
// (proto.timeout); a closed connection during the TLS handshake is a TLS
// failure, during the dialogue a protocol error.
type Stage int

// Stages of a connection, in order.
const (
	StageDial     Stage = iota // resolving the host and opening TCP
	StageTLS                   // the TLS handshake (implicit TLS or after STARTTLS)
	StageDialogue              // greeting, capabilities, commands
)

// String names the stage for logs and details.
func (s Stage) String() string {
	switch s {
	case StageDial:
		return "dial"
	case StageTLS:
		return "tls"
	case StageDialogue:
		return "dialogue"
	}
	return "stage?"
}

// ClassifyErr maps a network, TLS or resolver error met at stage to its
// finding code. It is the one place where errors become codes: checkers
// call it rather than look at errors themselves. A nil error has no code
// ("").
func ClassifyErr(stage Stage, err error) Code {
	if err == nil {
		return ""
	}
	var (
		hostErr    x509.HostnameError
		authErr    x509.UnknownAuthorityError
		invalidErr x509.CertificateInvalidError
		rootsErr   x509.SystemRootsError
	)
	switch {
	case errors.Is(err, netguard.ErrForbidden):
		return HostPrivateAddress
	case errors.Is(err, netguard.ErrNoAddress):
		return HostNoAddress
	case errors.Is(err, lookup.ErrFailed):
		return ResolverFailed

	// Certificate verification, when a verifying client meets it (a
	// tls.CertificateVerificationError unwraps to these).
	case errors.As(err, &hostErr):
		return TLSCertHostnameMismatch
	case errors.As(err, &authErr), errors.As(err, &rootsErr):
		return TLSCertUntrusted
	case errors.As(err, &invalidErr):
		if invalidErr.Reason != x509.Expired {
			return TLSCertUntrusted
		}
		// x509 says which bound was crossed: "current time … is before
		// <NotBefore>" or "is after <NotAfter>"; its clock is the one
		// the verification used, which ClassifyErr does not know.
		if strings.Contains(invalidErr.Detail, " is before ") {
			return TLSCertNotYetValid
		}
		return TLSCertExpired
	}

	timeout := isTimeout(err)
	switch stage {
	case StageDial:
		switch {
		case timeout:
			return TCPTimeout
		case errors.Is(err, syscall.ECONNREFUSED):
			return TCPRefused
		}
		// Unreachable networks and hosts, and whatever else kept the
		// connection from opening.
		return TCPUnreachable
	case StageTLS:
		if timeout {
			return ProtoTimeout
		}
		// Alerts, malformed records (tls.RecordHeaderError: a plain-text
		// server on a TLS port), no common version or suite, a peer
		// hanging up mid-handshake.
		return TLSHandshakeFailed
	}
	if timeout {
		return ProtoTimeout
	}
	// io.EOF, io.ErrUnexpectedEOF, ECONNRESET, EPIPE, mailwire's ErrMalformed
	// and ErrLineTooLong: the server closed or spoke garbage.
	return ProtoError
}

// isTimeout reports whether err is a deadline: the connection's
// (os.ErrDeadlineExceeded), the context's, a net.Error that says so, or
// the run being cancelled, which cuts a step short the same way.
func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// ErrorFinding is the finding for an error met at stage: the code of
// ClassifyErr, severity error for a resolver failure (the checker could
// not tell) and fail otherwise, params as given, the error text (cut to
// 300 bytes) as detail.
func ErrorFinding(stage Stage, err error, params map[string]string) Finding {
	code := ClassifyErr(stage, err)
	sev := SeverityFail
	if code == ResolverFailed {
		sev = SeverityError
	}
	return Finding{Code: code, Severity: sev, Params: params, Detail: cut(err.Error(), 300)}
}

// cut returns s cut to at most n bytes on a rune boundary, "…" appended
// when something was cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
