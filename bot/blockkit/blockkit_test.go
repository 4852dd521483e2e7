package blockkit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

func marshal(t *testing.T, blocks []slack.Block) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(slack.Blocks{BlockSet: blocks}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGolden renders every sample in both languages.
func TestGolden(t *testing.T) {
	for _, s := range sample.All() {
		for _, lang := range messages.Langs {
			t.Run(s.Name+"/"+string(lang), func(t *testing.T) {
				v := messages.NewView(s.Report, lang)
				golden.Check(t, s.Name+"."+string(lang)+".blocks.golden", marshal(t, Render(v, Options{})))
			})
		}
	}
}

// TestGoldenExtras renders the smaller block sets: guide, reply, input
// error, help.
func TestGoldenExtras(t *testing.T) {
	rep := sample.SMTP465Closed()
	for _, lang := range messages.Langs {
		l := string(lang)
		v := messages.NewView(rep, lang)
		t.Run("guide/"+l, func(t *testing.T) {
			golden.Check(t, "guide-apple."+l+".blocks.golden", marshal(t, Guide(messages.ClientGuide(v.Settings, messages.Apple, lang))))
		})
		t.Run("reply/"+l, func(t *testing.T) {
			golden.Check(t, "reply."+l+".blocks.golden", marshal(t, Reply(v.Words.CustomerReply, messages.CustomerReply(rep, lang, messages.Outlook))))
		})
		t.Run("input/"+l, func(t *testing.T) {
			_, err := checks.ParseTarget("foo bar", false)
			ie, ok := err.(*checks.InputError)
			if !ok {
				t.Fatalf("ParseTarget(foo bar) = %v, want an *InputError", err)
			}
			golden.Check(t, "input-error."+l+".blocks.golden", marshal(t, InputError(lang, ie, "/mailsetup")))
		})
	}
}

// huge builds a report past every limit: sixty causes, each with a
// detail of ten thousand characters, on a domain and address at their
// longest.
func huge() *checks.Report {
	rep := sample.Good()
	label := strings.Repeat("a", 63)
	domain := label + "." + label + "." + label + "." + strings.Repeat("b", 57) + ".com"
	rep.Target = sample.Target(domain, strings.Repeat("j", 64)+"@"+domain)
	long := strings.Repeat("<!channel> & `x` ```y``` ", 400)
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.ID != checks.IMAP993 && r.ID != checks.SMTP25 {
			continue
		}
		for j := 0; j < 30; j++ {
			r.Add(checks.Finding{Code: checks.AllCodes[j%len(checks.AllCodes)], Severity: checks.SeverityFail, Detail: long,
				Params: map[string]string{"host": "mx" + strconv.Itoa(i*100+j) + "." + domain, "port": "993", "record": long}})
		}
	}
	rep.Status = checks.Overall(rep.Results)
	return rep
}

// TestLimits renders every sample, and a report past every limit, and
// checks each message against Slack's limits.
func TestLimits(t *testing.T) {
	reps := sample.All()
	reps = append(reps, sample.Scenario{Name: "hostile", Report: sample.Hostile()}, sample.Scenario{Name: "huge", Report: huge()})
	for _, s := range reps {
		for _, lang := range messages.Langs {
			for _, opts := range []Options{{}, {Shared: true, Client: messages.Apple}, {NoActions: true}} {
				t.Run(s.Name+"/"+string(lang), func(t *testing.T) {
					v := messages.NewView(s.Report, lang)
					checkLimits(t, Render(v, opts))
					checkLimits(t, Reply(v.Words.CustomerReply, messages.CustomerReply(s.Report, lang, messages.Generic)))
					for _, c := range messages.Clients {
						checkLimits(t, Guide(messages.ClientGuide(v.Settings, c, lang)))
					}
				})
			}
		}
	}
	t.Run("huge folds", func(t *testing.T) {
		v := messages.NewView(huge(), messages.FR)
		if len(v.Remedies) < MaxBlocks {
			t.Fatalf("huge has %d remedies, want at least %d to test folding", len(v.Remedies), MaxBlocks)
		}
		blocks := Render(v, Options{})
		if _, ok := blocks[len(blocks)-1].(*slack.ActionBlock); !ok {
			t.Errorf("last block is %T, want the actions kept", blocks[len(blocks)-1])
		}
	})
}

