package lab

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strings"

	"github.com/pcmhosting/mailsetup/checks/platform"
)

// The lab's own hosting platform, the provider profile every scenario is
// checked against: its servers are 127.0.0.1 ("ours"), they send from
// 127.0.0.1, customers authorise them with include:_spf.lab.test, they
// sign with the selector "lab", and customers' MX and name servers
// are mx.<domain> and ns.lab.test. A scenario whose servers are another
// provider's listens on otherIP, outside those ranges: a second loopback
// address, so the lab still never leaves the machine.
const (
	labProvider = "Lab Hosting"
	labSPFName  = "_spf." + Zone
	labSPFTerm  = "include:" + labSPFName
	// labDKIMSelector is the selector the lab platform signs with,
	// published beside default (which scenarios about DKIM vary).
	labDKIMSelector = "lab"
)

var (
	ourIP   = net.IPv4(127, 0, 0, 1)
	otherIP = net.IPv4(127, 0, 0, 2)
)

// labSPFRecord is the record behind labSPFTerm: our outgoing addresses,
// 127.0.0.1 and those of the smtp.outgoing scenarios (reputation.go).
const labSPFRecord = "v=spf1 ip4:127.0.0.1 ip4:127.0.0.10 ip4:127.0.0.11 ip4:127.0.0.12 ip4:127.0.0.13 -all"

// otherDKIM is a key that is not the platform's: an ed25519 public key
// (RFC 8463), 32 octets, published by a scenario whose key at our
// selector is someone else's.
var otherDKIM = "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString([]byte("not the lab platform's signing k"))

// labProfile is the provider profile of the lab's platform, as a file
// would give it (docs: deploy/profile.example.yaml); dkim is the record
// the platform publishes at its selector, whose key's hash the profile
// holds.
func labProfile(dkim string) string {
	p := strings.TrimSpace(dkim[strings.Index(dkim, "p=")+2:])
	der, _ := base64.StdEncoding.DecodeString(p)
	sum := sha256.Sum256(der)
	return fmt.Sprintf(`provider: %s
ranges: [127.0.0.1/32]
mx: ["mx.{domain}"]
name_servers: [ns.%s]
outgoing: [127.0.0.1]
spf: %s
dkim:
  - selector: %s
    sha256: "%s"
`, labProvider, Zone, labSPFTerm, labDKIMSelector, hex.EncodeToString(sum[:]))
}

// Platform returns the lab platform's provider profile, for a checker
// that judges lab domains as the lab's own provider does. dkim is the
// lab's DKIM key record.
func labPlatform(dkim string) (*platform.Platform, error) {
	p, err := platform.Parse([]byte(labProfile(dkim)))
	if err != nil {
		return nil, fmt.Errorf("lab: its own profile: %w", err)
	}
	return p, nil
}
