package messages

// Phrase names a sentence of the bot's conversation around a report
// (checking…, busy, rate limited, help, status, what changed). The
// report's own wording is the catalog's.
type Phrase int

const (
	PhraseChecking Phrase = iota
	PhraseBusy
	PhraseRateLimited
	PhraseFailed
	PhraseStopping
	PhraseHelpTitle
	PhraseHelpCheck
	PhraseHelpStatus
	PhraseHelpHelp
	PhraseHelpExamples
	PhraseHelpMention
	PhraseStatusTitle
	PhraseStatusNone
	PhraseStatusNoAnswer
	PhraseChanged
	PhraseUnchanged
	PhraseHomeTitle
	PhraseHomeRecent
	PhraseHomeNone
	PhraseCustomerReply
	PhraseShared
	PhraseUnknownAction
	// History (issue 14).
	PhraseHelpHistory
	PhraseHistoryNone
	PhraseHistoryOff
	PhraseHistoryUnavailable
	// Who may run what, and addresses Slack does not show (issue 11).
	PhraseStatusOnly
	PhraseBotOnly
	PhraseWhereChannels
	PhraseWhereOnCall
	PhraseWhereOr
	PhraseBotNotInTeam
	PhrasePrivateOnly
	PhrasePrivateAddress
	// The outgoing addresses in /mailsetup status (issue 12): reverse DNS
	// and blocklists.
	PhraseOutgoingConfirmed
	PhraseOutgoingNoPTR
	PhraseOutgoingUnconfirmed
	PhraseOutgoingPTRUnknown
	PhraseOutgoingListed
	PhraseOutgoingNotListed
	PhraseOutgoingListUnknown
	// What a customer saw (issue 13).
	PhraseHelpExplain

	phraseCount // keep last: the completeness test counts up to it
)

