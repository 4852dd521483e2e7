package bot

import (
	"strings"
	"testing"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/messages"
)

// TestAllowedChannels: outside the allowed channels the bot runs nothing
// and tells the user, only them, where it answers.
func TestAllowedChannels(t *testing.T) {
	h := start(t, Config{AllowedChannels: []string{"C0MAIL"}})
	env, url, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: userEN, Channel: channel, Text: "good.lab.test"})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(env)
	ans := h.answer(url)
	got := blockTexts(t, ans.Blocks)
	if !strings.Contains(got, "<#C0MAIL>") || ans.ResponseType == "in_channel" {
		t.Errorf("the refusal should name the allowed channel, ephemerally:\n%s (%s)", got, ans.ResponseType)
	}
	if want := messages.Say(messages.EN, messages.PhraseBotOnly, "where", messages.Say(messages.EN, messages.PhraseWhereChannels, "channels", "C0MAIL")); ans.Text != slackEscape(want) {
		t.Errorf("text %q, want %q", ans.Text, want)
	}
	// A mention elsewhere: an ephemeral answer, nothing in the channel.
	if _, _, err := h.slack.SendEvent(slacktest.Event{Inner: slacktest.Mention(userEN, channel, "good.lab.test", "1700000100.000100", "")}); err != nil {
		t.Fatal(err)
	}
	call := h.calls("chat.postEphemeral", 1)[0]
	if call.Params.Get("user") != userEN || !strings.Contains(blockTexts(t, call.JSON), "<#C0MAIL>") {
		t.Errorf("the mention's refusal: %v %s", call.Params, call.JSON)
	}
	// In the allowed channel, it answers.
	_, ok, _ := h.slack.SendSlashCommand(slacktest.SlashCommand{User: userEN, Channel: "C0MAIL", Text: "good.lab.test"})
	if got := blockTexts(t, h.answer(ok).Blocks); !strings.Contains(got, "good.lab.test") {
		t.Errorf("no report in the allowed channel:\n%s", got)
	}
	if n := len(h.slack.Calls("chat.postMessage")); n != 0 {
		t.Errorf("%d visible messages posted", n)
	}
	if n := h.runs.n.Load(); n != 1 {
		t.Errorf("%d checks run, want 1 (the allowed channel's)", n)
	}
}

// TestAllowedTeams: a command from another workspace runs nothing.
func TestAllowedTeams(t *testing.T) {
	h := start(t, Config{AllowedTeams: []string{"T0TEST"}})
	_, url, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: userEN, Channel: channel, Text: "good.lab.test", Team: "T0OTHER"})
	if err != nil {
		t.Fatal(err)
	}
	if got := blockTexts(t, h.answer(url).Blocks); !strings.Contains(got, messages.Say(messages.EN, messages.PhraseBotNotInTeam)) {
		t.Errorf("another workspace's command:\n%s", got)
	}
	_, ok, _ := h.slack.SendSlashCommand(slacktest.SlashCommand{User: userEN, Channel: channel, Text: "good.lab.test"})
	h.answer(ok)
	if n := h.runs.n.Load(); n != 1 {
		t.Errorf("%d checks run, want 1", n)
	}
}

// TestStatusAccess: status runs in the on-call channel or for a member
// of the on-call group (read once with usergroups.users.list, then
// cached); anyone else is told where it is allowed.
func TestStatusAccess(t *testing.T) {
	h := start(t, Config{Fleet: []string{"good.lab.test"}, StatusChannels: []string{"C0ONCALL"}, OnCallGroup: "S0ONCALL"})
	h.slack.SetUserGroup("S0ONCALL", userFR)
	status := func(user, ch string) string {
		t.Helper()
		env, url, err := h.slack.SendSlashCommand(slacktest.SlashCommand{User: user, Channel: ch, Text: "status"})
		if err != nil {
			t.Fatal(err)
		}
		if ack := h.ack(env); ch != "C0ONCALL" && strings.Contains(string(ack.Payload), "status") {
			t.Errorf("the ack promises a status that may be refused: %s", ack.Payload)
		}
		return blockTexts(t, h.answer(url).Blocks)
	}
	title := messages.Say(messages.EN, messages.PhraseStatusTitle)
	if got := status(userEN, channel); strings.Contains(got, title) || !strings.Contains(got, "<#C0ONCALL>") ||
		!strings.Contains(got, messages.Say(messages.EN, messages.PhraseWhereOnCall)) {
		t.Errorf("status outside the on-call channel by a non-member:\n%s", got)
	}
	if got := status(userEN, "C0ONCALL"); !strings.Contains(got, title) {
		t.Errorf("status in the on-call channel:\n%s", got)
	}
	for range 2 {
		if got := status(userFR, channel); !strings.Contains(got, messages.Say(messages.FR, messages.PhraseStatusTitle)) {
			t.Errorf("status by an on-call member:\n%s", got)
		}
	}
	if n := len(h.slack.Calls("usergroups.users.list")); n != 1 {
		t.Errorf("usergroups.users.list called %d times, want 1 (cached)", n)
	}
}

// TestAccessIDsChecked: ids that cannot be Slack's are refused.
func TestAccessIDsChecked(t *testing.T) {
	for _, cfg := range []Config{
		{AllowedChannels: []string{"#general"}},
		{AllowedTeams: []string{"C0123"}},
		{StatusChannels: []string{"C0<!here>"}},
		{OnCallGroup: "oncall"},
	} {
		cfg.AppToken, cfg.BotToken, cfg.Checker = "xapp-1", "xoxb-1", theEngine
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}
