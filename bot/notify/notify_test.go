package notify

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot"
	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
	"github.com/pcmhosting/mailsetup/messages"
)

// testNotifier posts to the fake Slack s through the bot's Web API
// client, logging to logs when not nil.
func testNotifier(t *testing.T, s *slacktest.Server, on string, logs *syncbuf.Buffer) *Notifier {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	if logs != nil {
		log = slog.New(slog.NewJSONHandler(logs, nil))
	}
	poster := bot.NewWebAPI(bot.WebAPIConfig{BotToken: slacktest.BotToken, APIURL: s.URL, Logger: log})
	n, err := New(Config{Channel: "C0ONCALL", On: on, Lang: messages.EN, Poster: poster, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func fakeSlack(t *testing.T) *slacktest.Server {
	s := slacktest.New()
	t.Cleanup(s.Close)
	return s
}

// TestRetryAfter: a 429 is retried after its Retry-After, by the bot's
// retry policy: twice at most.
func TestRetryAfter(t *testing.T) {
	msg := bot.Message{Text: "hello"}
	t.Run("once", func(t *testing.T) {
		s := fakeSlack(t)
		s.SetFault("chat.postMessage", slacktest.Fault{Status: 429, Times: 1})
		var logs syncbuf.Buffer
		if err := testNotifier(t, s, OnFail, &logs).post(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
		if n := len(s.Calls("chat.postMessage")); n != 1 {
			t.Errorf("%d posts, want 1 after the retry", n)
		}
		if n := strings.Count(logs.String(), "Slack rate-limited a call, retrying"); n != 1 {
			t.Errorf("%d retries logged, want 1:\n%s", n, logs.String())
		}
	})
	t.Run("thrice", func(t *testing.T) {
		s := fakeSlack(t)
		s.SetFault("chat.postMessage", slacktest.Fault{Status: 429, Times: 3})
		var logs syncbuf.Buffer
		err := testNotifier(t, s, OnFail, &logs).post(context.Background(), msg)
		if err == nil || !strings.Contains(err.Error(), "429") {
			t.Errorf("err = %v, want HTTP 429", err)
		}
		if n := strings.Count(logs.String(), "Slack rate-limited a call, retrying"); n != 2 {
			t.Errorf("%d retries logged, want 2, the bot's policy:\n%s", n, logs.String())
		}
		if n := len(s.Calls("chat.postMessage")); n != 0 {
			t.Errorf("%d posts, want none", n)
		}
	})
}

func TestSlackErrors(t *testing.T) {
	for _, tc := range []struct {
		fault slacktest.Fault
		want  string
	}{
		{slacktest.Fault{Error: "not_in_channel"}, "invite the app to C0ONCALL"},
		{slacktest.Fault{Error: "invalid_auth"}, "Slack refused SLACK_BOT_TOKEN (invalid_auth)"},
		{slacktest.Fault{Error: "msg_too_long"}, "chat.postMessage: msg_too_long"},
		{slacktest.Fault{Status: 500}, "HTTP 500"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			s := fakeSlack(t)
			s.SetFault("chat.postMessage", tc.fault)
			err := testNotifier(t, s, OnFail, nil).post(context.Background(), bot.Message{Text: "x"})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), slacktest.BotToken) {
				t.Errorf("err = %v, want %q and no token", err, tc.want)
			}
		})
	}
}

// TestMessageLimits: a long list of failures stays within Slack's limits
// (50 blocks, 3000 characters a section) and says how many are left
// out; Slack's reserved characters are escaped.
func TestMessageLimits(t *testing.T) {
	n := testNotifier(t, fakeSlack(t), OnFail, nil)
	const total = 3000
	for i := range total {
		st := domainState{domain: fmt.Sprintf("client-%04d.example", i), status: checks.StatusFail,
			checks: map[checks.ID]checks.Status{checks.SMTP465: checks.StatusFail}, remedy: "Open port 465 <now> & retry"}
		n.notices = append(n.notices, notice{cur: st})
		n.total++
		n.failing++
	}
	msg, ok := n.message()
	if !ok {
		t.Fatal("nothing to post")
	}
	if len(msg.Blocks) > 50 {
		t.Errorf("%d blocks, Slack takes 50", len(msg.Blocks))
	}
	shown := 0
	var sections []string
	for _, b := range msg.Blocks {
		if s, ok := b.(*slack.SectionBlock); ok {
			if len(s.Text.Text) > 3000 {
				t.Errorf("a section of %d characters, Slack takes 3000", len(s.Text.Text))
			}
			shown += strings.Count(s.Text.Text, "• ")
			sections = append(sections, s.Text.Text)
		}
	}
	last, ok := msg.Blocks[len(msg.Blocks)-1].(*slack.ContextBlock)
	if !ok {
		t.Fatalf("last block %T, want context", msg.Blocks[len(msg.Blocks)-1])
	}
	if got := last.ContextElements.Elements[0].(*slack.TextBlockObject).Text; got != fmt.Sprintf("… and %d more domains", total-shown) {
		t.Errorf("last block says %q; %d shown", got, shown)
	}
	if !strings.Contains(sections[1], "Open port 465 &lt;now&gt; &amp; retry") {
		t.Errorf("not escaped: %s", sections[1])
	}
	if !strings.HasPrefix(sections[1], "• *client-0000.example*") {
		t.Errorf("not sorted by domain: %.60s", sections[1])
	}
}

func TestTransitions(t *testing.T) {
	st := func(kv ...checks.Status) domainState {
		s := domainState{checks: map[checks.ID]checks.Status{}}
		for i, id := range checks.AllIDs[:len(kv)] {
			s.checks[id] = kv[i]
		}
		return s
	}
	p, f, s, w := checks.StatusPass, checks.StatusFail, checks.StatusSkip, checks.StatusWarn
	got := transitions(st(p, f, p, p, w, p, s), st(f, f, p, p, p, p, p))
	want := []string{"dns.host pass → fail", "dns.dmarc warn → pass"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transitions (-want +got):\n%s", diff)
	}
}

func TestReadPrevious(t *testing.T) {
	good := `{"schema_version":1,"domain":"a.example","status":"fail","checks":[{"id":"smtp.465","status":"fail"}],"remedies":[{"code":"tcp.refused","title":"Open 465"}]}`
	in := good + "\n\n" + `{"input":"not a domain","error":"…"}` + "\n" + `{"schema_version":2,"domain":"b.example"}` + "\n{truncated"
	prev, bad, err := readPrevious(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if bad != 3 || len(prev) != 1 {
		t.Errorf("%d states, %d bad; want 1 and 3", len(prev), bad)
	}
	a := prev["a.example"]
	if diff := cmp.Diff([]checks.ID{checks.SMTP465}, a.failing()); diff != "" || a.remedy != "Open 465" {
		t.Errorf("state %+v", a)
	}
}

// FuzzReadPrevious: the state file is read back whatever it holds.
func FuzzReadPrevious(f *testing.F) {
	f.Add(`{"schema_version":1,"domain":"a.example","status":"fail","checks":[{"id":"smtp.465","status":"fail"}]}` + "\n")
	f.Add("{}\n{\"schema_version\":1}\n")
	f.Add("\x00\xff\n\n")
	f.Fuzz(func(t *testing.T, in string) {
		prev, _, _ := readPrevious(strings.NewReader(in))
		for d, s := range prev {
			if d == "" || s.domain != d {
				t.Fatalf("state %q keyed %q", s.domain, d)
			}
			s.failing()
		}
	})
}
