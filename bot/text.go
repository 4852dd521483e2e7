package bot

import (
	"strings"

	"github.com/pcmhosting/mailsetup/messages"
)

// textKey names a sentence only the bot says (busy, rate limited,
// checking…). The report's own wording comes from messages; these are
// the conversation around it, to move to messages once it has them.
type textKey int

const (
	txtChecking textKey = iota
	txtBusy
	txtRateLimited
	txtFailed
	txtStopping
	txtHelpTitle
	txtHelpCheck
	txtHelpStatus
	txtHelpHelp
	txtHelpExamples
	txtHelpMention
	txtStatusTitle
	txtStatusNone
	txtStatusNoAnswer
	txtChanged
	txtUnchanged
	txtHomeTitle
	txtHomeRecent
	txtHomeNone
	txtCustomerReply
	txtShared
	txtUnknownAction
)

// texts holds the bot's sentences; {name} placeholders are filled by tr.
var texts = map[messages.Lang]map[textKey]string{
	messages.FR: {
		txtChecking:       "Vérification de {domain} en cours…",
		txtBusy:           "Beaucoup de vérifications sont en cours : réessayez dans un instant.",
		txtRateLimited:    "Vous avez lancé beaucoup de vérifications en peu de temps : réessayez dans {wait}.",
		txtFailed:         "La vérification de {domain} n'a pas pu aboutir (erreur interne du bot). Réessayez ; si cela se reproduit, prévenez l'équipe technique.",
		txtStopping:       "Le bot redémarre : réessayez dans un instant.",
		txtHelpTitle:      "mailsetup vérifie la configuration mail d'un client (DNS, IMAP 993, POP3 995, SMTP 465/587/25, certificats) et dit quoi corriger, d'après le guide « Boîte mails Basic ».",
		txtHelpCheck:      "vérifie un domaine ou une adresse ; ajoutez un logiciel de messagerie pour son guide, et fr ou en pour la langue",
		txtHelpStatus:     "état des serveurs de la plateforme (astreinte : « le mail est-il en panne ? »)",
		txtHelpHelp:       "cette aide",
		txtHelpExamples:   "Exemples",
		txtHelpMention:    "Dans un canal, mentionnez-moi avec un domaine (@mailsetup client.fr) : je réponds dans le fil.",
		txtStatusTitle:    "État de la plateforme mail",
		txtStatusNone:     "Aucun serveur de la plateforme n'est configuré (MAILSETUP_FLEET).",
		txtStatusNoAnswer: "pas de réponse",
		txtChanged:        "Ce qui a changé depuis la vérification précédente :",
		txtUnchanged:      "Rien n'a changé depuis la vérification précédente.",
		txtHomeTitle:      "mailsetup",
		txtHomeRecent:     "Vos dernières vérifications",
		txtHomeNone:       "Aucune vérification pour l'instant : tapez /mailsetup client.fr dans n'importe quel canal.",
		txtCustomerReply:  "Réponse à copier pour le client :",
		txtShared:         "{user} a partagé la vérification de {domain} :",
		txtUnknownAction:  "Ce bouton n'est plus pris en charge : relancez /mailsetup {domain}.",
	},
	messages.EN: {
		txtChecking:       "Checking {domain}…",
		txtBusy:           "Many checks are running right now: try again in a moment.",
		txtRateLimited:    "You have run many checks in a short time: try again in {wait}.",
		txtFailed:         "The check of {domain} could not be completed (an internal error of the bot). Try again; if it happens again, tell the engineering team.",
		txtStopping:       "The bot is restarting: try again in a moment.",
		txtHelpTitle:      "mailsetup checks a customer's mail setup (DNS, IMAP 993, POP3 995, SMTP 465/587/25, certificates) and says what to fix, following the \"Boîte mails Basic\" guide.",
		txtHelpCheck:      "checks a domain or an address; add a mail client for its guide, and fr or en for the language",
		txtHelpStatus:     "status of the platform's own servers (on-call: \"is mail down?\")",
		txtHelpHelp:       "this help",
		txtHelpExamples:   "Examples",
		txtHelpMention:    "In a channel, mention me with a domain (@mailsetup client.com): I answer in the thread.",
		txtStatusTitle:    "Mail platform status",
		txtStatusNone:     "No platform server is configured (MAILSETUP_FLEET).",
		txtStatusNoAnswer: "no answer",
		txtChanged:        "What changed since the previous check:",
		txtUnchanged:      "Nothing changed since the previous check.",
		txtHomeTitle:      "mailsetup",
		txtHomeRecent:     "Your recent checks",
		txtHomeNone:       "No check yet: type /mailsetup client.com in any channel.",
		txtCustomerReply:  "Reply to paste for the customer:",
		txtShared:         "{user} shared the check of {domain}:",
		txtUnknownAction:  "This button is no longer supported: run /mailsetup {domain} again.",
	},
}

// tr returns the sentence in lang, its placeholders filled from pairs
// ("domain", "client.fr", …).
func tr(lang messages.Lang, key textKey, pairs ...string) string {
	t, ok := texts[lang]
	if !ok {
		t = texts[messages.FR]
	}
	s := t[key]
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, "{"+pairs[i]+"}", pairs[i+1])
	}
	return s
}
