package bot

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/messages"
)

// command is the bot's name for itself in help and error messages.
const command = "/mailsetup"

// routeKind says what a route does.
type routeKind int

const (
	routeCheck routeKind = iota
	routeStatus
	routeHelp
	routeExplain
	routeHistory
)

// route is one subcommand of /mailsetup (or of a mention). The table
// below is the only list: parsing and help are both made from it.
type route struct {
	// word selects the route; "" is the default route (a domain).
	word string
	// aliases also select it.
	aliases []string
	kind    routeKind
	// args are the arguments as the help shows them.
	args string
	// summary is the help line's text.
	summary messages.Phrase
	// examples are shown under the help, as typed after the command.
	examples []string
	// runsChecks routes count against the user's rate limit.
	runsChecks bool
}

var routes = []route{
	{word: "", kind: routeCheck, args: "DOMAIN|EMAIL [outlook|thunderbird|apple|gmail|mobile] [fr|en]", summary: messages.PhraseHelpCheck,
		examples: []string{"client.fr", "jeanne@client.fr outlook", "client.fr en"}, runsChecks: true},
	{word: "status", aliases: []string{"statut", "état", "etat"}, kind: routeStatus, summary: messages.PhraseHelpStatus,
		examples: []string{"status"}, runsChecks: true},
	{word: "history", aliases: []string{"historique", "hist"}, kind: routeHistory, args: "DOMAIN", summary: messages.PhraseHelpHistory,
		examples: []string{"history client.fr"}},
	{word: "help", aliases: []string{"aide", "-h", "--help", "?"}, kind: routeHelp, summary: messages.PhraseHelpHelp},
	// What a customer saw: "/mailsetup client.fr <pasted bounce>" is
	// read as this route too (see parse).
	{word: "explain", aliases: []string{"expliquer", "diagnostic", "diag"}, kind: routeExplain, args: "[DOMAIN|EMAIL] TEXT",
		summary: messages.PhraseHelpExplain, examples: []string{"client.fr 550 5.7.26 This mail has been blocked…"}, runsChecks: true},
}

// invocation is a parsed command line.
type invocation struct {
	route *route
	// target is the parsed domain or address of a check; err explains
	// why the input was refused.
	target checks.Target
	err    *checks.InputError
	client messages.Client
	// lang is the language the command named, if any.
	lang messages.Lang
	// given and text are an explain's domain (or address) as typed, ""
	// to take it from the text, and the pasted text, Slack's markup
	// undone. The text is the customer's: never logged nor cached.
	given, text string
}

// mentionTag matches "<@U123>" and "<@U123|name>" in a mention's text.
var mentionTag = regexp.MustCompile(`<@[A-Z0-9]+(\|[^>]*)?>`)

// parse reads what follows /mailsetup (or the bot's mention).
func parse(text string, allowPrivate bool) invocation {
	text = mentionTag.ReplaceAllString(text, " ")
	words := strings.Fields(text)
	if len(words) == 0 {
		return invocation{route: routeFor(routeHelp)}
	}
	first := strings.ToLower(words[0])
	if inv, ok := parseExplain(text, first, allowPrivate); ok {
		return inv
	}
	for i := range routes {
		r := &routes[i]
		if r.word != "" && r.kind != routeExplain && (first == r.word || slices.ContainsFunc(r.aliases, func(a string) bool { return strings.EqualFold(a, first) })) {
			inv := invocation{route: r}
			if r.kind == routeHistory {
				return parseHistory(inv, words[1:], allowPrivate)
			}
			for _, w := range words[1:] {
				if l, ok := messages.ParseLang(w); ok && len(w) == 2 {
					inv.lang = l
				}
			}
			return inv
		}
	}
	inv := invocation{route: routeFor(routeCheck)}
	var extra []string
	for _, w := range words[1:] {
		if l, ok := messages.ParseLang(w); ok && isLangWord(w) {
			inv.lang = l
			continue
		}
		if c, ok := messages.ParseClient(w); ok {
			inv.client = c
			continue
		}
		extra = append(extra, w)
	}
	if len(extra) > 0 {
		inv.err = &checks.InputError{Reason: checks.InputSeveralWords, Input: strings.Join(words, " ")}
		return inv
	}
	inv.target, inv.err = parseTarget(words[0], allowPrivate)
	return inv
}

