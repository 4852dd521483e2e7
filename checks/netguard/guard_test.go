package netguard

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// banned lists, by import path, the names that open a connection (or a
// transport that will) without the guard. A name ending in "*" bans every
// name with that prefix.
var banned = map[string][]string{
	"net":                         {"Dial", "DialTimeout", "DialTCP", "DialUDP", "DialIP", "DialUnix", "Dialer"},
	"crypto/tls":                  {"Dial", "DialWithDialer", "Dialer"},
	"net/smtp":                    {"Dial*", "SendMail"},
	"net/http":                    {"Get", "Post", "Head", "PostForm", "DefaultClient", "DefaultTransport"},
	"golang.org/x/net/proxy":      {"Dial", "Direct", "FromEnvironment", "FromEnvironmentUsing", "FromURL", "SOCKS5"},
	"github.com/emersion/go-smtp": {"Dial*", "SendMail*"},
	"github.com/emersion/go-imap/v2/imapclient": {"DialTLS", "DialInsecure", "DialStartTLS"},
}

// defaultName is the package name of the import paths above, when the
// file does not rename them.
var defaultName = map[string]string{
	"github.com/emersion/go-smtp":               "smtp",
	"github.com/emersion/go-imap/v2/imapclient": "imapclient",
}

// skipDirs are the module's directories allowed to dial on their own:
// the guard itself, and the lab, which is a set of servers.
var skipDirs = map[string]bool{"checks/netguard": true, "lab": true}

// TestNoDialOutsideGuard keeps every connection of the product in the
// guard: no non-test file outside checks/netguard and lab/ may call
// the standard library's or the mail libraries' own dial functions, use
// the default HTTP client or transport, name net.Dialer or tls.Dialer
// (their zero values dial), or build an http.Transport that does not dial
// with a DialContext of its caller's (a checks.Dialer).
func TestNoDialOutsideGuard(t *testing.T) {
	root := moduleRoot(t)
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if path == root {
				return nil
			}
			name := d.Name()
			if skipDirs[rel] || name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		found, err := violations(rel, src)
		if err != nil {
			t.Errorf("%v (a file that does not parse cannot be vetted)", err)
		}
		for _, v := range found {
			t.Errorf("%s: every connection goes through checks/netguard", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatalf("no Go file found under %s", root)
	}
}

// moduleRoot is the nearest directory above the test's with a go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// violations returns "file:line: what" for each way src dials outside
// the guard.
func violations(filename string, src []byte) ([]string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	// Local package name -> import path.
	imports := map[string]string{}
	for _, imp := range f.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name := defaultName[path]
		if name == "" {
			name = path[strings.LastIndex(path, "/")+1:]
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = path
	}
	// pkgSel returns the import path and name of a qualified identifier.
	pkgSel := func(e ast.Expr) (string, string, bool) {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return "", "", false
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok {
			return "", "", false
		}
		path, ok := imports[x.Name]
		return path, sel.Sel.Name, ok
	}
	var out []string
	report := func(n ast.Node, format string, args ...any) {
		out = append(out, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), fmt.Sprintf(format, args...)))
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			path, name, ok := pkgSel(n)
			if !ok {
				return true
			}
			for _, b := range banned[path] {
				if name == b || (strings.HasSuffix(b, "*") && strings.HasPrefix(name, strings.TrimSuffix(b, "*"))) {
					report(n, "uses %s.%s", path, name)
				}
			}
		case *ast.CompositeLit:
			path, name, ok := pkgSel(n.Type)
			if !ok || path != "net/http" {
				return true
			}
			if name == "Transport" && !hasKey(n, "DialContext") {
				report(n, "builds an http.Transport without DialContext (it would dial with the default dialer)")
			}
			for _, key := range []string{"Dial", "DialTLS", "DialTLSContext"} {
				if name == "Transport" && hasKey(n, key) {
					report(n, "builds an http.Transport with its own %s", key)
				}
			}
		case *ast.CallExpr:
			if fn, ok := n.Fun.(*ast.Ident); ok && fn.Name == "new" && len(n.Args) == 1 {
				if path, name, ok := pkgSel(n.Args[0]); ok && path == "net/http" && name == "Transport" {
					report(n, "makes a new http.Transport (it would dial with the default dialer)")
				}
			}
		}
		return true
	})
	return out, nil
}

