package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/store"
	"golang.org/x/term"
)

// runCheck is "mailsetup check". Every error is one line on stderr, in
// the user's language where the catalog words it, escaped for the
// terminal: the input and the settings are the user's, not trusted.
func runCheck(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	lang := userLang(args, getenv)
	c, err := defaults(getenv)
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	fs := c.flagSet("check", io.Discard)
	positional, err := parseFlags(fs, args, true)
	if errors.Is(err, flag.ErrHelp) {
		printCheckHelp(stdout, fs)
		return exitOK
	}
	if err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	if err := c.validate(); err != nil {
		say(stderr, lang, err)
		return exitUsage
	}
	lang = messages.Lang(c.lang)
	if c.file != "" {
		if len(positional) > 0 {
			say(stderr, lang, &usageErr{key: messages.UsageFileAndDomain})
			return exitUsage
		}
		return runBatch(ctx, c, stdin, stdout, stderr)
	}
	if len(positional) != 1 {
		// Several words are one invalid input, said in the user's language.
		if len(positional) > 1 {
			return printInputError(stderr, &checks.InputError{Reason: checks.InputSeveralWords, Input: strings.Join(positional, " ")}, c.lang)
		}
		fmt.Fprintf(stderr, "usage: mailsetup check [flags] DOMAIN|EMAIL (%s)\n", checkHelp)
		return exitUsage
	}
	t, err := parseTarget(positional[0], c)
	if err != nil {
		var ie *checks.InputError
		if errors.As(err, &ie) {
			return printInputError(stderr, ie, c.lang)
		}
		say(stderr, lang, err)
		return exitUsage
	}
	return checkOne(ctx, c, t, stdout, stderr, getenv)
}

// checkOne is "mailsetup check DOMAIN": one report, with a progress line
// on a terminal.
func checkOne(ctx context.Context, c config, t checks.Target, stdout, stderr io.Writer, getenv func(string) string) int {
	a, ops, err := buildCheck(ctx, c, stderr)
	if err != nil {
		say(stderr, messages.Lang(c.lang), err)
		return exitUsage
	}
	defer ops.close()
	defer a.forget()
	req := suite.Request{Target: t}
	var prog *progress
	if c.format == "text" && isTerminal(stderr) {
		prog = newProgress(stderr, messages.Lang(c.lang), t.Domain, checks.AllIDs)
		req.OnResult = prog.done
	}
	rep, mem := a.check(ctx, req)
	prog.finish()
	if err := renderReport(stdout, rep, mem, c, isTerminal(stdout) && getenv("NO_COLOR") == ""); err != nil {
		say(stderr, messages.Lang(c.lang), fmt.Errorf("writing the report: %w", err))
		return exitFail
	}
	return ops.finish(ctx, exitCode(rep))
}

// buildCheck builds what a check run needs, opens its history and
// starts its operations side. Checks are recorded as the CLI's, or as a
// schedule's when the run is one (--exit-zero, --notify).
func buildCheck(ctx context.Context, c config, stderr io.Writer) (*app, *opsRun, error) {
	a, err := build(c, stderr, buildOptions{})
	if err != nil {
		return nil, nil, err
	}
	a.source = store.SourceCLI
	if c.file != "" && (c.ops.exitZero || c.ops.notify.channel != "") {
		a.source = store.SourceSchedule
	}
	a.remember(ctx, stderr)
	ops, err := startOps(ctx, a)
	if err != nil {
		a.notifier.Discard()
		a.forget()
		return nil, nil, err
	}
	return a, ops, nil
}

// exitCode maps a report to the exit codes of docs/contract.md.
func exitCode(rep *checks.Report) int {
	errored := false
	for _, r := range rep.Results {
		switch r.Status {
		case checks.StatusFail:
			return exitFail
		case checks.StatusError:
			errored = true
		}
	}
	if errored {
		return exitErrored
	}
	return exitOK
}

// parseTarget applies ParseTarget and --host.
func parseTarget(in string, c config) (checks.Target, error) {
	t, err := checks.ParseTarget(in, c.allowPrivate)
	if err != nil {
		return t, err
	}
	if c.host != "" {
		return t.WithHost(c.host, c.allowPrivate)
	}
	return t, nil
}

