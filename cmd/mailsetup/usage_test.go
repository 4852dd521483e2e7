package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// TestErrorLines: every mistake is one line on stderr, in the user's
// language (--lang, even after the mistake, or MAILSETUP_LANG), naming
// what to fix. Before, flag errors were the flag package's English with
// the whole flag list, --timeout 5 said "invalid value", http:/client.com
// "contains a port", MAILSETUP_LANG=de named --lang, and version and demo
// took any argument.
func TestErrorLines(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"timeout fr", nil, []string{"check", "--timeout", "5", "client.com"}, `mailsetup: --timeout « 5 » : il faut une durée comme 5s`},
		{"timeout en", nil, []string{"check", "--timeout", "5", "client.com", "--lang", "en"}, `mailsetup: --timeout "5": want a duration such as 5s`},
		{"timeout env lang", []string{"MAILSETUP_LANG", "en"}, []string{"check", "--timeout=5", "client.com"}, `mailsetup: --timeout "5": want a duration such as 5s`},
		{"unknown flag", nil, []string{"check", "--bogus", "client.com"}, `mailsetup: option inconnue : --bogus (la liste : mailsetup check -h)`},
		{"needs value", []string{"MAILSETUP_LANG", "en"}, []string{"check", "client.com", "--format"}, `mailsetup: flag --format needs a value (the list: mailsetup check -h)`},
		{"parallel", []string{"MAILSETUP_LANG", "en"}, []string{"check", "--parallel", "many", "client.com"}, `mailsetup: --parallel "many": want a number`},
		{"env lang", []string{"MAILSETUP_LANG", "de"}, []string{"check", "client.com"}, `mailsetup: MAILSETUP_LANG « de » : il faut fr ou en`},
		{"flag lang", nil, []string{"check", "--lang", "de", "client.com"}, `mailsetup: --lang « de » : il faut fr ou en`},
		{"env timeout en", []string{"MAILSETUP_LANG", "en", "MAILSETUP_TIMEOUT", "5"}, []string{"check", "client.com"}, `mailsetup: MAILSETUP_TIMEOUT "5": want a duration such as 5s`},
		{"client", []string{"MAILSETUP_LANG", "en"}, []string{"check", "--client", "mutt", "client.com"}, `mailsetup: --client "mutt": want outlook, thunderbird, apple, gmail or mobile`},
		{"version argument", nil, []string{"version", "now"}, `mailsetup: argument en trop : « now » (la liste : mailsetup help)`},
		{"demo argument", nil, []string{"demo", "--lang", "en", "all"}, `mailsetup: unexpected argument "all" (the list: mailsetup demo -h)`},
		{"demo flag", nil, []string{"demo", "--lang", "en", "--bogus"}, `mailsetup: unknown flag --bogus (the list: mailsetup check -h)`},
		{"file and domain", []string{"MAILSETUP_LANG", "en"}, []string{"check", "--file", "x", "client.com"}, `mailsetup: give either --file or one domain, not both`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, env(tt.env...), tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if errOut != tt.want+"\n" || out != "" {
				t.Errorf("stderr %q, want the one line %q; stdout %q", errOut, tt.want, out)
			}
		})
	}
}

// TestURLWithoutSlashes: "http:/client.com" is a web address typed
// with one slash, not a host with a port.
func TestURLWithoutSlashes(t *testing.T) {
	_, _, errOut := runCLI(t, env("MAILSETUP_LANG", "en"), "check", "http:/client.com", "--resolver", "127.0.0.1:1", "--timeout", "1ms")
	if strings.Contains(errOut, "port") {
		t.Errorf("http:/client.com said %q", errOut)
	}
}

// TestCheckHelp: check -h, on stdout, lists the flags, the exit codes,
// every variable and what --allow-private lets through.
func TestCheckHelp(t *testing.T) {
	code, out, errOut := runCLI(t, env(), "check", "-h")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"Exit codes:", "  3  a check could not be completed", "-allow-private", ".test, .local", "--allow-private\nlets the special-use names", "-client APP", "-reply"} {
		if !strings.Contains(out, want) {
			t.Errorf("check -h lacks %q:\n%s", want, out)
		}
	}
}

var (
	flagName = regexp.MustCompile("`--([a-z-]+)")
	varName  = regexp.MustCompile(`\b(MAILSETUP_[A-Z_]+|SLACK_[A-Z_]+|NO_COLOR)\b`)
	helpFlag = regexp.MustCompile(`(?m)^  -([a-z-]+)`)
)

// settingsTable returns the lines of the markdown table of path that
// follows the header line starting with header.
func settingsTable(t *testing.T, path, header string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+header)
	if !ok {
		t.Fatalf("%s: no table starting %q", path, header)
	}
	var rows []string
	for _, l := range strings.Split(rest, "\n")[1:] {
		if !strings.HasPrefix(l, "|") {
			break
		}
		rows = append(rows, l)
	}
	return rows
}

