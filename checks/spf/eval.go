package spf

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/miekg/dns"
	"golang.org/x/sync/errgroup"

	"github.com/pcmhosting/mailsetup/checks/lookup"
)

// The processing limits of RFC 7208 §4.6.4: beyond them a receiver
// returns permerror.
const (
	MaxLookups     = 10 // terms that query DNS: include, a, mx, ptr, exists, redirect
	MaxVoidLookups = 2  // lookups answered by NXDOMAIN or no data
)

// Bounds of the walk itself: once this many lookups are counted, or this
// deep, includes are no longer followed. The verdict is already clear
// (more than MaxLookups) and a hostile record cannot make us query
// without end.
const (
	walkLookupLimit = 20
	walkDepthLimit  = 10
	parallelQueries = 8
)

// ProblemKind says why a record met during an evaluation is unusable.
type ProblemKind string

// Problem kinds. At the evaluated domain, ProblemMissing means the
// domain publishes no SPF; under an include or redirect, every kind makes
// a receiver's evaluation end in permerror (§5.2, §6.1).
const (
	ProblemMissing  ProblemKind = "missing"  // no SPF record
	ProblemMultiple ProblemKind = "multiple" // more than one SPF record (§4.5)
	ProblemSyntax   ProblemKind = "syntax"   // the record does not parse
	ProblemLoop     ProblemKind = "loop"     // an include or redirect leads back to a domain being evaluated
	// ProblemInvalidName is a term whose target is not a name DNS can
	// be asked about: an empty label, a label over 63 octets, a name
	// over 253 (§4.3, RFC 1035 §2.3.4). CheckHost ends such an
	// evaluation in permerror (ErrInvalidTarget).
	ProblemInvalidName ProblemKind = "invalid_name"
	// ProblemMXLimit is an mx term whose target has more than
	// MaxAddressLookups MX hosts: "If this limit is exceeded, the "mx"
	// mechanism MUST produce a "permerror" result" (§4.6.4). The a
	// mechanism has no such limit.
	ProblemMXLimit ProblemKind = "mx_limit"
	// ProblemPTR is a ptr term: not an error, but §5.5 says the
	// mechanism SHOULD NOT be published. Reported in Evaluation.PTR.
	ProblemPTR ProblemKind = "ptr"
)

// Problem is one unusable record met during an evaluation.
type Problem struct {
	Kind ProblemKind
	// Domain is where the record was looked up.
	Domain string
	// Term is the include or redirect that led there ("include:x.net",
	// "redirect=x.net"), empty at the evaluated domain itself. For
	// ProblemInvalidName, ProblemMXLimit and ProblemPTR it is the term
	// of Domain's record at fault ("mx:big.example.com").
	Term string
	// Detail is the syntax error, the records found, "NXDOMAIN", why a
	// name is invalid, or the number of MX hosts.
	Detail string
	// Name is the target of the term at fault (ProblemInvalidName,
	// ProblemMXLimit), and Count the MX hosts it has (ProblemMXLimit).
	Name  string
	Count int
	// Records are the SPF records found: several for ProblemMultiple,
	// the invalid one for ProblemSyntax.
	Records []string
}

// Node is one record of the include tree.
type Node struct {
	// Term is the include or redirect that led here; empty at the root.
	Term   string
	Domain string
	// Record is the SPF record found, empty when none was usable.
	Record string
	// Lookups counts the DNS-querying terms of this record and of every
	// record below it, as §4.6.4 counts them. It is only meaningful when
	// Followed.
	Lookups int
	// Followed is false when the walk did not look the record up; Note
	// then says why ("macro", "loop", "limit").
	Followed bool
	// Note is "missing", "multiple", "syntax" when the record was
	// unusable, or why it was not followed.
	Note     string
	Children []*Node

	rec      *Record
	redirect bool
	depth    int
	path     []string // domains from the root down to this one
}

// String renders the tree on one line, the lookups of each record in
// parentheses: "client.com (3) → include:_spf.host.com (2) →
// include:_spf2.host.com (0)". Several children are grouped in braces and
// separated by "; ".
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	if n.Term == "" {
		b.WriteString(n.Domain)
	} else {
		b.WriteString(n.Term)
	}
	if n.Followed {
		b.WriteString(" (" + strconv.Itoa(n.Lookups) + ")")
	}
	if n.Note != "" {
		b.WriteString(" [" + n.Note + "]")
	}
	switch len(n.Children) {
	case 0:
	case 1:
		b.WriteString(" → ")
		n.Children[0].write(b)
	default:
		b.WriteString(" → {")
		for i, c := range n.Children {
			if i > 0 {
				b.WriteString("; ")
			}
			c.write(b)
		}
		b.WriteString("}")
	}
}