// runBatch is "mailsetup check --file": many domains, bounded
// concurrency, results streamed as they come so memory stays flat.
func runBatch(ctx context.Context, c config, stdin io.Reader, stdout, stderr io.Writer) int {
	var in io.Reader = stdin
	if c.file != "-" {
		f, err := os.Open(c.file)
		if err != nil {
			say(stderr, messages.Lang(c.lang), err)
			return exitUsage
		}
		defer f.Close()
		in = f
	}
	a, ops, err := buildCheck(ctx, c, stderr)
	if err != nil {
		say(stderr, messages.Lang(c.lang), err)
		return exitUsage
	}
	defer ops.close()
	defer a.forget()
	sum, err := checkStream(ctx, a, nil, in, stdout)
	if err != nil {
		say(stderr, messages.Lang(c.lang), fmt.Errorf("reading %s: %w", c.file, err))
		return ops.finish(ctx, exitUsage)
	}
	summaryOut := stdout
	if c.format != "text" {
		summaryOut = stderr // stdout stays pure JSON lines
	}
	sum.print(summaryOut)
	return ops.finish(ctx, sum.exitCode())
}

// batchSummary counts a batch's verdicts.
type batchSummary struct {
	total, pass, warn, fail, errored, invalid int
	elapsed                                   time.Duration
}

func (s *batchSummary) print(w io.Writer) {
	rate := 0.0
	if s.elapsed > 0 {
		rate = float64(s.total-s.invalid) / s.elapsed.Seconds()
	}
	domains := "domains"
	if s.total == 1 {
		domains = "domain"
	}
	fmt.Fprintf(w, "%d %s: %d pass, %d warn, %d fail, %d could not be checked, %d invalid — %s (%.1f domains/s)\n",
		s.total, domains, s.pass, s.warn, s.fail, s.errored, s.invalid, s.elapsed.Round(time.Millisecond), rate)
}

func (s *batchSummary) exitCode() int {
	switch {
	case s.fail > 0:
		return exitFail
	case s.total > 0 && s.invalid == s.total:
		return exitUsage
	case s.errored > 0:
		return exitErrored
	}
	return exitOK
}

// maxLine bounds one line of a domain list.
const maxLine = 4096

// checkStream checks every domain of in with c.parallel workers and
// writes each report as soon as it is done. profileFor, when set, gives
// each domain's profile (the lab).
func checkStream(ctx context.Context, a *app, profileFor func(checks.Target) *checks.Profile, in io.Reader, out io.Writer) (*batchSummary, error) {
	c := a.cfg
	start := time.Now()
	sum := &batchSummary{}
	jobs := make(chan string)
	var mu sync.Mutex // guards out and sum
	var wg sync.WaitGroup
	for range c.parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for line := range jobs {
				t, err := parseTarget(line, c)
				if err != nil {
					mu.Lock()
					sum.invalid++
					writeInvalid(out, line, err, c)
					mu.Unlock()
					continue
				}
				rep, mem := a.check(ctx, request(t, profileFor))
				mu.Lock()
				switch exitCode(rep) {
				case exitFail:
					sum.fail++
				case exitErrored:
					sum.errored++
				default:
					if rep.Status == checks.StatusWarn {
						sum.warn++
					} else {
						sum.pass++
					}
				}
				writeBatchLine(out, rep, mem, c)
				mu.Unlock()
			}
		}()
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1024), maxLine)
	var readErr error
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || !c.ops.shard.owns(line, c.allowPrivate) {
			continue
		}
		mu.Lock()
		sum.total++
		mu.Unlock()
		select {
		case jobs <- line:
		case <-ctx.Done():
			readErr = ctx.Err()
		}
		if readErr != nil {
			break
		}
	}
	if err := sc.Err(); err != nil && readErr == nil {
		readErr = err
	}
	close(jobs)
	wg.Wait()
	sum.elapsed = time.Since(start)
	return sum, readErr
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress shows, on a terminal's stderr, how many checks are done and
// which are still running: the slow ones are what the user waits for.
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	lang    messages.Lang
	domain  string
	total   int
	running []checks.ID
}

// progressWidth keeps the line within 80 columns with the cursor after it.
const progressWidth = 78

func newProgress(w io.Writer, lang messages.Lang, domain string, ids []checks.ID) *progress {
	p := &progress{w: w, lang: lang, domain: domain, total: len(ids), running: slices.Clone(ids)}
	p.draw()
	return p
}

// done takes a finished check off the line.
func (p *progress) done(r checks.Result) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running = slices.DeleteFunc(p.running, func(id checks.ID) bool { return id == r.ID })
	p.draw()
}

// draw rewrites the line; p.mu is held (or p not yet shared).
func (p *progress) draw() {
	names := make([]string, len(p.running))
	for i, id := range p.running {
		names[i] = string(id)
	}
	line := messages.ProgressLine(p.lang, p.domain, p.total-len(p.running), p.total, names, progressWidth)
	fmt.Fprintf(p.w, "\r\033[K%s", line)
}

func (p *progress) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.w, "\r\033[K")
}
