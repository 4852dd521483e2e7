package mtasts

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	good := "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 86400\r\n"
	p, err := Parse([]byte(good))
	if err != nil || p.Mode != ModeEnforce || len(p.MX) != 2 || p.MaxAge != 86400 {
		t.Fatalf("Parse = %+v, %v", p, err)
	}
	for _, bad := range []string{
		"", "version: STSv2\nmode: enforce\nmx: a.b\nmax_age: 1\n", "version: STSv1\nmode: strict\nmx: a.b\n",
		"version: STSv1\nmode: enforce\n", "version: STSv1\nmode: enforce\nmx: a.b\nmax_age: soon\n", "garbage",
	} {
		if _, err := Parse([]byte(bad)); !errors.Is(err, ErrSyntax) {
			t.Errorf("Parse(%q) = %v, want ErrSyntax", bad, err)
		}
	}
	if p, err := Parse([]byte("version: STSv1\nmode: none\nmax_age: 0\n")); err != nil || p.Mode != ModeNone {
		t.Errorf("mode none without mx: %+v, %v", p, err)
	}
}

// FuzzParse: no policy body makes Parse panic, and a policy it accepts
// has a known mode.
func FuzzParse(f *testing.F) {
	f.Add([]byte("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n"))
	f.Add([]byte("version: STSv1\r\nmode: testing\r\nmx: *.example.net\r\nmax_age: 86400\r\n"))
	f.Add([]byte("version: STSv1\nmode: none\nmax_age: 0\n"))
	f.Add([]byte(":\n:::\nmx:"))
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := Parse(body)
		if err == nil && p.Mode != ModeEnforce && p.Mode != ModeTesting && p.Mode != ModeNone {
			t.Fatalf("accepted mode %q", p.Mode)
		}
	})
}
