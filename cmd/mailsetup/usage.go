package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/pcmhosting/mailsetup/messages"
)

// checkHelp is the command that lists check's flags, named by the
// one-line errors.
const checkHelp = "mailsetup check -h"

// userLang is the language of the CLI's own lines before the flags are
// validated: the last --lang of args, else MAILSETUP_LANG, else French.
// A value neither names is French, the guide's language.
func userLang(args []string, getenv func(string) string) messages.Lang {
	given := getenv("MAILSETUP_LANG")
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			value = args[i+1]
		}
		given = value
	}
	if l, ok := messages.ParseLang(given); ok {
		return l
	}
	return messages.FR
}

// say writes err as one line on w, in lang when it is a mistake the
// catalog words, escaped for a terminal whatever it carries.
func say(w io.Writer, lang messages.Lang, err error) {
	msg := messages.Clean(err.Error())
	var ue *usageErr
	if errors.As(err, &ue) && ue.key != "" {
		msg = messages.UsageMessage(lang, ue.key, ue.name, ue.value, cmp.Or(ue.help, checkHelp))
	}
	fmt.Fprintf(w, "mailsetup: %s\n", msg)
}

// The error texts of the flag package, read back into usage errors.
var (
	flagUndefined = regexp.MustCompile(`^flag provided but not defined: (-\S*)$`)
	flagNoValue   = regexp.MustCompile(`^flag needs an argument: (-\S*)$`)
	flagBadValue  = regexp.MustCompile(`(?s)^invalid (?:boolean )?value "(.*)" for (?:flag )?-(\S+): (.*)$`)
	flagBadSyntax = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// wantOf is what each flag whose value the flag package parses wants.
var wantOf = map[string]messages.UsageKey{
	"timeout":       messages.UsageWantDuration,
	"parallel":      messages.UsageWantNumber,
	"allow-private": messages.UsageWantBool,
	"exit-zero":     messages.UsageWantBool,
	"all":           messages.UsageWantBool,
	"reply":         messages.UsageWantBool,
	"port-map":      messages.UsageWantPortMap,
	"client":        messages.UsageWantClient,
}

// flagError turns an error of flag.FlagSet.Parse into a usage error the
// catalog words ("--timeout "5": want a duration such as 5s") when it
// knows the mistake, into the flag package's own line otherwise.
func flagError(err error) error {
	s := err.Error()
	if m := flagUndefined.FindStringSubmatch(s); m != nil {
		return &usageErr{key: messages.UsageUnknownFlag, name: "-" + m[1]}
	}
	if m := flagNoValue.FindStringSubmatch(s); m != nil {
		return &usageErr{key: messages.UsageNeedsValue, name: "-" + m[1]}
	}
	if m := flagBadSyntax.FindStringSubmatch(s); m != nil {
		return &usageErr{key: messages.UsageUnknownFlag, name: m[1]}
	}
	if m := flagBadValue.FindStringSubmatch(s); m != nil {
		if key, ok := wantOf[m[2]]; ok {
			return &usageErr{key: key, name: "--" + m[2], value: m[1]}
		}
		return &usageErr{msg: "--" + m[2] + " " + fmt.Sprintf("%q", m[1]) + ": " + m[3]}
	}
	return &usageErr{msg: s}
}

// parseFlags parses args with fs, which prints nothing: the errors are
// one line each, said by the caller. It returns flag.ErrHelp for -h.
func parseFlags(fs *flag.FlagSet, args []string, interspersed bool) ([]string, error) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if interspersed {
		positional, err := parseInterspersed(fs, args)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			return nil, flagError(err)
		}
		return positional, err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, flagError(err)
	}
	return fs.Args(), nil
}

// noArgs refuses arguments a command does not take; help is the command
// that says what it takes.
func noArgs(rest []string, help string) error {
	if len(rest) > 0 {
		return &usageErr{key: messages.UsageUnknownArg, value: strings.Join(rest, " "), help: help}
	}
	return nil
}

// checkManual is the end of "mailsetup check -h": the exit codes and
// every environment variable of docs/contract.md.
const checkManual = `
Input: a domain (client.com), an address (jane@client.com: its domain is
checked, the address is the username), a mailto: or a web address.
IP addresses, ports, single labels and special-use names (localhost,
.local, .internal, .invalid, .test, .example) are refused; --allow-private
lets the special-use names and private addresses through (a lab).

Exit codes:
  0  no failing check (pass or warn); with --exit-zero, the run completed
  1  at least one failing check
  2  usage error or invalid input
  3  a check could not be completed (the resolver failed, say) or the
     notification could not be posted, and none failed

Environment (flags win over variables):
  MAILSETUP_LANG            fr or en (--lang)
  MAILSETUP_RESOLVER        HOST:PORT (--resolver)
  MAILSETUP_ALLOW_PRIVATE   true or false (--allow-private)
  MAILSETUP_TIMEOUT         a duration such as 5s (--timeout)
  MAILSETUP_DKIM_SELECTORS  a,b (--dkim-selectors)
  MAILSETUP_EHLO_NAME       FQDN (--ehlo-name)
  MAILSETUP_PORT_MAP        993:10993,… (--port-map)
  MAILSETUP_LISTEN          ADDR (--listen)
  MAILSETUP_LOG_LEVEL       debug, info, warn or error (info)
  SLACK_BOT_TOKEN           xoxb-…, for --notify (and serve)
  SLACK_API_URL             Slack's Web API, for --notify (and serve)
  NO_COLOR                  no colour on a terminal
  MAILSETUP_STATE           the history, a SQLite file (~/.local/state/mailsetup/state.db); off keeps none
  MAILSETUP_DATABASE_URL    the history in PostgreSQL instead, shared by replicas (never logged)
  MAILSETUP_RETENTION       how long checks are kept (90d; pruned by serve)
  MAILSETUP_TIMEZONE        the time zone changes are dated in (Europe/Paris)
  serve only: SLACK_APP_TOKEN, MAILSETUP_FLEET, MAILSETUP_FLEET_FILE,
              MAILSETUP_RATE, MAILSETUP_WORKERS, MAILSETUP_PER_USER,
              MAILSETUP_ALLOWED_TEAMS, MAILSETUP_ALLOWED_CHANNELS,
              MAILSETUP_STATUS_CHANNELS, MAILSETUP_ONCALL_GROUP
`

// printCheckHelp is "mailsetup check -h", on w.
func printCheckHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, "usage: mailsetup check [flags] DOMAIN|EMAIL\n       mailsetup check [flags] --file FILE|-\n\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprint(w, checkManual)
}

// sayf writes one formatted line on w, escaped for a terminal: the
// values it carries may be the user's or the network's.
func sayf(w io.Writer, format string, a ...any) {
	fmt.Fprintln(w, messages.Clean(strings.TrimSuffix(fmt.Sprintf(format, a...), "\n")))
}
