package bot

import (
	"context"
	"net/netip"
	"sync"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/reputation"
	"github.com/pcmhosting/mailsetup/messages"
)

// Reputation looks at what receivers judge the platform's outgoing
// addresses by; *reputation.Checker is one, asking the configured
// resolver with the step timeout.
type Reputation interface {
	Reverse(ctx context.Context, ip netip.Addr) *reputation.Reverse
	DNSBLs(ctx context.Context, ip netip.Addr, zones []string) []*reputation.Listing
}

// outgoingLines are the status lines of the platform's outgoing
// addresses, looked at concurrently: for each, its reverse DNS, then its
// listing on each blocklist of the profile. It returns their worst
// status too (pass when there is nothing to look at).
func (b *Bot) outgoingLines(ctx context.Context, lang messages.Lang) ([]string, checks.Status) {
	p, rep := b.cfg.Platform, b.cfg.Reputation
	worst := checks.StatusPass
	if p == nil || rep == nil || len(p.Outgoing) == 0 {
		return nil, worst
	}
	found := make([][]messages.OutgoingLine, len(p.Outgoing))
	var wg sync.WaitGroup
	for i, ip := range p.Outgoing {
		wg.Go(func() {
			var rev *reputation.Reverse
			var lists []*reputation.Listing
			var inner sync.WaitGroup
			inner.Go(func() { rev = rep.Reverse(ctx, ip) })
			inner.Go(func() { lists = rep.DNSBLs(ctx, ip, p.DNSBL) })
			inner.Wait()
			found[i] = messages.Outgoing(lang, rev, lists)
		})
	}
	wg.Wait()
	var lines []string
	for i, ip := range p.Outgoing {
		for _, l := range found[i] {
			worst = checks.Worse(worst, l.Status)
			lines = append(lines, statusEmoji(l.Status)+" "+blockkit.Code(ip.String())+" "+slackEscape(l.Text))
		}
	}
	return lines, worst
}
