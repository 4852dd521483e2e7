package bot

import (
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
)

// hostileInputs are refused inputs that try to mention, link or format
// in every text field of the answer.
var hostileInputs = []string{
	"<!here>",
	"<!subteam^S0123>",
	"<!channel|x>",
	"*URGENT*_:rotating_light:_call",
}

// inert fails when text holds markup Slack would act on.
func inert(t *testing.T, where, text string) {
	t.Helper()
	for _, bad := range []string{"<!", "<@", "<http", "*URGENT*", ":rotating_light:", "_call"} {
		if strings.Contains(text, bad) {
			t.Errorf("%s holds %q: %q", where, bad, text)
		}
	}
}

// TestTextFallbackEscaped: the text field of every answer is escaped,
// like its blocks: the ack, the response_url post, a thread reply, an
// ephemeral fallback.
func TestTextFallbackEscaped(t *testing.T) {
	h := start(t, Config{})
	for _, in := range hostileInputs {
		t.Run(in, func(t *testing.T) {
			env, url := h.slash(userEN, in)
			inert(t, "the ack", string(h.ack(env).Payload))
			ans := h.answer(url)
			inert(t, "the response's text", ans.Text)
			inert(t, "the response's blocks", blockTexts(t, ans.Blocks))

			before := len(h.slack.Calls("chat.postMessage"))
			if _, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.Mention(userEN, channel, "<@UBOT> "+in, "1700000100.000100", "")}); err != nil {
				t.Fatal(err)
			}
			call := h.calls("chat.postMessage", before+1)[before]
			inert(t, "the thread reply's text", call.Params.Get("text"))
			inert(t, "the thread reply's blocks", blockTexts(t, call.JSON))
		})
	}
	// A response_url that is gone: the answer falls back to
	// chat.postEphemeral, text escaped the same.
	h.slack.SetFault("response_url", slacktest.Fault{Status: 404})
	before := len(h.slack.Calls("chat.postEphemeral"))
	h.slash(userEN, hostileInputs[0])
	call := h.calls("chat.postEphemeral", before+1)[before]
	inert(t, "the ephemeral text", call.Params.Get("text"))
}