func uniqueMatches(re *regexp.Regexp, lines ...string) []string {
	var out []string
	for _, l := range lines {
		for _, m := range re.FindAllStringSubmatch(l, -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestSettingsAgree: the flags and variables check -h lists, the
// README's table and docs/contract.md's settings table are the same.
func TestSettingsAgree(t *testing.T) {
	_, help, _ := runCLI(t, env(), "check", "-h")
	readme := settingsTable(t, "../../README.md", "| flag | environment | default |")
	var contract []string // the rows for check
	for _, row := range settingsTable(t, "../../docs/contract.md", "| flag | environment | default | for |") {
		cells := strings.Split(row, "|")
		if f := cells[len(cells)-2]; strings.Contains(f, "check") || strings.Contains(f, "all") || strings.Contains(f, "serve") {
			contract = append(contract, row)
		}
	}
	flagsOf := map[string][]string{
		"check -h":         uniqueMatches(helpFlag, help),
		"README":           uniqueMatches(flagName, readme...),
		"docs/contract.md": uniqueMatches(flagName, contract...),
	}
	varsOf := map[string][]string{
		"check -h":         uniqueMatches(varName, help),
		"README":           uniqueMatches(varName, readme...),
		"docs/contract.md": uniqueMatches(varName, contract...),
	}
	whole, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range uniqueMatches(varName, string(whole)) {
		if !slices.Contains(varsOf["check -h"], v) {
			t.Errorf("the README documents %s, check -h does not", v)
		}
	}
	for _, doc := range []string{"README", "docs/contract.md"} {
		if diff := cmp.Diff(flagsOf["check -h"], flagsOf[doc]); diff != "" {
			t.Errorf("flags of check -h (-) and of %s's table (+):\n%s", doc, diff)
		}
		if diff := cmp.Diff(varsOf["check -h"], varsOf[doc]); diff != "" {
			t.Errorf("variables of check -h (-) and of %s's table (+):\n%s", doc, diff)
		}
	}
}

// TestProgressShowsRunning: the progress line names the checks still
// running, not the finished ones (it listed the finished ones before).
func TestProgressShowsRunning(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, messages.EN, "client.com", checks.AllIDs)
	for _, id := range checks.AllIDs {
		if id != checks.SMTP25 && id != checks.IMAP993 {
			p.done(checks.Result{ID: id})
		}
	}
	frames := strings.Split(b.String(), "\r\x1b[K")
	last := frames[len(frames)-1]
	if last != "client.com: 11/13, running: imap.993 smtp.25" {
		t.Errorf("last progress line %q", last)
	}
	for _, f := range frames {
		if n := len([]rune(f)); n > progressWidth {
			t.Errorf("progress line of %d columns: %q", n, f)
		}
	}
}

// TestDemoLines: demo --format json prints one JSON report per line, and
// its text headings follow --lang within 80 columns (they were indented
// JSON, and English headings up to 140 columns).
func TestDemoLines(t *testing.T) {
	code, out, errOut := runCLI(t, env(), "demo", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(demoScenarios) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(demoScenarios), out)
	}
	for _, l := range lines {
		var r messages.JSONReport
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.SchemaVersion != messages.SchemaVersion {
			t.Errorf("line %q: %v", l, err)
		}
	}
	for lang, want := range map[string]string{"fr": "── Scénario « good » : tout est juste", "en": "── Scenario \"good\": everything right"} {
		_, out, _ := runCLI(t, env(), "demo", "--lang", lang)
		if !strings.Contains(out, want) {
			t.Errorf("demo --lang %s lacks %q", lang, want)
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "──") && len([]rune(l)) > messages.MaxWidth {
				t.Errorf("demo --lang %s heading of %d columns: %q", lang, len([]rune(l)), l)
			}
		}
	}
}

// TestClientAndReply: --client and --reply give what the Slack buttons
// give, after the text report and as fields of the JSON one.
func TestClientAndReply(t *testing.T) {
	args := append([]string{"check", "good.lab.test", "--client", "thunderbird", "--reply"}, labArgs(t, "good")...)
	_, out, errOut := runCLI(t, env(), args...)
	for _, want := range []string{"── Réponse client ──", "Bonjour", "Thunderbird", "good.lab.test"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s%s", want, out, errOut)
		}
	}
	_, out, _ = runCLI(t, env(), append(slices.Clone(args[:4]), append(labArgs(t, "good"), "--format", "json", "--lang", "en")...)...)
	var r messages.JSONReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.ClientGuide == nil || r.ClientGuide.Client != messages.Thunderbird || len(r.ClientGuide.Sections) == 0 || r.CustomerReply != "" {
		t.Errorf("--client alone in JSON: guide %+v, reply %q", r.ClientGuide, r.CustomerReply)
	}
	_, out, _ = runCLI(t, env(), append(args, "--format", "json", "--lang", "en")...)
	r = messages.JSONReport{}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.CustomerReply, "Hello") || !strings.Contains(r.CustomerReply, "Thunderbird") {
		t.Errorf("customer_reply %q", r.CustomerReply)
	}
	_, out, _ = runCLI(t, env(), append([]string{"check", "good.lab.test", "--client", "apple"}, labArgs(t, "good")...)...)
	if !strings.Contains(out, "Apple") || strings.Contains(out, "Bonjour") {
		t.Errorf("--client alone: the guide without the reply:\n%s", out)
	}
}

// TestSummaryPlural: one domain is "1 domain" ("1 domains" before).
func TestSummaryPlural(t *testing.T) {
	var b bytes.Buffer
	(&batchSummary{total: 1, pass: 1}).print(&b)
	if !strings.HasPrefix(b.String(), "1 domain: 1 pass") {
		t.Errorf("summary %q", b.String())
	}
}
