// Package golden compares a test's output with a file under testdata/,
// or with a generated section of a hand-written file (docs/contract.md),
// and rewrites the file instead when the test runs with -update:
//
//	go test ./messages/... ./bot/blockkit/... -update
//
// Review the diff of testdata/ before committing what -update wrote.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// update is registered in every test binary that imports the package.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Check compares got with testdata/name, or writes got there with -update.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// CheckSection compares got with the lines of the file at path between
// the line holding begin and the next line holding end (a generated
// section of a hand-written document), or writes got there with
// -update, leaving the rest of the file as it is.
func CheckSection(t testing.TB, path, begin, end string, got []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, section, tail, err := cutSection(data, []byte(begin), []byte(end))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if *update {
		out := slices.Concat(head, got, tail)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(string(section), string(got)); diff != "" {
		t.Errorf("%s: the section after %q differs (-want +got; go test -update rewrites it):\n%s", path, begin, diff)
	}
}

// cutSection splits data into what ends with the begin marker's line,
// the lines between, and what starts with the end marker's line.
func cutSection(data, begin, end []byte) (head, section, tail []byte, err error) {
	i := bytes.Index(data, begin)
	if i < 0 {
		return nil, nil, nil, fmt.Errorf("no line holds %q", begin)
	}
	nl := bytes.IndexByte(data[i:], '\n')
	if nl < 0 {
		return nil, nil, nil, fmt.Errorf("nothing follows %q", begin)
	}
	start := i + nl + 1
	j := bytes.Index(data[start:], end)
	if j < 0 {
		return nil, nil, nil, fmt.Errorf("no line after %q holds %q", begin, end)
	}
	stop := start + bytes.LastIndexByte(data[start:start+j], '\n') + 1
	return data[:start], data[start:stop], data[stop:], nil
}
