package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/checks/platform"
	"github.com/pcmhosting/mailsetup/messages"
)

// config is the settings of docs/contract.md, from flags over environment
// variables over defaults: plain values, checked by validate. Only cmd/
// reads either. The running things (log, metrics, runner, notifier) are
// made from validated settings by build (app.go).
type config struct {
	format string
	lang   string
	// langFrom names where lang came from, --lang or MAILSETUP_LANG,
	// so that a wrong value names what to fix.
	langFrom      string
	resolver      string
	allowPrivate  bool
	timeout       time.Duration
	host          string
	dkimSelectors []string
	ehloName      string
	file          string
	parallel      int
	// client is the mail app whose guide follows the report (--client),
	// reply asks for the customer reply (--reply): what the Slack
	// buttons give.
	client messages.Client
	reply  bool
	// portMap maps standard ports to the ones to dial (--port-map), for a
	// server under test on other ports.
	portMap map[int]int
	// profile is the provider profile file (--profile); platform is
	// what validate read from it, nil for the guide's generic rules.
	profile  string
	platform *platform.Platform
	// ops is --listen, --shard, --notify… (ops.go).
	ops opsConfig
	// history is where checks are remembered (history.go).
	history historyConfig
}

// usageErr is an error that is the user's: exit 2. key, when set, names
// the mistake for messages.UsageMessage, said in the user's language;
// msg is the English line of the others.
type usageErr struct {
	key         messages.UsageKey
	name, value string
	// help is the command that lists the flags, checkHelp when "".
	help string
	msg  string
}

func (e *usageErr) Error() string {
	if e.key != "" {
		return messages.UsageMessage(messages.EN, e.key, e.name, e.value, checkHelp)
	}
	return e.msg
}

// usageError formats a usage error.
func usageError(format string, a ...any) error {
	return &usageErr{msg: fmt.Sprintf(format, a...)}
}

// badValue is a setting (flag or variable name) whose value is not
// what key wants.
func badValue(key messages.UsageKey, name, value string) error {
	return &usageErr{key: key, name: name, value: value}
}

// defaults reads the environment into a config.
func defaults(getenv func(string) string) (config, error) {
	c := config{format: "text", lang: "fr", langFrom: "--lang", timeout: checks.DefaultTimeout, parallel: 16}
	if v := getenv("MAILSETUP_LANG"); v != "" {
		c.lang, c.langFrom = v, "MAILSETUP_LANG"
	}
	c.resolver = getenv("MAILSETUP_RESOLVER")
	if v := getenv("MAILSETUP_ALLOW_PRIVATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, badValue(messages.UsageWantBool, "MAILSETUP_ALLOW_PRIVATE", v)
		}
		c.allowPrivate = b
	}
	if v := getenv("MAILSETUP_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return c, badValue(messages.UsageWantDuration, "MAILSETUP_TIMEOUT", v)
		}
		c.timeout = d
	}
	if v := getenv("MAILSETUP_DKIM_SELECTORS"); v != "" {
		c.dkimSelectors = splitList(v)
	}
	c.ehloName = getenv("MAILSETUP_EHLO_NAME")
	c.profile = getenv("MAILSETUP_PROFILE")
	if v := getenv("MAILSETUP_PORT_MAP"); v != "" {
		m, err := parsePortMap(v)
		if err != nil {
			return c, badValue(messages.UsageWantPortMap, "MAILSETUP_PORT_MAP", v)
		}
		c.portMap = m
	}
	h, err := historyDefaults(getenv)
	if err != nil {
		return c, err
	}
	c.history = h
	ops, err := opsDefaults(getenv)
	c.ops = ops
	return c, err
}