func checkLimits(t *testing.T, blocks []slack.Block) {
	t.Helper()
	if n := len(blocks); n == 0 || n > MaxBlocks {
		t.Errorf("%d blocks, want 1 to %d", n, MaxBlocks)
	}
	text := func(what string, o *slack.TextBlockObject, limit int) {
		if o == nil {
			t.Errorf("%s: no text", what)
			return
		}
		if n := utf8.RuneCountInString(o.Text); n == 0 || n > limit {
			t.Errorf("%s: %d characters, want 1 to %d", what, n, limit)
		}
	}
	for i, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			text("header", b.Text, MaxHeaderText)
		case *slack.SectionBlock:
			if b.Text != nil {
				text("section", b.Text, MaxSectionText)
				if strings.Count(b.Text.Text, "```")%2 != 0 {
					t.Errorf("block %d: unbalanced code block: %q", i, b.Text.Text)
				}
			}
			if len(b.Fields) > MaxFields {
				t.Errorf("block %d: %d fields, want at most %d", i, len(b.Fields), MaxFields)
			}
			for _, f := range b.Fields {
				text("field", f, MaxFieldText)
			}
		case *slack.ContextBlock:
			if n := len(b.ContextElements.Elements); n == 0 || n > MaxContextElements {
				t.Errorf("block %d: %d context elements", i, n)
			}
			for _, e := range b.ContextElements.Elements {
				if o, ok := e.(*slack.TextBlockObject); ok {
					text("context", o, MaxSectionText)
				}
			}
		case *slack.ActionBlock:
			if n := len(b.Elements.ElementSet); n == 0 || n > MaxActionElements {
				t.Errorf("block %d: %d action elements", i, n)
			}
			for _, e := range b.Elements.ElementSet {
				switch e := e.(type) {
				case *slack.ButtonBlockElement:
					text("button", e.Text, MaxButtonText)
					if len(e.Value) > MaxButtonValue {
						t.Errorf("button %s: value of %d bytes", e.ActionID, len(e.Value))
					}
				case *slack.SelectBlockElement:
					for _, o := range e.Options {
						text("option", o.Text, MaxButtonText)
						if len(o.Value) > MaxOptionValue {
							t.Errorf("option value of %d bytes", len(o.Value))
						}
					}
				}
			}
		case *slack.DividerBlock:
		default:
			t.Errorf("block %d: unexpected %T", i, b)
		}
	}
}

// texts collects every "text" string of the blocks' JSON.
func texts(t *testing.T, blocks []slack.Block) []string {
	t.Helper()
	var doc any
	if err := json.Unmarshal(marshal(t, blocks), &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, v := range x {
				if s, ok := v.(string); ok && k == "text" {
					out = append(out, s)
				}
				walk(v)
			}
		case []any:
			for _, v := range x {
				walk(v)
			}
		}
	}
	walk(doc)
	return out
}

// TestEscaping injects markup through a banner, a record, a domain and
// an address: it must come out as text, with no raw "<" or ">" left
// anywhere Slack reads markup.
func TestEscaping(t *testing.T) {
	hostileTarget := sample.Hostile()
	hostileTarget.Target = sample.Target("<!here>.client.com", "<@U0ADMIN>@client.com")
	hostileTarget.Target.Host = "<https://evil.example|client.com>"
	for name, rep := range map[string]*checks.Report{"banner and record": sample.Hostile(), "target": hostileTarget} {
		for _, lang := range messages.Langs {
			t.Run(name+"/"+string(lang), func(t *testing.T) {
				v := messages.NewView(rep, lang)
				sets := map[string][]slack.Block{
					"render": Render(v, Options{}),
					"reply":  Reply(v.Words.CustomerReply, messages.CustomerReply(rep, lang, messages.Outlook)),
					"guide":  Guide(messages.ClientGuide(v.Settings, messages.Thunderbird, lang)),
				}
				for set, blocks := range sets {
					all := strings.Join(texts(t, blocks), "\n")
					if strings.ContainsAny(all, "<>") {
						t.Errorf("%s: raw < or > in the text:\n%s", set, all)
					}
				}
				all := strings.Join(texts(t, sets["render"]), "\n")
				for _, want := range []string{"&lt;!channel&gt;", "&lt;https://evil.example/|click here&gt;", "&amp; go away"} {
					if name == "banner and record" && !strings.Contains(all, want) {
						t.Errorf("render lacks %q", want)
					}
				}
				if name == "target" && !strings.Contains(all, "&lt;!here&gt;.client.com") {
					t.Errorf("render lacks the escaped domain")
				}
				// The fallback is plain text: the poster escapes it.
				if fb := Escape(Fallback(v)); strings.ContainsAny(fb, "<>") {
					t.Errorf("escaped fallback text %q has raw markup", fb)
				}
			})
		}
	}
}

// TestActions checks the stable action ids and the options.
func TestActions(t *testing.T) {
	v := messages.NewView(sample.Good(), messages.EN)
	ids := func(blocks []slack.Block) []string {
		var out []string
		for _, b := range blocks {
			a, ok := b.(*slack.ActionBlock)
			if !ok {
				continue
			}
			for _, e := range a.Elements.ElementSet {
				switch e := e.(type) {
				case *slack.ButtonBlockElement:
					out = append(out, e.ActionID)
				case *slack.SelectBlockElement:
					out = append(out, e.ActionID)
				}
			}
		}
		return out
	}
	tests := []struct {
		name string
		view *messages.View
		opts Options
		want []string
	}{
		{"default", v, Options{}, []string{ActionRerun, ActionClientGuide, ActionCustomerReply, ActionShare}},
		{"shared", v, Options{Shared: true}, []string{ActionRerun, ActionClientGuide, ActionCustomerReply}},
		{"no actions", v, Options{NoActions: true}, nil},
		{"target too long for a menu", messages.NewView(huge(), messages.EN), Options{}, []string{ActionRerun, ActionCustomerReply, ActionShare}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ids(Render(tt.view, tt.opts))); diff != "" {
				t.Errorf("action ids (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("value", func(t *testing.T) {
		blocks := Render(v, Options{Client: messages.Gmail})
		a := blocks[len(blocks)-1].(*slack.ActionBlock)
		got, err := DecodeValue(a.Elements.ElementSet[0].(*slack.ButtonBlockElement).Value)
		if err != nil {
			t.Fatal(err)
		}
		want := Value{Target: "jane@client.com", Lang: messages.EN, Client: messages.Gmail}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("button value (-want +got):\n%s", diff)
		}
		sel := a.Elements.ElementSet[1].(*slack.SelectBlockElement)
		if sel.InitialOption == nil || !strings.Contains(sel.InitialOption.Value, `"c":"gmail"`) {
			t.Errorf("initial option = %+v, want gmail", sel.InitialOption)
		}
	})
}

