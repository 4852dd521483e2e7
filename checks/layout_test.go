package checks_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// testSupport are the module's packages made for tests (and the demo):
// the engine's production code must not import them.
var testSupport = []string{
	"github.com/pcmhosting/mailsetup/lab",
	"github.com/pcmhosting/mailsetup/internal/dnstest",
}

// TestEngineImportsNoLab keeps checks/ what runs in production: no
// non-test file under it imports the lab, its scenario catalog or the
// DNS test helper (tests may).
func TestEngineImportsNoLab(t *testing.T) {
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		files++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			for _, s := range testSupport {
				if p == s || strings.HasPrefix(p, s+"/") {
					t.Errorf("checks/%s imports %s, which is for tests", filepath.ToSlash(path), p)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no Go file found under checks/")
	}
}
