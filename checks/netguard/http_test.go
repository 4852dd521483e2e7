package netguard

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// connCounter counts the connections an httptest server accepts.
type connCounter struct{ n atomic.Int64 }

func (c *connCounter) hook(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		c.n.Add(1)
	}
}

func TestHTTPClientRefusesLoopback(t *testing.T) {
	var conns connCounter
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = conns.hook
	srv.Start()
	defer srv.Close()

	c := guarded(nil).HTTPClient(nil, 0)
	resp, err := c.Get(srv.URL + "/")
	if err == nil {
		resp.Body.Close()
		t.Fatal("request to loopback went through")
	}
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("error %v, want ErrForbidden", err)
	}

	// The sentinel: once the server has seen an allowed request, it had
	// seen any connection made before it.
	allowed := (&Dialer{AllowPrivate: true}).HTTPClient(nil, 0)
	resp, err = allowed.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	resp.Body.Close()
	if string(body) != "ok" {
		t.Errorf("body %q, want ok", body)
	}
	if got := conns.n.Load(); got != 1 {
		t.Errorf("server accepted %d connections, want 1 (the allowed request's)", got)
	}
}

// TestHTTPClientRedirectToLoopback: a public-looking first hop cannot
// redirect the client into the private network: every hop is dialled by
// the guard.
func TestHTTPClientRedirectToLoopback(t *testing.T) {
	var conns connCounter
	target := httptest.NewUnstartedServer(http.NotFoundHandler())
	target.Config.ConnState = conns.hook
	target.Start()
	defer target.Close()
	first := httptest.NewServer(http.RedirectHandler(target.URL+"/secret", http.StatusFound))
	defer first.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(first.URL, "http://"))

	// Both servers are on loopback: let the first hop alone through, as
	// if it were a public server.
	d := guarded(nil)
	c := d.HTTPClient(nil, 0)
	c.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if addr == "127.0.0.1:"+port {
			return (&Dialer{AllowPrivate: true}).DialContext(ctx, network, addr)
		}
		return d.DialContext(ctx, network, addr)
	}
	resp, err := c.Get(first.URL)
	if err == nil {
		resp.Body.Close()
		t.Fatal("redirect to loopback followed")
	}
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("error %v, want ErrForbidden", err)
	}
	if got := conns.n.Load(); got != 0 {
		t.Errorf("redirect target accepted %d connections, want 0", got)
	}
}

func TestHTTPClientRedirects(t *testing.T) {
	var mu sync.Mutex
	var hits []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = append(hits, r.URL.Path)
		mu.Unlock()
		n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		if r.URL.Query().Get("stop") == strconv.Itoa(n) {
			io.WriteString(w, "done")
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/%d?%s", n+1, r.URL.RawQuery), http.StatusFound)
	}))
	defer srv.Close()
	c := (&Dialer{AllowPrivate: true}).HTTPClient(nil, 0)

	t.Run("three followed", func(t *testing.T) {
		resp, err := c.Get(srv.URL + "/0?stop=3")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	t.Run("fourth refused", func(t *testing.T) {
		mu.Lock()
		hits = nil
		mu.Unlock()
		resp, err := c.Get(srv.URL + "/0?stop=99")
		if err == nil {
			resp.Body.Close()
			t.Fatal("endless redirects followed")
		}
		mu.Lock()
		defer mu.Unlock()
		if len(hits) != MaxRedirects+1 {
			t.Errorf("server hit %d times (%v), want %d", len(hits), hits, MaxRedirects+1)
		}
	})
}

func TestHTTPClientTLSRoots(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "secure")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	d := &Dialer{AllowPrivate: true}

	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	resp, err := d.HTTPClient(roots, 0).Get(srv.URL)
	if err != nil {
		t.Fatalf("with the server's root: %v", err)
	}
	resp.Body.Close()

	_, err = d.HTTPClient(x509.NewCertPool(), 0).Get(srv.URL)
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("with no root: error %v, want x509.UnknownAuthorityError", err)
	}
}

func TestHTTPClientSettings(t *testing.T) {
	c := guarded(nil).HTTPClient(nil, 0)
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("transport %T", c.Transport)
	}
	if tr.Proxy != nil {
		t.Error("the transport takes a proxy: the environment's HTTP_PROXY would move the dial out of the guard")
	}
	if tr.DialContext == nil || tr.DialTLSContext != nil || tr.DialTLS != nil || tr.Dial != nil { //nolint:staticcheck // Dial and DialTLS are checked unset
		t.Error("the transport must dial through the guard only")
	}
	if c.Timeout != lookup.DefaultTimeout || tr.TLSHandshakeTimeout != lookup.DefaultTimeout || tr.ResponseHeaderTimeout != lookup.DefaultTimeout {
		t.Errorf("timeouts %v %v %v, want %v", c.Timeout, tr.TLSHandshakeTimeout, tr.ResponseHeaderTimeout, lookup.DefaultTimeout)
	}
}
