// Command slackdemo runs a real mailsetup binary's "serve" against the
// in-repo fake Slack (bot/slacktest) and the lab, types slash commands as
// a support agent would, and prints what Slack would show: the ack, then
// the answer. No Slack workspace is needed; everything is on 127.0.0.1.
//
//	go build -o /tmp/mailsetup ./cmd/mailsetup
//	go run ./scripts/slackdemo -bin /tmp/mailsetup good.lab.test "nxdomain.lab.test en" status help
//
// The lab's port map is the good scenario's, so the port checks of other
// lab domains reach good's servers; use good.lab.test for a full report
// and DNS-level scenarios (nxdomain, nomx…) for the rest.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/lab"
)

func main() {
	bin := flag.String("bin", "mailsetup", "the mailsetup `binary` to run")
	locale := flag.String("locale", "fr-FR", "the Slack user's `locale`")
	flag.Parse()
	cmds := flag.Args()
	if len(cmds) == 0 {
		cmds = []string{"good.lab.test", "help"}
	}
	if err := run(*bin, *locale, cmds); err != nil {
		fmt.Fprintln(os.Stderr, "slackdemo:", err)
		os.Exit(1)
	}
}

func run(bin, locale string, cmds []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	l, err := lab.Start(ctx, lab.Options{})
	if err != nil {
		return err
	}
	defer l.Close()
	good, _ := l.Scenario("good")
	var pairs []string
	for std, actual := range good.Profile.PortMap {
		pairs = append(pairs, fmt.Sprintf("%d:%d", std, actual))
	}
	slices.Sort(pairs)
	dir, err := os.MkdirTemp("", "slackdemo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ca := filepath.Join(dir, "lab-ca.pem")
	if err := os.WriteFile(ca, l.CAPEM, 0o600); err != nil {
		return err
	}
	s := slacktest.New()
	defer s.Close()
	s.AddUser(slacktest.User{ID: "U1", Name: "agent", Locale: locale})

	var logs strings.Builder
	serve := exec.Command(bin, "serve")
	serve.Env = append(os.Environ(),
		"SLACK_APP_TOKEN="+slacktest.AppToken, "SLACK_BOT_TOKEN="+slacktest.BotToken, "SLACK_API_URL="+s.URL,
		"MAILSETUP_RESOLVER="+l.DNSAddr, "MAILSETUP_ALLOW_PRIVATE=true", "MAILSETUP_TIMEOUT=2s",
		"MAILSETUP_PORT_MAP="+strings.Join(pairs, ","), "SSL_CERT_FILE="+ca,
		"MAILSETUP_FLEET=good.lab.test,nxdomain.lab.test")
	serve.Stderr = &logs
	if err := serve.Start(); err != nil {
		return err
	}
	defer serve.Process.Kill()
	if err := s.Wait(ctx, func(v slacktest.View) bool { return v.Connections() >= 1 }); err != nil {
		return fmt.Errorf("serve never connected: %w\n%s", err, logs.String())
	}
	fmt.Printf("mailsetup serve connected to the fake Slack (%s)\n", s.URL)
	for _, text := range cmds {
		start := time.Now()
		env, url, err := s.SendSlashCommand(slacktest.SlashCommand{User: "U1", Channel: "C1", Text: text})
		if err != nil {
			return err
		}
		id := slacktest.ResponseID(url)
		var ack slacktest.Ack
		var answer slacktest.Response
		err = s.Wait(ctx, func(v slacktest.View) bool {
			for _, a := range v.Acks() {
				if a.EnvelopeID == env {
					ack = a
				}
			}
			for _, r := range v.Responses() {
				if r.ID == id {
					answer = r
				}
			}
			return ack.EnvelopeID != "" && (answer.ID != "" || text == "" || ackIsFinal(ack))
		})
		if err != nil {
			return fmt.Errorf("/mailsetup %s: %w\n%s", text, err, logs.String())
		}
		fmt.Printf("\n══ /mailsetup %s\n── ack after %s: %s\n", text, ack.Latency.Round(time.Microsecond), texts(ack.Payload))
		if answer.ID != "" {
			fmt.Printf("── answer after %s (%s):\n%s\n", answer.At.Sub(start).Round(time.Millisecond), answer.ResponseType, texts(answer.Blocks))
		}
	}
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	err = serve.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("serve exited %d after SIGTERM\n%s", exit.ExitCode(), logs.String())
	}
	fmt.Printf("\nmailsetup serve stopped on SIGTERM, exit 0; %d log lines, %d audit lines\n",
		strings.Count(logs.String(), "\n"), strings.Count(logs.String(), `"msg":"audit"`))
	return err
}

// ackIsFinal: help and refused inputs are answered in the ack itself.
func ackIsFinal(a slacktest.Ack) bool {
	return len(a.Payload) > 0 && !strings.Contains(string(a.Payload), "…")
}

// texts prints the "text" fields of a Slack payload, as Slack shows them.
func texts(raw json.RawMessage) string {
	var doc any
	if json.Unmarshal(raw, &doc) != nil {
		return string(raw)
	}
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			if t, ok := x["text"].(string); ok {
				out = append(out, t)
			}
			for k, v := range x {
				if k != "text" || !isString(v) {
					walk(v)
				}
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(doc)
	return strings.Join(out, "\n")
}

func isString(v any) bool { _, ok := v.(string); return ok }
