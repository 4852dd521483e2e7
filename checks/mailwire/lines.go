// Package mailwire parses what mail servers say before anyone logs in: the
// greetings and capability lists of IMAP (RFC 9051, RFC 3501), POP3
// (RFC 1939, CAPA of RFC 2449) and SMTP (RFC 5321, EHLO keywords of
// RFC 3207 STARTTLS and RFC 4954 AUTH).
//
// Everything here reads untrusted input from the network, so every read is
// bounded: a LineReader stops a line at MaxLine bytes and a connection at
// MaxLines lines or MaxBytes bytes, whichever comes first. A server that
// sends a megabyte greeting or capability lines without end gets an error
// (ErrLineTooLong, ErrTooMuch) after a few kilobytes, never a growing
// buffer. The parsers are pure functions of strings and are fuzzed.
package mailwire

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Default limits of a LineReader. Mail protocol lines are short: RFC 5321
// §4.5.3.1.5 caps an SMTP reply line at 512 octets and RFC 2449 a POP3
// response line at 512; IMAP capability lists rarely pass 1 KiB. A
// pre-login dialogue is a few dozen lines.
const (
	MaxLine  = 4 << 10  // bytes per line, CRLF included
	MaxLines = 100      // lines per connection
	MaxBytes = 64 << 10 // bytes per connection
)

// Errors of bounded reads. Each is wrapped with what was being read.
var (
	// ErrLineTooLong: a line went past the per-line limit without a LF.
	ErrLineTooLong = errors.New("line too long")
	// ErrTooMuch: the connection went past its line or byte budget.
	ErrTooMuch = errors.New("too many lines or bytes")
	// ErrMalformed: a line does not follow the protocol's syntax.
	ErrMalformed = errors.New("malformed response")
)

// LineReader reads CRLF- (or bare LF-) terminated lines with limits. It is
// not safe for concurrent use.
type LineReader struct {
	r        *bufio.Reader
	maxLine  int
	maxLines int
	maxBytes int
	lines    int
	bytes    int
}

// NewLineReader returns a LineReader over r with the default limits.
func NewLineReader(r io.Reader) *LineReader {
	return NewLineReaderLimits(r, MaxLine, MaxLines, MaxBytes)
}

// NewLineReaderLimits returns a LineReader over r with the given limits
// (values ≤ 0 take the defaults).
func NewLineReaderLimits(r io.Reader, maxLine, maxLines, maxBytes int) *LineReader {
	if maxLine <= 0 {
		maxLine = MaxLine
	}
	if maxLines <= 0 {
		maxLines = MaxLines
	}
	if maxBytes <= 0 {
		maxBytes = MaxBytes
	}
	// The buffer is one line: ReadSlice fails with ErrBufferFull rather
	// than grow it. bufio's minimum size is 16.
	return &LineReader{r: bufio.NewReaderSize(r, max(maxLine, 16)), maxLine: maxLine, maxLines: maxLines, maxBytes: maxBytes}
}

// Buffered returns how many bytes were received but not yet read as lines.
// After a STARTTLS reply it must be zero: bytes sent before the TLS
// handshake would be taken for protected data (the STARTTLS command
// injection, RFC 7457 §2.2, CVE-2011-0411).
func (l *LineReader) Buffered() int { return l.r.Buffered() }

// ReadLine returns the next line without its line ending. It fails with an
// error wrapping ErrLineTooLong, ErrTooMuch, or the reader's error (io.EOF
// when the peer closed between lines, io.ErrUnexpectedEOF within one).
func (l *LineReader) ReadLine() (string, error) {
	if l.lines >= l.maxLines {
		return "", fmt.Errorf("reading line %d: %w (limit %d lines)", l.lines+1, ErrTooMuch, l.maxLines)
	}
	line, err := l.r.ReadSlice('\n')
	l.bytes += len(line)
	switch {
	case errors.Is(err, bufio.ErrBufferFull) || len(line) > l.maxLine:
		return "", fmt.Errorf("reading line %d: %w (limit %d bytes)", l.lines+1, ErrLineTooLong, l.maxLine)
	case errors.Is(err, io.EOF) && len(line) > 0:
		return "", fmt.Errorf("reading line %d: %w", l.lines+1, io.ErrUnexpectedEOF)
	case err != nil:
		return "", fmt.Errorf("reading line %d: %w", l.lines+1, err)
	}
	l.lines++
	if l.bytes > l.maxBytes {
		return "", fmt.Errorf("reading line %d: %w (limit %d bytes)", l.lines, ErrTooMuch, l.maxBytes)
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte{'\r'})
	return string(line), nil
}
