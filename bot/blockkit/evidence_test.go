package blockkit

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

// TestCertificateOnce: the certificate behind five ports is described
// once in the blocks, its fields labelled in the report's language; the
// raw detail was repeated under every port.
func TestCertificateOnce(t *testing.T) {
	for lang, label := range map[messages.Lang]string{messages.FR: "émetteur : `R11`", messages.EN: "issuer: `R11`"} {
		b, err := json.Marshal(Render(messages.NewView(sample.CertExpired(), lang), Options{}))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if n := strings.Count(s, "R11"); n != 1 {
			t.Errorf("%s: the issuer appears %d times, want once", lang, n)
		}
		if !strings.Contains(s, label) || strings.Contains(s, "subject=") {
			t.Errorf("%s: want %q and no raw labels in %s", lang, label, s)
		}
	}
}
