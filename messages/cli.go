package messages

import (
	"strconv"
	"strings"
)

// UsageKey names a command-line mistake the CLI explains in one line.
type UsageKey string

// The command-line mistakes said in the user's language.
const (
	// UsageUnknownFlag: a flag the command does not have ({name}).
	UsageUnknownFlag UsageKey = "unknown_flag"
	// UsageNeedsValue: a flag given without its value ({name}).
	UsageNeedsValue UsageKey = "needs_value"
	// UsageUnknownArg: an argument a command does not take ({value}).
	UsageUnknownArg UsageKey = "unknown_arg"
	// UsageFileAndDomain: --file and a domain together.
	UsageFileAndDomain UsageKey = "file_and_domain"
	// The values a setting wants; {name} is the flag or the variable,
	// {value} what was given.
	UsageWantDuration UsageKey = "want_duration"
	UsageWantTimeout  UsageKey = "want_timeout"
	UsageWantBool     UsageKey = "want_bool"
	UsageWantNumber   UsageKey = "want_number"
	UsageWantParallel UsageKey = "want_parallel"
	UsageWantFormat   UsageKey = "want_format"
	UsageWantLang     UsageKey = "want_lang"
	UsageWantResolver UsageKey = "want_resolver"
	UsageWantClient   UsageKey = "want_client"
	UsageWantPortMap  UsageKey = "want_port_map"
)

// usageWords is the CLI's wording of each mistake, {help} being the
// command that lists the flags.
var usageWords = map[Lang]map[UsageKey]string{
	FR: {
		UsageUnknownFlag:   "option inconnue : {name} (la liste : {help})",
		UsageNeedsValue:    "l'option {name} attend une valeur (la liste : {help})",
		UsageUnknownArg:    "argument en trop : « {value} » (la liste : {help})",
		UsageFileAndDomain: "donnez --file ou un domaine, pas les deux",
		UsageWantDuration:  "{name} « {value} » : il faut une durée comme 5s",
		UsageWantTimeout:   "{name} « {value} » : il faut une durée de 1ms à 2m, comme 5s",
		UsageWantBool:      "{name} « {value} » : il faut true ou false",
		UsageWantNumber:    "{name} « {value} » : il faut un nombre",
		UsageWantParallel:  "{name} « {value} » : il faut un nombre de 1 à 256",
		UsageWantFormat:    "{name} « {value} » : il faut text, json ou blocks",
		UsageWantLang:      "{name} « {value} » : il faut fr ou en",
		UsageWantResolver:  "{name} « {value} » : il faut HÔTE:PORT, par exemple 9.9.9.9:53",
		UsageWantClient:    "{name} « {value} » : il faut outlook, thunderbird, apple, gmail ou mobile",
		UsageWantPortMap:   "{name} « {value} » : il faut des paires PORT:PORT comme 993:10993",
	},
	EN: {
		UsageUnknownFlag:   "unknown flag {name} (the list: {help})",
		UsageNeedsValue:    "flag {name} needs a value (the list: {help})",
		UsageUnknownArg:    "unexpected argument \"{value}\" (the list: {help})",
		UsageFileAndDomain: "give either --file or one domain, not both",
		UsageWantDuration:  "{name} \"{value}\": want a duration such as 5s",
		UsageWantTimeout:   "{name} \"{value}\": want a duration from 1ms to 2m, such as 5s",
		UsageWantBool:      "{name} \"{value}\": want true or false",
		UsageWantNumber:    "{name} \"{value}\": want a number",
		UsageWantParallel:  "{name} \"{value}\": want a number from 1 to 256",
		UsageWantFormat:    "{name} \"{value}\": want text, json or blocks",
		UsageWantLang:      "{name} \"{value}\": want fr or en",
		UsageWantResolver:  "{name} \"{value}\": want HOST:PORT, e.g. 9.9.9.9:53",
		UsageWantClient:    "{name} \"{value}\": want outlook, thunderbird, apple, gmail or mobile",
		UsageWantPortMap:   "{name} \"{value}\": want STANDARD:ACTUAL port pairs such as 993:10993",
	},
}

// UsageMessage says a command-line mistake in one line of lang, safe
// for a terminal: name is the flag ("--timeout") or the environment
// variable ("MAILSETUP_LANG"), value what the user gave, help the
// command that lists the flags ("mailsetup check -h").
func UsageMessage(lang Lang, key UsageKey, name, value, help string) string {
	msg, ok := usageWords[lang.orDefault()][key]
	if !ok {
		msg = string(key)
	}
	if r := []rune(value); len(r) > 64 {
		value = string(r[:63]) + "…"
	}
	return Clean(strings.NewReplacer("{name}", name, "{value}", value, "{help}", help).Replace(msg))
}

// demoHeading introduces each scenario of `mailsetup demo`.
var demoHeading = map[Lang]string{
	FR: "── Scénario « {name} » : {description}",
	EN: "── Scenario \"{name}\": {description}",
}

// DemoHeading is the line `mailsetup demo` writes before a lab
// scenario's report, in lang, wrapped within MaxWidth columns with the
// following lines indented, and a newline at the end.
func DemoHeading(lang Lang, name, description string) string {
	s := strings.NewReplacer("{name}", name, "{description}", description).Replace(demoHeading[lang.orDefault()])
	const indent = "   "
	lines := wrap(Clean(s), MaxWidth, MaxWidth-len(indent))
	return strings.Join(lines, "\n"+indent) + "\n"
}

// progressRunning names the checks still running in the progress line.
var progressRunning = map[Lang]string{FR: "en cours", EN: "running"}

// ProgressLine is the one line a terminal shows while a report is being
// made: how many checks are done, then the ones still running (the slow
// ones, what the user is waiting for), within width columns.
func ProgressLine(lang Lang, domain string, done, total int, running []string, width int) string {
	line := Clean(domain) + ": " + strconv.Itoa(done) + "/" + strconv.Itoa(total)
	if len(running) > 0 {
		c := cat(lang)
		line += ", " + progressRunning[lang.orDefault()] + strings.TrimRight(c.words.Colon, " ") + " " + strings.Join(running, " ")
	}
	if r := []rune(line); len(r) > width {
		line = string(r[:width-1]) + "…"
	}
	return line
}