// parseHistory reads "history DOMAIN [fr|en]".
func parseHistory(inv invocation, words []string, allowPrivate bool) invocation {
	var rest []string
	for _, w := range words {
		if l, ok := messages.ParseLang(w); ok && isLangWord(w) {
			inv.lang = l
			continue
		}
		rest = append(rest, w)
	}
	switch len(rest) {
	case 0:
		inv.err = &checks.InputError{Reason: checks.InputEmpty}
	case 1:
		inv.target, inv.err = parseTarget(rest[0], allowPrivate)
	default:
		inv.err = &checks.InputError{Reason: checks.InputSeveralWords, Input: strings.Join(rest, " ")}
	}
	return inv
}

// parseTarget reads the domain or address of a check as Slack delivers
// it: Slack wraps what looks like a link or an address in its link
// markup, which is undone before the engine parses the plain text. The
// target's Input, and an error's, stay what the message held.
func parseTarget(word string, allowPrivate bool) (checks.Target, *checks.InputError) {
	plain := word
	if len(word) <= checks.MaxInput {
		plain = unwrapLink(word)
	}
	t, err := checks.ParseTarget(plain, allowPrivate)
	if err != nil {
		var ie *checks.InputError
		if !errors.As(err, &ie) {
			return checks.Target{}, &checks.InputError{Reason: checks.InputBadChar, Input: word}
		}
		if plain != word {
			ie.Input = word
		}
		return checks.Target{}, ie
	}
	t.Input = word
	return t, nil
}

// unwrapLink undoes Slack's link markup
// (https://api.slack.com/reference/surfaces/formatting#linking-urls):
// <http://x|x>, <mailto:a@x|a@x>, <x>.
func unwrapLink(s string) string {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		s = s[1 : len(s)-1]
		if i := strings.IndexByte(s, '|'); i >= 0 {
			s = s[:i]
		}
	}
	return s
}

// isLangWord keeps "fr" and "en" (and their long forms) as language
// choices, but not "fr-FR"-like words a domain could be confused with.
func isLangWord(w string) bool {
	return !strings.ContainsAny(w, ".@-_")
}

func routeFor(k routeKind) *route {
	for i := range routes {
		if routes[i].kind == k {
			return &routes[i]
		}
	}
	panic("bot: no route of kind")
}

// helpText is the usage, made from the route table.
func helpText(lang messages.Lang) string {
	var b strings.Builder
	b.WriteString(messages.Say(lang, messages.PhraseHelpTitle))
	b.WriteString("\n\n")
	for _, r := range routes {
		b.WriteString("• `")
		b.WriteString(command)
		if r.word != "" {
			b.WriteString(" " + r.word)
		}
		if r.args != "" {
			b.WriteString(" " + r.args)
		}
		b.WriteString("`: ")
		b.WriteString(messages.Say(lang, r.summary))
		b.WriteString("\n")
	}
	b.WriteString("\n")
	b.WriteString(messages.Say(lang, messages.PhraseHelpExamples))
	b.WriteString(":")
	for _, r := range routes {
		for _, e := range r.examples {
			b.WriteString(" `" + command + " " + e + "`")
		}
	}
	b.WriteString("\n")
	b.WriteString(messages.Say(lang, messages.PhraseHelpMention))
	return b.String()
}

// handlers of routes, once the language is known.
func (b *Bot) runRoute(ctx context.Context, r *request) {
	switch r.inv.route.kind {
	case routeHelp:
		b.answerHelp(ctx, r)
	case routeStatus:
		b.answerStatus(ctx, r)
	case routeExplain:
		b.answerExplain(ctx, r)
	case routeHistory:
		b.answerHistory(ctx, r)
	default:
		b.answerCheck(ctx, r, r.command == "rerun")
	}
}
