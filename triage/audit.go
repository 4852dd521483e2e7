package triage

import (
	"slices"
	"strconv"
	"strings"
)

// Audit returns a one-line summary of what was recognised that is safe
// to log: the codes, error numbers, catalog sources and causes, never a
// piece of the text (no address, host, diagnostic or message id).
// Example: "statuses=5.7.26 replies=550 errors= dsn=1 sources=gmail,rfc3463 causes=send.dmarc_reject".
func (r *Result) Audit() string {
	var statuses, replies, sources, causes []string
	for _, s := range r.Statuses {
		statuses = append(statuses, s.String())
	}
	for _, rp := range r.Replies {
		if c := strconv.Itoa(rp.Code); !slices.Contains(replies, c) {
			replies = append(replies, c)
		}
	}
	for _, m := range r.Matches {
		if !slices.Contains(sources, m.Source) {
			sources = append(sources, m.Source)
		}
	}
	for _, c := range r.Causes() {
		causes = append(causes, string(c))
	}
	dsn := 0
	if r.DSN != nil {
		dsn = len(r.DSN.Recipients)
	}
	return "statuses=" + strings.Join(statuses, ",") +
		" replies=" + strings.Join(replies, ",") +
		" errors=" + strings.Join(r.ErrorNumbers, ",") +
		" dsn=" + strconv.Itoa(dsn) +
		" sources=" + strings.Join(sources, ",") +
		" causes=" + strings.Join(causes, ",")
}
