package main

import (
	"slices"
	"strings"
	"testing"
)

// TestServeAccessSettings: who may run what is read from the
// environment; an id of the wrong shape is a one-line error naming its
// variable.
func TestServeAccessSettings(t *testing.T) {
	c, _ := defaults(envOf(nil))
	cfg, err := serveConfig(c, envOf(map[string]string{
		"MAILSETUP_ALLOWED_TEAMS":    "T0123ABCD",
		"MAILSETUP_ALLOWED_CHANNELS": "C0SUPPORT, G0PRIVATE",
		"MAILSETUP_STATUS_CHANNELS":  "C0ONCALL",
		"MAILSETUP_ONCALL_GROUP":     "S0ONCALL",
		"MAILSETUP_PER_USER":         "3",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.AllowedTeams, []string{"T0123ABCD"}) || !slices.Equal(cfg.AllowedChannels, []string{"C0SUPPORT", "G0PRIVATE"}) ||
		!slices.Equal(cfg.StatusChannels, []string{"C0ONCALL"}) || cfg.OnCallGroup != "S0ONCALL" || cfg.PerUser != 3 {
		t.Errorf("settings read: %+v", cfg)
	}
	for env, bad := range map[string]string{
		"MAILSETUP_ALLOWED_TEAMS":    "acme",
		"MAILSETUP_ALLOWED_CHANNELS": "#support",
		"MAILSETUP_STATUS_CHANNELS":  "C0ONCALL,<!here>",
		"MAILSETUP_ONCALL_GROUP":     "@oncall",
		"MAILSETUP_PER_USER":         "0",
	} {
		_, err := serveConfig(c, envOf(map[string]string{env: bad}))
		if err == nil || !strings.Contains(err.Error(), env) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=%q: error %v, want one line naming the variable", env, bad, err)
		}
	}
}

// TestNotifyTargetLimited: with MAILSETUP_STATUS_CHANNELS set, --notify
// posts only to one of them.
func TestNotifyTargetLimited(t *testing.T) {
	n := notifyConfig{channel: "C0RANDOM", token: "xoxb-1", statusChannels: []string{"C0ONCALL"}}
	if err := n.validate(false); err == nil || !strings.Contains(err.Error(), "MAILSETUP_STATUS_CHANNELS") {
		t.Errorf("--notify outside MAILSETUP_STATUS_CHANNELS: %v", err)
	}
	n.channel = "C0ONCALL"
	if err := n.validate(false); err != nil {
		t.Errorf("--notify in MAILSETUP_STATUS_CHANNELS: %v", err)
	}
}
