package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestCutSection(t *testing.T) {
	tests := []struct {
		name, data          string
		head, section, tail string
		wantErr             bool
	}{
		{"lines between", "a\n<!-- B x -->\nold 1\nold 2\n<!-- E -->\nz\n", "a\n<!-- B x -->\n", "old 1\nold 2\n", "<!-- E -->\nz\n", false},
		{"empty", "<!-- B -->\n<!-- E -->\n", "<!-- B -->\n", "", "<!-- E -->\n", false},
		{"no begin", "a\n<!-- E -->\n", "", "", "", true},
		{"no end", "<!-- B -->\nold\n", "", "", "", true},
		{"end before begin", "<!-- E -->\n<!-- B -->\nx\n", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head, section, tail, err := cutSection([]byte(tt.data), []byte("<!-- B"), []byte("<!-- E"))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want an error: %v", err, tt.wantErr)
			}
			if string(head) != tt.head || string(section) != tt.section || string(tail) != tt.tail {
				t.Errorf("= %q, %q, %q; want %q, %q, %q", head, section, tail, tt.head, tt.section, tt.tail)
			}
		})
	}
}

// TestCheckSectionUpdate: -update rewrites the section only.
func TestCheckSectionUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(path, []byte("# doc\n<!-- B -->\nold\n<!-- E -->\nend\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(was bool) { *update = was }(*update)
	*update = true
	CheckSection(t, path, "<!-- B", "<!-- E", []byte("new 1\nnew 2\n"))
	*update = false
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# doc\n<!-- B -->\nnew 1\nnew 2\n<!-- E -->\nend\n"; string(got) != want {
		t.Errorf("file = %q, want %q", got, want)
	}
	CheckSection(t, path, "<!-- B", "<!-- E", []byte("new 1\nnew 2\n")) // now equal: no failure
}
