package scenario

// descriptionFR is each scenario's Description in French, for `mailsetup
// demo --lang fr`. A scenario missing here is described in English.
var descriptionFR = map[string]string{
	"good":         "tout est juste : A, MX, SPF, DKIM, DMARC, SRV ; IMAPS, POP3S, SMTPS, soumission et MX avec STARTTLS, certificats de l'autorité de test",
	"expired":      "le certificat de chaque port TLS a expiré hier",
	"wrongname":    "chaque port TLS présente un certificat valide, mais pour un autre nom seulement",
	"selfsigned":   "chaque port TLS présente un certificat auto-signé pour les bons noms",
	"expiring":     "le certificat de chaque port TLS expire dans 5 jours",
	"notyetvalid":  "le certificat de chaque port TLS ne sera valide que demain",
	"sni":          "les serveurs présentent leur propre certificat par défaut et celui du domaine par SNI (RFC 6066 §3), comme cPanel",
	"twomx":        "deux MX sur des serveurs qui choisissent par SNI : mx va bien, le certificat de mx2 a expiré hier",
	"oldtls":       "SMTP ne propose que TLS 1.0 et 1.1",
	"badkey":       "le serveur SMTP ne peut pas lire sa clé privée : 465 coupe la négociation, 587 et 25 annoncent STARTTLS et y répondent 454",
	"no465":        "le port 465 refuse les connexions ; la soumission sur 587 avec STARTTLS fonctionne",
	"plain465":     "le port 465 répond en clair (465 absent des tls_on_connect_ports d'Exim) ; 587 fonctionne",
	"nostarttls":   "la soumission sur 587 ne propose pas STARTTLS (ni donc AUTH)",
	"noauth":       "465 et 587 ne proposent pas AUTH, même chiffrés",
	"authplain":    "587 annonce AUTH avant STARTTLS, en clair",
	"nopop3":       "le port 995 refuse les connexions",
	"tarpit":       "le port 993 accepte les connexions et ne dit jamais rien",
	"nomx":         "aucun enregistrement MX (l'hôte lui-même a toujours son enregistrement A)",
	"nullmx":       "un MX nul, MX 0 . (RFC 7505) : le domaine ne reçoit pas d'e-mails",
	"mxdangling":   "la seule cible MX n'a pas d'adresse",
	"mxcname":      "la cible MX est un CNAME vers le serveur de messagerie (RFC 2181 §10.3)",
	"nospf":        "aucun enregistrement SPF",
	"twospf":       "deux enregistrements SPF TXT sur le domaine (permerror, RFC 7208 §3.2)",
	"spfsyntax":    "un enregistrement SPF avec une adresse mal formée, ip4:192.0.2.300",
	"spflookups":   "SPF demande 12 requêtes DNS (a, mx et une chaîne de 10 include), au-delà de la limite de 10 (RFC 7208 §4.6.4)",
	"spfall":       "SPF +all : n'importe quel serveur d'Internet peut envoyer au nom du domaine",
	"spfneutral":   "SPF finissant par ?all : ne dit rien des inconnus",
	"spfinclude":   "SPF inclut un nom qui n'a pas d'enregistrement SPF (permerror, RFC 7208 §5.2)",
	"spfvoid":      "SPF nomme trois hôtes qui n'existent pas : plus de 2 requêtes vides (RFC 7208 §4.6.4)",
	"nodkim":       "aucune clé DKIM aux sélecteurs courants",
	"dkimweak":     "la clé DKIM est une RSA de 1024 bits",
	"nodmarc":      "aucun enregistrement DMARC sur _dmarc",
	"dmarcnone":    "politique DMARC p=none : les e-mails en échec sont livrés quand même",
	"dmarcsyntax":  "DMARC avec une politique inconnue, p=reject-all",
	"twodmarc":     "deux enregistrements DMARC sur _dmarc (RFC 7489 §6.6.3 : aucune politique ne s'applique)",
	"nosrv":        "ni SRV, ni autoconfig, ni autodiscover : il faut donner les paramètres aux clients",
	"bigtxt":       "l'enregistrement SPF parmi huit TXT de vérification de 250 octets : la réponse dépasse 1232 octets, est tronquée en UDP et redemandée en TCP (RFC 7766)",
	"hostile":      "le port 587 refuse le service avec un accueil plein de séquences d'échappement (effacement de l'écran, titre de fenêtre, lien OSC 8) et un forçage droite-à-gauche : chaque sortie les neutralise",
	"nxdomain":     "le domaine n'existe pas (NXDOMAIN) : aucun enregistrement, aucun serveur",
	"resolverdown": "le résolveur ne répond rien : les vérifications DNS ne peuvent pas conclure, celles des ports, qui ont besoin d'une adresse, ne sont pas lancées",
	// The platform (the lab's provider profile).
	"elsewhere":        "courrier hébergé ailleurs : le MX et le serveur de messagerie sont les serveurs, qui fonctionnent, d'un autre fournisseur, hors des plages de la plateforme",
	"dnselsewhere":     "DNS hébergé ailleurs : les serveurs DNS du domaine sont ceux d'un autre fournisseur DNS",
	"spfours":          "l'enregistrement SPF n'est que l'include de la plateforme : notre adresse d'envoi passe",
	"spfnotours":       "SPF sans nos serveurs : il n'autorise que le réseau d'un autre fournisseur, -all, et notre adresse d'envoi échoue",
	"spfsoftfail":      "le SPF n'autorise que le réseau d'un autre fournisseur, ~all : notre adresse d'envoi est en softfail",
	"spfnotsaid":       "le SPF n'autorise que le réseau d'un autre fournisseur, ?all : notre adresse d'envoi est neutre",
	"spfdnsfail":       "le SPF interroge, par une macro, un nom dont le serveur ne répond pas : check_host de notre adresse d'envoi est temperror, impossible de conclure",
	"dkimnotours":      "une clé DKIM au sélecteur mail, aucune au sélecteur de la plateforme",
	"dkimother":        "la clé au sélecteur DKIM de la plateforme n'est pas celle avec laquelle elle signe",
	"expiredelsewhere": "le certificat de chaque port TLS a expiré hier, sur le serveur d'un autre fournisseur, hors des plages de la plateforme",
}

// FrenchDescription is the French description of the scenario named
// name, if it has one.
func FrenchDescription(name string) (string, bool) {
	d, ok := descriptionFR[name]
	return d, ok
}