// phrases holds the conversation in each language; {name} placeholders
// are filled by Say.
var phrases = map[Lang]map[Phrase]string{
	FR: {
		PhraseChecking:       "Vérification de {domain} en cours…",
		PhraseBusy:           "Beaucoup de vérifications sont en cours : réessayez dans un instant.",
		PhraseRateLimited:    "Vous avez lancé beaucoup de vérifications en peu de temps : réessayez dans {wait}.",
		PhraseFailed:         "La vérification de {domain} n'a pas pu aboutir (erreur interne du bot). Réessayez ; si cela se reproduit, prévenez l'équipe technique.",
		PhraseStopping:       "Le bot redémarre : réessayez dans un instant.",
		PhraseHelpTitle:      "mailsetup vérifie la configuration mail d'un client (DNS, IMAP 993, POP3 995, SMTP 465/587/25, certificats) et dit quoi corriger, d'après le guide « Boîte mails Basic ».",
		PhraseHelpCheck:      "vérifie un domaine ou une adresse ; ajoutez un logiciel de messagerie pour son guide, et fr ou en pour la langue",
		PhraseHelpStatus:     "état des serveurs de la plateforme (astreinte : « le mail est-il en panne ? »)",
		PhraseHelpHelp:       "cette aide",
		PhraseHelpExamples:   "Exemples",
		PhraseHelpMention:    "Dans un canal, mentionnez-moi avec un domaine (@mailsetup client.fr) : je réponds dans le fil.",
		PhraseStatusTitle:    "État de la plateforme mail",
		PhraseStatusNone:     "Aucun serveur de la plateforme n'est configuré (MAILSETUP_FLEET).",
		PhraseStatusNoAnswer: "pas de réponse",
		PhraseChanged:        "Ce qui a changé depuis la vérification précédente :",
		PhraseUnchanged:      "Rien n'a changé depuis la vérification précédente.",
		PhraseHomeTitle:      "mailsetup",
		PhraseHomeRecent:     "Vos dernières vérifications",
		PhraseHomeNone:       "Aucune vérification pour l'instant : tapez /mailsetup client.fr dans n'importe quel canal.",
		PhraseCustomerReply:  "Réponse à copier pour le client :",
		PhraseShared:         "{user} a partagé la vérification de {domain} :",
		PhraseUnknownAction:  "Ce bouton n'est plus pris en charge : relancez /mailsetup {domain}.",
		PhraseStatusOnly:     "« /mailsetup status » répond seulement {where}.",
		PhraseBotOnly:        "mailsetup répond seulement {where}.",
		PhraseWhereChannels:  "dans {channels}",
		PhraseWhereOnCall:    "aux membres du groupe d'astreinte",
		PhraseWhereOr:        " ou ",
		PhraseBotNotInTeam:   "mailsetup ne répond pas dans cet espace de travail Slack.",
		PhrasePrivateOnly:    "{count} {count|adresse privée|adresses privées} uniquement",
		PhrasePrivateAddress: "adresse privée",
		// Gmail's sender guidelines require of every sending IP a PTR
		// record whose name resolves back to it; RFC 8601 §2.7.3 "iprev".
		PhraseOutgoingConfirmed:   "PTR {name}, qui pointe bien vers cette adresse (DNS inverse confirmé).",
		PhraseOutgoingNoPTR:       "aucun PTR (DNS inverse) : Gmail et d'autres destinataires refusent ou classent en spam le courrier envoyé depuis une adresse sans PTR.",
		PhraseOutgoingUnconfirmed: "PTR {name}, mais ce nom ne pointe pas vers cette adresse (DNS inverse non confirmé) : Gmail et d'autres destinataires refusent ou classent en spam ce courrier.",
		PhraseOutgoingPTRUnknown:  "DNS inverse non vérifié : pas de réponse à temps, impossible de conclure.",
		PhraseOutgoingListed:      "listée sur la liste de blocage {zone} : {reason}",
		PhraseOutgoingNotListed:   "pas listée sur {zone}.",
		PhraseOutgoingListUnknown: "{zone} n'a pas pu être interrogée : impossible de dire si l'adresse y est listée.",
		PhraseHelpHistory:         "les dernières vérifications d'un domaine : ce qui a changé, et quand",
		PhraseHelpExplain:         "explique un rejet ou une erreur de messagerie collé après le domaine (ou sans : le domaine est pris dans le texte) et vérifie ce qu'il indique ; sur un message : raccourci « Diagnostiquer avec mailsetup »",
		PhraseHistoryNone:         "Aucune vérification de {domain} n'est gardée pour l'instant.",
		PhraseHistoryOff:          "Ce bot ne garde pas d'historique (MAILSETUP_STATE=off).",
		PhraseHistoryUnavailable:  "Historique indisponible pour le moment : réessayez plus tard.",
	},
	EN: {
		PhraseChecking:            "Checking {domain}…",
		PhraseBusy:                "Many checks are running right now: try again in a moment.",
		PhraseRateLimited:         "You have run many checks in a short time: try again in {wait}.",
		PhraseFailed:              "The check of {domain} could not be completed (internal error in the bot). Try again; if it happens again, tell the engineering team.",
		PhraseStopping:            "The bot is restarting: try again in a moment.",
		PhraseHelpTitle:           "mailsetup checks a customer's mail setup (DNS, IMAP 993, POP3 995, SMTP 465/587/25, certificates) and says what to fix, following the \"Boîte mails Basic\" guide.",
		PhraseHelpCheck:           "checks a domain or an address; add a mail app for its guide, and fr or en for the language",
		PhraseHelpStatus:          "status of the platform's own servers (on-call: \"is mail down?\")",
		PhraseHelpHelp:            "this help",
		PhraseHelpExamples:        "Examples",
		PhraseHelpMention:         "In a channel, mention me with a domain (@mailsetup client.com): I answer in the thread.",
		PhraseStatusTitle:         "Mail platform status",
		PhraseStatusNone:          "No platform server is configured (MAILSETUP_FLEET).",
		PhraseStatusNoAnswer:      "no answer",
		PhraseChanged:             "What has changed since the previous check:",
		PhraseUnchanged:           "Nothing has changed since the previous check.",
		PhraseHomeTitle:           "mailsetup",
		PhraseHomeRecent:          "Your recent checks",
		PhraseHomeNone:            "No checks yet: type /mailsetup client.com in any channel.",
		PhraseCustomerReply:       "Reply to paste for the customer:",
		PhraseShared:              "{user} shared the check of {domain}:",
		PhraseUnknownAction:       "This button is no longer supported: run /mailsetup {domain} again.",
		PhraseStatusOnly:          "\"/mailsetup status\" is answered only {where}.",
		PhraseBotOnly:             "mailsetup answers only {where}.",
		PhraseWhereChannels:       "in {channels}",
		PhraseWhereOnCall:         "to members of the on-call group",
		PhraseWhereOr:             " or ",
		PhraseBotNotInTeam:        "mailsetup does not answer in this Slack workspace.",
		PhrasePrivateOnly:         "{count} private {count|address|addresses} only",
		PhrasePrivateAddress:      "private address",
		PhraseOutgoingConfirmed:   "PTR {name}, which points back to this address (reverse DNS confirmed).",
		PhraseOutgoingNoPTR:       "no PTR (reverse DNS): Gmail and other receivers refuse or mark as spam mail sent from an address without one.",
		PhraseOutgoingUnconfirmed: "PTR {name}, but that name does not point back to this address (reverse DNS not confirmed): Gmail and other receivers refuse or mark as spam this mail.",
		PhraseOutgoingPTRUnknown:  "reverse DNS not checked: no answer in time, no conclusion possible.",
		PhraseOutgoingListed:      "listed on the blocklist {zone}: {reason}",
		PhraseOutgoingNotListed:   "not listed on {zone}.",
		PhraseOutgoingListUnknown: "{zone} could not be asked: no telling whether the address is listed.",
		PhraseHelpHistory:         "the last checks of a domain: what changed, and when",
		PhraseHelpExplain:         "explains a bounce or a mail client's error pasted after the domain (or without it: the domain is taken from the text) and checks what it points to; on a message: the \"Diagnose with mailsetup\" shortcut",
		PhraseHistoryNone:         "No check of {domain} is kept yet.",
		PhraseHistoryOff:          "This bot keeps no history (MAILSETUP_STATE=off).",
		PhraseHistoryUnavailable:  "History is unavailable right now: try again later.",
	},
}

// Say returns the phrase in lang, its placeholders filled from pairs
// ("domain", "client.fr", …) as fill does: plural selectors, French
// elision.
func Say(lang Lang, key Phrase, pairs ...string) string {
	t, ok := phrases[lang]
	if !ok {
		t = phrases[FR]
	}
	vars := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		vars[pairs[i]] = pairs[i+1]
	}
	return fillWith(t[key], lang, func(k string) (string, bool) {
		v, ok := vars[k]
		return v, ok
	})
}
