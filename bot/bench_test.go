package bot

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// BenchmarkBurst sends bursts of slash commands, each for its own user,
// and waits for every ack and every answer. It reports the ack latency
// (the fake Slack's clock: envelope written → ack read), the answer
// latency (command sent → response_url post), the answers per second and
// the process's peak RSS. "lab" runs the real engine against the lab
// (no cache, so every command is a real check, bar concurrent runs of
// one domain); "instant" uses a ready report, to show the bot's own
// overhead.
func BenchmarkBurst(b *testing.B) {
	instant := CheckerFunc(func(_ context.Context, t checks.Target) *checks.Report {
		return &checks.Report{Target: t, Status: checks.StatusPass, Results: []checks.Result{{ID: checks.DNSHost, Status: checks.StatusPass}}}
	})
	for _, engine := range []struct {
		name string
		c    Checker
	}{{"lab", nil}, {"instant", instant}} {
		for _, n := range []int{50, 200} {
			b.Run(fmt.Sprintf("engine=%s/commands=%d", engine.name, n), func(b *testing.B) {
				benchBurst(b, engine.c, n)
			})
		}
	}
}

func benchBurst(b *testing.B, c Checker, n int) {
	h := start(b, Config{Checker: c, RatePerMinute: -1, CacheTTL: -1, Queue: 256, Logger: slog.New(slog.DiscardHandler)})
	domains := fastScenarios()
	var acks, answers []time.Duration
	var busy int
	var total time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.slack.Reset()
		sent := make(map[string]time.Time, n)
		began := time.Now()
		for j := range n {
			_, url, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: fmt.Sprintf("U%04d", j), Channel: channel,
				Text: domain(domains[j%len(domains)])})
			if err != nil {
				b.Fatal(err)
			}
			sent[slacktest.ResponseID(url)] = time.Now()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		err := h.slack.Wait(ctx, func(v slacktest.View) bool { return len(v.Acks()) >= n && len(v.Responses()) >= n })
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(began)
		for _, a := range h.slack.Acks() {
			acks = append(acks, a.Latency)
			// The agents are unknown to the fake: the default language.
			if strings.Contains(string(a.Payload), messages.Say(messages.FR, messages.PhraseBusy)) {
				busy++
			}
		}
		for _, r := range h.slack.Responses() {
			answers = append(answers, r.At.Sub(sent[r.ID]))
		}
	}
	b.StopTimer()
	b.ReportMetric(ms(pct(acks, 50)), "ack-p50-ms")
	b.ReportMetric(ms(pct(acks, 99)), "ack-p99-ms")
	b.ReportMetric(ms(pct(answers, 50)), "answer-p50-ms")
	b.ReportMetric(ms(pct(answers, 99)), "answer-p99-ms")
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "answers/s")
	b.ReportMetric(float64(busy)/float64(b.N), "busy/burst")
	if rss := peakRSS(); rss > 0 {
		b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
	}
}

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// peakRSS is the process's peak resident set size in KiB (Linux), or 0.
func peakRSS() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb
		}
	}
	return 0
}
