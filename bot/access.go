package bot

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/messages"
)

// A Slack app can be added to any channel of any workspace it is
// installed in. Who may run what is configured, not assumed:
//
//   - the whole bot may be limited to some workspaces (AllowedTeams:
//     Socket Mode payloads carry the team_id) and to some channels
//     (AllowedChannels); elsewhere it answers, only to the user, where
//     it may be used, and runs nothing;
//   - "/mailsetup status", which probes the platform's own servers, may
//     be limited to some channels (StatusChannels) and to the members of
//     a Slack user group (OnCallGroup, read with usergroups.users.list
//     and kept for GroupTTL): either one suffices.

// DefaultGroupTTL is how long the on-call group's members are kept.
const DefaultGroupTTL = 5 * time.Minute

// groupTimeout bounds the usergroups.users.list call of a status.
const groupTimeout = 5 * time.Second

// groupCache keeps the members of the on-call user group.
type groupCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	now     func() time.Time
	members map[string]bool
	at      time.Time
}

// has reports whether user is in group, asking Slack when the list kept
// is older than the TTL. When Slack cannot say, the last list known is
// used; with none, the answer is no.
func (g *groupCache) has(ctx context.Context, p Poster, group, user string) (bool, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.members == nil || g.now().Sub(g.at) > g.ttl {
		ctx, cancel := context.WithTimeout(ctx, groupTimeout)
		ids, err := p.GroupMembers(ctx, group)
		cancel()
		if err != nil {
			return g.members[user], err
		}
		g.members = make(map[string]bool, len(ids))
		for _, id := range ids {
			g.members[id] = true
		}
		g.at = g.now()
	}
	return g.members[user], nil
}

// refusal says why the bot does not answer a request here, without any
// network call: its workspace or its channel is not allowed. The App
// Home has no channel.
// The answer is made in lang, once known.
func (b *Bot) refusal(r *request) (answer func(lang messages.Lang) Message, refused bool) {
	c := b.cfg
	if len(c.AllowedTeams) > 0 && !slices.Contains(c.AllowedTeams, r.team) {
		return func(lang messages.Lang) Message {
			text := messages.Say(lang, messages.PhraseBotNotInTeam)
			return Message{Text: text, Blocks: []slack.Block{mrkdwnSection(slackEscape(text))}}
		}, true
	}
	if len(c.AllowedChannels) > 0 && r.source != "home" && !slices.Contains(c.AllowedChannels, r.channel) {
		return func(lang messages.Lang) Message {
			return whereMessage(lang, messages.PhraseBotOnly, c.AllowedChannels, false)
		}, true
	}
	return nil, false
}

// statusAllowed reports whether r may run "/mailsetup status": in one
// of StatusChannels, or by a member of OnCallGroup.
func (b *Bot) statusAllowed(ctx context.Context, r *request) bool {
	c := b.cfg
	if !b.statusLimited(r) {
		return true
	}
	if c.OnCallGroup == "" {
		return false
	}
	ok, err := b.group.has(ctx, b.poster, c.OnCallGroup, r.user)
	if err != nil {
		b.log.Warn("could not read the on-call group's members", "group", c.OnCallGroup, "error", errString(err))
	}
	return ok
}

// statusLimited reports whether status may be refused to r: it is
// limited, and not to r's channel.
func (b *Bot) statusLimited(r *request) bool {
	c := b.cfg
	return (len(c.StatusChannels) > 0 || c.OnCallGroup != "") && !slices.Contains(c.StatusChannels, r.channel)
}

// whereMessage says where something is allowed: "… only in #a, #b or to
// members of the on-call group". The channels are links Slack names.
func whereMessage(lang messages.Lang, key messages.Phrase, channels []string, group bool) Message {
	var rich, plain []string
	if len(channels) > 0 {
		refs := make([]string, len(channels))
		for i, ch := range channels {
			refs[i] = "<#" + ch + ">" // ids are checked at startup: nothing to escape
		}
		rich = append(rich, slackEscape(messages.Say(lang, messages.PhraseWhereChannels, "channels", "\x00"))) // placeholder
		rich[0] = strings.Replace(rich[0], "\x00", strings.Join(refs, ", "), 1)
		plain = append(plain, messages.Say(lang, messages.PhraseWhereChannels, "channels", strings.Join(channels, ", ")))
	}
	if group {
		w := messages.Say(lang, messages.PhraseWhereOnCall)
		rich, plain = append(rich, slackEscape(w)), append(plain, w)
	}
	or := messages.Say(lang, messages.PhraseWhereOr)
	text := strings.Replace(slackEscape(messages.Say(lang, key, "where", "\x00")), "\x00", strings.Join(rich, slackEscape(or)), 1)
	return Message{Text: messages.Say(lang, key, "where", strings.Join(plain, or)), Blocks: []slack.Block{mrkdwnSection(":no_entry: " + text)}}
}

// refuse answers a request that may not run here, to its user only: an
// ephemeral message, even for a mention or a message shortcut.
func (b *Bot) refuse(ctx context.Context, r *request, m Message) {
	if r.source == "mention" || r.source == "shortcut" {
		ctx, cancel := context.WithTimeout(ctx, answerTimeout)
		defer cancel()
		m.ThreadTS = r.threadTS
		if err := b.poster.PostEphemeral(ctx, r.channel, r.user, m); err != nil {
			b.log.Warn("could not answer", "channel", r.channel, "error", errString(err))
		}
		return
	}
	b.send(ctx, r, m)
}

// Shapes of Slack ids: workspaces T… (or E… for an Enterprise Grid),
// channels C… (public), G… (private), D… (direct), user groups S….
var (
	teamID    = regexp.MustCompile(`^[TE][A-Z0-9]{2,20}$`)
	channelID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,20}$`)
	groupID   = regexp.MustCompile(`^S[A-Z0-9]{2,20}$`)
)

// ID kinds for ValidID.
const (
	TeamID    = "team"
	ChannelID = "channel"
	GroupID   = "group"
)

// ValidID reports whether s has the shape of a Slack id of kind.
func ValidID(kind, s string) bool {
	switch kind {
	case TeamID:
		return teamID.MatchString(s)
	case ChannelID:
		return channelID.MatchString(s)
	case GroupID:
		return groupID.MatchString(s)
	}
	return false
}

// checkAccessIDs refuses ids that cannot be Slack's: they are written
// into answers as channel links.
func checkAccessIDs(cfg Config) error {
	for _, l := range []struct {
		kind, what string
		ids        []string
	}{
		{TeamID, "AllowedTeams", cfg.AllowedTeams},
		{ChannelID, "AllowedChannels", cfg.AllowedChannels},
		{ChannelID, "StatusChannels", cfg.StatusChannels},
	} {
		for _, id := range l.ids {
			if !ValidID(l.kind, id) {
				return fmt.Errorf("bot: %s: %q is not a Slack %s id", l.what, id, l.kind)
			}
		}
	}
	if cfg.OnCallGroup != "" && !ValidID(GroupID, cfg.OnCallGroup) {
		return fmt.Errorf("bot: OnCallGroup: %q is not a Slack user group id", cfg.OnCallGroup)
	}
	return nil
}
