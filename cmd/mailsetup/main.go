// Command mailsetup checks a customer's mail setup against the company
// guide ("Boîte mails Basic") and says, for each fault, what to do.
//
// Usage:
//
//	mailsetup check [flags] DOMAIN|EMAIL   run every check once and print the report
//	mailsetup check [flags] --file FILE    check many domains (one per line, - for stdin)
//	mailsetup explain [flags] [DOMAIN]     what a bounce or a client error means (text on stdin or --text FILE)
//	mailsetup history DOMAIN               the domain's last checks as a timeline of its changes
//	mailsetup demo [--all] [--lang L] [--format F]  start the embedded lab and check it
//	mailsetup serve                        the Slack bot (Socket Mode)
//	mailsetup health                       ask a running mailsetup's /healthz (container HEALTHCHECK)
//	mailsetup version                      version, commit, Go version
//
// Flags of check (each with its environment variable):
//
//	--format text|json|blocks                      output format (text)
//	--lang fr|en            MAILSETUP_LANG         language of the report (fr)
//	--resolver HOST:PORT    MAILSETUP_RESOLVER     DNS resolver (/etc/resolv.conf)
//	--allow-private         MAILSETUP_ALLOW_PRIVATE=true  allow loopback/private targets
//	--timeout DUR           MAILSETUP_TIMEOUT      timeout of each network step (5s)
//	--host HOST                                    mail host (the domain itself)
//	--dkim-selectors a,b    MAILSETUP_DKIM_SELECTORS  extra DKIM selectors
//	--ehlo-name FQDN        MAILSETUP_EHLO_NAME    name the SMTP probes give in EHLO
//	--parallel N                                   domains checked at once with --file (16)
//	--port-map 993:10993,…                         dial other ports than the standard ones
//	--profile FILE          MAILSETUP_PROFILE      provider profile (deploy/profile.example.yaml; check, serve, demo)
//	--client APP                                   after the report, the guide of outlook, thunderbird, apple, gmail or mobile
//	--reply                                        after the report, the paste-ready customer reply
//	--listen ADDR           MAILSETUP_LISTEN       serve /healthz, /readyz, /metrics while running
//	--shard I/N                                    with --file, check only share I of N (stable split by domain)
//	--notify CHANNEL                               post the failures to Slack (SLACK_BOT_TOKEN)
//	--notify-on fail|change|always                 when to post (fail)
//	--previous FILE                                the previous run's JSON lines, for --notify-on change
//	--exit-zero                                    exit 0 when the run completes, even with failing checks
//
// Errors are one line on stderr, in the language of --lang or
// MAILSETUP_LANG; whatever came from the user or the network is escaped
// for the terminal. "mailsetup check -h" lists the flags, the exit codes
// and every variable.
//
// Logs go to stderr, JSON when it is not a terminal, at MAILSETUP_LOG_LEVEL
// (debug, info, warn, error); Slack tokens are never logged.
//
// Exit codes: 0 no failing check, 1 at least one failing check, 2 usage
// error or invalid input, 3 a check could not be completed (e.g. the
// resolver failed) or the notification could not be posted, and none
// failed.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes of docs/contract.md, in one place.
const (
	exitOK      = 0
	exitFail    = 1
	exitUsage   = 2
	exitErrored = 3
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

const usage = `usage:
  mailsetup check [flags] DOMAIN|EMAIL
  mailsetup check [flags] --file FILE|-
  mailsetup explain [flags] [DOMAIN|EMAIL] [--text FILE|-]
  mailsetup history [--limit N] [--format text|json] DOMAIN
  mailsetup demo
  mailsetup serve        (SLACK_APP_TOKEN and SLACK_BOT_TOKEN in the environment)
  mailsetup health       (asks a running mailsetup's /healthz: MAILSETUP_LISTEN)
  mailsetup version
Run "mailsetup check -h" for the flags.
`

// run is the whole program, minus the process: tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runCheck(ctx, args[1:], stdin, stdout, stderr, getenv)
	case "explain":
		return runExplain(ctx, args[1:], stdin, stdout, stderr, getenv)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr, getenv)
	case "history":
		return runHistory(ctx, args[1:], stdout, stderr, getenv)
	case "demo":
		return runDemo(ctx, args[1:], stdout, stderr, getenv)
	case "health":
		return runHealth(ctx, args[1:], stdout, stderr, getenv)
	case "version", "--version", "-version":
		if err := noArgs(args[1:], "mailsetup help"); err != nil {
			say(stderr, userLang(args, getenv), err)
			return exitUsage
		}
		printVersion(stdout)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	sayf(stderr, "mailsetup: unknown command %q", args[0])
	fmt.Fprint(stderr, usage)
	return exitUsage
}
