package messages

import "github.com/pcmhosting/mailsetup/triage"

// ExplainWords is the wording of a triage answer (mailsetup explain,
// /mailsetup DOMAIN TEXT) in one language. Placeholders: {domain} the
// domain checked, {found} the customer's domain the text points to,
// {who} the address or host the choice came from, {list} a list,
// {provider} who refused, {example} a command to type.
type ExplainWords struct {
	Heading, Unrecognised, NothingRecognised, AlsoRecognised string
	Recognised, Domains, Meaning, Who, Check, Evidence       string
	Steps, FoundByCheck, Reply, Report, ReportIntro          string
	Outcome                                                  map[triage.Outcome]string
	// ServersFine is the outcome in words of a cause the check cannot
	// confirm while every server it concerns works (flag servers_ok).
	ServersFine                                               string
	Reason                                                    map[triage.Reason]string
	Found, Others, NoDomain, BadDomain                        string
	Kinds                                                     map[string]string // "status", "reply", "error", "dsn"
	Sources                                                   map[string]string // catalog source → provider or app name
	Recipient                                                 string            // who refused, when no provider is known
	ConfirmedBounce, ConfirmedClient                          string
	RuledOut                                                  map[triage.Cause]string
	RuledOutDefault                                           string
	ServersOK                                                 map[triage.Cause]string
	ServersOKDefault                                          string
	OtherDomain, NoCheck, NoReport, Undecided, NotRun, Use587 string
	// The customer reply.
	ReplyIntro, ReplyIntroNoDomain, ReplyYouDo, ReplyServersOK string
	ReplyHost, ReplyRecipient, ReplyUse587, ReplyUnrecognised  string
	TooLong                                                    string
}

