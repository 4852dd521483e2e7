package bot

import (
	"fmt"
	"testing"
	"time"
)

func TestRecentStore(t *testing.T) {
	s := newRecentStore()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxRecent + 5 {
		s.add("U1", recentCheck{Domain: fmt.Sprintf("d%d.example", i), At: at.Add(time.Duration(i) * time.Second)})
	}
	got := s.list("U1")
	if len(got) != maxRecent || got[0].Domain != fmt.Sprintf("d%d.example", maxRecent+4) {
		t.Errorf("kept %d, newest %q", len(got), got[0].Domain)
	}
	for i := range maxHomes + 1 {
		s.add(fmt.Sprintf("V%d", i), recentCheck{Domain: "x", At: at.Add(time.Hour + time.Duration(i)*time.Second)})
	}
	if len(s.byUser) != maxHomes {
		t.Errorf("%d users kept, want %d", len(s.byUser), maxHomes)
	}
	if len(s.list("U1")) != 0 {
		t.Error("the least recent user was not forgotten")
	}
}