// Evaluation is what Evaluate found at a domain and below it.
type Evaluation struct {
	Domain string
	// Raw and Record are the domain's own SPF record, when it has exactly
	// one and it parses.
	Raw    string
	Record *Record
	// Lookups counts the DNS-querying terms of the whole evaluation
	// (§4.6.4); above MaxLookups a receiver returns permerror.
	Lookups int
	// VoidLookups counts lookups of those terms that found nothing
	// (NXDOMAIN or no data); above MaxVoidLookups, permerror. Only the
	// first terms of a record with more lookups than the walk follows
	// are looked up, so VoidLookups is then a lower bound.
	VoidLookups int
	// Truncated is set when the walk stopped following includes at its
	// own bounds; Lookups is then a lower bound.
	Truncated bool
	Tree      *Node
	Problems  []Problem
	// PTR lists the ptr terms met, in the evaluated record and below
	// (§5.5: SHOULD NOT be published).
	PTR []Problem
}

// Loop reports whether an include or redirect leads back to a domain
// already being evaluated: a receiver would count lookups without end.
func (e *Evaluation) Loop() bool {
	for _, p := range e.Problems {
		if p.Kind == ProblemLoop {
			return true
		}
	}
	return false
}

// All returns the "all" that ends an evaluation of the domain: the
// record's own or, when it has none, that of its redirect target (§6.1).
// found is false when no "all" applies (the default result is then
// neutral); known is false when that could not be told (no usable
// record, a redirect not followed).
func (e *Evaluation) All() (d Directive, found, known bool) {
	n := e.Final()
	if n == nil {
		return Directive{}, false, false
	}
	d, found = n.rec.All()
	return d, found, true
}

// Final returns the node whose record ends an evaluation of the domain:
// the domain's own when it has an "all" or no redirect, else the last
// record of its redirect chain (§6.1). That record is where a missing or
// weak "all" is to be fixed. It returns nil when that could not be told
// (no usable record, a redirect not followed).
func (e *Evaluation) Final() *Node {
	n := e.Tree
	for n != nil && n.rec != nil {
		if _, ok := n.rec.All(); ok || n.rec.Redirect == "" {
			return n
		}
		var next *Node
		for _, c := range n.Children {
			if c.redirect {
				next = c
			}
		}
		n = next
	}
	return nil
}

// Redirected reports whether the node was reached by a redirect=.
func (n *Node) Redirected() bool { return n.redirect }

// Evaluate fetches the SPF record of domain and walks its include and
// redirect terms as a receiver would, counting DNS-querying terms and
// void lookups (§4.6.4). Records of one level of the tree are fetched
// concurrently, then the targets of a, mx and exists are looked up to
// find void lookups; ptr and terms with macros are counted, not looked
// up. Each term counts once, as a receiver counts it, whatever the number
// of queries behind it.
//
// Problems of the records met (none, several, invalid, a loop) are data
// in the Evaluation. An error is returned only when the resolver failed,
// with the Evaluation holding what was seen so far.
func Evaluate(ctx context.Context, r lookup.Resolver, domain string) (*Evaluation, error) {
	domain = strings.TrimSuffix(strings.ToLower(domain), ".")
	root := &Node{Domain: domain, path: []string{domain}}
	ev := &Evaluation{Domain: domain, Tree: root}
	w := &walker{r: r, fetched: map[string]*fetched{}}

	var voids []termQuery
	total := 0
	level := []*Node{root}
	for len(level) > 0 {
		if err := w.fetchAll(ctx, level); err != nil {
			return ev, err
		}
		var next []*Node
		for _, n := range level {
			n.Followed = true
			f := w.fetched[n.Domain]
			if n != root && f.void {
				ev.VoidLookups++
			}
			rec, prob := pick(n, f)
			if prob != nil {
				n.Note = string(prob.Kind)
				ev.Problems = append(ev.Problems, *prob)
				continue
			}
			n.rec = rec
			if n == root {
				ev.Raw, ev.Record = n.Record, rec
			}
			total += rec.Lookups()
			for _, d := range rec.Directives {
				if d.Mechanism == MechPTR {
					ev.PTR = append(ev.PTR, Problem{Kind: ProblemPTR, Domain: n.Domain, Term: d.String()})
				}
				if ev.invalidName(n, d.String(), d.DomainSpec) {
					continue
				}
				// Past walkLookupLimit terms the verdict is clear (more
				// than MaxLookups) and a hostile record of thousands of
				// a, mx or exists terms must not make us send thousands
				// of questions: VoidLookups then counts the first ones.
				if q, ok := voidQueryOf(d, n.Domain); ok && len(voids) < walkLookupLimit {
					voids = append(voids, termQuery{q, n.Domain, d.String()})
				}
				if d.Mechanism == MechInclude {
					next = ev.child(n, d.String(), d.DomainSpec, false, total, next)
				}
			}
			redirect := "redirect=" + rec.Redirect
			if _, hasAll := rec.All(); rec.Redirect != "" && !hasAll && !ev.invalidName(n, redirect, rec.Redirect) {
				next = ev.child(n, redirect, rec.Redirect, true, total, next)
			}
		}
		level = next
	}

	n, err := w.countVoid(ctx, voids, ev)
	ev.VoidLookups += n
	ev.Lookups = sum(root)
	return ev, err
}

