package blockkit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/lookup"
	"github.com/pcmhosting/mailsetup/checks/suite"
	"github.com/pcmhosting/mailsetup/lab"
	"github.com/pcmhosting/mailsetup/messages"
)

// TestLabReports renders the real engine's report of every lab scenario,
// in both languages and with every client guide, and holds each message
// to Slack's limits, with no placeholder left and nothing unescaped.
func TestLabReports(t *testing.T) {
	l, err := lab.Start(context.Background(), lab.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r, err := suite.New(suite.Config{
		Resolver:     lookup.NewClient(l.DNSAddr, 2*time.Second),
		RootCAs:      l.RootCAs,
		Timeout:      2 * time.Second,
		AllowPrivate: true,
		EHLOName:     "checker.lab.test",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range l.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			tg, err := checks.ParseTarget("jane@"+s.Domain, true)
			if err != nil {
				t.Fatal(err)
			}
			rep := r.Run(context.Background(), suite.Request{Target: tg, Profile: &s.Profile})
			for _, lang := range messages.Langs {
				v := messages.NewView(rep, lang)
				blocks := Render(v, Options{})
				checkLimits(t, blocks)
				checkLimits(t, Reply(v.Words.CustomerReply, messages.CustomerReply(rep, lang, messages.Generic)))
				for _, c := range messages.Clients {
					checkLimits(t, Guide(messages.ClientGuide(v.Settings, c, lang)))
				}
				all := strings.Join(texts(t, blocks), "\n")
				if !strings.Contains(all, s.Domain) {
					t.Errorf("%s: the blocks never name %s", lang, s.Domain)
				}
				for _, bad := range []string{"{domain}", "{host}", "{port}", "<!", "<http"} {
					if strings.Contains(all, bad) {
						t.Errorf("%s: blocks contain %q", lang, bad)
					}
				}
			}
		})
	}
}
