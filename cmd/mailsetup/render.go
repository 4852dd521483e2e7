package main

import (
	"fmt"
	"io"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
)

// renderReport writes one report in the configured format and language,
// with what changed since the previous checks of the domain (mem), the
// client guide (--client) and the customer reply (--reply) when asked
// for. It is the one place the CLI turns a report into output; every
// string from the network or the user is escaped by the messages
// renderers.
func renderReport(w io.Writer, rep *checks.Report, mem history.Memory, c config, color bool) error {
	v := messages.NewView(rep, messages.Lang(c.lang)).WithMemory(mem, c.history.clock())
	switch c.format {
	case "json":
		return messages.WriteJSON(w, reportJSON(rep, v, mem, c), "  ")
	case "blocks":
		// Pasteable into Slack's Block Kit Builder.
		return messages.WriteJSON(w, map[string]any{"blocks": blockkit.Render(v, blockkit.Options{})}, "  ")
	}
	if err := messages.RenderText(w, v, messages.TextOptions{Color: color, Width: messages.MaxWidth}); err != nil {
		return err
	}
	if c.client != "" && !c.reply {
		fmt.Fprintln(w)
		if err := messages.RenderGuideText(w, messages.ClientGuide(v.Settings, c.client, v.Lang)); err != nil {
			return err
		}
	}
	if c.reply {
		// The reply carries the client's guide when one is asked for.
		fmt.Fprintln(w)
		return messages.RenderReplyText(w, v.Words.CustomerReply, customerReply(rep, v, mem, c))
	}
	return nil
}

// reportJSON is the JSON report of rep, with the client guide and the
// customer reply when asked for.
func reportJSON(rep *checks.Report, v *messages.View, mem history.Memory, c config) messages.JSONReport {
	js := v.JSON()
	if c.client != "" {
		js.ClientGuide = messages.ClientGuide(v.Settings, c.client, v.Lang).JSON()
	}
	if c.reply {
		js.CustomerReply = customerReply(rep, v, mem, c)
	}
	return js
}

// customerReply is the reply to paste for the customer, opening with
// what the customer changed in the DNS when the history says
// ("Nous constatons que votre enregistrement MX a été modifié hier
// soir.").
func customerReply(rep *checks.Report, v *messages.View, mem history.Memory, c config) string {
	reply := messages.CustomerReply(rep, v.Lang, c.client)
	if s := messages.ReplyChanges(mem, c.history.clock(), v.Lang); s != "" {
		reply = s + "\n\n" + reply
	}
	return reply
}

// writeJSONLine writes one report as one line: the JSON report, or the
// blocks with --format blocks (JSON Lines, as check --file and demo).
func writeJSONLine(w io.Writer, rep *checks.Report, mem history.Memory, c config) error {
	v := messages.NewView(rep, messages.Lang(c.lang)).WithMemory(mem, c.history.clock())
	if c.format == "blocks" {
		return messages.WriteJSON(w, map[string]any{"domain": rep.Target.Domain, "blocks": blockkit.Render(v, blockkit.Options{})}, "")
	}
	return messages.WriteJSON(w, reportJSON(rep, v, mem, c), "")
}

// writeBatchLine writes one report of a --file run: a JSON object per
// line (the report, or its blocks), or one line of text per domain.
func writeBatchLine(w io.Writer, rep *checks.Report, mem history.Memory, c config) {
	if c.format != "text" {
		writeJSONLine(w, rep, mem, c)
		return
	}
	line := fmt.Sprintf("%-40s %-5s", rep.Target.Domain, rep.Status)
	for _, r := range rep.Results {
		if r.Status == checks.StatusFail || r.Status == checks.StatusError {
			line += fmt.Sprintf(" %s:%s", r.ID, r.Status)
		}
	}
	if mem.Unavailable {
		line += " history:unavailable"
	}
	for _, e := range mem.Events {
		if e.Checks <= 1 {
			line += fmt.Sprintf(" changed:%s", e.Kind)
		}
	}
	fmt.Fprintln(w, messages.Clean(line))
}

// writeInvalid reports an input of a --file run that cannot be checked.
func writeInvalid(w io.Writer, line string, err error, c config) {
	msg := err.Error()
	if ie, ok := err.(*checks.InputError); ok {
		msg = messages.InputMessage(messages.Lang(c.lang), ie, "mailsetup check")
	}
	if c.format != "text" {
		messages.WriteJSON(w, map[string]string{"input": line, "error": msg}, "")
		return
	}
	fmt.Fprintf(w, "%-40s invalid: %s\n", messages.Clean(line), messages.Clean(msg))
}

// printInputError explains a refused input in the user's language, in
// one line escaped for the terminal, and returns exit code 2.
func printInputError(w io.Writer, err *checks.InputError, lang string) int {
	fmt.Fprintf(w, "mailsetup: %s\n", messages.Clean(messages.InputMessage(messages.Lang(lang), err, "mailsetup check")))
	return exitUsage
}
