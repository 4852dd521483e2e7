package propagation

import (
	"sort"
	"strings"
	"time"
)

// newer reports whether serial a is newer than b in RFC 1982 serial
// number arithmetic: serials wrap around at 2^32.
func newer(a, b uint32) bool { return a != b && int32(a-b) > 0 }

// compare fills the report's SerialsDiffer, Differences and Stale from
// the servers that answered with authority. A server that did not answer,
// or a set it could not tell, takes no part: a timeout is never a
// disagreement.
func compare(rep *Report) {
	var ok []*Server
	for i := range rep.Servers {
		if rep.Servers[i].State == StateOK {
			ok = append(ok, &rep.Servers[i])
		}
	}
	if len(ok) == 0 {
		return
	}
	fresh := ok[0]
	for _, s := range ok[1:] {
		if newer(s.Serial, fresh.Serial) {
			fresh = s
		}
	}
	for _, s := range ok {
		if s.Serial != fresh.Serial {
			rep.SerialsDiffer = true
		}
	}
	for _, kind := range Kinds[1:] {
		if d, ok := differ(kind, ok); ok {
			rep.Differences = append(rep.Differences, d)
		}
		if st, ok := stale(kind, rep.Resolver[kind], ok, fresh); ok {
			rep.Stale = append(rep.Stale, st)
		}
	}
}

// differ groups the servers by the set of kind they serve.
func differ(kind Kind, servers []*Server) (Difference, bool) {
	var variants []Variant
	index := map[string]int{}
	for _, s := range servers {
		set, ok := s.Records[kind]
		if !ok || !set.Known() {
			continue
		}
		key := strings.Join(set.Values, "\n")
		i, seen := index[key]
		if !seen {
			i = len(variants)
			index[key] = i
			variants = append(variants, Variant{Values: set.Values, Serial: s.Serial})
		}
		v := &variants[i]
		v.Servers = append(v.Servers, s.Name)
		if newer(s.Serial, v.Serial) {
			v.Serial = s.Serial
		}
	}
	if len(variants) < 2 {
		return Difference{}, false
	}
	sort.SliceStable(variants, func(i, j int) bool { return newer(variants[i].Serial, variants[j].Serial) })
	return Difference{Kind: kind, Variants: variants}, true
}

// stale compares the resolver's set with the freshest server's.
func stale(kind Kind, res RRSet, servers []*Server, fresh *Server) (Stale, bool) {
	if res.Name == "" || !res.Known() {
		return Stale{}, false
	}
	var ref *RRSet
	for _, s := range append([]*Server{fresh}, servers...) {
		if s.Serial != fresh.Serial {
			continue
		}
		if set, ok := s.Records[kind]; ok && set.Known() {
			ref = &set
			break
		}
	}
	if ref == nil {
		return Stale{}, false
	}
	seen := res
	if ref.Partial {
		// The server's answer stops at an alias leaving its zone:
		// compare the aliases only.
		seen.Values = nil
		for _, v := range res.Values {
			if strings.HasPrefix(v, "CNAME ") {
				seen.Values = append(seen.Values, v)
			}
		}
	}
	if seen.Same(*ref) {
		return Stale{}, false
	}
	st := Stale{Kind: kind, Resolver: res, Authoritative: *ref}
	for _, s := range servers {
		if set, ok := s.Records[kind]; ok && set.Known() && set.Same(seen) {
			st.SameAs = append(st.SameAs, s.Name)
		}
	}
	switch {
	case res.TTL > 0:
		st.Within = time.Duration(res.TTL) * time.Second
	case fresh.SOA != nil:
		// A cached "none" lives min(SOA TTL, SOA minimum) (RFC 2308 §5).
		st.Within = time.Duration(min(fresh.SOA.Hdr.Ttl, fresh.SOA.Minttl)) * time.Second
	}
	return st, true
}
