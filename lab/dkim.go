package lab

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"sync"
)

// dkimBits is the size of the lab's DKIM key: 2048, the size RFC 8301 §3.2
// asks signers to use, so a correct checker raises no dkim.weak_key.
const dkimBits = 2048

// dkimRecord returns the DKIM key record (RFC 6376 §3.6.1) every healthy
// scenario publishes at default._domainkey. The key is generated once per
// process: a 2048-bit RSA key takes a good fraction of a second, and no
// lab ever signs with it.
var dkimRecord = sync.OnceValues(func() (string, error) {
	key, err := rsa.GenerateKey(rand.Reader, dkimBits)
	if err != nil {
		return "", fmt.Errorf("lab: DKIM key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", fmt.Errorf("lab: DKIM key: %w", err)
	}
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der), nil
})
