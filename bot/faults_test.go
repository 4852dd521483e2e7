package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// Faults of Slack itself: the Web API answering 429 or 500, the socket
// closing while a check runs, a response_url that is gone. Each test
// proves the user still gets the answer (or, when Slack refuses every
// way, that the bot says so in its log and serves the next command),
// never a hang, a panic or a lost command. The response_url faults of a
// slash command (404, 500, 429) and a socket broken between commands are
// in bot_test.go (TestResponseURLFallback, TestReconnect).

// viaWebAPI names what a Web API fault is on and makes the bot call it:
// the call the answer has to go through.
type viaWebAPI struct {
	method string
	// cause makes the bot call method; it returns a function that waits
	// for the answer and checks it.
	cause func(t *testing.T, h *harness) func()
}

// webAPICases is every Web API method the bot calls while answering.
var webAPICases = []viaWebAPI{
	{"chat.postMessage", func(t *testing.T, h *harness) func() {
		// A mention is answered in its thread with chat.postMessage.
		mention(t, h, "C0ONCALL", "good.lab.test")
		return func() {
			call := h.calls("chat.postMessage", 1)[0]
			if got := blockTexts(t, call.JSON); call.Params.Get("channel") != "C0ONCALL" || !strings.Contains(got, "good.lab.test") {
				t.Errorf("thread answer in %s:\n%s", call.Params.Get("channel"), got)
			}
		}
	}},
	{"chat.postEphemeral", func(t *testing.T, h *harness) func() {
		// An expired response_url falls back to chat.postEphemeral.
		h.slack.SetFault("response_url", slacktest.Fault{Status: http.StatusNotFound})
		h.slash(userEN, "expired.lab.test")
		return func() {
			call := h.calls("chat.postEphemeral", 1)[0]
			got := map[string]string{"channel": call.Params.Get("channel"), "user": call.Params.Get("user")}
			if diff := cmp.Diff(map[string]string{"channel": channel, "user": userEN}, got); diff != "" {
				t.Errorf("fallback (-want +got):\n%s", diff)
			}
			if !strings.Contains(blockTexts(t, call.JSON), "expired.lab.test") {
				t.Errorf("the fallback does not carry the answer: %s", call.JSON)
			}
		}
	}},
	{"users.info", func(t *testing.T, h *harness) func() {
		// The locale decides the language: an English user answered in
		// English proves users.info was retried, not skipped.
		_, url := h.slash(userEN, "good.lab.test")
		return func() {
			if got := langOf(t, h.answer(url).Blocks); got != messages.EN {
				t.Errorf("answer in %q, want en (users.info says en-US)", got)
			}
		}
	}},
	{"views.publish", func(t *testing.T, h *harness) func() {
		env, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.HomeOpened(userFR)})
		if err != nil {
			t.Fatal(err)
		}
		h.ack(env)
		return func() {
			if got := homeUser(t, h.calls("views.publish", 1)[0]); got != userFR {
				t.Errorf("App Home published for %q, want %s", got, userFR)
			}
		}
	}},
}

// mention sends "@mailsetup text" in channel.
func mention(t *testing.T, h *harness, channel, text string) {
	t.Helper()
	env, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.Mention(userEN, channel, text, "1700000500.000500", "")})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
}

// homeUser is the user_id of a views.publish call.
func homeUser(t *testing.T, call slacktest.Call) string {
	t.Helper()
	var req struct {
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal(call.JSON, &req); err != nil {
		t.Fatalf("views.publish body: %v", err)
	}
	return req.UserID
}

// TestWebAPIRateLimited: Slack answers 429 with Retry-After once; the
// bot waits as told, calls again, and the answer gets through.
func TestWebAPIRateLimited(t *testing.T) {
	for _, tc := range webAPICases {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			h := start(t, Config{})
			h.slack.SetFault(tc.method, slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 1, Times: 1})
			tc.cause(t, h)()
			if got := logLines(h.logs, "Slack rate-limited a call, retrying"); len(got) != 1 || got[0]["method"] != tc.method {
				t.Errorf("want one log line of the retry of %s, got %v", tc.method, got)
			}
		})
	}
}