// invalidName reports whether the target spec of a term of n's record is
// a name DNS cannot be asked about, and records the problem. Specs with
// macros are judged only once expanded, by a receiver.
func (ev *Evaluation) invalidName(n *Node, term, spec string) bool {
	if spec == "" || HasMacro(spec) {
		return false
	}
	why := nameProblem(spec)
	if why == "" {
		return false
	}
	ev.Problems = append(ev.Problems, Problem{Kind: ProblemInvalidName, Domain: n.Domain, Term: term, Name: spec, Detail: term + ": " + why})
	return true
}

// child adds the include or redirect target spec under n and queues it
// when it is to be followed.
func (ev *Evaluation) child(n *Node, term, spec string, redirect bool, total int, next []*Node) []*Node {
	target := strings.TrimSuffix(strings.ToLower(spec), ".")
	c := &Node{Term: term, Domain: target, redirect: redirect, depth: n.depth + 1}
	n.Children = append(n.Children, c)
	switch {
	case HasMacro(spec):
		c.Note = "macro"
	case slices.Contains(n.path, target):
		c.Note = "loop"
		ev.Problems = append(ev.Problems, Problem{Kind: ProblemLoop, Domain: target, Term: term,
			Detail: strings.Join(append(append([]string{}, n.path...), target), " → ")})
	case total > walkLookupLimit || c.depth > walkDepthLimit:
		c.Note = "limit"
		ev.Truncated = true
	default:
		c.path = append(append([]string{}, n.path...), target)
		return append(next, c)
	}
	return next
}

// pick chooses the SPF record of a fetched domain, or says why there is
// no usable one.
func pick(n *Node, f *fetched) (*Record, *Problem) {
	prob := func(k ProblemKind, detail string) *Problem {
		return &Problem{Kind: k, Domain: n.Domain, Term: n.Term, Detail: detail}
	}
	var spfs []string
	for _, t := range f.txts {
		if IsRecord(t) {
			spfs = append(spfs, t)
		}
	}
	switch len(spfs) {
	case 0:
		if f.nxdomain {
			return nil, prob(ProblemMissing, "NXDOMAIN")
		}
		return nil, prob(ProblemMissing, "")
	case 1:
	default:
		p := prob(ProblemMultiple, strings.Join(spfs, " | "))
		p.Records = spfs
		return nil, p
	}
	n.Record = spfs[0]
	rec, err := Parse(spfs[0])
	if err != nil {
		p := prob(ProblemSyntax, err.Error())
		p.Records = spfs
		return nil, p
	}
	return rec, nil
}

func sum(n *Node) int {
	if n.rec == nil {
		return 0
	}
	n.Lookups = n.rec.Lookups()
	for _, c := range n.Children {
		if c.Followed {
			n.Lookups += sum(c)
		}
	}
	return n.Lookups
}

