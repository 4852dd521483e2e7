package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pcmhosting/mailsetup/bot/blockkit"
	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/history"
	"github.com/pcmhosting/mailsetup/messages"
)

// renderReport writes one report in the configured format and language.
// It is the one place the CLI turns a report into output.
func renderReport(w io.Writer, rep *checks.Report, mem history.Memory, c config, color bool) error {
	v := messages.NewView(rep, messages.Lang(c.lang)).WithMemory(mem, c.history.clock())
	switch c.format {
	case "json":
		return messages.RenderJSON(w, v)
	case "blocks":
		// Pasteable into Slack's Block Kit Builder.
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"blocks": blockkit.Render(v, blockkit.Options{})})
	}
	return messages.RenderText(w, v, messages.TextOptions{Color: color, Width: messages.MaxWidth})
}

// writeBatchLine writes one report of a --file run: a JSON object per
// line, or one line of text per domain.
func writeBatchLine(w io.Writer, rep *checks.Report, mem history.Memory, c config) {
	v := messages.NewView(rep, messages.Lang(c.lang)).WithMemory(mem, c.history.clock())
	if c.format == "json" {
		// RenderJSON may indent; a batch wants one object per line.
		line, err := json.Marshal(v.JSON())
		if err == nil {
			fmt.Fprintf(w, "%s\n", line)
		}
		return
	}
	fmt.Fprintf(w, "%-40s %-5s", rep.Target.Domain, rep.Status)
	for _, r := range rep.Results {
		if r.Status == checks.StatusFail || r.Status == checks.StatusError {
			fmt.Fprintf(w, " %s:%s", r.ID, r.Status)
		}
	}
	if mem.Unavailable {
		fmt.Fprint(w, " history:unavailable")
	}
	for _, e := range mem.Events {
		if e.Checks <= 1 {
			fmt.Fprintf(w, " changed:%s", e.Kind)
		}
	}
	fmt.Fprintln(w)
}

// writeInvalid reports an input of a --file run that cannot be checked.
func writeInvalid(w io.Writer, line string, err error, c config) {
	msg := err.Error()
	if ie, ok := err.(*checks.InputError); ok {
		msg = messages.InputMessage(messages.Lang(c.lang), ie, "mailsetup check")
	}
	if c.format == "json" {
		b, _ := json.Marshal(map[string]string{"input": line, "error": msg})
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	fmt.Fprintf(w, "%-40s invalid: %s\n", line, msg)
}

// printInputError explains a refused input in the user's language and
// returns exit code 2.
func printInputError(w io.Writer, err *checks.InputError, lang string) int {
	fmt.Fprintf(w, "mailsetup: %s\n", messages.InputMessage(messages.Lang(lang), err, "mailsetup check"))
	return exitUsage
}