// TestWebAPIServerError: a 500 from the Web API is retried once where a
// second call cannot do harm, and the answer gets through; on
// chat.postMessage (a visible message Slack may have posted before
// failing) or when the error lasts, the bot logs a line naming the
// method and the status, and serves the next command.
func TestWebAPIServerError(t *testing.T) {
	for _, tc := range webAPICases {
		t.Run(tc.method+"/once", func(t *testing.T) {
			t.Parallel()
			h := start(t, Config{})
			h.slack.SetFault(tc.method, slacktest.Fault{Status: http.StatusInternalServerError, Times: 1})
			check := tc.cause(t, h)
			if !retrySafe[tc.method] {
				waitLog(t, h, tc.method, "500")
				if n := len(h.slack.Calls(tc.method)); n != 0 {
					t.Errorf("%s called again after a 500: %d calls", tc.method, n)
				}
				return
			}
			check()
			if got := logLines(h.logs, "Slack answered a server error, retrying once"); len(got) != 1 || got[0]["method"] != tc.method {
				t.Errorf("want one log line of the retry of %s, got %v", tc.method, got)
			}
		})
		t.Run(tc.method+"/lasting", func(t *testing.T) {
			t.Parallel()
			h := start(t, Config{})
			h.slack.SetFault(tc.method, slacktest.Fault{Status: http.StatusInternalServerError})
			tc.cause(t, h)
			waitLog(t, h, tc.method, "500")
			h.slack.SetFault(tc.method, slacktest.Fault{})
			h.slack.SetFault("response_url", slacktest.Fault{})
			_, url := h.slash(userFR, "nomx.lab.test")
			if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, "nomx.lab.test") {
				t.Errorf("next command after a 500 on %s:\n%s", tc.method, got)
			}
		})
	}
}

// waitLog waits for a warning that names method and status.
func waitLog(t *testing.T, h *harness, method, status string) {
	t.Helper()
	eventually(t, "a log line naming "+method+" and "+status, func() bool {
		for _, l := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(l, `"level":"WARN"`) && strings.Contains(l, method) && strings.Contains(l, status) {
				return true
			}
		}
		return false
	})
}

// TestWebAPIRateLimitedLong: a Retry-After longer than the bot may wait
// fails the call at once, with a log line that says so, instead of a
// worker asleep until its deadline. A rate-limited users.info costs the
// language (the default), not the answer, and is not asked again while
// the limit lasts; a rate-limited fallback is logged and the next
// command is served.
func TestWebAPIRateLimitedLong(t *testing.T) {
	limit := slacktest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 3600}
	t.Run("users.info", func(t *testing.T) {
		t.Parallel()
		h := start(t, Config{})
		h.slack.SetFault("users.info", limit)
		for _, user := range []string{userEN, userNoLocal} {
			_, url := h.slash(user, "good.lab.test")
			if got := langOf(t, h.answer(url).Blocks); got != messages.FR {
				t.Errorf("%s answered in %q, want the default (fr) while users.info is limited", user, got)
			}
		}
		lines := logLines(h.logs, "could not read the user's locale")
		if len(lines) != 1 {
			t.Fatalf("%d warnings about the locale, want 1 (not asked again while limited)", len(lines))
		}
		if e, _ := lines[0]["error"].(string); !strings.Contains(e, "rate limit") {
			t.Errorf("the warning should say Slack rate-limited users.info: %q", e)
		}
	})
	t.Run("chat.postEphemeral", func(t *testing.T) {
		t.Parallel()
		h := start(t, Config{})
		h.slack.SetFault("response_url", slacktest.Fault{Status: http.StatusNotFound})
		h.slack.SetFault("chat.postEphemeral", limit)
		h.slash(userEN, "good.lab.test")
		eventually(t, "the failure logged", func() bool { return len(logLines(h.logs, "could not answer")) > 0 })
		if e, _ := logLines(h.logs, "could not answer")[0]["error"].(string); !strings.Contains(e, "chat.postEphemeral") || !strings.Contains(e, "rate limit") {
			t.Errorf("the log should name the method and the rate limit: %q", e)
		}
		h.slack.SetFault("chat.postEphemeral", slacktest.Fault{})
		h.slack.SetFault("response_url", slacktest.Fault{})
		_, url := h.slash(userEN, "expired.lab.test")
		if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, "expired.lab.test") {
			t.Errorf("next command:\n%s", got)
		}
	})
}