type fetched struct {
	txts     []string
	nxdomain bool
	void     bool // NXDOMAIN or no TXT at all
}

// walker fetches each domain's TXT records once per evaluation.
type walker struct {
	r       lookup.Resolver
	fetched map[string]*fetched
}

func (w *walker) fetchAll(ctx context.Context, level []*Node) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelQueries)
	var mu sync.Mutex
	got := map[string]*fetched{}
	queued := map[string]bool{}
	for _, n := range level {
		if _, ok := w.fetched[n.Domain]; ok || queued[n.Domain] {
			continue
		}
		queued[n.Domain] = true
		g.Go(func() error {
			txts, a, err := lookup.TXT(gctx, w.r, n.Domain)
			if err != nil {
				return fmt.Errorf("spf: TXT %s: %w", n.Domain, err)
			}
			f := &fetched{txts: txts, nxdomain: a.NXDomain(), void: a.NXDomain() || len(a.Records) == 0}
			mu.Lock()
			got[n.Domain] = f
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for d, f := range got {
		w.fetched[d] = f
	}
	return nil
}

// termQuery is the lookup of one term of the record at domain.
type termQuery struct {
	q      voidQuery
	domain string
	term   string
}

// voidQuery is the lookup a receiver makes for an a, mx or exists term.
type voidQuery struct {
	qtype uint16 // dns.TypeA for a (AAAA asked too) and exists, dns.TypeMX for mx
	name  string
	both  bool // a: either address family will do
}

func voidQueryOf(d Directive, domain string) (voidQuery, bool) {
	name := domain
	if d.DomainSpec != "" {
		if HasMacro(d.DomainSpec) {
			return voidQuery{}, false
		}
		name = strings.TrimSuffix(strings.ToLower(d.DomainSpec), ".")
	}
	switch d.Mechanism {
	case MechA:
		return voidQuery{dns.TypeA, name, true}, true
	case MechMX:
		return voidQuery{dns.TypeMX, name, false}, true
	case MechExists:
		return voidQuery{dns.TypeA, name, false}, true
	}
	return voidQuery{}, false
}

// answered is what the lookup of one term found: nothing (void), and
// for mx how many MX hosts.
type answered struct {
	void bool
	mx   int
}

// countVoid runs the distinct queries concurrently and counts, per term,
// those that found nothing. An mx term whose target has more than
// MaxAddressLookups MX hosts is added to ev.Problems.
func (w *walker) countVoid(ctx context.Context, tqs []termQuery, ev *Evaluation) (int, error) {
	got := map[voidQuery]answered{}
	queued := map[voidQuery]bool{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelQueries)
	for _, tq := range tqs {
		q := tq.q
		if queued[q] {
			continue
		}
		queued[q] = true
		g.Go(func() error {
			ans, err := w.lookup(gctx, q)
			if err != nil {
				return err
			}
			mu.Lock()
			got[q] = ans
			mu.Unlock()
			return nil
		})
	}
	err := g.Wait()
	n := 0
	for _, tq := range tqs {
		ans := got[tq.q]
		if ans.void {
			n++
		}
		if ans.mx > MaxAddressLookups {
			ev.Problems = append(ev.Problems, Problem{Kind: ProblemMXLimit, Domain: tq.domain, Term: tq.term, Name: tq.q.name,
				Count: ans.mx, Detail: fmt.Sprintf("%s: %d MX hosts, more than %d", tq.term, ans.mx, MaxAddressLookups)})
		}
	}
	return n, err
}

func (w *walker) lookup(ctx context.Context, q voidQuery) (answered, error) {
	if q.qtype == dns.TypeMX {
		mxs, _, err := lookup.MX(ctx, w.r, q.name)
		if err != nil {
			return answered{}, fmt.Errorf("spf: MX %s: %w", q.name, err)
		}
		return answered{void: len(mxs) == 0, mx: len(mxs)}, nil
	}
	types := []uint16{q.qtype}
	if q.both {
		types = append(types, dns.TypeAAAA)
	}
	for _, t := range types {
		a, err := w.r.Query(ctx, q.name, t)
		if err != nil {
			return answered{}, fmt.Errorf("spf: %s %s: %w", dns.TypeToString[t], q.name, err)
		}
		if len(a.Records) > 0 {
			return answered{}, nil
		}
	}
	return answered{void: true}, nil
}
