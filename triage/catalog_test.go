package triage

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestCatalogLoads loads every embedded catalog file: a bad line, an
// unknown cause, check or finding code, or a duplicate fails it.
func TestCatalogLoads(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(catalogFS, "catalog")
	names, _ := fs.Glob(sub, "*.tsv")
	sources := map[string]int{}
	for _, e := range c.Entries() {
		sources[e.Source]++
	}
	for _, n := range names {
		if s := strings.TrimSuffix(n, ".tsv"); n != causesFile && sources[s] == 0 {
			t.Errorf("%s has no entry", n)
		}
	}
	t.Logf("%d causes, %d entries in %d files", len(c.causes), len(c.entries), len(names))
}

// TestCatalogRejects shows each kind of bad line is reported with its
// file and line.
func TestCatalogRejects(t *testing.T) {
	causes := "a.b\t5.1\tcustomer\tours\tsmtp.465\ttcp.refused\tworks\n"
	for _, tc := range []struct{ name, causes, file, want string }{
		{"fields", causes, "text\tsome words\n", "x.tsv:1: want 3 or 4"},
		{"kind", causes, "regex\tsome words\ta.b\n", `unknown kind "regex"`},
		{"cause", causes, "text\tsome words\tc.d\n", `unknown cause "c.d"`},
		{"check", causes, "text\tsome words\ta.b\tsmtp.2525\n", `unknown check "smtp.2525"`},
		{"narrow", causes, "text\tsome words\ta.b\timap.993\n", "not one of cause a.b's checks"},
		{"status", causes, "status\t5.9.1\ta.b\n", "bad enhanced status code"},
		{"reply", causes, "reply\t55\ta.b\n", "bad reply code"},
		{"case", causes, "text\tSome Words\ta.b\n", "must be lower case"},
		{"accent", causes, "text\tla connexion a échoué\ta.b\n", "unaccented"},
		{"duplicate", causes, "text\tsome words\ta.b\n~text\tsome words\ta.b\n", `x.tsv:2: text "some words" already in x.tsv:1`},
		{"unused", causes + "c.d\t-\thost\tours\t-\t-\t-\n", "text\tsome words\ta.b\n", "cause c.d has no entry"},
		{"code", "a.b\t5.1\tcustomer\tours\tsmtp.465\ttcp.nope\t-\n", "text\tsome words\ta.b\n", `unknown finding code "tcp.nope"`},
		{"section", "a.b\t7\tcustomer\tours\t-\t-\t-\n", "text\tsome words\ta.b\n", `unknown section "7"`},
		{"twice", causes + causes, "text\tsome words\ta.b\n", "cause a.b defined twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{
				causesFile: {Data: []byte(tc.causes)},
				"x.tsv":    {Data: []byte(tc.file)},
			})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load: %v, want an error with %q", err, tc.want)
			}
		})
	}
}