// TestSocketClosedMidCommand: the socket goes while a check runs. The
// check's answer does not need the socket (it goes to the response_url
// over HTTPS), the bot reconnects, and the next command is served.
func TestSocketClosedMidCommand(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(s *slacktest.Server) error
	}{
		{"socket dropped", (*slacktest.Server).Drop},
		{"disconnect requested", (*slacktest.Server).Disconnect},
		{"dropped, and reconnecting fails twice", func(s *slacktest.Server) error { s.FailOpen(2); return s.Drop() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := newGate()
			h := start(t, Config{Checker: CheckerFunc(func(ctx context.Context, tg checks.Target) *checks.Report {
				if tg.Domain == "good.lab.test" {
					return g.Check(ctx, tg)
				}
				return theEngine.Check(ctx, tg)
			})})
			env, inFlight := h.slash(userEN, "good.lab.test")
			h.ack(env)
			<-g.started
			if err := tc.break_(h.slack); err != nil {
				t.Fatal(err)
			}
			h.waitFor("a new connection", func(v slacktest.View) bool { return v.Connections() >= 2 })
			close(g.release)
			if got := blockTexts(t, h.answer(inFlight).Blocks); !strings.Contains(got, "good.lab.test") {
				t.Errorf("the check in flight was not answered:\n%s", got)
			}
			env, next := h.slash(userEN, "expired.lab.test")
			if ack := h.ack(env); ack.Latency > sla {
				t.Errorf("acked after %s", ack.Latency)
			}
			if got := blockTexts(t, h.answer(next).Blocks); !strings.Contains(got, "expired.lab.test") {
				t.Errorf("the next command was not served:\n%s", got)
			}
			if n := len(h.slack.Responses()); n != 2 {
				t.Errorf("%d answers, want 2 (none lost, none doubled)", n)
			}
		})
	}
}

// TestResponseURLGoneForButtons: a button's response_url that answers
// 404 (expired, or used five times) falls back: a shared report to
// chat.postMessage in the channel, anything else to chat.postEphemeral,
// and the dead URL is not tried again.
func TestResponseURLGoneForButtons(t *testing.T) {
	h := start(t, Config{})
	_, url := h.slash(userEN, "good.lab.test")
	ids := actionIDs(t, h.answer(url).Blocks)
	h.slack.SetFault("response_url", slacktest.Fault{Status: http.StatusNotFound})
	dead := h.slack.ResponseURL()
	click := func(action string) {
		t.Helper()
		env, _, err := h.slack.SendAction(slacktest.Action{User: userEN, Channel: channel, ActionID: action,
			Value: ids[action], ResponseURL: dead, MessageTS: "1700000600.000600"})
		if err != nil {
			t.Fatal(err)
		}
		h.ack(env)
	}
	click(actionShare)
	shared := h.calls("chat.postMessage", 1)[0]
	if got := blockTexts(t, shared.JSON); shared.Params.Get("channel") != channel || !strings.Contains(got, "<@"+userEN+">") {
		t.Errorf("shared report in %q:\n%s", shared.Params.Get("channel"), got)
	}
	click(actionCustomerReply)
	click(actionCustomerReply)
	for _, c := range h.calls("chat.postEphemeral", 2) {
		if got := blockTexts(t, c.JSON); c.Params.Get("user") != userEN || !strings.Contains(got, "```") {
			t.Errorf("customer reply to %q:\n%s", c.Params.Get("user"), got)
		}
	}
	if n := countID(h.slack.Responses(), slacktest.ResponseID(dead)); n != 1 {
		t.Errorf("the dead response_url was tried %d times, want once", n)
	}
}

