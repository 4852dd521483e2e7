package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pcmhosting/mailsetup/bot/slacktest"
	"github.com/pcmhosting/mailsetup/internal/pgtest"
	"github.com/pcmhosting/mailsetup/internal/syncbuf"
	"github.com/pcmhosting/mailsetup/lab"
)

// replica is one "mailsetup serve" of the two-replica test.
type replica struct {
	stderr syncbuf.Buffer
	done   chan int
}

// TestTwoReplicas runs two "mailsetup serve" against one fake Slack (two
// Socket Mode connections) and one PostgreSQL: an event delivered to
// both is answered once, a user's 11th check in a minute is refused
// whichever replica receives it, and the history one writes the other
// reads.
func TestTwoReplicas(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pg, err := pgtest.Start(ctx)
	if errors.Is(err, pgtest.ErrUnavailable) {
		t.Skipf("two replicas need PostgreSQL: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	dbURL, err := pg.NewDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, err := lab.Start(ctx, lab.Options{Scenarios: []string{"nxdomain"}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	s := slacktest.New()
	defer s.Close()
	env := map[string]string{"SLACK_APP_TOKEN": slacktest.AppToken, "SLACK_BOT_TOKEN": slacktest.BotToken, "SLACK_API_URL": s.URL,
		"MAILSETUP_RESOLVER": l.DNSAddr, "MAILSETUP_ALLOW_PRIVATE": "true", "MAILSETUP_TIMEOUT": "2s",
		"MAILSETUP_DATABASE_URL": dbURL, "MAILSETUP_LANG": "fr"}
	runCtx, stop := context.WithCancel(ctx)
	var reps [2]*replica
	for i := range reps {
		r := &replica{done: make(chan int, 1)}
		reps[i] = r
		go func() { r.done <- runServe(runCtx, nil, &syncbuf.Buffer{}, &r.stderr, envOf(env)) }()
		// One at a time, so that connection i is replica i's.
		if err := s.Wait(ctx, func(v slacktest.View) bool { return v.Connections() >= i+1 }); err != nil {
			t.Fatalf("replica %d did not connect: %v\n%s", i, err, r.stderr.String())
		}
	}
	defer func() {
		stop()
		for i, r := range reps {
			if code := <-r.done; code != exitOK {
				t.Errorf("replica %d exit %d\n%s", i, code, r.stderr.String())
			}
		}
	}()
	logs := func() string { return reps[0].stderr.String() + reps[1].stderr.String() }

	// 1. One event delivered on both connections (a retry Slack sent to
	// the other replica): one answer.
	mention := slacktest.Mention("U1", "C1", "nxdomain.lab.test", "1700000000.000100", "")
	for i := range reps {
		s.Route(i)
		if _, _, err := s.SendEvent(slacktest.Event{ID: "EvTwice", Inner: mention}); err != nil {
			t.Fatal(err)
		}
	}
	err = s.Wait(ctx, func(v slacktest.View) bool { return len(v.Calls("chat.postMessage")) >= 1 })
	if err != nil {
		t.Fatalf("%v\n%s", err, logs())
	}
	// The replica that lost the claim says so in its log (not a call
	// the fake sees): look until it does.
	for !strings.Contains(logs(), "dropped a duplicate event") {
		select {
		case <-ctx.Done():
			t.Fatalf("no replica dropped the duplicate\n%s", logs())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if n := len(s.Calls("chat.postMessage")); n != 1 {
		t.Errorf("the event was answered %d times; want once", n)
	}
	answered := 0
	for i, r := range reps {
		if strings.Contains(r.stderr.String(), `"domain":"nxdomain.lab.test"`) {
			answered = i
		}
	}
	t.Logf("event EvTwice: answered by replica %d, dropped as a duplicate by replica %d", answered, 1-answered)

	// 2. The history replica "answered" wrote, read by the other.
	s.Route(1 - answered)
	_, url, err := s.SendSlashCommand(slacktest.SlashCommand{User: "U1", Channel: "C1", Text: "history nxdomain.lab.test"})
	if err != nil {
		t.Fatal(err)
	}
	id := slacktest.ResponseID(url)
	var timeline string
	err = s.Wait(ctx, func(v slacktest.View) bool {
		for _, r := range v.Responses() {
			if r.ID == id {
				timeline = string(r.Blocks)
				return true
			}
		}
		return false
	})
	if err != nil || !strings.Contains(timeline, "Historique de nxdomain.lab.test (1 vérification)*") {
		t.Errorf("history asked of replica %d: %v\n%s", 1-answered, err, timeline)
	}
	for !strings.Contains(reps[1-answered].stderr.String(), `"command":"history"`) {
		select {
		case <-ctx.Done():
			t.Fatalf("replica %d did not answer the history:\n%s", 1-answered, logs())
		case <-time.After(10 * time.Millisecond):
		}
	}

	// The App Home of U1, opened on the other replica, lists the check.
	if _, _, err := s.SendEvent(slacktest.Event{Inner: slacktest.HomeOpened("U1")}); err != nil {
		t.Fatal(err)
	}
	err = s.Wait(ctx, func(v slacktest.View) bool {
		calls := v.Calls("views.publish")
		return len(calls) > 0 && strings.Contains(string(calls[len(calls)-1].JSON)+calls[len(calls)-1].Params.Encode(), "nxdomain.lab.test")
	})
	if err != nil {
		t.Errorf("the App Home on replica %d does not list U1's check: %v", 1-answered, err)
	}

	// 3. Ten checks of U2 spread over both replicas are taken; the 11th
	// is refused on either. Each is sent once the previous is acked, so
	// that they are taken in order.
	for i := range 12 {
		replica := i % 2
		s.Route(replica)
		env, _, err := s.SendSlashCommand(slacktest.SlashCommand{User: "U2", Channel: "C1", Text: "nxdomain.lab.test"})
		if err != nil {
			t.Fatal(err)
		}
		var ack string
		err = s.Wait(ctx, func(v slacktest.View) bool {
			for _, a := range v.Acks() {
				if a.EnvelopeID == env {
					ack = string(a.Payload)
					return true
				}
			}
			return false
		})
		if err != nil {
			t.Fatalf("check %d: %v\n%s", i+1, err, logs())
		}
		if refused := strings.Contains(ack, "beaucoup de vérifications"); refused != (i >= 10) {
			t.Errorf("check %d of U2, on replica %d: ack %s; refused %v, want %v", i+1, replica, ack, refused, i >= 10)
		}
	}
	t.Logf("U2: checks 1-10 taken (5 on each replica), the 11th refused by replica 0 and by replica 1")
}
