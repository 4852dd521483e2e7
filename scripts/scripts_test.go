// Package scripts_test tests the shell scripts of scripts/ that CI runs.
package scripts_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo makes a git repository in a temporary directory holding files
// (path → content; a path ending in "*" is committed executable).
func gitRepo(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	for name, data := range files {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, "*") {
			name, mode = strings.TrimSuffix(name, "*"), 0o755
		}
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, mode); err != nil {
			t.Fatal(err)
		}
	}
	git("add", "-A")
	return dir
}

// TestCheckTrackedFiles: the hygiene check passes on sources and scripts
// and fails on every kind of build output.
func TestCheckTrackedFiles(t *testing.T) {
	for _, bin := range []string{"bash", "git", "od"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	script, err := filepath.Abs("check-tracked-files.sh")
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte("a"), 1<<20+1)
	clean := map[string][]byte{
		"main.go":              []byte("package main\n"),
		"run.sh*":              []byte("#!/bin/sh\necho hi\n"),
		"pkg/testdata/big.txt": big,
		"README.md":            []byte("# a readme\n"),
	}
	tests := []struct {
		name  string
		extra map[string][]byte
		want  string // "" for success, else a line of the failure
	}{
		{"clean", nil, ""},
		{"elf", map[string][]byte{"tmpimp": []byte("\x7fELF\x02\x01\x01")}, "tracked binary executable (ELF): tmpimp"},
		{"macho", map[string][]byte{"tool": []byte("\xcf\xfa\xed\xfe\x07")}, "(Mach-O): tool"},
		{"pe", map[string][]byte{"tool.exe": []byte("MZ\x90\x00\x03")}, "(PE): tool.exe"},
		{"exec bit", map[string][]byte{"notes.txt*": []byte("just text\n")}, "executable bit on a file that is not a script: notes.txt"},
		{"large", map[string][]byte{"dump.json": big}, "larger than 1048576 bytes outside testdata/: dump.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range clean {
				files[k] = v
			}
			for k, v := range tt.extra {
				files[k] = v
			}
			dir := gitRepo(t, files)
			out, err := exec.Command("bash", script, dir).CombinedOutput()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("failed on a clean tree: %v\n%s", err, out)
				}
				return
			}
			if err == nil {
				t.Fatalf("passed, want a failure naming %q:\n%s", tt.want, out)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, out)
			}
		})
	}
}
