package blockkit

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pcmhosting/mailsetup/messages"
)

// Value is what the buttons and the guide menu of an answer carry back
// to the bot: what was checked, and how to answer. It is small (at most
// a few hundred bytes, under Slack's 2000) and holds nothing secret.
// Slack sends it back as is, but anyone able to craft an interaction
// payload can send anything: DecodeValue checks it, and the bot must
// still parse Target with checks.ParseTarget.
type Value struct {
	// Target is the address checked, or the domain when none was given.
	Target string `json:"t"`
	// Host is the mail host when it is not the domain.
	Host   string          `json:"h,omitempty"`
	Lang   messages.Lang   `json:"l"`
	Client messages.Client `json:"c,omitempty"`
}

// ValueOf is the value of a view's buttons, for a client (may be empty).
func ValueOf(v *messages.View, c messages.Client) Value {
	val := Value{Target: v.Address, Lang: v.Lang, Client: c}
	if val.Target == "" {
		val.Target = v.Domain
	}
	if v.Host != "" && v.Host != v.Domain {
		val.Host = v.Host
	}
	return val
}

// Encode writes the value as compact JSON.
func (v Value) Encode() string {
	b, err := json.Marshal(v)
	if err != nil {
		// A struct of strings always marshals.
		panic(fmt.Sprintf("blockkit: encode value: %v", err))
	}
	return string(b)
}

// DecodeValue reads a value sent back by Slack. It refuses values over
// Slack's limit, without a target, or naming an unknown language or
// client.
func DecodeValue(s string) (Value, error) {
	var v Value
	if len(s) > MaxButtonValue {
		return v, fmt.Errorf("blockkit: action value of %d bytes, limit %d", len(s), MaxButtonValue)
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return Value{}, fmt.Errorf("blockkit: decode action value: %w", err)
	}
	if v.Target == "" {
		return Value{}, errors.New("blockkit: action value without a target")
	}
	l, ok := messages.ParseLang(string(v.Lang))
	if !ok {
		return Value{}, fmt.Errorf("blockkit: action value with unknown language %q", v.Lang)
	}
	v.Lang = l
	if v.Client != "" {
		c, ok := messages.ParseClient(string(v.Client))
		if !ok {
			return Value{}, fmt.Errorf("blockkit: action value with unknown client %q", v.Client)
		}
		v.Client = c
	}
	return v, nil
}
