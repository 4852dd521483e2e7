package bot

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSeenSet(t *testing.T) {
	s := newSeenSet(3)
	var got []bool
	for _, id := range []string{"a", "b", "a", "c", "d", "a", "d"} {
		got = append(got, s.add(id))
	}
	// "a" is forgotten once three newer ids came.
	if diff := cmp.Diff([]bool{false, false, true, false, false, false, true}, got); diff != "" {
		t.Errorf("seen (-want +got):\n%s", diff)
	}
}