func TestDecodeValue(t *testing.T) {
	tests := []struct {
		in      string
		want    Value
		wantErr bool
	}{
		{`{"t":"client.com","l":"fr"}`, Value{Target: "client.com", Lang: messages.FR}, false},
		{`{"t":"jane@client.com","h":"mail.client.com","l":"EN","c":"iphone"}`, Value{Target: "jane@client.com", Host: "mail.client.com", Lang: messages.EN, Client: messages.Apple}, false},
		{`{"l":"fr"}`, Value{}, true},
		{`{"t":"client.com","l":"de"}`, Value{}, true},
		{`{"t":"client.com","l":"fr","c":"lotus"}`, Value{}, true},
		{`not json`, Value{}, true},
		{`{"t":"` + strings.Repeat("a", MaxButtonValue) + `","l":"fr"}`, Value{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 40)], func(t *testing.T) {
			got, err := DecodeValue(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("DecodeValue error = %v, want error %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdefghij", 5, "abcd…"},
		{"ab&lt;cdef", 5, "ab…"},
		{"ab&lt;cdef", 7, "ab&lt;…"},
		{"x```code that goes on```", 12, "x```code…```"},
		{"éééééé", 4, "ééé…"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := truncate(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > tt.n {
				t.Errorf("truncate(%q, %d) has %d characters", tt.in, tt.n, n)
			}
		})
	}
}

var unescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", zwsp, "")

// FuzzEscape: Escape never lets a "<" or ">" through, leaves no
// formatting character that could pair up on its line without a
// zero-width space on each side, and no
// emoji shortcode, loses nothing, and truncating escaped text never
// leaves half an entity.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "<!channel>", "<https://evil.example|click>", "a & b", "&lt;", "<@U123> <#C1|x>", "```<>```", "é<ü>", "*URGENT*_:rotating_light:_call_+1-555", "~x~ `y` :a:b:"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		e := Escape(s)
		if strings.ContainsAny(e, "<>") {
			t.Fatalf("Escape(%q) = %q keeps markup", s, e)
		}
		for _, l := range strings.Split(e, "\n") {
			bare := strings.ReplaceAll(l, zwsp, "")
			for i := range len(bare) {
				if canFormat(bare, i) && !strings.Contains(l, zwsp+string(bare[i])+zwsp) {
					t.Fatalf("Escape(%q) = %q leaves %q able to format", s, e, bare[i])
				}
			}
		}
		if shortcode.MatchString(strings.ReplaceAll(e, zwsp+"_"+zwsp, "_")) {
			t.Fatalf("Escape(%q) = %q leaves an emoji shortcode", s, e)
		}
		if got := unescape.Replace(e); got != strings.ReplaceAll(s, zwsp, "") {
			t.Fatalf("Escape(%q) = %q does not read back (%q)", s, e, got)
		}
		n = 2 + abs(n)%200
		tr := truncate(e, n)
		if utf8.RuneCountInString(tr) > n {
			t.Fatalf("truncate(%q, %d) = %q is too long", e, n, tr)
		}
		if strings.ContainsAny(tr, "<>") {
			t.Fatalf("truncate(%q, %d) = %q has markup", e, n, tr)
		}
		body := strings.TrimSuffix(strings.TrimSuffix(tr, "```"), "…")
		if amp := strings.LastIndexByte(body, '&'); amp >= 0 && !strings.Contains(body[amp:], ";") {
			t.Fatalf("truncate(%q, %d) = %q cuts an entity", e, n, tr)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// FuzzDecodeValue: values come back from Slack and can be forged; a
// decoded value always encodes back to an equal one.
func FuzzDecodeValue(f *testing.F) {
	f.Add(`{"t":"client.com","l":"fr"}`)
	f.Add(`{"t":"jane@client.com","h":"mail.client.com","l":"en","c":"apple"}`)
	f.Add(`{"t":"","l":""}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := DecodeValue(s)
		if err != nil {
			return
		}
		again, err := DecodeValue(v.Encode())
		if err != nil {
			t.Fatalf("DecodeValue(%q) = %+v, which does not decode again: %v", s, v, err)
		}
		if diff := cmp.Diff(v, again); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
