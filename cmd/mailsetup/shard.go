package main

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
)

// maxShards bounds N in --shard I/N; a Kubernetes indexed Job allows up
// to 100 000 completions, a mail provider's list needs far fewer.
const maxShards = 10000

// shard is this process's share of a --file list (--shard I/N): the
// domains whose hash is I modulo N. The zero shard takes everything.
//
// The split depends on the domain only, not on the line's position, so
// N processes reading the same list in any order check every domain
// exactly once between them, and a domain stays in the same shard from
// one night to the next (its history lines up in the logs).
type shard struct {
	index, count int
}

// parseShard reads "I/N", 0 ≤ I < N.
func parseShard(s string) (shard, error) {
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return shard{}, fmt.Errorf("%q: want I/N, e.g. 0/4 (in a Kubernetes indexed Job, $(JOB_COMPLETION_INDEX)/N)", s)
	case count < 1 || count > maxShards:
		return shard{}, fmt.Errorf("%q: N must be from 1 to %d", s, maxShards)
	case index < 0 || index >= count:
		return shard{}, fmt.Errorf("%q: I must be from 0 to N-1 (%d)", s, count-1)
	}
	return shard{index: index, count: count}, nil
}

func (s shard) String() string {
	if s.count == 0 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.index, s.count)
}

// owns reports whether a line of the list is this shard's. The key is
// the domain as the checks will see it (lower case, punycode, no
// trailing dot; the domain of an address), so "Client.COM",
// "client.com." and "jane@client.com" land together; a line that is not
// a valid target is keyed by its lower-cased text, so exactly one shard
// reports it as invalid.
func (s shard) owns(line string, allowPrivate bool) bool {
	if s.count <= 1 {
		return true
	}
	key := strings.ToLower(line)
	if t, err := checks.ParseTarget(line, allowPrivate); err == nil {
		key = t.Domain
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32()%uint32(s.count)) == s.index
}
