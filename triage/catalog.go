package triage

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/pcmhosting/mailsetup/checks"
)

// The catalog files. The format, one entry a line, fields separated by
// tabs, "#" starting a comment line:
//
// causes.tsv:   cause  section  actor  scope  checks  confirm  ruleout
//
//	section  2, 5.1, 5.2, 5.3, 5.4, 6 or - (the guide is silent)
//	actor    customer, host, recipient or device
//	scope    ours or recipient
//	checks   check ids separated by commas, or -
//	confirm  finding codes separated by commas ("spf.*" is every code
//	         starting with "spf."), or -
//	ruleout  works (every check working rules the cause out) or -
//
// every other file:   kind  pattern  cause  [checks]
//
//	kind     status (an enhanced status code, "5.7.26"), reply (an SMTP
//	         reply code, "535") or text (words, matched case- and
//	         accent-insensitively, "*" standing for up to 200 characters
//	         in between); a leading "~" makes the entry a fallback, used
//	         only when no other entry matches the text (and, for a status
//	         code, only when it follows a reply code or is a DSN's Status)
//	checks   narrows the cause's checks for this entry (an SMTP error
//	         only concerns the SMTP ports); - or absent keeps them all
//
//go:embed catalog/*.tsv
var catalogFS embed.FS

// causesFile is the name of the file that defines the causes.
const causesFile = "causes.tsv"

// Kind is how a catalog pattern is matched.
type Kind string

// Kinds of pattern.
const (
	KindStatus Kind = "status" // an enhanced status code found in the text
	KindReply  Kind = "reply"  // an SMTP reply code found in the text
	KindText   Kind = "text"   // words in the normalized text
)

// Entry is one pattern line of the catalog.
type Entry struct {
	// Source is the catalog file without its extension: "gmail",
	// "outlook", "rfc3463"…
	Source string
	Line   int
	Kind   Kind
	// Fallback entries count only when no other entry matched.
	Fallback bool
	Pattern  string
	Cause    Cause
	// Checks are the checks this entry concerns: the cause's, or fewer.
	Checks []checks.ID
	parts  []string // a text pattern split at "*"
}

// Catalog is a loaded catalog: causes and entries.
type Catalog struct {
	causes  []CauseInfo
	byID    map[Cause]int
	entries []Entry
}

var defaultCatalog = sync.OnceValues(func() (*Catalog, error) {
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		return nil, fmt.Errorf("triage: embedded catalog: %w", err)
	}
	return Load(sub)
})

// Default returns the embedded catalog. Its test guarantees it loads.
func Default() (*Catalog, error) { return defaultCatalog() }

// Entries returns the catalog's pattern entries, file by file.
func (c *Catalog) Entries() []Entry { return slices.Clone(c.entries) }

// Load reads a catalog from the *.tsv files of fsys: causes.tsv and the
// pattern files. It reports every bad line, unknown cause, check or
// finding code and duplicate pattern, each with its file and line.
func Load(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{byID: map[Cause]int{}}
	var errs []error
	data, err := fs.ReadFile(fsys, causesFile)
	if err != nil {
		return nil, fmt.Errorf("triage: catalog: %w", err)
	}
	errs = append(errs, c.loadCauses(string(data))...)
	names, err := fs.Glob(fsys, "*.tsv")
	if err != nil {
		return nil, fmt.Errorf("triage: catalog: %w", err)
	}
	seen := map[string]string{} // kind+pattern → file:line
	used := map[Cause]bool{}
	for _, name := range names {
		if name == causesFile {
			continue
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("triage: catalog: %w", err)
		}
		source := strings.TrimSuffix(path.Base(name), ".tsv")
		eachLine(string(data), func(n int, fields []string) {
			e, err := c.parseEntry(source, n, fields)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %w", name, n, err))
				return
			}
			key := string(e.Kind) + "\t" + e.Pattern
			if prev, dup := seen[key]; dup {
				errs = append(errs, fmt.Errorf("%s:%d: %s %q already in %s", name, n, e.Kind, e.Pattern, prev))
				return
			}
			seen[key] = fmt.Sprintf("%s:%d", name, n)
			used[e.Cause] = true
			c.entries = append(c.entries, e)
		})
	}
	for _, ci := range c.causes {
		if !used[ci.ID] {
			errs = append(errs, fmt.Errorf("%s: cause %s has no entry", causesFile, ci.ID))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("triage: catalog: %w", err)
	}
	return c, nil
}

// eachLine calls f with the tab-separated fields of every line that is
// neither blank nor a comment, numbered from 1.
func eachLine(data string, f func(n int, fields []string)) {
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f(n, strings.Split(line, "\t"))
	}
}

