// Command blockpreview turns Slack Block Kit JSON (what `mailsetup check
// --format blocks` prints) into an HTML page that lays the blocks out
// roughly as Slack does: header, sections with mrkdwn (*bold*, _italic_,
// `code`, ```pre```, • lists, :emoji:), fields, context lines, dividers,
// buttons and menus. It is a developer's offline look at a message when
// Slack's Block Kit Builder is out of reach; Slack itself stays the
// reference.
//
//	mailsetup check --format blocks client.com | go run ./scripts/blockpreview > /tmp/preview.html
//	chromium --headless --screenshot=/tmp/preview.png --window-size=900,2400 /tmp/preview.html
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strings"
)

// emoji maps the shortcodes the renderer uses to characters.
var emoji = map[string]string{
	"white_check_mark": "✅", "warning": "⚠️", "x": "❌", "fast_forward": "⏩", "grey_question": "❔",
	"information_source": "ℹ️", "stopwatch": "⏱️", "wrench": "🔧", "bulb": "💡", "arrows_counterclockwise": "🔄",
	"email": "📧", "gear": "⚙️", "busts_in_silhouette": "👥", "speech_balloon": "💬", "outbox_tray": "📤",
}

var (
	rePre    = regexp.MustCompile("(?s)```(.*?)```")
	reCode   = regexp.MustCompile("`([^`\n]+)`")
	reBold   = regexp.MustCompile(`\*([^*\n]+)\*`)
	reItalic = regexp.MustCompile(`(^|[\s(])_([^_\n]+)_`)
	reEmoji  = regexp.MustCompile(`:([a-z0-9_+-]+):`)
)

// mrkdwn renders Slack mrkdwn as HTML. Slack's own escapes (&amp; &lt;
// &gt;) are already in the text, so it is not escaped again.
func mrkdwn(s string) string {
	var pres []string
	s = rePre.ReplaceAllStringFunc(s, func(m string) string {
		pres = append(pres, "<pre>"+strings.Trim(m, "`")+"</pre>")
		return fmt.Sprintf("\x00%d\x00", len(pres)-1)
	})
	s = reCode.ReplaceAllString(s, "<code>$1</code>")
	s = reBold.ReplaceAllString(s, "<b>$1</b>")
	s = reItalic.ReplaceAllString(s, "$1<i>$2</i>")
	s = reEmoji.ReplaceAllStringFunc(s, func(m string) string {
		if e, ok := emoji[strings.Trim(m, ":")]; ok {
			return e
		}
		return m
	})
	s = strings.ReplaceAll(s, "\n", "<br>")
	for i, p := range pres {
		s = strings.Replace(s, fmt.Sprintf("\x00%d\x00", i), p, 1)
	}
	return s
}

type text struct {
	Type, Text string
}

func (t *text) html() string {
	if t == nil {
		return ""
	}
	if t.Type == "mrkdwn" {
		return mrkdwn(t.Text)
	}
	return reEmoji.ReplaceAllStringFunc(html.EscapeString(t.Text), func(m string) string {
		if e, ok := emoji[strings.Trim(m, ":")]; ok {
			return e
		}
		return m
	})
}

// element is a context element (a text object itself, its text a
// string) or an interactive one (a button's text object, a menu's
// placeholder).
type element struct {
	Type        string
	Text        json.RawMessage
	Placeholder *text
}

func (e element) label() *text {
	var s string
	if json.Unmarshal(e.Text, &s) == nil {
		return &text{Type: e.Type, Text: s}
	}
	var t text
	if json.Unmarshal(e.Text, &t) == nil && t.Text != "" {
		return &t
	}
	return e.Placeholder
}

type block struct {
	Type     string
	Text     *text
	Fields   []*text
	Elements []element
}

func main() {
	data, err := io.ReadAll(bufio.NewReader(os.Stdin))
	if err != nil {
		fmt.Fprintln(os.Stderr, "blockpreview:", err)
		os.Exit(1)
	}
	var blocks []block
	var wrapped struct{ Blocks []block }
	if json.Unmarshal(data, &wrapped) == nil && wrapped.Blocks != nil {
		blocks = wrapped.Blocks
	} else if err := json.Unmarshal(data, &blocks); err != nil {
		fmt.Fprintln(os.Stderr, "blockpreview: not Block Kit JSON:", err)
		os.Exit(1)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><style>
body{font:15px/1.46 -apple-system,"Segoe UI",Lato,sans-serif;background:#fff;color:#1d1c1d;margin:24px;max-width:820px}
.msg{border-left:4px solid #ddd;padding-left:14px}.h{font-size:18px;font-weight:900;margin:4px 0 8px}
.s{margin:6px 0}.c{color:#616061;font-size:13px;margin:4px 0}.f{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}
hr{border:0;border-top:1px solid #ddd;margin:10px 0}code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;color:#e01e5a;font-size:12px}
pre{background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;white-space:pre-wrap;font-size:12px}
.a{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}.b{border:1px solid #bbb;border-radius:4px;padding:3px 12px;font-weight:700;font-size:13px}
</style><div class="msg">`)
	for _, b := range blocks {
		switch b.Type {
		case "header":
			fmt.Fprintf(w, `<div class="h">%s</div>`, b.Text.html())
		case "section":
			fmt.Fprintf(w, `<div class="s">%s`, b.Text.html())
			if len(b.Fields) > 0 {
				fmt.Fprint(w, `<div class="f">`)
				for _, f := range b.Fields {
					fmt.Fprintf(w, `<div>%s</div>`, f.html())
				}
				fmt.Fprint(w, `</div>`)
			}
			fmt.Fprint(w, `</div>`)
		case "context":
			var parts []string
			for _, e := range b.Elements {
				parts = append(parts, e.label().html())
			}
			fmt.Fprintf(w, `<div class="c">%s</div>`, strings.Join(parts, " · "))
		case "divider":
			fmt.Fprint(w, `<hr>`)
		case "actions":
			fmt.Fprint(w, `<div class="a">`)
			for _, e := range b.Elements {
				fmt.Fprintf(w, `<span class="b">%s%s</span>`, e.label().html(), map[bool]string{true: " ▾"}[e.Type == "static_select"])
			}
			fmt.Fprint(w, `</div>`)
		default:
			fmt.Fprintf(w, `<div class="c">[%s block]</div>`, html.EscapeString(b.Type))
		}
	}
	fmt.Fprint(w, `</div>`)
}
