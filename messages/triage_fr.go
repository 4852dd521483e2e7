package messages

import "github.com/pcmhosting/mailsetup/triage"

// Steps of the guide "Boîte mails Basic", quoted as they are.
const (
	guideFR51a = "Vérifiez que votre nom d'utilisateur correspond à votre adresse e-mail complète (guide, section 5.1)."
	guideFR51b = "Assurez-vous que le mot de passe est correct (guide, section 5.1)."
	guideFR52a = "Vérifiez que les ports et la sécurité (SSL/TLS) sont correctement configurés (guide, section 5.2)."
	guideFR52b = "Assurez-vous que votre réseau n'est pas bloqué par un pare-feu (guide, section 5.2)."
	guideFR53a = "Vérifiez que l'authentification SMTP est activée et que les informations de connexion sont correctes (guide, section 5.3)."
	guideFR53b = "Essayez de changer le port SMTP en 587 avec STARTTLS si 465 ne fonctionne pas (guide, section 5.3)."
	guideFR54  = "Configurez le logiciel pour ne télécharger que les en-têtes des e-mails si la boîte contient de nombreux messages (guide, section 5.4)."
	guideFR2   = "Reprenez les paramètres du guide (section 2) : serveur {domain}, IMAP 993 ou POP3 995 en SSL/TLS, SMTP 465 en SSL/TLS avec authentification, l'adresse e-mail complète comme nom d'utilisateur."
	guideFR6   = "Vérifiez les paramètres DNS du domaine {domain} : enregistrements MX, SPF, DKIM (guide, section 6)."
	whoFRCust  = "Le client, dans son logiciel de messagerie."
	whoFRHost  = "Nous, l'hébergeur : le client n'a rien à changer."
	whoFRRcpt  = "Le destinataire ou son fournisseur : ni le client ni nous ne pouvons corriger cela."
)