// TestRetryPolicy pins down when a failed Web API call is retried, and
// after how long, without waiting for it.
func TestRetryPolicy(t *testing.T) {
	type want struct {
		retry    bool
		min, max time.Duration
	}
	for _, tc := range []struct {
		name       string
		method     string
		status     int
		retryAfter string
		attempt    int
		deadline   time.Duration // 0: none
		streamed   bool          // a body that cannot be sent again
		want       want
	}{
		{"429 after 1 s", "chat.postEphemeral", 429, "1", 0, 0, false, want{true, time.Second, 1100 * time.Millisecond}},
		{"429 after 20 s, no deadline", "chat.postMessage", 429, "20", 0, 0, false, want{true, 20 * time.Second, 22 * time.Second}},
		{"429 after 30 s: the cap", "chat.postMessage", 429, "30", 0, 0, false, want{true, 30 * time.Second, 33 * time.Second}},
		{"429 after an hour: over the cap", "chat.postMessage", 429, "3600", 0, 0, false, want{}},
		{"429 after 20 s, 5 s left", "users.info", 429, "20", 0, 5 * time.Second, false, want{}},
		{"429 without Retry-After", "views.publish", 429, "", 0, 0, false, want{true, time.Second, 1100 * time.Millisecond}},
		{"429 with Retry-After 0", "views.publish", 429, "0", 0, 0, false, want{true, time.Second, 1100 * time.Millisecond}},
		{"429, retries used up", "chat.postEphemeral", 429, "1", maxRetries, 0, false, want{}},
		{"429, body not replayable", "chat.postEphemeral", 429, "1", 0, 0, true, want{}},
		{"500 on users.info", "users.info", 500, "", 0, 0, false, want{true, serverErrorWait, serverErrorWait}},
		{"503 on chat.postEphemeral", "chat.postEphemeral", 503, "", 0, 0, false, want{true, serverErrorWait, serverErrorWait}},
		{"500 on users.info, second time", "users.info", 500, "", 1, 0, false, want{}},
		{"500 on chat.postMessage: never", "chat.postMessage", 500, "", 0, 0, false, want{}},
		{"500 on views.publish, no time left", "views.publish", 500, "", 0, 100 * time.Millisecond, false, want{}},
		{"400: not a Slack hiccup", "chat.postEphemeral", 400, "", 0, 0, false, want{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.deadline)
				defer cancel()
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1/api/"+tc.method, strings.NewReader("channel=C1"))
			if err != nil {
				t.Fatal(err)
			}
			if tc.streamed {
				req.GetBody = nil
			}
			resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
			if tc.retryAfter != "" {
				resp.Header.Set("Retry-After", tc.retryAfter)
			}
			state := &slack.RetryState{Attempt: tc.attempt, MaxRetries: maxRetries}
			var got want
			for _, h := range webAPIRetry(slog.New(slog.DiscardHandler)).Handlers {
				if ok, wait := h.ShouldRetry(state, req, resp, nil); ok {
					got = want{true, wait, wait}
					break
				}
			}
			if got.retry != tc.want.retry || got.retry && (got.min < tc.want.min || got.min > tc.want.max) {
				t.Errorf("retry %v after %s, want %v after %s to %s", got.retry, got.min, tc.want.retry, tc.want.min, tc.want.max)
			}
		})
	}
}
