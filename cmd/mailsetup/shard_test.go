package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
)

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want shard
		err  string
	}{
		{"0/1", shard{0, 1}, ""},
		{"3/4", shard{3, 4}, ""},
		{"9999/10000", shard{9999, 10000}, ""},
		{"4/4", shard{}, "I must be from 0 to N-1 (3)"},
		{"-1/4", shard{}, "I must be from 0 to N-1"},
		{"0/0", shard{}, "N must be from 1"},
		{"0/10001", shard{}, "N must be from 1 to 10000"},
		{"1", shard{}, "want I/N"},
		{"/4", shard{}, "want I/N"},
		{"$(JOB_COMPLETION_INDEX)/4", shard{}, "want I/N"},
		{"1/ 4", shard{}, "want I/N"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseShard(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("parseShard(%q) = %v, %v; want error %q", tc.in, got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

// shardList is a list as operators have them: mixed case, trailing dots,
// addresses, comments' neighbours, invalid lines.
func shardList() []string {
	var list []string
	for i := range 300 {
		list = append(list, fmt.Sprintf("client-%03d.example", i))
	}
	return append(list, "Client-007.EXAMPLE", "client-008.example.", "jane@client-009.example", "not a domain", "192.0.2.1", "bücher.example")
}

// TestShardSplitsExactly: for N from 1 to 7 and lists in any order,
// every line belongs to exactly one shard, spellings of one domain to the
// same one, and no shard is empty.
func TestShardSplitsExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 7; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			list := shardList()
			rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
			owner := map[string]int{} // normalised key → shard
			sizes := make([]int, n)
			for _, line := range list {
				owners := 0
				for i := range n {
					if (shard{i, n}).owns(line, false) {
						owners++
						sizes[i]++
						key := strings.ToLower(line)
						if tg, err := checks.ParseTarget(line, false); err == nil {
							key = tg.Domain
						}
						if prev, ok := owner[key]; ok && prev != i {
							t.Errorf("%q in shard %d, its domain in shard %d", line, i, prev)
						}
						owner[key] = i
					}
				}
				if owners != 1 {
					t.Errorf("%q belongs to %d shards", line, owners)
				}
			}
			for i, s := range sizes {
				if s == 0 {
					t.Errorf("shard %d/%d is empty", i, n)
				}
			}
		})
	}
	if !(shard{}).owns("anything", false) {
		t.Error("the zero shard refuses a line")
	}
}

// TestShardCLI: N runs of "check --file --shard I/N" over one list
// check every domain once between them.
func TestShardCLI(t *testing.T) {
	startLab(t)
	var list []string
	for i := range 24 {
		list = append(list, fmt.Sprintf("s%02d.lab.test", i))
	}
	const n = 3
	var seen []string
	total := 0
	for i := range n {
		args := append([]string{"check", "--file", "-", "--shard", fmt.Sprintf("%d/%d", i, n)}, labArgs(t, "nxdomain")...)
		var stdout, stderr syncbuf.Buffer
		run(context.Background(), args, strings.NewReader(strings.Join(list, "\n")), &stdout, &stderr, env())
		sc := bufio.NewScanner(strings.NewReader(stdout.String()))
		count := 0
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) > 0 && strings.HasSuffix(f[0], ".lab.test") {
				seen = append(seen, f[0])
				count++
			}
		}
		if !strings.Contains(stdout.String(), fmt.Sprintf("%d domains:", count)) {
			t.Errorf("shard %d: summary does not count its %d domains:\n%s", i, count, stdout.String())
		}
		total += count
	}
	if diff := cmp.Diff(list, slices.Sorted(slices.Values(seen))); diff != "" {
		t.Errorf("domains checked over %d shards (-want +got):\n%s", n, diff)
	}
}

// FuzzParseShard: whatever the flag's value, a shard accepted is usable.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "4/4", "-1/2", "x/y", "", "/", "1/0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := parseShard(in)
		if err != nil {
			return
		}
		if s.index < 0 || s.index >= s.count || s.count > maxShards {
			t.Fatalf("parseShard(%q) = %+v", in, s)
		}
		if back, err := parseShard(s.String()); err != nil || back != s {
			t.Fatalf("round trip of %q: %+v %v", in, back, err)
		}
	})
}
