package bot

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBudget(t *testing.T) {
	clk := newClock()
	b := newBudget(clk.Now)
	var got []bool
	for range 6 {
		got = append(got, b.take("https://hooks.example/1"))
	}
	if diff := cmp.Diff([]bool{true, true, true, true, true, false}, got); diff != "" {
		t.Errorf("posts allowed (-want +got):\n%s", diff)
	}
	if !b.take("https://hooks.example/2") {
		t.Error("another response_url has its own budget")
	}
	b.spend("https://hooks.example/2")
	if b.take("https://hooks.example/2") {
		t.Error("a spent response_url was used again")
	}
	if !b.take("https://hooks.example/3") {
		t.Fatal("fresh url refused")
	}
	clk.Advance(31 * time.Minute)
	if b.take("https://hooks.example/3") {
		t.Error("a response_url older than 30 minutes was used")
	}
}