func hasKey(lit *ast.CompositeLit, key string) bool {
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok && id.Name == key {
				return true
			}
		}
	}
	return false
}

// TestViolations: the checker of TestNoDialOutsideGuard finds each way
// around the guard, and nothing in code that uses it.
func TestViolations(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"net.Dial", `package p; import "net"; func f() { net.Dial("tcp", "x:1") }`, []string{"x.go:1:37: uses net.Dial"}},
		{"renamed net", `package p; import stdnet "net"; func f() { stdnet.DialTimeout("tcp", "x:1", 0) }`, []string{"x.go:1:44: uses net.DialTimeout"}},
		{"net.Dialer literal", `package p; import "net"; var d = &net.Dialer{}`, []string{"x.go:1:35: uses net.Dialer"}},
		{"net.Dialer zero value", `package p; import "net"; var d net.Dialer`, []string{"x.go:1:32: uses net.Dialer"}},
		{"tls.Dial", `package p; import "crypto/tls"; func f() { tls.Dial("tcp", "x:1", nil) }`, []string{"x.go:1:44: uses crypto/tls.Dial"}},
		{"tls.DialWithDialer", `package p; import "crypto/tls"; func f() { tls.DialWithDialer(nil, "tcp", "x:1", nil) }`, []string{"x.go:1:44: uses crypto/tls.DialWithDialer"}},
		{"tls.Dialer", `package p; import "crypto/tls"; var d = tls.Dialer{}`, []string{"x.go:1:41: uses crypto/tls.Dialer"}},
		{"net/smtp", `package p; import "net/smtp"; func f() { smtp.Dial("x:25") }`, []string{"x.go:1:42: uses net/smtp.Dial"}},
		{"go-smtp", `package p; import "github.com/emersion/go-smtp"; func f() { smtp.DialStartTLS("x:587", nil) }`, []string{"x.go:1:61: uses github.com/emersion/go-smtp.DialStartTLS"}},
		{"imapclient", `package p; import "github.com/emersion/go-imap/v2/imapclient"; func f() { imapclient.DialTLS("x:993", nil) }`, []string{"x.go:1:75: uses github.com/emersion/go-imap/v2/imapclient.DialTLS"}},
		{"http.Get", `package p; import "net/http"; func f() { http.Get("http://x/") }`, []string{"x.go:1:42: uses net/http.Get"}},
		{"http.DefaultClient", `package p; import "net/http"; var c = http.DefaultClient`, []string{"x.go:1:39: uses net/http.DefaultClient"}},
		{"http.Transport without DialContext", `package p; import "net/http"; var tr = &http.Transport{}`, []string{"x.go:1:41: builds an http.Transport without DialContext (it would dial with the default dialer)"}},
		{"http.Transport with DialTLSContext", `package p; import "net/http"; var tr = &http.Transport{DialContext: nil, DialTLSContext: nil}`, []string{"x.go:1:41: builds an http.Transport with its own DialTLSContext"}},
		{"new http.Transport", `package p; import "net/http"; var tr = new(http.Transport)`, []string{"x.go:1:40: makes a new http.Transport (it would dial with the default dialer)"}},
		{"guarded", `package p
import (
	"crypto/tls"
	"net/http"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"
)
type dialer interface{ DialContext() }
func f(d dialer, conn any, tr http.RoundTripper) {
	d.DialContext()
	_ = tls.Client(nil, &tls.Config{})
	_ = &http.Client{Transport: tr}
	_ = &http.Transport{DialContext: nil}
	_ = smtp.NewClient(nil)
	_ = imapclient.New(nil, nil)
	var net struct{ Dial func() }
	net.Dial()
}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := violations("x.go", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := violations("x.go", []byte("package p; func (")); err == nil {
		t.Error("a file that does not parse passed")
	}
}
