package bot

import (
	"os"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestManifest keeps deploy/slack-app-manifest.yaml in step with what the
// bot handles: its command, events, interactivity, Socket Mode and the
// scopes its calls need.
func TestManifest(t *testing.T) {
	raw, err := os.ReadFile("../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Features struct {
			AppHome struct {
				HomeTab bool `json:"home_tab_enabled"`
			} `json:"app_home"`
			Shortcuts []struct {
				Name       string `json:"name"`
				Type       string `json:"type"`
				CallbackID string `json:"callback_id"`
			} `json:"shortcuts"`
			SlashCommands []struct {
				Command   string `json:"command"`
				UsageHint string `json:"usage_hint"`
			} `json:"slash_commands"`
		} `json:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `json:"bot"`
			} `json:"scopes"`
		} `json:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `json:"bot_events"`
			} `json:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `json:"is_enabled"`
			} `json:"interactivity"`
			SocketMode bool `json:"socket_mode_enabled"`
		} `json:"settings"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if !m.Settings.SocketMode || !m.Settings.Interactivity.Enabled || !m.Features.AppHome.HomeTab {
		t.Errorf("Socket Mode %v, interactivity %v, home tab %v: want all on", m.Settings.SocketMode, m.Settings.Interactivity.Enabled, m.Features.AppHome.HomeTab)
	}
	if len(m.Features.SlashCommands) != 1 || m.Features.SlashCommands[0].Command != command {
		t.Fatalf("slash commands %+v, want %s", m.Features.SlashCommands, command)
	}
	for _, r := range routes {
		if r.word != "" && !strings.Contains(m.Features.SlashCommands[0].UsageHint, r.word) {
			t.Errorf("usage hint lacks %q", r.word)
		}
	}
	// The message shortcuts the bot handles (issue 13), one per language.
	var shortcuts []string
	for _, s := range m.Features.Shortcuts {
		if s.Type != "message" || s.Name == "" {
			t.Errorf("shortcut %+v: want a named message shortcut", s)
		}
		shortcuts = append(shortcuts, s.CallbackID)
	}
	if want := []string{ShortcutDiagnose, ShortcutDiagnoseEN}; !slices.Equal(shortcuts, want) {
		t.Errorf("shortcuts %v, want %v", shortcuts, want)
	}
	for _, e := range []string{"app_mention", "app_home_opened"} {
		if !slices.Contains(m.Settings.Events.Bot, e) {
			t.Errorf("event %s not subscribed", e)
		}
	}
	scopes := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot))
	want := []string{"app_mentions:read", "chat:write", "commands", "usergroups:read", "users:read"}
	if !slices.Equal(scopes, want) {
		t.Errorf("scopes %v, want exactly %v (no more than the bot uses)", scopes, want)
	}
}
