// Package slacktest is an in-process fake of Slack for tests: the Web API
// methods the bot calls, a Socket Mode WebSocket endpoint and response_url
// endpoints, all on 127.0.0.1, recording everything they receive.
//
// Socket Mode (https://api.slack.com/apis/socket-mode) works like this:
// the app calls apps.connections.open with its app-level token (xapp-…)
// and gets a wss:// URL; Slack greets the connection with a "hello", then
// sends envelopes (slash_commands, events_api, interactive), each with an
// envelope_id the app must acknowledge within 3 seconds by sending back
// {"envelope_id": …}; Slack pings the socket and may ask the app to
// reconnect with a "disconnect" message. Answers to users go over HTTPS:
// the Web API (chat.postMessage, chat.postEphemeral, views.publish…,
// authenticated with the bot token xoxb-…) and the response_url of a
// command or interaction (5 posts within 30 minutes).
//
// The fake speaks that protocol to the real slack-go client, so tests
// exercise the same code paths as production. Faults can be switched on:
// HTTP 429 with Retry-After, 500 or 404 on a Web API method or on
// response_url, a disconnect request, an abruptly dropped socket.
package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// pingEvery is how often the fake pings each socket; slack-go reconnects
// when pings stop.
const pingEvery = 200 * time.Millisecond

// Tokens the fake accepts.
const (
	AppToken = "xapp-1-A0TEST-1-fakeapptokensecret"
	BotToken = "xoxb-1-fakebottokensecret"
)

// Ack is one acknowledgement received on the socket.
type Ack struct {
	EnvelopeID string
	Payload    json.RawMessage
	// Latency is the time from the envelope's write to the ack's arrival.
	Latency time.Duration
	At      time.Time
}

// Call is one Web API call.
type Call struct {
	Method string
	// Params are the form values, the token removed.
	Params url.Values
	// JSON is the body of a JSON call (views.publish), or the blocks.
	JSON json.RawMessage
	At   time.Time
}

// Response is one post to a response_url.
type Response struct {
	// ID names the response_url (see Server.ResponseURL).
	ID              string
	Text            string
	Blocks          json.RawMessage
	ResponseType    string
	ReplaceOriginal bool
	At              time.Time
	// Status is what the fake answered.
	Status int
}

// Fault is a failure to inject: an HTTP status, or Slack's answer to a
// call it refuses.
type Fault struct {
	Status int
	// Error, when set, answers HTTP 200 {"ok":false,"error":Error}
	// instead of Status, as Slack refuses a call ("not_in_channel").
	Error string
	// RetryAfter is sent as Retry-After (seconds) with 429.
	RetryAfter int
	// Times is how many requests fail before the fault clears; 0 means
	// until cleared.
	Times int
}

// User is a workspace member as users.info returns it.
type User struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Locale string `json:"locale,omitempty"`
}

// Server is the fake Slack.
type Server struct {
	// URL is the Web API base, ending in "/", for SLACK_API_URL.
	URL string

	srv *httptest.Server

	mu          sync.Mutex
	changed     chan struct{} // closed and replaced on every recorded change
	appToken    string
	botToken    string
	users       map[string]User
	groups      map[string][]string // user group id → member ids
	calls       []Call
	responses   []Response
	acks        []Ack
	sent        map[string]time.Time // envelope id → write time
	faults      map[string]*Fault    // Web API method or "response_url" → fault
	conns       []*wsConn
	connections int // sockets that got their hello
	nextID      int
	openFails   int // apps.connections.open failures to inject
	closed      bool
	// routeTo is 1 + the index of the connection envelopes go to (in
	// order of connection); 0 is the newest.
	routeTo int
}

type wsConn struct {
	c    *websocket.Conn
	wmu  sync.Mutex // one writer at a time
	dead chan struct{}
}

// New starts a fake Slack on 127.0.0.1. Close it when done.
func New() *Server {
	s := &Server{
		changed:  make(chan struct{}),
		appToken: AppToken,
		botToken: BotToken,
		users:    map[string]User{},
		groups:   map[string][]string{},
		sent:     map[string]time.Time{},
		faults:   map[string]*Fault{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.serveAPI)
	mux.HandleFunc("/socket", s.serveSocket)
	mux.HandleFunc("/respond/{id}", s.serveResponse)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/api/"
	return s
}

// Close stops the server and every socket.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for _, c := range conns {
		c.c.Close()
	}
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// AddUser registers a user for users.info.
func (s *Server) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
}