func (c *Catalog) loadCauses(data string) []error {
	var errs []error
	eachLine(data, func(n int, f []string) {
		ci, err := parseCause(f)
		if err == nil {
			if _, dup := c.byID[ci.ID]; dup {
				err = fmt.Errorf("cause %s defined twice", ci.ID)
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", causesFile, n, err))
			return
		}
		c.byID[ci.ID] = len(c.causes)
		c.causes = append(c.causes, ci)
	})
	return errs
}

func parseCause(f []string) (CauseInfo, error) {
	if len(f) != 7 {
		return CauseInfo{}, fmt.Errorf("want 7 tab-separated fields, got %d", len(f))
	}
	ci := CauseInfo{ID: Cause(f[0]), Section: Section(f[1]), Actor: Actor(f[2]), Scope: Scope(f[3])}
	switch {
	case !validCauseID(f[0]):
		return ci, fmt.Errorf("bad cause id %q (want family.name, lower case)", f[0])
	case !sections[ci.Section]:
		return ci, fmt.Errorf("unknown section %q", f[1])
	case !actors[ci.Actor]:
		return ci, fmt.Errorf("unknown actor %q", f[2])
	case ci.Scope != ScopeOurs && ci.Scope != ScopeRecipient:
		return ci, fmt.Errorf("unknown scope %q", f[3])
	}
	var err error
	if ci.Checks, err = parseChecks(f[4]); err != nil {
		return ci, err
	}
	if ci.Confirm, err = parseCodes(f[5]); err != nil {
		return ci, err
	}
	switch f[6] {
	case "works":
		ci.RuleOut = true
	case "-":
	default:
		return ci, fmt.Errorf("ruleout %q: want works or -", f[6])
	}
	if (len(ci.Confirm) > 0 || ci.RuleOut) && len(ci.Checks) == 0 {
		return ci, errors.New("confirm or ruleout without checks")
	}
	return ci, nil
}

func validCauseID(s string) bool {
	fam, name, ok := strings.Cut(s, ".")
	if !ok || fam == "" || name == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' && r != '.' {
			return false
		}
	}
	return true
}

// list splits a comma-separated field; "-" is the empty list.
func list(s string) []string {
	if s == "-" || s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func parseChecks(s string) ([]checks.ID, error) {
	var ids []checks.ID
	for _, v := range list(s) {
		id := checks.ID(v)
		if !slices.Contains(checks.AllIDs, id) {
			return nil, fmt.Errorf("unknown check %q", v)
		}
		if slices.Contains(ids, id) {
			return nil, fmt.Errorf("check %q listed twice", v)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func parseCodes(s string) ([]checks.Code, error) {
	var codes []checks.Code
	for _, v := range list(s) {
		n := len(codes)
		for _, c := range checks.AllCodes {
			if string(c) == v || (strings.HasSuffix(v, ".*") && strings.HasPrefix(string(c), v[:len(v)-1])) {
				if !slices.Contains(codes, c) {
					codes = append(codes, c)
				}
			}
		}
		if len(codes) == n {
			return nil, fmt.Errorf("unknown finding code %q", v)
		}
	}
	return codes, nil
}

func (c *Catalog) parseEntry(source string, n int, f []string) (Entry, error) {
	if len(f) != 3 && len(f) != 4 {
		return Entry{}, fmt.Errorf("want 3 or 4 tab-separated fields, got %d", len(f))
	}
	e := Entry{Source: source, Line: n, Pattern: f[1], Cause: Cause(f[2])}
	kind, fallback := strings.CutPrefix(f[0], "~")
	e.Kind, e.Fallback = Kind(kind), fallback
	switch e.Kind {
	case KindStatus:
		if _, ok := parseStatus(e.Pattern); !ok {
			return e, fmt.Errorf("bad enhanced status code %q", e.Pattern)
		}
	case KindReply:
		if !validReply(e.Pattern) {
			return e, fmt.Errorf("bad reply code %q", e.Pattern)
		}
	case KindText:
		if norm := normalize(e.Pattern); norm != e.Pattern || strings.HasPrefix(norm, "*") || strings.HasSuffix(norm, "*") || len(norm) < 4 {
			return e, fmt.Errorf("text pattern %q must be lower case, unaccented, single-spaced, at least 4 bytes, not start or end with *; normalized: %q", e.Pattern, norm)
		}
		for _, p := range strings.Split(e.Pattern, "*") {
			p = strings.TrimSpace(p)
			if p == "" {
				return e, fmt.Errorf("text pattern %q has an empty part", e.Pattern)
			}
			e.parts = append(e.parts, p)
		}
	default:
		return e, fmt.Errorf("unknown kind %q", f[0])
	}
	ci, ok := c.cause(e.Cause)
	if !ok {
		return e, fmt.Errorf("unknown cause %q", f[2])
	}
	e.Checks = ci.Checks
	if len(f) == 4 && f[3] != "-" {
		narrow, err := parseChecks(f[3])
		if err != nil {
			return e, err
		}
		for _, id := range narrow {
			if !slices.Contains(ci.Checks, id) {
				return e, fmt.Errorf("check %s is not one of cause %s's checks", id, e.Cause)
			}
		}
		e.Checks = narrow
	}
	return e, nil
}
