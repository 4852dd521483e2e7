//go:debug rsa1024min=0

package dkim

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rsaKeys are generated once per test binary: 512-bit generation needs
// the rsa1024min=0 setting above, which only tests may use.
var rsaKeys = sync.OnceValue(func() map[int]*rsa.PublicKey {
	keys := map[int]*rsa.PublicKey{}
	for _, bits := range []int{512, 1024, 2048} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			panic(err)
		}
		keys[bits] = &k.PublicKey
	}
	return keys
})

func pkix(t testing.TB, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

func TestParseKey(t *testing.T) {
	keys := rsaKeys()
	k2048 := pkix(t, keys[2048])
	k1024 := pkix(t, keys[1024])
	k512 := pkix(t, keys[512])
	pkcs1 := base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(keys[1024]))
	edPub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ed := base64.StdEncoding.EncodeToString(edPub)

	type want struct {
		Version, Algorithm string
		Bits               int
		Revoked            bool
		Hashes, Services   []string
		Flags              []string
		Notes              string
	}
	tests := []struct {
		name, in string
		want     want
	}{
		{"rsa 2048", "v=DKIM1; k=rsa; p=" + k2048, want{Version: "DKIM1", Algorithm: "rsa", Bits: 2048}},
		{"no version, default rsa", "p=" + k1024, want{Algorithm: "rsa", Bits: 1024}},
		{"512", "v=DKIM1;p=" + k512 + ";", want{Version: "DKIM1", Algorithm: "rsa", Bits: 512}},
		{"pkcs1 fallback", "v=DKIM1; p=" + pkcs1, want{Version: "DKIM1", Algorithm: "rsa", Bits: 1024}},
		{"whitespace in p, split strings", "v=DKIM1; k=rsa; p=" + k2048[:100] + " \t" + k2048[100:200] + "\r\n " + k2048[200:], want{Version: "DKIM1", Algorithm: "rsa", Bits: 2048}},
		{"unpadded base64", "p=" + strings.TrimRight(pkcs1, "="), want{Algorithm: "rsa", Bits: 1024}},
		{"ed25519", "v=DKIM1; k=ed25519; p=" + ed, want{Version: "DKIM1", Algorithm: "ed25519", Bits: 256}},
		{"key type case", "k=RSA; p=" + k1024, want{Algorithm: "rsa", Bits: 1024}},
		{"revoked", "v=DKIM1; k=rsa; p=", want{Version: "DKIM1", Algorithm: "rsa", Revoked: true}},
		{"revoked, spaces", "v=DKIM1; p= ; n=gone", want{Version: "DKIM1", Algorithm: "rsa", Revoked: true, Notes: "gone"}},
		{"all tags", " v = DKIM1 ; h=sha1:sha256; s=email:*; t=y:s; n=note; x_future=1; p=" + k1024 + " ;",
			want{Version: "DKIM1", Algorithm: "rsa", Bits: 1024, Hashes: []string{"sha1", "sha256"}, Services: []string{"email", "*"}, Flags: []string{"y", "s"}, Notes: "note"}},
		{"empty tags skipped", "v=DKIM1;; p=" + k1024, want{Version: "DKIM1", Algorithm: "rsa", Bits: 1024}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.in)
			if err != nil {
				t.Fatalf("ParseKey: %v", err)
			}
			got := want{k.Version, k.Algorithm, k.Bits, k.Revoked, k.Hashes, k.Services, k.Flags, k.Notes}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if (k.PublicKey == nil) != k.Revoked {
				t.Errorf("PublicKey = %T with Revoked = %v", k.PublicKey, k.Revoked)
			}
		})
	}
	if k, _ := ParseKey("t=y; p=" + k1024); k == nil || !k.Testing() {
		t.Errorf("t=y: Testing() false")
	}
}

func TestParseKeyErrors(t *testing.T) {
	keys := rsaKeys()
	k1024 := pkix(t, keys[1024])
	edPub, _, _ := ed25519.GenerateKey(rand.Reader)
	edPKIX := pkix(t, edPub)
	tests := []struct {
		name, in, tag string
	}{
		{"empty", "", "p"},
		{"no p", "v=DKIM1; k=rsa", "p"},
		{"version not first", "k=rsa; v=DKIM1; p=" + k1024, "v"},
		{"other version", "v=DKIM2; p=" + k1024, "v"},
		{"unknown key type", "k=dsa; p=" + k1024, "k"},
		{"duplicate tag", "p=" + k1024 + "; p=" + k1024, "p"},
		{"not tag=value", "v=DKIM1; rsa; p=" + k1024, ""},
		{"bad tag name", "v=DKIM1; 1k=rsa; p=" + k1024, ""},
		{"control character", "v=DKIM1; n=a\x00b; p=" + k1024, "n"},
		{"bad base64", "p=MIIB!!!", "p"},
		{"not a key", "p=" + base64.StdEncoding.EncodeToString([]byte("hello, world")), "p"},
		{"rsa tag, ed25519 key", "k=rsa; p=" + edPKIX, "p"},
		{"ed25519 short", "k=ed25519; p=" + base64.StdEncoding.EncodeToString(make([]byte, 31)), "p"},
		{"ed25519 given as pkix", "k=ed25519; p=" + edPKIX, "p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseKey = %+v, %v; want a *SyntaxError", k, err)
			}
			if se.Tag != tt.tag {
				t.Errorf("error names tag %q, want %q (%v)", se.Tag, tt.tag, err)
			}
		})
	}
}

func TestIsRecord(t *testing.T) {
	for in, want := range map[string]bool{
		"v=DKIM1; p=abc":             true,
		"k=rsa; p=MIGf":              true,
		"v=DKIM1; garbage":           true,
		"v=spf1 -all":                false,
		"google-site-verification=x": false,
		"":                           false,
		"broken; p=":                 true,
	} {
		if got := IsRecord(in); got != want {
			t.Errorf("IsRecord(%q) = %v, want %v", in, got, want)
		}
	}
}

func FuzzDKIMParseKey(f *testing.F) {
	keys := rsaKeys()
	f.Add("v=DKIM1; k=rsa; p=" + pkix(f, keys[1024]))
	f.Add("p=" + pkix(f, keys[512]))
	f.Add("v=DKIM1; p=" + base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(keys[1024])))
	f.Add("v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	f.Add("v=DKIM1; h=sha256; s=email; t=y:s; n=x; p=")
	f.Add("v=DKIM1;; p= MIGf MA0G ;")
	f.Add("k=rsa; v=DKIM1; p=x")
	f.Add("p=a; p=b")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseKey(%q): error %v is not a *SyntaxError", s, err)
			}
			return
		}
		if k.Revoked {
			return
		}
		// Round trip: the decoded key, published again in canonical form,
		// reads back the same.
		var p string
		switch pub := k.PublicKey.(type) {
		case *rsa.PublicKey:
			p = pkix(t, pub)
		case ed25519.PublicKey:
			p = base64.StdEncoding.EncodeToString(pub)
		default:
			t.Fatalf("ParseKey(%q): PublicKey is %T", s, pub)
		}
		again, err := ParseKey("v=DKIM1; k=" + k.Algorithm + "; p=" + p)
		if err != nil {
			t.Fatalf("re-encoded key of %q does not parse: %v", s, err)
		}
		if again.Algorithm != k.Algorithm || again.Bits != k.Bits {
			t.Fatalf("round trip of %q: %s %d, then %s %d", s, k.Algorithm, k.Bits, again.Algorithm, again.Bits)
		}
	})
}