var explainFR = ExplainWords{
	Heading:           "Ce que le client a vu",
	Unrecognised:      "Texte non reconnu : aucune cause connue n'y correspond, et mailsetup ne devine pas.",
	NothingRecognised: "Rien de reconnu : ni code, ni numéro d'erreur, ni domaine.",
	AlsoRecognised:    "Reconnu quand même",
	Recognised:        "Reconnu",
	Domains:           "Domaines cités",
	Meaning:           "Ce que cela veut dire",
	Who:               "Qui doit agir",
	Check:             "Vérification",
	Evidence:          "Preuves",
	Steps:             "Étapes",
	FoundByCheck:      "Ce que la vérification a trouvé",
	Reply:             "Réponse au client",
	Report:            "Vérification complète",
	ReportIntro:       "Voici la vérification normale de {domain}.",
	Outcome: map[triage.Outcome]string{
		triage.Confirmed: "confirmé par la vérification",
		triage.RuledOut:  "écarté par la vérification",
		triage.Unknown:   "non tranché par la vérification",
	},
	ServersFine: "nos serveurs fonctionnent : à régler côté client",
	Reason: map[triage.Reason]string{
		triage.ReasonGiven:   "Domaine vérifié : {domain}, donné dans la commande.",
		triage.ReasonSender:  "Domaine vérifié : {domain}, celui de l'expéditeur du message refusé ({who}).",
		triage.ReasonAccount: "Domaine vérifié : {domain}, celui du compte de messagerie de l'erreur ({who}).",
		triage.ReasonServer:  "Domaine vérifié : {domain}, celui du serveur auquel le logiciel se connecte ({who}).",
		triage.ReasonOnly:    "Domaine vérifié : {domain}, le seul domaine d'adresse cité dans le texte.",
	},
	Found:     "Le texte désigne plutôt {found} : vérifiez que c'est bien {domain} qu'il fallait vérifier.",
	Others:    "Autres domaines cités, non vérifiés (le destinataire ou son serveur) : {list}.",
	NoDomain:  "Aucun domaine du client dans le texte : donnez-le pour lancer la vérification ({example}).",
	BadDomain: "Le domaine {domain} trouvé dans le texte ne peut pas être vérifié : donnez le bon domaine ({example}).",
	Kinds: map[string]string{
		"status": "code d'état", "reply": "code SMTP", "error": "erreur Outlook", "dsn": "rapport de non-remise (DSN)",
	},
	Sources: map[string]string{
		"gmail": "Gmail", "microsoft": "Microsoft (Outlook.com, Microsoft 365)", "yahoo": "Yahoo/AOL",
		"outlook": "Outlook", "thunderbird": "Thunderbird", "apple": "Apple Mail", "android": "Android/Gmail",
		"french-isps": "Orange, Free, SFR ou La Poste", "blocklists": "une liste de blocage",
	},
	Recipient:       "le serveur du destinataire",
	ConfirmedBounce: "{list} : c'est pourquoi {provider} refuse le message.",
	ConfirmedClient: "{list} : c'est ce qui provoque l'erreur affichée par le logiciel.",
	RuledOut: map[triage.Cause]triageSentence{
		"tls.cert_untrusted":         "Le certificat du serveur est valide : l'avertissement vient de l'appareil du client, vérifiez sa date et son heure, puis le nom du serveur saisi.",
		"conn.host_unknown":          "Le serveur de {domain} existe et a une adresse dans le DNS : vérifiez l'orthographe du nom saisi dans le logiciel.",
		"send.sender_domain_unknown": "{domain} a bien une adresse et des MX dans le DNS aujourd'hui : vérifiez l'adresse d'expéditeur saisie, puis renvoyez le message.",
		"recipient.domain_unknown":   "{domain} a bien une adresse et des MX dans le DNS aujourd'hui : vérifiez l'adresse saisie, puis renvoyez le message.",
		"recipient.unreachable":      "Le serveur de {domain} répond aujourd'hui : renvoyez le message.",
	},
	RuledOutDefault: "Nos serveurs répondent sur tous les ports concernés : le blocage est du côté du client (réseau, pare-feu, antivirus ou paramètres du logiciel).",
	ServersOK: map[triage.Cause]triageSentence{
		"auth.bad_credentials": "Tous les serveurs répondent et proposent l'authentification : le refus vient de l'identifiant ou du mot de passe saisi dans le logiciel (guide, section 5.1).",
		"send.auth_off":        "Les serveurs d'envoi fonctionnent et demandent l'authentification : c'est le logiciel qui ne s'authentifie pas (guide, section 5.3).",
		"send.spf_fail":        "Le SPF de {domain} est en place aujourd'hui : si le message est parti par un autre service (site web, logiciel de facturation, autre fournisseur), ce service doit être ajouté au SPF ; sinon, renvoyez le message.",
		"send.dkim_fail":       "La clé DKIM de {domain} est publiée : transmettez le refus à l'équipe technique pour vérifier la signature des messages.",
		"send.dmarc_reject":    "SPF, DKIM et DMARC de {domain} sont en place aujourd'hui : si le message est parti par un autre service, ce service doit être ajouté au SPF et signer en DKIM ; sinon, renvoyez le message.",
		"send.unauthenticated": "SPF et DKIM de {domain} sont en place aujourd'hui : si le message est parti par un autre service (site web, logiciel de facturation, autre fournisseur), ce service doit être ajouté au SPF ; sinon, renvoyez le message.",
		"send.spam_policy":     "SPF, DKIM et DMARC de {domain} sont en place : le refus tient plutôt au contenu ou à la réputation.",
	},
	ServersOKDefault: "Les vérifications concernées réussissent : nos serveurs ne sont pas en cause, suivez les étapes ci-dessous.",
	OtherDomain:      "La cause est chez le destinataire : aucune vérification de notre côté ne peut la confirmer ni l'écarter.",
	NoCheck:          "Aucune vérification de mailsetup ne peut le confirmer ni l'écarter : suivez les étapes.",
	NoReport:         "Pas de vérification : aucun domaine à vérifier.",
	Undecided:        "La vérification ne permet pas de trancher : voyez les preuves ci-dessous.",
	NotRun:           "Les vérifications concernées n'ont pas pu aboutir : voyez la vérification complète ci-dessous.",
	Use587:           "Le port 465 ne répond pas et le 587 fonctionne : configurez le serveur sortant sur le port 587 avec STARTTLS (guide, section 5.3).",

	ReplyIntro:         "Nous avons analysé le message d'erreur que vous nous avez transmis et vérifié la configuration de {domain}.",
	ReplyIntroNoDomain: "Nous avons analysé le message d'erreur que vous nous avez transmis.",
	ReplyYouDo:         "Voici ce qu'il faut faire :",
	ReplyServersOK:     "Nos serveurs fonctionnent normalement : la correction se fait dans votre logiciel de messagerie ou sur votre appareil.",
	ReplyHost:          "La correction est de notre côté : vous n'avez rien à changer dans votre logiciel de messagerie.",
	ReplyRecipient:     "Le problème se situe chez le destinataire : ni vous ni nous ne pouvons le corriger.",
	ReplyUse587:        "En attendant, vous pouvez envoyer vos e-mails en réglant le serveur sortant sur le port 587 avec STARTTLS.",
	ReplyUnrecognised:  "Nous n'avons pas reconnu ce message d'erreur ; voici le résultat de la vérification de votre configuration.",
	TooLong:            "Texte trop long : collez au plus 32 Ko (32 768 octets), le message d'erreur et les en-têtes du rapport de non-remise.",
}

