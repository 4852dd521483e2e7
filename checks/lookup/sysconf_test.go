package lookup

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
)

func TestServerFromFile(t *testing.T) {
	tests := []struct {
		name    string
		conf    string
		want    string
		wantErr error
	}{
		{"first", "search example.test\nnameserver 192.0.2.53\nnameserver 192.0.2.54\n", "192.0.2.53:53", nil},
		{"IPv6", "nameserver 2001:db8::53\n", "[2001:db8::53]:53", nil},
		{"zone", "nameserver fe80::1%eth0\n", "[fe80::1%eth0]:53", nil},
		{"names skipped", "nameserver dns.example.test\nnameserver 127.0.0.53\n", "127.0.0.53:53", nil},
		{"none", "# nothing\nsearch example.test\n", "", ErrNoNameserver},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "resolv.conf")
			if err := os.WriteFile(p, []byte(tt.conf), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := serverFromFile(p)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("server = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := serverFromFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v, want os.ErrNotExist", err)
	}
}

// TestSystemServer: whatever this machine's resolv.conf says, the answer
// is a host:port or a wrapped, explained error.
func TestSystemServer(t *testing.T) {
	s, err := SystemServer()
	if err != nil {
		if !errors.Is(err, ErrNoNameserver) && !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("error %v, want ErrNoNameserver or os.ErrNotExist", err)
		}
		return
	}
	if _, _, err := net.SplitHostPort(s); err != nil {
		t.Errorf("SystemServer = %q: %v", s, err)
	}
}
