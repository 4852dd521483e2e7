package bot

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	clk := newClock()
	l := newLimiter(10, clk.Now)
	for i := range 10 {
		if ok, _ := l.allow("U1"); !ok {
			t.Fatalf("check %d of 10 refused", i+1)
		}
	}
	ok, wait := l.allow("U1")
	if ok || wait != 6*time.Second {
		t.Errorf("11th check: allowed %v, wait %s; want refused, 6s", ok, wait)
	}
	if ok, _ := l.allow("U2"); !ok {
		t.Error("another user was limited")
	}
	clk.Advance(6 * time.Second)
	if ok, _ := l.allow("U1"); !ok {
		t.Error("refused after waiting")
	}
	off := newLimiter(-1, clk.Now)
	for range 1000 {
		if ok, _ := off.allow("U1"); !ok {
			t.Fatal("a disabled limiter refused")
		}
	}
}