// flagSet binds the check flags onto c.
func (c *config) flagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&c.format, "format", c.format, "output `format`: text, json or blocks")
	fs.Func("lang", "`language` of the report and of the errors: fr or en (MAILSETUP_LANG; default fr)", func(s string) error {
		c.lang, c.langFrom = s, "--lang"
		return nil
	})
	fs.StringVar(&c.resolver, "resolver", c.resolver, "DNS resolver `HOST:PORT` (MAILSETUP_RESOLVER; default /etc/resolv.conf)")
	fs.BoolVar(&c.allowPrivate, "allow-private", c.allowPrivate, "allow loopback and private targets, and special-use names (.test, .local, .internal…) (MAILSETUP_ALLOW_PRIVATE=true)")
	fs.DurationVar(&c.timeout, "timeout", c.timeout, "the `DURATION` each network step may take, such as 5s (MAILSETUP_TIMEOUT)")
	fs.StringVar(&c.host, "host", c.host, "mail `host` (default: the domain itself)")
	fs.Func("dkim-selectors", "extra DKIM `selectors`, comma-separated (MAILSETUP_DKIM_SELECTORS)", func(s string) error {
		c.dkimSelectors = splitList(s)
		return nil
	})
	fs.StringVar(&c.ehloName, "ehlo-name", c.ehloName, "`FQDN` the SMTP probes give in EHLO (MAILSETUP_EHLO_NAME; default the machine's name)")
	fs.Func("port-map", "dial other ports than the standard ones, e.g. `993:10993,465:10465`", func(s string) error {
		m, err := parsePortMap(s)
		if err != nil {
			return err
		}
		c.portMap = m
		return nil
	})
	c.bindProfile(fs)
	fs.Func("client", "after the report, the where-to-click guide of `APP`: outlook, thunderbird, apple, gmail or mobile", func(s string) error {
		cl, ok := messages.ParseClient(s)
		if !ok {
			return errors.New("unknown mail app")
		}
		c.client = cl
		return nil
	})
	fs.BoolVar(&c.reply, "reply", c.reply, "after the report, the paste-ready reply to the customer (with the guide of --client)")
	fs.StringVar(&c.file, "file", c.file, "check every domain of `FILE` (one per line, - for stdin)")
	fs.IntVar(&c.parallel, "parallel", c.parallel, "`N` domains checked at once with --file (1-256)")
	c.ops.bind(fs)
	return fs
}

// parseInterspersed parses flags wherever they stand among the
// arguments, so "check client.com --format json" works as users type it.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// validate checks values flags cannot.
func (c *config) validate() error {
	switch c.format {
	case "text", "json", "blocks":
	default:
		return badValue(messages.UsageWantFormat, "--format", c.format)
	}
	switch c.lang {
	case "fr", "en":
	default:
		return badValue(messages.UsageWantLang, c.langFrom, c.lang)
	}
	if c.timeout <= 0 || c.timeout > 2*time.Minute {
		return badValue(messages.UsageWantTimeout, "--timeout", c.timeout.String())
	}
	if c.parallel < 1 || c.parallel > 256 {
		return badValue(messages.UsageWantParallel, "--parallel", strconv.Itoa(c.parallel))
	}
	if c.resolver != "" {
		host, port, err := net.SplitHostPort(c.resolver)
		if err != nil || host == "" || port == "" {
			return badValue(messages.UsageWantResolver, "--resolver", c.resolver)
		}
	}
	if c.ehloName == "" {
		c.ehloName = defaultEHLOName()
	}
	if err := c.loadProfile(); err != nil {
		return err
	}
	return c.validateOps()
}

// bindProfile binds --profile, which check, serve and demo share.
func (c *config) bindProfile(fs *flag.FlagSet) {
	fs.StringVar(&c.profile, "profile", c.profile, "provider profile `FILE` (YAML, see deploy/profile.example.yaml; MAILSETUP_PROFILE; default the guide's generic rules)")
}

// loadProfile reads and validates the provider profile, if one is
// given: a mistake is a usage error of one line naming the field.
func (c *config) loadProfile() error {
	if c.profile == "" {
		return nil
	}
	f, err := os.Open(c.profile)
	if err != nil {
		return usageError("--profile: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, platform.MaxFileSize+1))
	if err != nil {
		return usageError("--profile %s: %v", c.profile, err)
	}
	p, err := platform.Parse(data)
	if err != nil {
		return usageError("--profile %s: %v", c.profile, err)
	}
	c.platform = p
	return nil
}

// defaultEHLOName is the machine's name when it is fully qualified;
// servers may refuse a bare "localhost" in EHLO (RFC 5321 §4.1.1.1).
func defaultEHLOName() string {
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") {
		return h
	}
	return "localhost.localdomain"
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// parsePortMap reads "993:10993,465:10465".
func parsePortMap(s string) (map[int]int, error) {
	m := map[int]int{}
	for _, pair := range splitList(s) {
		from, to, ok := strings.Cut(pair, ":")
		f, err1 := strconv.Atoi(from)
		t, err2 := strconv.Atoi(to)
		if !ok || err1 != nil || err2 != nil || f < 1 || f > 65535 || t < 1 || t > 65535 {
			return nil, fmt.Errorf("%q: want STANDARD:ACTUAL port pairs such as 993:10993", pair)
		}
		m[f] = t
	}
	return m, nil
}