var explainEN = ExplainWords{
	Heading:           "What the customer saw",
	Unrecognised:      "Text not recognised: it matches no known cause, and mailsetup does not guess.",
	NothingRecognised: "Nothing recognised: no code, no error number, no domain.",
	AlsoRecognised:    "Recognised all the same",
	Recognised:        "Recognised",
	Domains:           "Domains named",
	Meaning:           "What it means",
	Who:               "Who must act",
	Check:             "Check",
	Evidence:          "Evidence",
	Steps:             "Steps",
	FoundByCheck:      "What the check found",
	Reply:             "Customer reply",
	Report:            "Full check",
	ReportIntro:       "Here is the normal check of {domain}.",
	Outcome: map[triage.Outcome]string{
		triage.Confirmed: "confirmed by the check",
		triage.RuledOut:  "ruled out by the check",
		triage.Unknown:   "not settled by the check",
	},
	ServersFine: "our servers work: to fix on the customer's side",
	Reason: map[triage.Reason]string{
		triage.ReasonGiven:   "Domain checked: {domain}, given in the command.",
		triage.ReasonSender:  "Domain checked: {domain}, the sender's of the refused message ({who}).",
		triage.ReasonAccount: "Domain checked: {domain}, the mail account's of the error ({who}).",
		triage.ReasonServer:  "Domain checked: {domain}, the server's the mail app connects to ({who}).",
		triage.ReasonOnly:    "Domain checked: {domain}, the only domain of an address in the text.",
	},
	Found:     "The text points to {found} instead: make sure {domain} is the domain to check.",
	Others:    "Other domains named, not checked (the recipient or their server): {list}.",
	NoDomain:  "No customer domain in the text: give it to run the check ({example}).",
	BadDomain: "The domain {domain} found in the text cannot be checked: give the right domain ({example}).",
	Kinds: map[string]string{
		"status": "status code", "reply": "SMTP code", "error": "Outlook error", "dsn": "non-delivery report (DSN)",
	},
	Sources: map[string]string{
		"gmail": "Gmail", "microsoft": "Microsoft (Outlook.com, Microsoft 365)", "yahoo": "Yahoo/AOL",
		"outlook": "Outlook", "thunderbird": "Thunderbird", "apple": "Apple Mail", "android": "Android/Gmail",
		"french-isps": "Orange, Free, SFR or La Poste", "blocklists": "a blocklist",
	},
	Recipient:       "the recipient's server",
	ConfirmedBounce: "{list}: that is why {provider} refuses the message.",
	ConfirmedClient: "{list}: that is what causes the mail app's error.",
	RuledOut: map[triage.Cause]triageSentence{
		"tls.cert_untrusted":         "The server's certificate is valid: the warning is on the customer's device, check its date and time, then the server name typed.",
		"conn.host_unknown":          "The server of {domain} exists and has an address in the DNS: check the spelling of the name typed in the mail app.",
		"send.sender_domain_unknown": "{domain} has an address and MX records in the DNS today: check the sender address typed, then send the message again.",
		"recipient.domain_unknown":   "{domain} has an address and MX records in the DNS today: check the address typed, then send the message again.",
		"recipient.unreachable":      "The server of {domain} answers today: send the message again.",
	},
	RuledOutDefault: "Our servers answer on every port concerned: the block is on the customer's side (network, firewall, antivirus or the mail app's settings).",
	ServersOK: map[triage.Cause]triageSentence{
		"auth.bad_credentials": "Every server answers and offers authentication: the refusal comes from the username or password typed in the mail app (guide, section 5.1).",
		"send.auth_off":        "The sending servers work and ask for authentication: the mail app does not authenticate (guide, section 5.3).",
		"send.spf_fail":        "The SPF record of {domain} is in place today: if the message left through another service (website, invoicing software, another provider), that service must be added to the SPF record; otherwise, send the message again.",
		"send.dkim_fail":       "The DKIM key of {domain} is published: pass the refusal to the technical team to check the messages' signature.",
		"send.dmarc_reject":    "SPF, DKIM and DMARC of {domain} are in place today: if the message left through another service, that service must be added to the SPF record and sign with DKIM; otherwise, send the message again.",
		"send.unauthenticated": "SPF and DKIM of {domain} are in place today: if the message left through another service (website, invoicing software, another provider), that service must be added to the SPF record; otherwise, send the message again.",
		"send.spam_policy":     "SPF, DKIM and DMARC of {domain} are in place: the refusal is more likely about content or reputation.",
	},
	ServersOKDefault: "The checks concerned pass: our servers are not at fault, follow the steps below.",
	OtherDomain:      "The cause is on the recipient's side: no check on our side can confirm or rule it out.",
	NoCheck:          "No check of mailsetup can confirm or rule it out: follow the steps.",
	NoReport:         "No check: no domain to check.",
	Undecided:        "The check cannot settle it: see the evidence below.",
	NotRun:           "The checks concerned could not run: see the full check below.",
	Use587:           "Port 465 does not answer and 587 works: set the outgoing server to port 587 with STARTTLS (guide, section 5.3).",

	ReplyIntro:         "We have looked at the error message you sent us and checked the setup of {domain}.",
	ReplyIntroNoDomain: "We have looked at the error message you sent us.",
	ReplyYouDo:         "Here is what to do:",
	ReplyServersOK:     "Our servers work normally: the fix is in your mail app or on your device.",
	ReplyHost:          "The fix is on our side: you have nothing to change in your mail app.",
	ReplyRecipient:     "The problem is on the recipient's side: neither you nor we can fix it.",
	ReplyUse587:        "Meanwhile, you can send your e-mails by setting the outgoing server to port 587 with STARTTLS.",
	ReplyUnrecognised:  "We did not recognise this error message; here is the result of the check of your setup.",
	TooLong:            "Text too long: paste at most 32 KB (32,768 bytes), the error message and the non-delivery report's headers.",
}

// triageSentence is a sentence of a triage answer about one cause.
type triageSentence = string

var explainTexts = map[Lang]*ExplainWords{FR: &explainFR, EN: &explainEN}

func explainFor(lang Lang) *ExplainWords { return explainTexts[lang.orDefault()] }

// TooLongMessage is the one line a user gets for pasted text over
// triage.MaxInput bytes, in their language.
func TooLongMessage(lang Lang) string { return explainFor(lang).TooLong }