// triageFR words every triage cause in French, the guide's language.
var triageFR = map[triage.Cause]TriageText{
	"auth.bad_credentials": {
		Title:   "Identifiant ou mot de passe refusé",
		Meaning: "Le serveur a bien répondu mais a refusé la connexion : le nom d'utilisateur ou le mot de passe saisi dans le logiciel ne correspond pas à la boîte mail.",
		Who:     whoFRCust,
		Steps:   []string{guideFR51a, guideFR51b, "Si le mot de passe a été oublié, réinitialisez-le depuis l'espace client puis saisissez-le à nouveau sur chaque appareil."},
	},
	"conn.port_blocked": {
		Title:   "Connexion au serveur impossible",
		Meaning: "Le logiciel n'a pas pu ouvrir de connexion vers le serveur de messagerie sur le port configuré : le port est fermé, filtré, ou ce n'est pas le bon.",
		Who:     "Le client (port, pare-feu, réseau) ; nous, si le port est fermé de notre côté.",
		Steps:   []string{guideFR52a, guideFR52b, guideFR53b},
	},
	"conn.timeout": {
		Title:   "Le serveur ne répond pas à temps",
		Meaning: "La connexion vers le serveur a expiré sans réponse : un pare-feu ou le réseau bloque souvent le port, ou le serveur est injoignable.",
		Who:     "Le client (réseau, pare-feu, antivirus) ; nous, si le serveur ne répond pas non plus à notre vérification.",
		Steps:   []string{guideFR52a, guideFR52b, guideFR53b},
	},
	"conn.interrupted": {
		Title:   "Connexion interrompue",
		Meaning: "La connexion au serveur s'est ouverte puis a été coupée : souvent une sécurité (SSL/TLS) qui ne correspond pas au port, ou un antivirus qui analyse les e-mails.",
		Who:     whoFRCust,
		Steps:   []string{guideFR52a, guideFR52b, "Désactivez temporairement l'analyse des e-mails de l'antivirus et réessayez."},
	},
	"conn.host_unknown": {
		Title:   "Serveur introuvable",
		Meaning: "Le logiciel ne trouve pas le serveur indiqué dans ses paramètres : son nom est mal saisi, ou le domaine n'a pas d'adresse dans le DNS.",
		Who:     "Le client (nom du serveur) ; le titulaire du domaine si le DNS est en cause.",
		Steps:   []string{guideFR2, guideFR6},
	},
	"conn.wrong_security": {
		Title:   "Sécurité de connexion mal réglée",
		Meaning: "Le logiciel et le serveur ne s'accordent pas sur le chiffrement : la sécurité choisie (SSL/TLS, STARTTLS, aucune) ne correspond pas au port.",
		Who:     whoFRCust,
		Steps:   []string{guideFR2, guideFR52a, guideFR53b},
	},
	"conn.incoming_failed": {
		Title:   "Relève du courrier impossible",
		Meaning: "Le logiciel n'arrive pas à relever les e-mails, sans dire pourquoi : connexion, sécurité ou mot de passe.",
		Who:     whoFRCust,
		Steps:   []string{guideFR2, guideFR52a, guideFR51b},
	},
	"client.network": {
		Title:   "Pas d'accès au réseau",
		Meaning: "L'ordinateur n'arrive pas à joindre Internet au moment de l'envoi ou de la réception : le problème est sur l'appareil ou le réseau du client, pas sur le serveur.",
		Who:     "Le client : son appareil ou son réseau.",
		Steps:   []string{guideFR52b, "Vérifiez que l'ordinateur accède à Internet, puis redémarrez le logiciel de messagerie."},
	},
	"client.data_file": {
		Title:   "Fichier de données Outlook endommagé",
		Meaning: "Outlook n'arrive pas à lire ou écrire son fichier de données local (.pst/.ost) : le serveur n'est pas en cause.",
		Who:     "Le client : son installation d'Outlook.",
		Steps:   []string{"Réparez le fichier de données avec l'outil de réparation de la Boîte de réception d'Outlook (scanpst.exe), ou recréez le profil Outlook."},
	},
	"tls.cert_untrusted": {
		Title:   "Certificat du serveur non reconnu",
		Meaning: "Le logiciel n'a pas pu vérifier l'identité du serveur : le certificat est invalide ou expiré, le nom du serveur saisi n'est pas celui du certificat, ou la date de l'appareil est fausse.",
		Who:     "Nous, si notre vérification trouve un certificat invalide ; sinon le client (date et heure de l'appareil, nom du serveur).",
		Steps:   []string{"Vérifiez que la date et l'heure de l'appareil sont exactes.", guideFR2, guideFR52a},
	},
	"imap.slow": {
		Title:   "Synchronisation IMAP en échec ou lente",
		Meaning: "Outlook n'arrive pas à synchroniser les dossiers IMAP : souvent une boîte très volumineuse ou un dossier trop chargé.",
		Who:     whoFRCust,
		Steps:   []string{guideFR54, "Videz la corbeille et archivez les dossiers les plus volumineux."},
	},
	"send.smtp_failed": {
		Title:   "Envoi impossible",
		Meaning: "Le logiciel n'a pas pu envoyer le message par le serveur sortant (SMTP), sans préciser pourquoi.",
		Who:     whoFRCust,
		Steps:   []string{guideFR53a, guideFR53b, guideFR2},
	},
	"send.auth_off": {
		Title:   "Authentification SMTP non activée",
		Meaning: "Le serveur sortant refuse de transmettre le message car le logiciel ne s'est pas identifié : l'option « Mon serveur sortant requiert une authentification » est désactivée.",
		Who:     whoFRCust,
		Steps:   []string{guideFR53a, guideFR53b},
	},
	"send.sender_mismatch": {
		Title:   "Adresse d'expéditeur refusée",
		Meaning: "Le serveur refuse d'envoyer avec une adresse d'expéditeur qui n'est pas celle du compte connecté.",
		Who:     whoFRCust,
		Steps:   []string{"Envoyez depuis l'adresse de la boîte mail avec laquelle le logiciel se connecte, ou configurez un compte séparé pour l'autre adresse.", guideFR53a},
	},
	"send.spf_fail": {
		Title:   "Échec SPF chez le destinataire",
		Meaning: "Le serveur du destinataire a refusé le message car l'enregistrement SPF de {domain} n'autorise pas le serveur qui l'a envoyé.",
		Who:     "Le titulaire du domaine, dans sa zone DNS (nous pouvons l'aider).",
		Steps:   []string{guideFR6, "Corrigez l'enregistrement SPF pour qu'il inclue nos serveurs d'envoi, puis renvoyez le message après la propagation DNS."},
	},
	"send.dkim_fail": {
		Title:   "Signature DKIM absente ou invalide",
		Meaning: "Le serveur du destinataire n'a pas trouvé de signature DKIM valide pour {domain} sur le message.",
		Who:     "Nous, l'hébergeur (signature) ; le titulaire du domaine s'il doit publier la clé DKIM dans sa zone DNS.",
		Steps:   []string{guideFR6, "Publiez la clé DKIM fournie par l'hébergeur dans la zone DNS de {domain}."},
	},
	"send.dmarc_reject": {
		Title:   "Message refusé par la politique DMARC",
		Meaning: "Le message a échoué aux contrôles SPF et DKIM alignés sur {domain}, et la politique DMARC du domaine demande de le refuser.",
		Who:     "Le titulaire du domaine, dans sa zone DNS (nous pouvons l'aider).",
		Steps:   []string{guideFR6, "Corrigez SPF et DKIM d'abord ; n'assouplissez la politique DMARC (p=none) que le temps de la correction."},
	},
	"send.unauthenticated": {
		Title:   "Message non authentifié (SPF/DKIM)",
		Meaning: "Le fournisseur du destinataire exige que chaque message passe SPF ou DKIM ; celui-ci n'a passé aucun des deux pour {domain}.",
		Who:     "Le titulaire du domaine, dans sa zone DNS (nous pouvons l'aider).",
		Steps:   []string{guideFR6, "Corrigez l'enregistrement SPF pour qu'il inclue nos serveurs et publiez la clé DKIM, puis renvoyez le message."},
	},
	"send.sender_domain_unknown": {
		Title:   "Domaine de l'expéditeur introuvable",
		Meaning: "Le serveur du destinataire ne trouve pas le domaine de l'adresse d'expédition dans le DNS : il est mal écrit, expiré, ou n'a ni MX ni adresse.",
		Who:     "Le titulaire du domaine (DNS, renouvellement) ou le client (adresse mal saisie).",
		Steps:   []string{guideFR6, "Vérifiez l'adresse d'expéditeur configurée dans le logiciel."},
	},
	"send.no_ptr": {
		Title:   "Adresse IP d'envoi sans nom inverse (PTR)",
		Meaning: "Le serveur du destinataire refuse les messages venant d'une adresse IP sans enregistrement PTR cohérent : c'est le serveur d'envoi qui est en cause, pas le réglage du client.",
		Who:     whoFRHost,
		Steps:   []string{"Transmettez à l'équipe technique l'adresse IP citée dans le rejet pour qu'elle vérifie son PTR."},
	},
	"send.blocklisted": {
		Title:   "Serveur d'envoi sur liste de blocage",
		Meaning: "L'adresse IP du serveur qui a envoyé le message figure sur une liste de blocage (Spamhaus, Microsoft, Orange…) consultée par le destinataire.",
		Who:     whoFRHost,
		Steps:   []string{"Transmettez à l'équipe technique l'adresse IP et la liste citées dans le rejet, pour une demande de retrait.", "En attendant, le client peut réessayer plus tard ; inutile de modifier ses réglages."},
	},
	"send.spam_policy": {
		Title:   "Message refusé comme indésirable",
		Meaning: "Le filtre du destinataire a jugé le message indésirable (contenu, liens, réputation ou authentification du domaine).",
		Who:     "Le client (contenu du message) ; le titulaire du domaine si SPF, DKIM ou DMARC sont en défaut.",
		Steps:   []string{guideFR6, "Renvoyez un message simple, sans pièce jointe ni lien raccourci, pour voir si le contenu est en cause."},
	},
	"send.rate_limited": {
		Title:   "Envoi ralenti par le destinataire",
		Meaning: "Le fournisseur du destinataire limite temporairement les messages venant de notre serveur (volume, plaintes) : les messages sont retardés, pas perdus.",
		Who:     whoFRHost,
		Steps:   []string{"Le serveur réessaie automatiquement ; prévenez l'équipe technique si les retards durent plus de quelques heures."},
	},
	"send.message_too_big": {
		Title:   "Message trop volumineux",
		Meaning: "Le message dépasse la taille maximale acceptée par le serveur du destinataire, souvent à cause des pièces jointes.",
		Who:     whoFRCust,
		Steps:   []string{"Réduisez la taille des pièces jointes ou envoyez un lien de téléchargement à la place."},
	},
	"recipient.unknown": {
		Title:   "Adresse du destinataire inconnue",
		Meaning: "Le serveur du destinataire indique que cette boîte n'existe pas : l'adresse est mal écrite ou a été supprimée.",
		Who:     "Le client : vérifier l'adresse auprès du destinataire.",
		Steps:   []string{"Vérifiez l'orthographe de l'adresse du destinataire et demandez-lui une adresse valide."},
	},
	"recipient.domain_unknown": {
		Title:   "Domaine du destinataire introuvable",
		Meaning: "Le domaine de l'adresse du destinataire n'existe pas dans le DNS ou n'accepte pas d'e-mails : souvent une faute de frappe.",
		Who:     "Le client (adresse mal saisie) ; le titulaire du domaine s'il s'agit de {domain}.",
		Steps:   []string{"Vérifiez l'orthographe du domaine après le @ dans l'adresse du destinataire.", guideFR6},
	},
	"recipient.mailbox_full": {
		Title:   "Boîte du destinataire pleine",
		Meaning: "La boîte du destinataire a atteint son quota : elle ne peut plus recevoir de messages tant qu'elle n'est pas vidée.",
		Who:     whoFRRcpt,
		Steps:   []string{"Prévenez le destinataire par un autre moyen ; renvoyez le message quand sa boîte aura été vidée."},
	},
	"recipient.disabled": {
		Title:   "Boîte du destinataire désactivée",
		Meaning: "Le compte du destinataire est désactivé ou suspendu par son fournisseur.",
		Who:     whoFRRcpt,
		Steps:   []string{"Demandez au destinataire une autre adresse."},
	},
	"recipient.policy": {
		Title:   "Refus selon les règles du destinataire",
		Meaning: "Le domaine du destinataire a une règle qui refuse ce message (expéditeurs autorisés, groupe restreint, transfert interdit).",
		Who:     whoFRRcpt,
		Steps:   []string{"Demandez au destinataire de faire autoriser l'adresse de l'expéditeur par son administrateur."},
	},
	"recipient.unreachable": {
		Title:   "Serveur du destinataire injoignable",
		Meaning: "Le serveur du destinataire n'a pas répondu pendant plusieurs heures ou jours : le message est retardé ou a expiré.",
		Who:     whoFRRcpt,
		Steps:   []string{"Attendez la fin des nouvelles tentatives ; si le message a expiré, renvoyez-le plus tard.", "Si le destinataire est sur {domain}, vérifiez ses enregistrements MX (guide, section 6)."},
	},
}
