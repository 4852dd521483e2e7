package mailwire

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// countingReader counts what a reader pulled from its source, to prove
// bounded reads stop early.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// repeatReader yields s forever.
type repeatReader struct {
	s   string
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}

func TestReadLine(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr error
	}{
		{"crlf", "a\r\nb\r\n", []string{"a", "b"}, io.EOF},
		{"bare lf", "a\nb\n", []string{"a", "b"}, io.EOF},
		{"cr kept inside", "a\rb\r\n", []string{"a\rb"}, io.EOF},
		{"eof mid line", "a\r\nb", []string{"a"}, io.ErrUnexpectedEOF},
		{"empty", "", nil, io.EOF},
		{"long line", strings.Repeat("x", MaxLine+1) + "\r\n", nil, ErrLineTooLong},
		{"line at limit", strings.Repeat("x", MaxLine-2) + "\r\n", []string{strings.Repeat("x", MaxLine-2)}, io.EOF},
		{"too many lines", strings.Repeat("x\r\n", MaxLines+1), nil, ErrTooMuch},
		{"too many bytes", strings.Repeat(strings.Repeat("y", 1000)+"\r\n", 70), nil, ErrTooMuch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLineReader(strings.NewReader(tt.in))
			var got []string
			var err error
			for {
				var line string
				line, err = l.ReadLine()
				if err != nil {
					break
				}
				got = append(got, line)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == io.EOF || tt.wantErr == io.ErrUnexpectedEOF {
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestBoundedReads proves a megabyte line and endless lines are refused
// after a bounded amount of input, not buffered.
func TestBoundedReads(t *testing.T) {
	tests := []struct {
		name    string
		src     io.Reader
		read    func(*LineReader) error
		wantErr error
	}{
		{"1 MB greeting", strings.NewReader(strings.Repeat("A", 1<<20) + "\r\n"), func(l *LineReader) error { _, err := l.ReadLine(); return err }, ErrLineTooLong},
		{"endless EHLO", io.MultiReader(strings.NewReader("250-mx.example\r\n"), &repeatReader{s: "250-X-JUNK\r\n"}), func(l *LineReader) error { _, _, err := ReadSMTPReply(l); return err }, ErrTooMuch},
		{"endless CAPA", &repeatReader{s: "X-JUNK " + strings.Repeat("j", 2000) + "\r\n"}, func(l *LineReader) error { _, err := ReadPOP3Multi(l); return err }, ErrTooMuch},
		{"endless line", &repeatReader{s: "garbage"}, func(l *LineReader) error { _, err := l.ReadLine(); return err }, ErrLineTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &countingReader{r: tt.src}
			err := tt.read(NewLineReader(c))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if limit := MaxBytes + MaxLine; c.n > limit {
				t.Errorf("read %d bytes from the source, want at most %d", c.n, limit)
			}
		})
	}
}

func TestReadSMTPReply(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantCode  int
		wantLines []string
		wantErr   error
	}{
		{"one line", "220 mx.example ESMTP\r\n", 220, []string{"mx.example ESMTP"}, nil},
		{"multi", "250-mx.example\r\n250-PIPELINING\r\n250 AUTH PLAIN\r\n", 250, []string{"mx.example", "PIPELINING", "AUTH PLAIN"}, nil},
		{"bare code", "250\r\n", 250, []string{""}, nil},
		{"go away", "554 go away\r\n", 554, []string{"go away"}, nil},
		{"code changes", "250-a\r\n251 b\r\n", 250, []string{"a"}, ErrMalformed},
		{"not a reply", "* OK IMAP ready\r\n", 0, nil, ErrMalformed},
		{"bad separator", "250_x\r\n", 0, nil, ErrMalformed},
		{"first digit 6", "650 x\r\n", 0, nil, ErrMalformed},
		{"second digit 9", "290 x\r\n", 0, nil, ErrMalformed},
		{"closed mid reply", "250-a\r\n", 250, []string{"a"}, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, lines, err := ReadSMTPReply(NewLineReader(strings.NewReader(tt.in)))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if code != tt.wantCode {
				t.Errorf("code = %d, want %d", code, tt.wantCode)
			}
			if diff := cmp.Diff(tt.wantLines, lines); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseEHLO(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  EHLO
	}{
		{"empty", nil, EHLO{}},
		{"helo only", []string{"mx.example"}, EHLO{Domain: "mx.example"}},
		{"submission", []string{"mx.example Hello", "PIPELINING", "SIZE 1000", "starttls", "AUTH PLAIN login", "AUTH=PLAIN LOGIN CRAM-MD5"},
			EHLO{Domain: "mx.example", Keywords: []string{"PIPELINING", "SIZE 1000", "STARTTLS", "AUTH PLAIN login", "AUTH PLAIN LOGIN CRAM-MD5"},
				StartTLS: true, AuthMechs: []string{"PLAIN", "LOGIN", "CRAM-MD5"}}},
		{"auth without mechs", []string{"mx", "AUTH"}, EHLO{Domain: "mx", Keywords: []string{"AUTH"}}},
		{"blank line", []string{"mx", "  ", "8BITMIME"}, EHLO{Domain: "mx", Keywords: []string{"8BITMIME"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseEHLO(tt.lines)); diff != "" {
				t.Errorf("ParseEHLO (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIMAPGreeting(t *testing.T) {
	tests := []struct {
		line     string
		wantOK   bool
		wantCaps []string
	}{
		{"* OK IMAP4rev1 ready", true, nil},
		{"* ok ready", true, nil},
		{"* PREAUTH welcome", true, nil},
		{"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] Dovecot ready.", true, []string{"IMAP4rev1", "SASL-IR", "AUTH=PLAIN"}},
		{"* OK [capability IMAP4rev2 LOGINDISABLED] ready", true, []string{"IMAP4rev2", "LOGINDISABLED"}},
		{"* OK [ALERT] maintenance", true, nil},
		{"* OK [CAPABILITY IMAP4rev1 unterminated", true, nil},
		{"* OK", true, nil},
		{"* BYE too many connections", false, nil},
		{"* NO no", false, nil},
		{"+OK POP3 ready", false, nil},
		{"220 mx ESMTP", false, nil},
		{"", false, nil},
		{"*OK", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			ok, caps := ParseIMAPGreeting(tt.line)
			if ok != tt.wantOK {
				t.Errorf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.wantCaps, caps); diff != "" {
				t.Errorf("caps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIMAPCapability(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN", []string{"IMAP4rev1", "AUTH=PLAIN", "AUTH=LOGIN"}},
		{"* capability IMAP4rev2", []string{"IMAP4rev2"}},
		{"* CAPABILITY", nil},
		{"* OK done", nil},
		{"a1 OK CAPABILITY completed", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseIMAPCapability(tt.line)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestIMAPAuthMechs(t *testing.T) {
	tests := []struct {
		name     string
		caps     []string
		mechs    []string
		disabled bool
	}{
		{"none", []string{"IMAP4rev1"}, nil, false},
		{"mechs", []string{"IMAP4rev1", "auth=plain", "AUTH=LOGIN", "AUTH=PLAIN"}, []string{"PLAIN", "LOGIN"}, false},
		{"disabled", []string{"IMAP4rev1", "LoginDisabled"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mechs, disabled := IMAPAuthMechs(tt.caps)
			if diff := cmp.Diff(tt.mechs, mechs); diff != "" {
				t.Errorf("mechs (-want +got):\n%s", diff)
			}
			if disabled != tt.disabled {
				t.Errorf("loginDisabled = %v, want %v", disabled, tt.disabled)
			}
		})
	}
}

func TestPOP3(t *testing.T) {
	greetings := map[string]bool{"+OK": true, "+OK POP3 ready <1@x>": true, "-ERR busy": false, "+OKAY": false, "+ok": false, "": false}
	for line, want := range greetings {
		t.Run("greeting "+line, func(t *testing.T) {
			if got := ParsePOP3Greeting(line); got != want {
				t.Errorf("ParsePOP3Greeting(%q) = %v, want %v", line, got, want)
			}
		})
	}
	tests := []struct {
		name  string
		in    string
		caps  []string
		mechs []string
		user  bool
	}{
		{"full", "TOP\r\nuser\r\nSASL PLAIN login\r\nUIDL\r\n.\r\n", []string{"TOP", "USER", "SASL PLAIN login", "UIDL"}, []string{"PLAIN", "LOGIN"}, true},
		{"stuffed", "..X\r\n\r\n.\r\n", []string{".X"}, nil, false},
		{"nothing", ".\r\n", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, err := ReadPOP3Multi(NewLineReader(strings.NewReader(tt.in)))
			if err != nil {
				t.Fatal(err)
			}
			caps := ParsePOP3Capa(lines)
			if diff := cmp.Diff(tt.caps, caps); diff != "" {
				t.Errorf("caps (-want +got):\n%s", diff)
			}
			mechs, user := POP3AuthMechs(caps)
			if diff := cmp.Diff(tt.mechs, mechs); diff != "" {
				t.Errorf("mechs (-want +got):\n%s", diff)
			}
			if user != tt.user {
				t.Errorf("user = %v, want %v", user, tt.user)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"ééé", 3, "é…"},
		{"\xff\xfe\xfd\xfc\xfb", 2, "\xff\xfe…"},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := Truncate(tt.s, tt.n); got != tt.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}

func FuzzReadLine(f *testing.F) {
	f.Add([]byte("a\r\nb\n"))
	f.Add([]byte(strings.Repeat("x", MaxLine+5)))
	f.Add([]byte("\r\n\r\n\r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := NewLineReaderLimits(bytes.NewReader(data), 64, 8, 256)
		for {
			line, err := l.ReadLine()
			if err != nil {
				return
			}
			if len(line) > 64 || strings.ContainsRune(line, '\n') {
				t.Fatalf("line %q breaks the limits", line)
			}
		}
	})
}

func FuzzReadSMTPReply(f *testing.F) {
	f.Add([]byte("250-mx\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n"))
	f.Add([]byte("554 go away\r\n"))
	f.Add([]byte("250-a\r\n251 b\r\n"))
	f.Add([]byte("\x00\xff garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		code, lines, err := ReadSMTPReply(NewLineReaderLimits(bytes.NewReader(data), 128, 16, 1024))
		if len(lines) > 16 {
			t.Fatalf("%d lines past the limit", len(lines))
		}
		if err == nil && (code < 200 || code > 559 || len(lines) == 0) {
			t.Fatalf("accepted reply with code %d and %d lines", code, len(lines))
		}
		e := ParseEHLO(lines)
		var kws []string
		for _, k := range e.Keywords {
			kw, _, _ := strings.Cut(k, " ")
			kws = append(kws, kw)
		}
		if e.StartTLS != HasCap(kws, "STARTTLS") {
			t.Fatalf("StartTLS %v disagrees with keywords %q", e.StartTLS, e.Keywords)
		}
	})
}

func FuzzParseIMAPGreeting(f *testing.F) {
	f.Add("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready")
	f.Add("* BYE")
	f.Add("* PREAUTH [CAPABILITY")
	f.Add("* OK []")
	f.Fuzz(func(t *testing.T, line string) {
		ok, caps := ParseIMAPGreeting(line)
		if !ok && caps != nil {
			t.Fatalf("caps %q from a refused greeting", caps)
		}
		if ok && !strings.HasPrefix(line, "* ") {
			t.Fatalf("accepted %q", line)
		}
		for _, c := range append(caps, ParseIMAPCapability(line)...) {
			if c == "" || strings.ContainsAny(c, " \t\r\n") {
				t.Fatalf("bad capability %q", c)
			}
		}
		IMAPAuthMechs(caps)
	})
}

func FuzzParseIMAPCapability(f *testing.F) {
	f.Add("* CAPABILITY IMAP4rev1 AUTH=PLAIN LOGINDISABLED")
	f.Add("* capability")
	f.Fuzz(func(t *testing.T, line string) {
		caps := ParseIMAPCapability(line)
		mechs, _ := IMAPAuthMechs(caps)
		if len(mechs) > len(caps) {
			t.Fatalf("%d mechanisms from %d capabilities", len(mechs), len(caps))
		}
	})
}

func FuzzPOP3(f *testing.F) {
	f.Add([]byte("+OK ready\r\nUSER\r\nSASL PLAIN\r\n.\r\n"))
	f.Add([]byte("-ERR\r\n"))
	f.Add([]byte("+OK\r\n..\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := NewLineReaderLimits(bytes.NewReader(data), 128, 16, 1024)
		greeting, err := l.ReadLine()
		if err != nil {
			return
		}
		if ParsePOP3Greeting(greeting) && !strings.HasPrefix(greeting, "+OK") {
			t.Fatalf("accepted greeting %q", greeting)
		}
		lines, _ := ReadPOP3Multi(l)
		caps := ParsePOP3Capa(lines)
		if len(caps) > len(lines) {
			t.Fatalf("%d caps from %d lines", len(caps), len(lines))
		}
		POP3AuthMechs(caps)
	})
}

func FuzzTruncate(f *testing.F) {
	f.Add("ééé", 3)
	f.Add("abc", 0)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1<<16 {
			return
		}
		got := Truncate(s, n)
		if len(got) > n+len("…") {
			t.Fatalf("Truncate(%q, %d) = %q, too long", s, n, got)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("Truncate(%q, %d) = %q, invalid UTF-8", s, n, got)
		}
	})
}