// SetUserGroup sets the members of a user group, for
// usergroups.users.list.
func (s *Server) SetUserGroup(id string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[id] = append([]string(nil), members...)
}

// SetFault injects a fault on a Web API method ("chat.postEphemeral") or
// on every response_url ("response_url"); a zero Fault clears it.
func (s *Server) SetFault(method string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Status == 0 && f.Error == "" {
		delete(s.faults, method)
		return
	}
	s.faults[method] = &f
}

// FailOpen makes the next n apps.connections.open calls answer 500.
func (s *Server) FailOpen(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.openFails = n
}

// fault returns the status to answer for a method, if one is injected.
func (s *Server) fault(method string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.faults[method]
	if !ok {
		return Fault{}, false
	}
	if f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			delete(s.faults, method)
		}
	}
	return *f, true
}

func writeFault(w http.ResponseWriter, f Fault) {
	if f.Error != "" {
		apiJSON(w, map[string]any{"ok": false, "error": f.Error})
		return
	}
	if f.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	http.Error(w, http.StatusText(f.Status), f.Status)
}

// notify wakes waiters; s.mu must be held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Wait blocks until cond, evaluated under the fake's lock after every
// change, is true, or ctx ends.
func (s *Server) Wait(ctx context.Context, cond func(v View) bool) error {
	for {
		s.mu.Lock()
		ok := cond(View{s})
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("slacktest: waiting: %w", ctx.Err())
		}
	}
}

// View reads the recorded data inside Wait; its methods must not be
// kept past the condition.
type View struct{ s *Server }

// Calls returns the recorded calls of a method ("" for all).
func (v View) Calls(method string) []Call { return v.s.callsLocked(method) }

// Responses returns the posts to response_urls.
func (v View) Responses() []Response { return append([]Response(nil), v.s.responses...) }

// Acks returns the acks received.
func (v View) Acks() []Ack { return append([]Ack(nil), v.s.acks...) }

// Connections is the number of sockets that received their hello.
func (v View) Connections() int { return v.s.connections }

func (s *Server) callsLocked(method string) []Call {
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Calls returns the recorded calls of a method ("" for all).
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callsLocked(method)
}

// Responses returns the posts to response_urls.
func (s *Server) Responses() []Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Response(nil), s.responses...)
}

// Acks returns the acks received.
func (s *Server) Acks() []Ack {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Ack(nil), s.acks...)
}

// Reset forgets recorded calls, responses and acks (not users, faults or
// sockets), between benchmark rounds.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.responses, s.acks = nil, nil, nil
	s.sent = map[string]time.Time{}
}

// ResponseURL returns a fresh response_url served by the fake.
func (s *Server) ResponseURL() string {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	return fmt.Sprintf("%s/respond/R%d", s.srv.URL, id)
}

// ResponseID returns the id a response_url is recorded under.
func ResponseID(responseURL string) string {
	return responseURL[strings.LastIndexByte(responseURL, '/')+1:]
}

func (s *Server) id(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	return fmt.Sprintf("%s%d", prefix, s.nextID)
}

// ---- Web API ----

func apiJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	if f, ok := s.fault(method); ok {
		writeFault(w, f)
		return
	}
	call := Call{Method: method, At: time.Now()}
	token := bearer(r)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var raw json.RawMessage
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&raw); err == nil {
			call.JSON = raw
		}
		call.Params = url.Values{}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		call.Params = r.Form
		if t := call.Params.Get("token"); t != "" {
			token = t
		}
		call.Params.Del("token")
		if b := call.Params.Get("blocks"); b != "" {
			call.JSON = json.RawMessage(b)
		}
	}
	if method == "apps.connections.open" {
		s.open(w, token)
		return
	}
	if token != s.botToken {
		apiJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.nextID++
	ts := fmt.Sprintf("1700000000.%06d", s.nextID)
	user, known := s.users[call.Params.Get("user")]
	members, isGroup := s.groups[call.Params.Get("usergroup")]
	s.notify()
	s.mu.Unlock()

	switch method {
	case "auth.test":
		apiJSON(w, map[string]any{"ok": true, "url": "https://fake.slack.test/", "team": "Fake", "user": "mailsetup",
			"team_id": "T0TEST", "user_id": "U0BOT", "bot_id": "B0BOT"})
	case "chat.postMessage", "chat.update":
		apiJSON(w, map[string]any{"ok": true, "channel": call.Params.Get("channel"), "ts": ts,
			"message": map[string]any{"text": call.Params.Get("text"), "thread_ts": call.Params.Get("thread_ts")}})
	case "chat.postEphemeral":
		apiJSON(w, map[string]any{"ok": true, "message_ts": ts})
	case "users.info":
		if !known {
			apiJSON(w, map[string]any{"ok": false, "error": "user_not_found"})
			return
		}
		apiJSON(w, map[string]any{"ok": true, "user": user})
	case "usergroups.users.list":
		if !isGroup {
			apiJSON(w, map[string]any{"ok": false, "error": "no_such_subteam"})
			return
		}
		apiJSON(w, map[string]any{"ok": true, "users": members})
	case "views.publish":
		apiJSON(w, map[string]any{"ok": true, "view": map[string]any{"id": "V" + ts, "type": "home"}})
	default:
		apiJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func (s *Server) open(w http.ResponseWriter, token string) {
	if token != s.appToken {
		apiJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	s.mu.Lock()
	fail := s.openFails > 0
	if fail {
		s.openFails--
	}
	s.mu.Unlock()
	if fail {
		http.Error(w, "unavailable", http.StatusInternalServerError)
		return
	}
	ws := "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/socket"
	apiJSON(w, map[string]any{"ok": true, "url": ws})
}

// ---- response_url ----

func (s *Server) serveResponse(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Text            string          `json:"text"`
		Blocks          json.RawMessage `json:"blocks"`
		ResponseType    string          `json:"response_type"`
		ReplaceOriginal bool            `json:"replace_original"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&msg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rec := Response{ID: r.PathValue("id"), Text: msg.Text, Blocks: msg.Blocks, ResponseType: msg.ResponseType,
		ReplaceOriginal: msg.ReplaceOriginal, At: time.Now(), Status: http.StatusOK}
	f, faulty := s.fault("response_url")
	if faulty {
		rec.Status = f.Status
	}
	s.mu.Lock()
	s.responses = append(s.responses, rec)
	s.notify()
	s.mu.Unlock()
	if faulty {
		writeFault(w, f)
		return
	}
	w.Write([]byte("ok"))
}

// ---- Socket Mode ----

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	conn := &wsConn{c: c, dead: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.Close()
		return
	}
	s.conns = append(s.conns, conn)
	s.mu.Unlock()
	hello := map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A0TEST"},
		"debug_info":      map[string]any{"host": "fake", "approximate_connection_time": 3600}}
	if err := conn.write(hello); err != nil {
		s.forget(conn)
		return
	}
	s.mu.Lock()
	s.connections++
	s.notify()
	s.mu.Unlock()
	go s.ping(conn)
	s.readAcks(conn)
}

func (c *wsConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.c.WriteJSON(v)
}

func (s *Server) ping(c *wsConn) {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-c.dead:
			return
		case <-t.C:
			if err := c.c.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second)); err != nil {
				return
			}
		}
	}
}

func (s *Server) readAcks(c *wsConn) {
	defer s.forget(c)
	for {
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := c.c.ReadJSON(&ack); err != nil {
			return
		}
		now := time.Now()
		s.mu.Lock()
		a := Ack{EnvelopeID: ack.EnvelopeID, Payload: ack.Payload, At: now}
		if t, ok := s.sent[ack.EnvelopeID]; ok {
			a.Latency = now.Sub(t)
		}
		s.acks = append(s.acks, a)
		s.notify()
		s.mu.Unlock()
	}
}

func (s *Server) forget(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.conns {
		if x == c {
			s.conns = append(s.conns[:i], s.conns[i+1:]...)
			close(c.dead)
			break
		}
	}
	c.c.Close()
}

func (s *Server) current() (*wsConn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) == 0 {
		return nil, fmt.Errorf("slacktest: no socket connected")
	}
	if s.routeTo > 0 {
		if s.routeTo > len(s.conns) {
			return nil, fmt.Errorf("slacktest: no connection %d (%d connected)", s.routeTo-1, len(s.conns))
		}
		return s.conns[s.routeTo-1], nil
	}
	return s.conns[len(s.conns)-1], nil
}

// Route sends the next envelopes on connection i, in order of
// connection (0 the oldest), as Slack spreads envelopes over the
// connections of an app's replicas; a negative i restores the default,
// the newest connection.
func (s *Server) Route(i int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.routeTo = max(i+1, 0)
}

// send writes one envelope on the newest socket and records its time.
func (s *Server) send(envType string, payload any, retry int) (string, error) {
	c, err := s.current()
	if err != nil {
		return "", err
	}
	id := s.id("E")
	env := map[string]any{"envelope_id": id, "type": envType, "payload": payload,
		"accepts_response_payload": envType != "events_api", "retry_attempt": retry}
	if retry > 0 {
		env["retry_reason"] = "timeout"
	}
	s.mu.Lock()
	s.sent[id] = time.Now()
	s.mu.Unlock()
	if err := c.write(env); err != nil {
		return "", fmt.Errorf("slacktest: writing envelope: %w", err)
	}
	return id, nil
}

// SlashCommand is what a user typed.
type SlashCommand struct {
	User, Channel, Text string
	// Team is the workspace's id, T0TEST by default.
	Team string
	// ResponseURL defaults to a fresh one of the fake.
	ResponseURL string
}

// SendSlashCommand delivers "/mailsetup TEXT" and returns the envelope id
// and the response_url it carries.
func (s *Server) SendSlashCommand(cmd SlashCommand) (envelopeID, responseURL string, err error) {
	if cmd.ResponseURL == "" {
		cmd.ResponseURL = s.ResponseURL()
	}
	if cmd.Team == "" {
		cmd.Team = "T0TEST"
	}
	p := map[string]any{"token": "verif", "team_id": cmd.Team, "team_domain": "fake", "channel_id": cmd.Channel,
		"channel_name": "support", "user_id": cmd.User, "user_name": cmd.User, "command": "/mailsetup",
		"text": cmd.Text, "api_app_id": "A0TEST", "response_url": cmd.ResponseURL, "trigger_id": "trig." + cmd.User}
	id, err := s.send("slash_commands", p, 0)
	return id, cmd.ResponseURL, err
}

// Event is one Events API delivery.
type Event struct {
	// ID is the event_id; empty gets a fresh one.
	ID string
	// Retry is retry_attempt (Slack redelivers when not acked in time).
	Retry int
	// Inner is the event itself ({"type":"app_mention",…}).
	Inner map[string]any
}

// SendEvent delivers an events_api envelope and returns its envelope and
// event ids.
func (s *Server) SendEvent(e Event) (envelopeID, eventID string, err error) {
	if e.ID == "" {
		e.ID = s.id("Ev")
	}
	p := map[string]any{"token": "verif", "team_id": "T0TEST", "api_app_id": "A0TEST", "type": "event_callback",
		"event_id": e.ID, "event_time": time.Now().Unix(), "event": e.Inner}
	id, err := s.send("events_api", p, e.Retry)
	return id, e.ID, err
}

// Mention returns an app_mention event: "<@U0BOT> TEXT" by user in
// channel at ts, inside thread threadTS when not empty.
func Mention(user, channel, text, ts, threadTS string) map[string]any {
	m := map[string]any{"type": "app_mention", "user": user, "channel": channel,
		"text": "<@U0BOT> " + text, "ts": ts, "event_ts": ts}
	if threadTS != "" {
		m["thread_ts"] = threadTS
	}
	return m
}

// HomeOpened returns an app_home_opened event for the Home tab.
func HomeOpened(user string) map[string]any {
	return map[string]any{"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home",
		"event_ts": "1700000000.000001"}
}

// Action is a click on a button (or a choice in a select menu).
type Action struct {
	User, Channel, ActionID, Value string
	// Selected is the value of the chosen option of a select menu.
	Selected string
	// ResponseURL defaults to a fresh one of the fake.
	ResponseURL string
	// MessageTS and ThreadTS locate the message the button is on.
	MessageTS, ThreadTS string
}

// SendAction delivers a block_actions interaction and returns the
// envelope id and the response_url it carries.
func (s *Server) SendAction(a Action) (envelopeID, responseURL string, err error) {
	if a.ResponseURL == "" {
		a.ResponseURL = s.ResponseURL()
	}
	act := map[string]any{"action_id": a.ActionID, "block_id": "b1", "type": "button", "value": a.Value,
		"action_ts": "1700000001.000001"}
	if a.Selected != "" {
		act["type"] = "static_select"
		act["selected_option"] = map[string]any{"value": a.Selected, "text": map[string]any{"type": "plain_text", "text": a.Selected}}
	}
	p := map[string]any{"type": "block_actions", "user": map[string]any{"id": a.User, "name": a.User},
		"api_app_id": "A0TEST", "team": map[string]any{"id": "T0TEST"}, "channel": map[string]any{"id": a.Channel, "name": "support"},
		"container":    map[string]any{"type": "message", "message_ts": a.MessageTS, "channel_id": a.Channel, "is_ephemeral": true},
		"message":      map[string]any{"type": "message", "ts": a.MessageTS, "thread_ts": a.ThreadTS, "text": ""},
		"response_url": a.ResponseURL, "trigger_id": "trig." + a.User, "actions": []any{act}}
	id, err := s.send("interactive", p, 0)
	return id, a.ResponseURL, err
}

// Disconnect asks the client, as Slack does before it rotates a
// connection, to reconnect.
func (s *Server) Disconnect() error {
	c, err := s.current()
	if err != nil {
		return err
	}
	return c.write(map[string]any{"type": "disconnect", "reason": "refresh_requested",
		"debug_info": map[string]any{"host": "fake"}})
}

// Drop closes the newest socket abruptly, without a close frame, as a
// network failure would.
func (s *Server) Drop() error {
	c, err := s.current()
	if err != nil {
		return err
	}
	if tcp, ok := c.c.NetConn().(*net.TCPConn); ok {
		tcp.SetLinger(0) // a reset, not a polite close
	}
	s.forget(c)
	return nil
}

// MessageAction is a message shortcut chosen on a message: the "…" menu
// of a message, then one of the app's shortcuts.
type MessageAction struct {
	User, Channel string
	// CallbackID is the shortcut's callback_id of the app manifest.
	CallbackID string
	// Text, MessageTS and ThreadTS are the message's: its text as Slack
	// delivers it (links and addresses in Slack markup), its ts, and the
	// thread it is in, if any.
	Text, MessageTS, ThreadTS string
	// Author is the user who wrote the message.
	Author string
	// ResponseURL defaults to a fresh one of the fake.
	ResponseURL string
}

// SendMessageAction delivers a message_action interaction, as Slack does
// when a user picks a message shortcut, and returns the envelope id and
// the response_url it carries.
func (s *Server) SendMessageAction(a MessageAction) (envelopeID, responseURL string, err error) {
	if a.ResponseURL == "" {
		a.ResponseURL = s.ResponseURL()
	}
	msg := map[string]any{"type": "message", "user": a.Author, "ts": a.MessageTS, "text": a.Text}
	if a.ThreadTS != "" {
		msg["thread_ts"] = a.ThreadTS
	}
	p := map[string]any{"type": "message_action", "token": "verif", "action_ts": "1700000002.000001",
		"team": map[string]any{"id": "T0TEST", "domain": "fake"}, "user": map[string]any{"id": a.User, "name": a.User},
		"channel": map[string]any{"id": a.Channel, "name": "support"}, "is_enterprise_install": false,
		"callback_id": a.CallbackID, "trigger_id": "trig." + a.User, "response_url": a.ResponseURL,
		"message_ts": a.MessageTS, "message": msg}
	id, err := s.send("interactive", p, 0)
	return id, a.ResponseURL, err
}
