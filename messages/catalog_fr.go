package messages

import "github.com/pcmhosting/mailsetup/checks"

// catalogFR is the guide's own language. Comments cite the section of
// the guide each remedy comes from; "guide silent" marks remedies
// written in the guide's tone where it says nothing.
var catalogFR = catalog{
	codes: map[checks.Code]Entry{
		// Section 2: "Adresse du serveur : votre_domaine.com".
		checks.HostNXDomain: {
			Title:   "Le domaine n'existe pas",
			Meaning: "Le domaine {domain} est introuvable dans le DNS : il n'est pas enregistré, il a expiré ou son nom est mal orthographié.",
			Steps: []string{
				"Vérifiez l'orthographe du domaine : {domain}.",
				"Vérifiez dans l'espace client de votre registraire que le domaine est bien enregistré et n'a pas expiré.",
				"Si le domaine vient d'être acheté ou transféré, attendez la fin de la propagation DNS (jusqu'à 48 heures), puis relancez la vérification.",
			},
		},
		// Section 2: the server address must lead to the server.
		checks.HostNoAddress: {
			Title:   "Le serveur n'a pas d'adresse IP",
			Meaning: "{host} n'a pas d'adresse IP dans le DNS : les logiciels de messagerie ne peuvent pas joindre le serveur indiqué dans les paramètres (guide, section 2).",
			Steps: []string{
				"Dans la zone DNS de {domain}, ajoutez un enregistrement A pour {host} qui pointe vers l'adresse IP de votre hébergement (indiquée dans votre espace client).",
				"Attendez la propagation DNS (de quelques minutes à quelques heures), puis relancez la vérification.",
			},
		},
		// Section 2; guide silent on private addresses.
		checks.HostPrivateAddress: {
			Title:   "Adresse du serveur non publique",
			Meaning: "{host} pointe vers une adresse privée ou réservée ({ip}), injoignable depuis Internet.",
			Steps: []string{
				"Dans la zone DNS de {domain}, remplacez l'adresse de {host} par l'adresse IP publique de votre hébergement.",
				"Attendez la propagation DNS, puis relancez la vérification.",
			},
		},
		// Guide silent: the checker could not tell.
		checks.ResolverFailed: {
			Title:   "Vérification DNS impossible",
			Meaning: "Notre résolveur DNS n'a pas répondu pendant la vérification de {domain} : cette partie n'a pas pu être vérifiée, et cela ne dit rien de votre configuration.",
			Steps: []string{
				"Relancez la vérification dans quelques minutes.",
				"Si l'échec se répète, transmettez le détail technique à l'équipe qui maintient l'outil : le résolveur DNS du vérificateur est le premier suspect.",
			},
			Reply: "Une partie de la vérification n'a pas pu aboutir de notre côté (une requête DNS a échoué) : elle est à refaire, et cet échec ne dit rien de votre configuration.",
		},

		// Section 6: "vérifiez les paramètres DNS (enregistrements MX, SPF, DKIM)".
		checks.MXMissing: {
			Title:   "Aucun enregistrement MX",
			Meaning: "{domain} n'a ni enregistrement MX ni adresse IP publique de repli : les autres serveurs n'ont nulle part où livrer les e-mails envoyés à vos adresses, et la réception ne fonctionne donc pas.",
			Steps: []string{
				"Dans la zone DNS de {domain}, ajoutez cet enregistrement MX :\n{domain} MX 10 {host}.",
				"Attendez la propagation DNS, puis envoyez-vous un e-mail depuis un autre compte pour vérifier la réception (guide, section 4).",
			},
		},
		// Section 6 (MX).
		checks.MXNull: {
			Title:   "MX « nul » : le domaine refuse tout e-mail",
			Meaning: "{domain} publie un MX « nul » (« . ») qui annonce au monde entier que le domaine ne reçoit aucun e-mail.",
			Steps: []string{
				"Dans la zone DNS de {domain}, supprimez l'enregistrement MX « 0 . » et remplacez-le par :\n{domain} MX 10 {host}.",
				"Attendez la propagation DNS, puis vérifiez la réception (guide, section 4).",
			},
		},
		// Section 6 (MX).
		checks.MXUnresolvable: {
			Title:   "Le serveur MX est introuvable",
			Meaning: "L'enregistrement MX de {domain} désigne {mx}, qui n'a pas d'adresse IP : les e-mails qui vous sont envoyés ne peuvent pas être livrés.",
			Steps: []string{
				"Corrigez l'enregistrement MX pour qu'il désigne votre serveur de messagerie :\n{domain} MX 10 {host}.",
				"Si {mx} est bien le bon serveur, ajoutez-lui un enregistrement A avec son adresse IP.",
			},
		},
		// Section 6 (MX); RFC 5321 §5.1 forbids an alias there.
		checks.MXCNAME: {
			Title:   "Le MX désigne un alias",
			Meaning: "Le MX de {domain} désigne {mx}, qui est un alias (CNAME) : les normes l'interdisent et certains serveurs refusent alors de livrer.",
			Steps: []string{
				"Faites pointer le MX directement vers le nom réel du serveur (celui qui porte l'adresse IP), par exemple :\n{domain} MX 10 {host}.",
			},
		},

		// Section 6 (SPF).
		checks.SPFMissing: {
			Title:   "Pas d'enregistrement SPF",
			Meaning: "{domain} n'a pas d'enregistrement SPF : vos e-mails risquent d'arriver en spam ou d'être refusés, et n'importe qui peut envoyer des e-mails en votre nom.",
			Steps: []string{
				"Dans la zone DNS de {domain}, ajoutez cet enregistrement TXT :\n{domain} TXT \"{spf_suggest}\"",
				"Si vous envoyez aussi des e-mails par un autre service (lettre d'information, logiciel de facturation…), ajoutez son « include: » avant « ~all ».",
			},
		},
		// Section 6 (SPF).
		checks.SPFMultiple: {
			Title:   "Plusieurs enregistrements SPF",
			Meaning: "{domain} publie {count} {count|enregistrement SPF|enregistrements SPF} alors qu'un seul est permis : les serveurs destinataires les ignorent tous.",
			Steps: []string{
				"Fusionnez-les en un seul enregistrement TXT qui commence par « v=spf1 », reprend tous les éléments (include:, ip4:, a, mx…) et se termine par un seul « ~all ».",
				"Supprimez les autres enregistrements « v=spf1 » de {domain}. Sans autre service d'envoi, celui-ci suffit :\n{domain} TXT \"{spf_suggest}\"",
			},
		},
		// Section 6 (SPF).
		checks.SPFSyntax: {
			Title:   "Enregistrement SPF invalide",
			Meaning: "L'enregistrement SPF de {domain} contient une erreur : les serveurs destinataires ne peuvent pas l'utiliser.",
			Steps: []string{
				"Corrigez l'élément indiqué dans le détail technique et gardez les autres tels quels.",
				"Si {domain} n'envoie ses e-mails que par ses propres serveurs (pas de lettre d'information ni d'autre service d'envoi), cet enregistrement suffit :\n{domain} TXT \"{spf_suggest}\"",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.6.4 sets the limit of 10.
		checks.SPFTooManyLookups: {
			Title:   "SPF trop complexe",
			Meaning: "L'enregistrement SPF de {domain} demande {lookups} {lookups|requête DNS|requêtes DNS} alors que la limite est de 10 : les serveurs destinataires le considèrent comme invalide.",
			Steps: []string{
				"Retirez les « include: » des services que vous n'utilisez plus.",
				"Remplacez les éléments « a » et « mx » superflus par les adresses correspondantes (« ip4: », « ip6: »).",
				"Relancez la vérification : le total doit être de 10 requêtes au plus.",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.6.4: more than 2 void lookups is
		// permerror.
		checks.SPFVoidLookups: {
			Title:   "SPF : trop de requêtes sans réponse",
			Meaning: "L'enregistrement SPF de {domain} entraîne {count} {count|requête DNS qui ne trouve|requêtes DNS qui ne trouvent} rien (un nom qui n'existe pas, ou qui n'a pas d'enregistrement du type demandé) ; la RFC 7208 en tolère 2, et les serveurs destinataires qui arrivent à la troisième considèrent l'enregistrement comme invalide.",
			Steps: []string{
				"Retirez de l'enregistrement SPF les éléments « include: », « a: », « mx: » ou « exists: » qui désignent des noms inexistants, ou corrigez leur orthographe (voir le détail technique).",
			},
		},
		// Section 6 (SPF); RFC 7208 §6.1 when the record ends in a
		// redirect= (authSteps).
		checks.SPFPermissive: {
			Title:   "SPF trop permissif",
			Meaning: "La règle finale de l'enregistrement SPF de {domain} ({qualifier}) ne protège pas votre domaine : les serveurs destinataires ne sont pas invités à se méfier des e-mails envoyés en votre nom par d'autres serveurs.",
			Steps: []string{
				"Terminez l'enregistrement SPF par « ~all » (ou « -all » une fois tous vos services d'envoi listés), en gardant ses autres éléments :\n{domain} TXT \"{spf_suggest}\"",
			},
		},
		// Section 6 (SPF).
		checks.SPFIncludeMissing: {
			Title:   "SPF : « include » introuvable",
			Meaning: "L'enregistrement SPF de {domain} inclut {include}, qui n'a pas d'enregistrement SPF : la vérification SPF échoue pour tous vos e-mails.",
			Steps: []string{
				"Corrigez le nom qui suit « include: » (faute de frappe ?) ou retirez cet « include: » si vous n'utilisez plus ce service.",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.3 and RFC 1035 §2.3.4: a name DNS
		// cannot be asked about.
		checks.SPFInvalidName: {
			Title:   "SPF : nom de domaine invalide",
			Meaning: "L'enregistrement SPF de {where} contient « {term} », dont le nom n'est pas un nom de domaine valide (une étiquette vide, une étiquette de plus de 63 caractères ou un nom de plus de 253) : aucun serveur ne peut l'interroger, et la vérification SPF de vos e-mails peut se terminer en erreur.",
			Steps: []string{
				"Corrigez le nom dans « {term} » (un point en double ? une faute de frappe ?) ou retirez cet élément de l'enregistrement SPF de {where}.",
			},
		},
		// Section 6 (SPF); RFC 7208 §4.6.4: more than 10 MX hosts behind
		// one mx term is permerror (the a mechanism has no such limit).
		checks.SPFMXLimit: {
			Title:   "SPF : « mx » désigne trop de serveurs",
			Meaning: "L'élément « {term} » de l'enregistrement SPF de {where} renvoie à {count} {count|serveur|serveurs} de messagerie (enregistrements MX) alors que la RFC 7208 en permet {limit} : les serveurs destinataires qui l'évaluent terminent la vérification SPF en erreur.",
			Steps: []string{
				"Remplacez « {term} » par les adresses des serveurs qui envoient réellement les e-mails de {domain} (« ip4: », « ip6: »).",
			},
		},
		// Section 6 (SPF); RFC 7208 §5.5: "This mechanism SHOULD NOT be
		// published."
		checks.SPFPTR: {
			Title:   "SPF : mécanisme « ptr »",
			Meaning: "L'enregistrement SPF de {where} utilise « {term} », que la RFC 7208 demande de ne pas publier : il est lent et moins fiable que les autres mécanismes.",
			Steps: []string{
				"Remplacez « {term} » par les adresses de vos serveurs d'envoi (« ip4: », « ip6: ») ou par un élément « a: » qui les désigne.",
			},
		},

		// Section 6 (DKIM); RFC 6376 §3.1: selectors cannot be listed, so
		// no key at the usual ones proves nothing about signing.
		checks.DKIMMissing: {
			Title:   "Aucune clé DKIM aux sélecteurs courants",
			Meaning: "Aucune clé DKIM n'a été trouvée pour {domain} aux sélecteurs courants ({selectors}). Les sélecteurs ne peuvent pas être listés : cela ne montre donc pas si vos e-mails sont signés, car le serveur qui les envoie peut utiliser un autre sélecteur.",
			Steps: []string{
				"Demandez à qui gère le serveur qui envoie les e-mails de {domain} (votre hébergeur, Microsoft 365, Google Workspace…) s'il les signe avec DKIM, et avec quel sélecteur.",
				"S'il ne les signe pas, activez DKIM sur ce serveur (cPanel : « Délivrabilité des e-mails » ; Plesk : « Paramètres de messagerie » du domaine) et publiez dans la zone DNS de {domain} l'enregistrement TXT fourni, de la forme :\n{selector}._domainkey.{domain} TXT \"v=DKIM1; k=rsa; p=…\"",
				"S'il les signe déjà avec un autre sélecteur, rien n'est à changer : la balise s= de l'en-tête « DKIM-Signature » d'un e-mail envoyé indique ce sélecteur.",
			},
		},
		// Section 6 (DKIM).
		checks.DKIMSyntax: {
			Title:   "Clé DKIM invalide",
			Meaning: "L'enregistrement DKIM {selector}._domainkey.{domain} est mal formé : la signature de vos e-mails ne peut pas être vérifiée.",
			Steps: []string{
				"Recopiez l'enregistrement TXT exactement tel que le fournit le serveur de messagerie (sans espace ni guillemet en trop), ou régénérez la clé DKIM.",
			},
		},
		// Section 6 (DKIM); RFC 8301 §3.2: signers SHOULD use 2048 bits.
		checks.DKIMWeakKey: {
			Title:   "Clé DKIM plus courte que recommandé",
			Meaning: "La clé DKIM du sélecteur {selector} fait {bits} bits : elle est encore acceptée, mais la RFC 8301 recommande au moins 2048 bits.",
			Steps: []string{
				"Générez une nouvelle clé DKIM de 2048 bits sur le serveur de messagerie.",
				"Remplacez l'enregistrement TXT {selector}._domainkey.{domain} par la nouvelle clé.",
			},
		},
		// Section 6 (DKIM).
		checks.DKIMRevoked: {
			Title:   "Clé DKIM révoquée",
			Meaning: "La clé DKIM du sélecteur {selector} est vide (révoquée) : les e-mails signés avec ce sélecteur échouent à la vérification.",
			Steps: []string{
				"Si ce sélecteur sert encore, publiez de nouveau sa clé ; sinon, activez DKIM avec une nouvelle clé et publiez-la.",
			},
		},
		// Section 6 (DKIM); RFC 8301 §3.2: "Verifiers MUST NOT consider
		// signatures using RSA keys of less than 1024 bits as valid".
		checks.DKIMKeyTooShort: {
			Title:   "Clé DKIM trop courte : signatures refusées",
			Meaning: "La clé DKIM du sélecteur {selector} ne fait que {bits} bits : la RFC 8301 impose aux serveurs destinataires de tenir pour invalide une signature faite avec une clé RSA de moins de 1024 bits, si bien que la signature DKIM de vos e-mails ne compte pas.",
			Steps: []string{
				"Générez une nouvelle clé DKIM de 2048 bits sur le serveur qui envoie les e-mails de {domain}.",
				"Remplacez l'enregistrement TXT {selector}._domainkey.{domain} par la nouvelle clé.",
			},
		},

		// Guide silent on DMARC. Gmail and Yahoo require it (p=none is
		// enough) only from senders of more than 5,000 e-mails a day
		// (their 2024 sender guidelines): a first record asks only for
		// reports.
		checks.DMARCMissing: {
			Title:   "Pas d'enregistrement DMARC",
			Meaning: "{domain} ne publie pas de politique DMARC : les serveurs destinataires ne savent pas quoi faire des e-mails qui échouent à SPF et DKIM en votre nom, et vous ne recevez aucun rapport. Gmail et Yahoo n'en exigent une (p=none suffit) que des expéditeurs de plus de 5 000 e-mails par jour ; pour les autres domaines, elle est recommandée.",
			Steps: []string{
				"Dans la zone DNS de {domain}, ajoutez cet enregistrement TXT, qui demande seulement des rapports (p=none) et ne change rien pour vos e-mails :\n{dmarc_name} TXT \"{dmarc_record}\"",
				"Vérifiez que l'adresse postmaster@{domain} existe : elle recevra les rapports des destinataires.",
			},
		},
		// Guide silent (DMARC); the record suggested is the first valid
		// one, its tags kept (authSteps).
		checks.DMARCMultiple: {
			Title:   "Plusieurs enregistrements DMARC",
			Meaning: "_dmarc.{domain} porte {count} {count|enregistrement DMARC|enregistrements DMARC} alors qu'un seul est permis : les destinataires les ignorent tous.",
			Steps: []string{
				"Gardez un seul enregistrement TXT « v=DMARC1 » sous {dmarc_name} et supprimez les autres, par exemple :\n{dmarc_name} TXT \"{dmarc_record}\"",
			},
		},
		// Guide silent (DMARC); the record suggested keeps the valid tags
		// (authSteps).
		checks.DMARCSyntax: {
			Title:   "Enregistrement DMARC invalide",
			Meaning: "L'enregistrement DMARC de {domain} est mal formé : les destinataires l'ignorent.",
			Steps: []string{
				"Remplacez-le par cet enregistrement, qui garde vos balises valides (adresses de rapport comprises) et laisse de côté ou corrige celles qui ne le sont pas :\n{dmarc_name} TXT \"{dmarc_record}\"",
			},
		},
		// Guide silent (DMARC); the next step depends on SPF and DKIM in
		// the same report (authSteps).
		checks.DMARCPolicyNone: {
			Title:   "DMARC en simple observation",
			Meaning: "La politique DMARC de {domain} est « p={policy} » : elle ne demande aucune mesure contre les e-mails qui usurpent votre domaine.",
			Steps: []string{
				"Rien d'urgent : « p=none » est une première étape normale, et les rapports qu'elle demande montrent qui envoie des e-mails en votre nom.",
			},
		},

		// Step 3.A.3 (configuration automatique) and 3.A.4 (manuelle).
		// What each app reads, from its own documentation and source:
		// Thunderbird its autoconfig file (not RFC 6186 SRV records,
		// Mozilla bug 342242), Outlook autodiscover (MS-OXDSCLI), Apple
		// Mail and the Gmail app neither.
		checks.AutoconfigMissing: {
			Title:   "Pas de configuration automatique",
			Meaning: "Rien n'annonce les paramètres de {domain} aux logiciels de messagerie : ni fichier autoconfig pour Thunderbird, ni service autodiscover pour Outlook. Au mieux, un logiciel devine les noms de serveur ; sinon, il faut tout saisir à la main (guide, section 3.B).",
			Steps: []string{
				"Configurez la boîte à la main avec les paramètres ci-dessous (guide, section 3.B).",
				"Pour que Thunderbird remplisse seul les paramètres, publiez un fichier autoconfig (format config-v1.1.xml de Mozilla) à l'adresse https://autoconfig.{domain}/mail/config-v1.1.xml.",
			},
		},
		checks.AutoconfigSRVOnly: {
			Title:   "Paramètres dans des enregistrements SRV seulement, que les logiciels ne lisent pas",
			Meaning: "{domain} publie ses paramètres uniquement dans des enregistrements SRV (RFC 6186), que Thunderbird, Outlook, Apple Mail et l'application Gmail ne lisent pas : au mieux, un logiciel devine les noms de serveur ; sinon, il faut saisir les paramètres à la main (guide, section 3.B).",
			Steps: []string{
				"Configurez la boîte à la main avec les paramètres ci-dessous (guide, section 3.B).",
				"Pour que Thunderbird remplisse seul les paramètres, publiez un fichier autoconfig (format config-v1.1.xml de Mozilla) à l'adresse https://autoconfig.{domain}/mail/config-v1.1.xml. Les enregistrements SRV peuvent rester : ils ne gênent pas.",
			},
		},
		// Step 3.A.3; guide silent on the records.
		checks.AutoconfigMismatch: {
			Title:   "Configuration automatique incorrecte",
			Meaning: "La configuration automatique de {domain} ({source}) annonce pour {protocol} des paramètres qui ne fonctionnent pas ({advertised}) : les logiciels risquent de se configurer avec de mauvais réglages.",
			Steps: []string{
				"Corrigez la configuration automatique (enregistrements SRV, fichier autoconfig ou autodiscover) pour n'annoncer que des paramètres qui fonctionnent :\n{srv_records}",
				"En attendant, configurez la boîte à la main (guide, section 3.B).",
			},
		},
		// Step 3.A.3.
		checks.AutoconfigFound: {
			Title:   "Fichier autoconfig pour Thunderbird",
			Meaning: "Thunderbird lit le fichier autoconfig de {domain} ({url}) et remplit seul les paramètres à partir de l'adresse e-mail seule.",
			Steps: []string{
				"Rien à faire dans Thunderbird : l'adresse e-mail complète et le mot de passe suffisent (guide, étape 3.A.3).",
			},
		},
		checks.AutodiscoverFound: {
			Title:   "Service autodiscover pour Outlook",
			Meaning: "Outlook interroge le service autodiscover de {domain} ({url}) et remplit seul les paramètres à partir de l'adresse e-mail et du mot de passe.",
			Steps: []string{
				"Rien à faire dans Outlook : l'adresse e-mail complète et le mot de passe suffisent (guide, étape 3.A.3).",
			},
		},
		checks.AutodiscoverMissing: {
			Title:   "Pas de service autodiscover pour Outlook",
			Meaning: "Outlook ne lit pas le fichier autoconfig de Thunderbird et {domain} n'a pas de service autodiscover : dans Outlook, il faut saisir les paramètres à la main (guide, section 3.B).",
			Steps: []string{
				"Dans Outlook, configurez la boîte à la main avec les paramètres ci-dessous (guide, section 3.B).",
			},
		},
		checks.AutoconfigTimeout: {
			Title:   "Configuration automatique non vérifiée",
			Meaning: "Nous n'avons pas pu joindre {what} (pas de réponse à temps, ou échec de la requête DNS) : impossible de dire ce que les logiciels de messagerie trouvent pour {domain}.",
			Steps: []string{
				"Relancez la vérification dans quelques minutes.",
			},
		},

		// Section 5.2: "Vérifiez que les ports […] sont correctement configurés"
		// and the firewall; here the server side is closed.
		checks.TCPRefused: {
			Title:   "Port fermé",
			Meaning: "{host} refuse les connexions sur {ports} : le service de messagerie n'y écoute pas ou un pare-feu le bloque.",
			Steps: []string{
				"Vérifiez que le service de messagerie est démarré sur {host} et qu'il écoute sur {ports}.",
				"Vérifiez que le pare-feu du serveur autorise {ports} (guide, section 5.2).",
			},
			Reply: "Le serveur {host} refuse les connexions sur {ports} : c'est à nous de le corriger.",
		},
		// Section 5.2 (pare-feu).
		checks.TCPTimeout: {
			Title:   "Pas de réponse",
			Meaning: "{host} ne répond pas sur {ports} : un pare-feu bloque probablement l'accès.",
			Steps: []string{
				"Vérifiez que le pare-feu du serveur, et celui de l'hébergement s'il y en a un en amont, autorise {ports} (guide, section 5.2).",
				"Vérifiez que le service de messagerie écoute sur {ports}.",
			},
			Reply: "Le serveur {host} ne répond pas sur {ports} : c'est à nous de le corriger.",
		},
		// Section 5.2.
		checks.TCPUnreachable: {
			Title:   "Serveur injoignable",
			Meaning: "{host} est injoignable sur {ports} : le serveur est arrêté ou son adresse dans le DNS est incorrecte.",
			Steps: []string{
				"Vérifiez que le serveur {host} est en marche et que son adresse IP dans le DNS est la bonne.",
				"Vérifiez le pare-feu et le routage du serveur (guide, section 5.2).",
			},
			Reply: "Le serveur {host} est injoignable : c'est à nous d'intervenir.",
		},
		// Guide silent: the port answers, then stays silent (a tarpit).
		checks.ProtoTimeout: {
			Title:   "Le serveur ne répond plus",
			Meaning: "La connexion à {host} sur {ports} s'ouvre, puis le serveur ne répond plus : service bloqué, surchargé ou ralenti volontairement par un anti-spam.",
			Steps: []string{
				"Redémarrez le service de messagerie sur {host} et vérifiez sa charge et ses journaux.",
				"Vérifiez qu'un anti-spam ou un outil de blocage (fail2ban, limite de connexions) ne ralentit pas ou ne bloque pas les connexions.",
			},
			Reply: "Le serveur {host} ne répond pas correctement sur {ports} : c'est à nous d'intervenir.",
		},
		// Guide silent.
		checks.ProtoError: {
			Title:   "Réponse incorrecte du serveur",
			Meaning: "{host} a coupé la connexion ou répondu de façon incompréhensible sur {ports}.",
			Steps: []string{
				"Vérifiez que c'est bien le service de messagerie qui écoute sur {ports} (et pas, par exemple, un serveur web).",
				"Consultez les journaux du service de messagerie sur {host}.",
			},
			Reply: "Le serveur {host} répond de façon anormale sur {ports} : c'est à nous de le corriger.",
		},

		// Section 2: "Sécurité : SSL/TLS obligatoire"; guide silent on
		// certificates, which only the host can renew.
		checks.TLSHandshakeFailed: {
			Title:   "Connexion sécurisée impossible",
			Meaning: "La connexion SSL/TLS avec {host} échoue sur {ports} : les logiciels de messagerie ne peuvent pas se connecter en SSL/TLS comme le demande le guide.",
			Steps: []string{
				"Vérifiez que le service sur {ports} est configuré en SSL/TLS avec un certificat valide pour {host}.",
				"Vérifiez qu'il accepte TLS 1.2 ou plus récent.",
			},
			Reply: "La connexion sécurisée au serveur {host} échoue sur {ports} : c'est à nous de le corriger.",
		},
		// Section 2 (SSL/TLS obligatoire); guide silent on renewal.
		checks.TLSCertExpired: {
			Title:   "Certificat expiré",
			Meaning: "Le certificat de sécurité de {host} a expiré : les logiciels de messagerie affichent une alerte ou refusent de se connecter.",
			Steps: []string{
				"Renouvelez le certificat de {host} (AutoSSL dans cPanel, Let's Encrypt dans Plesk, ou auprès de l'autorité de certification).",
				"Redémarrez les services de messagerie (IMAP, POP3, SMTP) pour qu'ils utilisent le nouveau certificat, puis relancez la vérification.",
				"Vérifiez que le renouvellement automatique est actif pour que cela ne se reproduise pas.",
			},
			Reply: "Le certificat de sécurité du serveur {host} a expiré : c'est à nous de le renouveler. D'ici là, votre logiciel de messagerie peut afficher une alerte de sécurité ; n'ajoutez pas d'exception, réessayez simplement une fois le certificat renouvelé.",
		},
		// Section 2; guide silent.
		checks.TLSCertNotYetValid: {
			Title:   "Certificat pas encore valide",
			Meaning: "Le certificat de sécurité de {host} n'est pas encore valide : l'horloge du serveur ou le certificat est incorrect, et les logiciels refusent de se connecter.",
			Steps: []string{
				"Vérifiez l'horloge du serveur {host} (synchronisation de l'heure).",
				"Installez un certificat valide dès aujourd'hui, puis redémarrez les services de messagerie.",
			},
			Reply: "Le certificat de sécurité du serveur {host} n'est pas utilisable : c'est à nous de le remplacer.",
		},
		// Section 2 ("Adresse du serveur : votre_domaine.com"); guide silent.
		checks.TLSCertHostnameMismatch: {
			Title:   "Certificat au mauvais nom",
			Meaning: "Le certificat présenté sur {ports} n'est pas établi au nom de {host} : les logiciels de messagerie affichent une alerte de sécurité.",
			Steps: []string{
				"Installez un certificat qui couvre {host} pour les services de messagerie (AutoSSL ou Let's Encrypt, en ajoutant {host} aux noms du certificat).",
				"Redémarrez les services de messagerie, puis relancez la vérification.",
			},
			Reply: "Le certificat de sécurité du serveur ne correspond pas au nom {host} : c'est à nous de le corriger. D'ici là, votre logiciel de messagerie peut afficher une alerte de sécurité.",
		},
		// Section 2; guide silent.
		checks.TLSCertUntrusted: {
			Title:   "Certificat non reconnu",
			Meaning: "Le certificat de {host} n'est pas délivré par une autorité reconnue (certificat auto-signé ou chaîne incomplète) : les logiciels de messagerie affichent une alerte de sécurité.",
			Steps: []string{
				"Installez un certificat délivré par une autorité reconnue (AutoSSL, Let's Encrypt…).",
				"Si le certificat est déjà reconnu, ajoutez le certificat intermédiaire (chaîne complète) à la configuration des services de messagerie.",
			},
			Reply: "Le certificat de sécurité du serveur {host} n'est pas reconnu par les logiciels de messagerie : c'est à nous de le remplacer.",
		},
		// Guide silent: a warning before tls.cert_expired.
		checks.TLSCertExpiringSoon: {
			Title:   "Certificat bientôt expiré",
			Meaning: "Le certificat de sécurité de {host} expire dans {days} {days|jour|jours} : sans renouvellement, les connexions sécurisées échoueront.",
			Steps: []string{
				"Renouvelez le certificat de {host} dès maintenant, ou vérifiez que le renouvellement automatique (AutoSSL, Let's Encrypt) fonctionne.",
				"Redémarrez ensuite les services de messagerie.",
			},
			Reply: "Le certificat de sécurité du serveur {host} arrive à échéance : c'est à nous de le renouveler.",
		},
		// Section 2 (SSL/TLS); guide silent on versions.
		checks.TLSProtocolOld: {
			Title:   "Protocole de sécurité obsolète",
			Meaning: "La version la plus récente du protocole de sécurité proposée par {host} sur {ports} est {version} : les logiciels de messagerie récents exigent TLS 1.2 ou plus récent.",
			Steps: []string{
				"Activez TLS 1.2 et TLS 1.3 dans la configuration des services de messagerie de {host}, et désactivez SSLv3, TLS 1.0 et TLS 1.1.",
				"Redémarrez les services, puis relancez la vérification.",
			},
			Reply: "Le serveur {host} utilise un protocole de sécurité trop ancien pour les logiciels récents : c'est à nous de le mettre à jour.",
		},

		// Section 2 (serveur sortant) and 5.3.
		checks.SMTPBadGreeting: {
			Title:   "Le serveur sortant refuse la connexion",
			Meaning: "Le serveur sortant {host} répond sur {ports} par un message d'erreur ou inattendu au lieu de son message d'accueil.",
			Steps: []string{
				"Lisez le message du serveur (détail technique) et les journaux du service SMTP sur {host}.",
				"Vérifiez que l'adresse IP d'où part la vérification n'est pas bloquée (liste noire, limite de connexions).",
			},
			Reply: "Le serveur sortant {host} refuse les connexions sur {ports} : c'est à nous de le corriger.",
		},
		// Section 2: "Authentification requise : Oui"; 5.3.
		checks.SMTPNoAuth: {
			Title:   "Authentification SMTP non proposée",
			Meaning: "Le serveur sortant {host} ne propose pas d'authentification sur {ports} : le guide l'exige (« Authentification requise : Oui »), donc l'envoi ne peut pas fonctionner.",
			Steps: []string{
				"Activez l'authentification SMTP (SMTP AUTH) sur {ports} dans la configuration du serveur sortant de {host}.",
				"Vérifiez qu'elle est proposée une fois la connexion sécurisée.",
			},
			Reply: "Le serveur sortant {host} n'accepte pas l'identification sur {ports} : c'est à nous de corriger sa configuration.",
		},
		// Section 5.3: "port 587 avec STARTTLS".
		checks.SMTPNoStartTLS: {
			Title:   "STARTTLS non proposé",
			Meaning: "Le serveur {host} ne propose pas STARTTLS sur {ports} : la connexion ne peut pas être sécurisée.",
			Steps: []string{
				"Activez STARTTLS sur {ports} avec un certificat valide pour {host}.",
				"Relancez la vérification.",
			},
			Reply: "Le serveur {host} ne propose pas de connexion sécurisée (STARTTLS) sur {ports} : c'est à nous de le corriger.",
		},
		// Section 2 (SSL/TLS obligatoire); guide silent.
		checks.SMTPAuthPlaintext: {
			Title:   "Authentification proposée sans chiffrement",
			Meaning: "Sur {ports}, {host} propose l'authentification avant que la connexion soit sécurisée : un logiciel mal réglé pourrait envoyer le mot de passe en clair.",
			Steps: []string{
				"Configurez le serveur sortant pour ne proposer l'authentification qu'après STARTTLS sur {ports}.",
			},
			Reply: "Le serveur sortant {host} propose l'authentification avant de sécuriser la connexion sur {ports} : c'est à nous de corriger ce réglage.",
		},
		// Section 2 (serveur entrant, IMAP).
		checks.IMAPBadGreeting: {
			Title:   "Le serveur IMAP refuse la connexion",
			Meaning: "Le serveur entrant {host} répond en IMAP sur {ports} par un message d'erreur ou inattendu.",
			Steps: []string{
				"Lisez le message du serveur (détail technique) et les journaux du service IMAP sur {host}.",
				"Redémarrez le service IMAP si besoin.",
			},
			Reply: "Le serveur entrant {host} refuse les connexions IMAP : c'est à nous de le corriger.",
		},
		// Section 2; 5.1 cannot help while the server offers no login.
		checks.IMAPNoAuth: {
			Title:   "Identification IMAP impossible",
			Meaning: "Le serveur IMAP {host} ne propose aucune méthode d'identification sur {ports} : même avec la bonne adresse et le bon mot de passe, la connexion échouera.",
			Steps: []string{
				"Activez l'identification par mot de passe (LOGIN, AUTH=PLAIN) sur le service IMAP, après la connexion SSL/TLS.",
			},
			Reply: "Le serveur entrant {host} n'accepte pas l'identification en IMAP : c'est à nous de corriger sa configuration.",
		},
		// Section 2 (serveur entrant, POP3).
		checks.POP3BadGreeting: {
			Title:   "Le serveur POP3 refuse la connexion",
			Meaning: "Le serveur entrant {host} répond en POP3 sur {ports} par un message d'erreur ou inattendu.",
			Steps: []string{
				"Lisez le message du serveur (détail technique) et les journaux du service POP3 sur {host}.",
				"Redémarrez le service POP3 si besoin.",
			},
			Reply: "Le serveur entrant {host} refuse les connexions POP3 : c'est à nous de le corriger.",
		},
		// Section 2; 5.1 cannot help while the server offers no login.
		checks.POP3NoAuth: {
			Title:   "Identification POP3 impossible",
			Meaning: "Le serveur POP3 {host} ne propose aucune méthode d'identification sur {ports} : même avec la bonne adresse et le bon mot de passe, la connexion échouera.",
			Steps: []string{
				"Activez l'identification par mot de passe (USER/PASS, SASL PLAIN) sur le service POP3, après la connexion SSL/TLS.",
			},
			Reply: "Le serveur entrant {host} n'accepte pas l'identification en POP3 : c'est à nous de corriger sa configuration.",
		},

		// The engine's own note: no remedy of its own, the cause's is enough.
		checks.CheckSkipped: {
			Title:   "Non vérifié",
			Meaning: "Cette vérification n'a pas été faite, car « {dependency} » a échoué.",
			Steps: []string{
				"Corrigez d'abord « {dependency} », puis relancez la vérification.",
			},
		},
		// The engine broke (a recovered panic, the run deadline): run again.
		checks.CheckInternal: {
			Title:   "Erreur interne de la vérification",
			Meaning: "La vérification elle-même a rencontré une erreur : ce résultat ne dit rien de votre messagerie.",
			Steps: []string{
				"Relancez la vérification.",
				"Si l'erreur persiste, transmettez le détail technique à l'équipe qui maintient l'outil.",
			},
			Reply: "Une partie de la vérification n'a pas pu aboutir de notre côté : elle est à refaire, et cet échec ne dit rien de votre configuration.",
		},

		// Observations (info): nothing to do, they feed the summaries.
		checks.HostFound: {
			Title:   "Adresse du serveur trouvée",
			Meaning: "{host} a {count} {count|adresse IP|adresses IP} : les logiciels de messagerie peuvent joindre le serveur.",
			Steps:   []string{"Rien à faire."},
		},
		checks.MXFound: {
			Title:   "Serveurs de réception trouvés",
			Meaning: "{domain} désigne ses serveurs de réception ({count} {count|enregistrement MX|enregistrements MX}).",
			Steps:   []string{"Rien à faire."},
		},
		checks.SPFFound: {
			Title:   "Enregistrement SPF trouvé",
			Meaning: "L'enregistrement SPF de {domain} demande {lookups} {lookups|requête DNS|requêtes DNS} (10 au plus).",
			Steps:   []string{"Rien à faire."},
		},
		checks.DKIMFound: {
			Title:   "Clé DKIM trouvée",
			Meaning: "Clé DKIM publiée pour {domain} (sélecteurs : {selectors}).",
			Steps:   []string{"Rien à faire."},
		},
		checks.DMARCFound: {
			Title:   "Politique DMARC trouvée",
			Meaning: "La politique DMARC de {domain} est « p={policy} ».",
			Steps:   []string{"Rien à faire."},
		},

		// Mail routing as senders follow it (RFC 5321 §5.1, RFC 7505 §3).
		// Section 6 (MX).
		checks.MXNullMixed: {
			Title:   "MX « nul » à côté d'autres MX",
			Meaning: "{domain} publie un MX « nul » (« . », qui signifie « ce domaine ne reçoit aucun e-mail ») à côté d'autres enregistrements MX. La norme interdit ce mélange (RFC 7505) : certains expéditeurs livrent aux autres serveurs, d'autres peuvent refuser les e-mails destinés à {domain}.",
			Steps: []string{
				"Dans la zone DNS de {domain}, supprimez l'enregistrement MX « 0 . » et gardez seulement les MX de vos serveurs de messagerie, par exemple :\n{domain} MX 10 {host}.",
				"Attendez la propagation DNS, puis envoyez-vous un e-mail depuis un autre compte pour vérifier la réception (guide, section 4).",
			},
		},
		// Section 6 (MX).
		checks.MXPrivateAddress: {
			Title:   "Serveur MX à une adresse privée",
			Meaning: "L'enregistrement MX de {domain} désigne {mx}, qui n'a que des adresses privées ou réservées ({count} {count|trouvée|trouvées}) : les autres serveurs d'Internet ne peuvent pas y livrer les e-mails.",
			Steps: []string{
				"Donnez à {mx} l'adresse IP publique de votre serveur de messagerie (enregistrement A), ou corrigez l'enregistrement MX pour qu'il désigne votre serveur de messagerie :\n{domain} MX 10 {host}.",
				"Attendez la propagation DNS, puis relancez la vérification.",
			},
		},
		// Guide silent: RFC 5321 §4.5.3.2.1 gives senders 5 minutes.
		checks.SMTPGreetingSlow: {
			Title:   "Accueil lent",
			Meaning: "{host} accepte les connexions sur le port 25 mais n'a envoyé aucun message d'accueil en {seconds} {seconds|seconde|secondes}. Les serveurs expéditeurs l'attendent jusqu'à 5 minutes (RFC 5321) et certains serveurs le retardent exprès contre le spam : cela seul ne veut pas dire que des e-mails sont perdus, mais un serveur qui ne répond jamais les perdrait.",
			Steps: []string{
				"Si le délai est voulu (un délai d'accueil anti-spam), vérifiez qu'il reste bien en dessous de 5 minutes.",
				"Sinon, vérifiez la charge et les journaux du service de messagerie de {host}, et redémarrez-le s'il est bloqué.",
			},
			Reply: "Notre serveur {host} répond lentement aux serveurs qui vous livrent vos e-mails : c'est à nous de le vérifier.",
		},
		// The platform (a provider profile). Guide, section 6: "vérifiez
		// les paramètres DNS (enregistrements MX, SPF, DKIM)".
		checks.MXElsewhere: {
			Title:   "Le courrier de ce domaine est géré ailleurs",
			Meaning: "Le MX de {domain} est {mx} : le courrier de ce domaine est géré par {other}, pas par {provider} ; les réglages du guide ne s'appliquent pas.",
			Steps: []string{
				"Si le courrier de {domain} doit être reçu chez {provider}, faites pointer son MX vers {expected_mx} dans la zone DNS (guide, section 6), puis attendez la propagation DNS.",
				"Sinon, les boîtes de ce domaine sont chez {other} : les paramètres des logiciels de messagerie et les problèmes de réception sont à voir avec ce fournisseur.",
			},
		},
		checks.NSElsewhere: {
			Title:   "DNS géré ailleurs",
			Meaning: "Les serveurs DNS de {domain} sont {ns} ({dns_provider}) : la zone DNS n'est pas gérée par {provider}, et les enregistrements (MX, SPF, DKIM, DMARC) se modifient chez ce fournisseur DNS.",
			Steps: []string{
				"Les corrections DNS de ce rapport sont à faire par le client dans l'espace de son fournisseur DNS ({dns_provider}), qui gère {ns}.",
				"Pour confier le DNS à {provider}, remplacez chez le registraire du domaine les serveurs DNS par {expected_ns}, après avoir recréé la zone.",
			},
		},
		checks.HostNotOurs: {
			Title:   "Le serveur de messagerie est hébergé ailleurs",
			Meaning: "{host} pointe vers {ip}, une adresse qui n'est pas chez {provider} : les logiciels de messagerie se connectent au serveur de quelqu'un d'autre, et ses problèmes sont à régler avec le fournisseur qui l'héberge.",
			Steps: []string{
				"Si les boîtes de {domain} sont chez {provider}, corrigez l'enregistrement A de {host} dans la zone DNS pour qu'il pointe vers l'adresse IP de l'hébergement (espace client ; guide, section 2).",
				"Sinon, les paramètres du serveur sont ceux du fournisseur qui l'héberge : voyez avec lui.",
			},
		},
		checks.SPFPlatformMissing: {
			Title:   "Le SPF ne contient pas le mécanisme de nos serveurs",
			Meaning: "L'enregistrement SPF de {domain} ne contient pas « {expected} », le mécanisme qui autorise nos serveurs d'envoi.",
			Steps:   spfAddOursFR,
		},
		checks.SPFOutgoingPass: {
			Title:   "Le SPF autorise nos serveurs d'envoi",
			Meaning: "Pour notre adresse d'envoi {ip}, le SPF de {domain} donne « pass » ({matched}).",
			Steps:   []string{"Rien à faire."},
		},
		checks.SPFOutgoingFail: {
			Title:   "Le SPF n'autorise pas nos serveurs d'envoi",
			Meaning: "Pour notre adresse d'envoi {ip}, le SPF de {domain} donne « fail » ({matched}) : les e-mails que vous envoyez par nos serveurs risquent d'être refusés ou classés en spam.",
			Steps:   spfAddOursFR,
		},
		checks.SPFOutgoingSoftfail: {
			Title:   "Le SPF rend suspects les envois par nos serveurs",
			Meaning: "Pour notre adresse d'envoi {ip}, le SPF de {domain} donne « softfail » ({matched}) : les e-mails que vous envoyez par nos serveurs risquent d'être classés en spam.",
			Steps:   spfAddOursFR,
		},
		checks.SPFOutgoingNeutral: {
			Title:   "Le SPF ne se prononce pas sur nos serveurs d'envoi",
			Meaning: "Pour notre adresse d'envoi {ip}, le SPF de {domain} donne « {result} » : il ne dit pas si nos serveurs peuvent envoyer pour vous, et les destinataires jugent vos e-mails sans cette preuve.",
			Steps:   spfAddOursFR,
		},
		checks.SPFOutgoingPermerror: {
			Title:   "Le SPF ne peut pas être évalué pour nos serveurs",
			Meaning: "Pour notre adresse d'envoi {ip}, l'évaluation du SPF de {domain} échoue (« permerror ») : les destinataires ne peuvent pas s'y fier, et vos e-mails risquent d'être refusés ou classés en spam.",
			Steps: []string{
				"Corrigez l'enregistrement SPF de {domain} d'après le détail technique : un seul enregistrement, 10 recherches DNS au plus, des « include: » qui existent (guide, section 6).",
				spfAddOursFR[0],
			},
		},
		checks.SPFOutgoingTemperror: {
			Title:   "Évaluation SPF de nos serveurs impossible",
			Meaning: "Pour notre adresse d'envoi {ip}, une recherche DNS a échoué pendant l'évaluation du SPF de {domain} (« temperror ») : impossible de dire pour le moment si nos serveurs sont autorisés.",
			Steps:   []string{"Relancez la vérification dans quelques minutes."},
		},
		checks.DKIMPlatformMissing: {
			Title:   "Pas de clé DKIM à notre sélecteur",
			Meaning: "Aucune clé DKIM n'est publiée à {selector}._domainkey.{domain}, le sélecteur avec lequel nos serveurs signent vos e-mails : les destinataires ne peuvent pas vérifier cette signature.",
			Steps: []string{
				"Dans la zone DNS de {domain}, publiez en TXT à {selector}._domainkey.{domain} la clé DKIM fournie dans l'espace client (guide, section 6 : enregistrements DKIM).",
				"Attendez la propagation DNS, puis relancez la vérification.",
			},
		},
		checks.DKIMKeyMismatch: {
			Title:   "La clé DKIM n'est pas celle de nos serveurs",
			Meaning: "La clé publiée à {selector}._domainkey.{domain} n'est pas celle avec laquelle nos serveurs signent vos e-mails : la signature DKIM échoue chez les destinataires, et DMARC ne peut plus compter que sur SPF.",
			Steps: []string{
				"Dans la zone DNS de {domain}, remplacez la valeur du TXT {selector}._domainkey.{domain} par la clé DKIM fournie dans l'espace client (guide, section 6 : enregistrements DKIM).",
				"Attendez la propagation DNS, puis relancez la vérification.",
			},
		},
		// DNS propagation (issue 12). Guide section 6: "vérifiez les
		// paramètres DNS (enregistrements MX, SPF, DKIM) de votre domaine".
		// Secondaries copy the zone on NOTIFY (RFC 1996) or at the SOA
		// refresh (RFC 1035 §4.3.5); resolvers keep an answer for its TTL
		// (RFC 1035 §3.2.1, RFC 2308) and try another server when one
		// does not answer (RFC 1034 §5.3.3).
		checks.PropagationFound: {
			Title:   "Serveurs DNS du domaine",
			Meaning: "La zone {zone} est servie par {count} {count|serveur DNS|serveurs DNS} : {servers} (numéro de série {serial}).",
			Steps:   []string{"Rien à faire."},
		},
		checks.PropagationNoZone: {
			Title:   "Propagation non vérifiée",
			Meaning: "Aucune zone DNS avec des serveurs de noms n'a été trouvée au-dessus de {domain} : rien à comparer.",
			Steps:   []string{"Rien à faire."},
		},
		checks.PropagationDisagree: {
			Title:   "Serveurs DNS en désaccord",
			Meaning: "Les serveurs DNS de {domain} ne publient pas la même version de la zone : {stale} sert encore une version plus ancienne (numéro de série {stale_serial}, contre {serial} sur les autres ; enregistrements qui diffèrent : {kinds}). Selon le serveur qu'ils interrogent, les serveurs d'Internet voient l'ancienne ou la nouvelle version.",
			Steps: []string{
				"Si vous gérez vos serveurs DNS : vérifiez que {stale} reçoit les mises à jour du serveur principal (transfert de zone autorisé, notifications NOTIFY) et que le numéro de série de la zone a bien été augmenté à la dernière modification.",
				"Si vos DNS sont gérés par un prestataire (registrar, hébergeur DNS) : signalez-lui que {stale} sert une version ancienne de la zone de {domain}.",
				"Quand tous les serveurs publient les mêmes enregistrements MX, SPF et DKIM (guide, section 6), relancez la vérification.",
			},
		},
		checks.PropagationStale: {
			Title:   "Ancienne réponse encore en cache",
			Meaning: "Les serveurs DNS de {domain} publient déjà un nouvel enregistrement {kind} pour {name} ({new_record}), mais le résolveur DNS utilisé pour la vérification garde l'ancien en cache encore environ {minutes} min. Chaque autre résolveur qui a lu l'ancienne version la garde de même jusqu'à l'expiration de sa copie.",
			Steps: []string{
				"Ne modifiez rien : attendez environ {minutes} minutes, puis relancez la vérification (guide, section 6).",
			},
		},
		checks.PropagationUnreachable: {
			Title:   "Serveur DNS injoignable",
			Meaning: "Le serveur DNS {server} ({addr}) de {domain} n'a pas répondu dans le délai de la vérification. Les serveurs d'Internet se rabattent sur les autres serveurs DNS du domaine, avec du retard ; si aucun ne répond, le domaine devient introuvable, e-mails compris.",
			Steps: []string{
				"Vérifiez auprès de votre hébergeur DNS que {server} fonctionne et répond pour {domain} (port 53, UDP et TCP), ou retirez-le des serveurs DNS (NS) du domaine chez votre registrar.",
				"Puis relancez la vérification (guide, section 6).",
			},
		},
		checks.PropagationLame: {
			Title:   "Serveur DNS qui ne sert pas le domaine",
			Meaning: "{server} est déclaré serveur DNS de {domain} mais ne répond pas pour ce domaine avec autorité (il refuse, échoue, ou n'a pas d'adresse) : une délégation défectueuse, qui retarde ou fait échouer les résolveurs qui l'interrogent.",
			Steps: []string{
				"Chez votre registrar, ne gardez dans les serveurs DNS (NS) de {domain} que ceux qui servent réellement la zone, ou configurez la zone sur {server}.",
				"Puis relancez la vérification (guide, section 6).",
			},
		},
		checks.PropagationForbidden: {
			Title:   "Serveur DNS à une adresse privée",
			Meaning: "{server}, serveur DNS de {domain}, a pour adresse {addr}, une adresse privée ou réservée : les serveurs d'Internet ne peuvent pas l'interroger. La vérification ne l'a pas contacté.",
			Steps: []string{
				"Donnez à {server} son adresse IP publique (enregistrement A ou AAAA), ou retirez-le des serveurs DNS (NS) de {domain} chez votre registrar.",
				"Puis relancez la vérification (guide, section 6).",
			},
		},
		checks.PropagationUnknown: {
			Title:   "Propagation DNS non vérifiée",
			Meaning: "Aucun serveur DNS de {domain} n'a répondu à temps : impossible de comparer leurs réponses. Cela ne dit pas qu'ils sont en désaccord.",
			Steps: []string{
				"Relancez la vérification dans quelques minutes.",
			},
		},
		// Reverse DNS of the MX hosts (issue 12). Guide silent; Gmail's
		// sender guidelines require of sending IPs a PTR whose name
		// resolves back (RFC 8601 §2.7.3 "iprev"); only the holder of
		// an address publishes its PTR (RFC 1035 §3.5).
		checks.MXNoPTR: {
			Title:   "Serveur MX sans DNS inverse",
			Meaning: "L'adresse {ip} de {mx} n'a pas d'enregistrement PTR (DNS inverse). Cela ne gêne pas la réception des e-mails de {domain} ; mais si ce serveur envoie aussi des e-mails, comme souvent un serveur de messagerie, Gmail et d'autres destinataires refusent ou classent en spam ce qu'il envoie.",
			Steps: []string{
				"Demandez au détenteur de l'adresse {ip} (l'hébergeur ou le fournisseur d'accès du serveur : lui seul peut publier son PTR) un enregistrement PTR vers {mx}, nom qui doit lui-même pointer vers {ip}.",
				"Si ce serveur n'envoie aucun e-mail, rien ne presse.",
			},
		},
		checks.MXPTRUnconfirmed: {
			Title:   "DNS inverse du serveur MX non confirmé",
			Meaning: "L'adresse {ip} de {mx} a pour PTR {name}, mais ce nom ne pointe pas vers {ip}. Cela ne gêne pas la réception ; mais si ce serveur envoie aussi des e-mails, Gmail et d'autres destinataires le traitent comme une adresse sans DNS inverse valide et refusent ou classent en spam ce qu'il envoie.",
			Steps: []string{
				"Faites pointer {name} vers {ip} (enregistrement A ou AAAA), ou demandez au détenteur de l'adresse {ip} un PTR vers un nom qui pointe vers elle, par exemple {mx}.",
				"Si ce serveur n'envoie aucun e-mail, rien ne presse.",
			},
		},
		// Our outgoing addresses (smtp.outgoing, issue 12). Guide 5.3
		// ("E-mails non envoyés") lists the customer's settings only:
		// these causes are on our sending servers. Gmail's sender
		// guidelines require a PTR whose name resolves back (RFC 8601
		// §2.7.3 "iprev"); only the holder of an address publishes its
		// PTR (RFC 1035 §3.5); a DNSBL listing is published by the list
		// (RFC 5782 §2.1), its TXT record saying why (§2.1.1).
		checks.OutgoingNone: {
			Title:   "Aucune adresse d'envoi à vérifier",
			Meaning: "Le profil de l'hébergeur ne donne aucune adresse d'envoi : leur DNS inverse et leur inscription sur des listes de blocage n'ont pas été vérifiés.",
			Steps:   []string{"Rien à faire."},
		},
		checks.OutgoingNoPTR: {
			Title:   "Adresse d'envoi sans DNS inverse",
			Meaning: "Notre adresse d'envoi {ip}, d'où partent les e-mails de nos clients, n'a pas d'enregistrement PTR (DNS inverse). Gmail et d'autres destinataires refusent ou classent en spam les e-mails venant d'une adresse sans DNS inverse, ceux de {domain} compris.",
			Steps: []string{
				"Publiez pour {ip} un enregistrement PTR vers le nom du serveur d'envoi, nom qui doit lui-même pointer vers {ip} (enregistrement A ou AAAA) ; seul le détenteur de l'adresse peut publier son PTR.",
				"Le client n'a rien à changer à ses réglages d'envoi (guide, section 5.3) : la cause est sur notre serveur d'envoi.",
			},
			Reply: "L'une de nos adresses d'envoi n'a pas de DNS inverse, ce qui peut faire refuser ou classer en spam vos e-mails : c'est à nous de le corriger.",
		},
		checks.OutgoingPTRUnconfirmed: {
			Title:   "DNS inverse d'une adresse d'envoi non confirmé",
			Meaning: "Notre adresse d'envoi {ip} a pour PTR {name}, mais ce nom ne pointe pas vers {ip}. Gmail et d'autres destinataires la traitent comme une adresse sans DNS inverse valide et refusent ou classent en spam les e-mails qui en partent, ceux de {domain} compris.",
			Steps: []string{
				"Faites pointer {name} vers {ip} (enregistrement A ou AAAA), ou publiez pour {ip} un PTR vers un nom qui pointe vers elle.",
				"Le client n'a rien à changer à ses réglages d'envoi (guide, section 5.3) : la cause est sur notre serveur d'envoi.",
			},
			Reply: "Le DNS inverse de l'une de nos adresses d'envoi est incomplet, ce qui peut faire refuser ou classer en spam vos e-mails : c'est à nous de le corriger.",
		},
		checks.OutgoingListed: {
			Title:   "Adresse d'envoi sur une liste de blocage",
			Meaning: "Notre adresse d'envoi {ip} est inscrite sur la liste de blocage {zone}. Motif publié par la liste : « {reason} ». Les destinataires qui consultent cette liste refusent les e-mails qui partent de cette adresse, ceux de {domain} compris.",
			Steps: []string{
				"Trouvez et arrêtez la source des envois signalés depuis {ip} (compte piraté, formulaire abusé), puis demandez le retrait de {ip} en suivant la procédure de la liste {zone}.",
				"Le client n'a rien à changer à ses réglages d'envoi (guide, section 5.3) : la cause est sur notre serveur d'envoi.",
			},
			Reply: "L'une de nos adresses d'envoi est sur une liste de blocage, ce qui fait refuser une partie de vos e-mails : c'est à nous de le corriger.",
		},
		checks.OutgoingUnknown: {
			Title:   "Adresse d'envoi non vérifiée",
			Meaning: "La recherche {what} pour notre adresse d'envoi {ip} n'a pas abouti à temps : impossible de dire si elle est en ordre. Cela ne dit pas qu'elle est bloquée.",
			Steps: []string{
				"Relancez la vérification dans quelques minutes.",
			},
		},
	},

	inputs: map[checks.InputReason]string{
		checks.InputEmpty:        "Indiquez un domaine ou une adresse e-mail à vérifier.",
		checks.InputTooLong:      "« {input} » est trop long pour être un domaine (253 caractères au plus).",
		checks.InputLabelTooLong: "« {input} » n'est pas un domaine : une partie entre deux points dépasse 63 caractères.",
		checks.InputBadChar:      "« {input} » n'est pas un domaine : il contient des caractères non permis.",
		checks.InputIPLiteral:    "« {input} » est une adresse IP : indiquez le domaine de la boîte mail.",
		checks.InputPort:         "« {input} » contient un numéro de port : indiquez seulement le domaine, les ports sont tous vérifiés.",
		checks.InputSingleLabel:  "« {input} » n'est pas un domaine complet : il manque l'extension (.com, .fr…).",
		checks.InputSeveralWords: "« {input} » n'est pas un domaine : il contient plusieurs mots.",
		checks.InputSpecialUse:   "« {input} » est un nom réservé qui n'existe pas sur Internet.",
		checks.InputNotPublic:    "« {input} » n'est pas un nom d'Internet : il ne se termine pas par une extension publique (.com, .fr, .co.uk…). Les noms internes ne sont pas vérifiés.",
		checks.InputBadAddress:   "« {input} » n'est pas une adresse e-mail valide.",
	},
	inputExample: "Exemple : {command} client.com ou prenom.nom@client.com",

	checks: map[checks.ID]checkWords{
		checks.DNSHost: {Label: "Adresse du serveur (DNS)", Summary: map[checks.Status]string{
			checks.StatusPass: "{host} pointe vers {addresses}.",
			checks.StatusWarn: "{host} a une adresse, avec une remarque.",
			checks.StatusFail: "{host} n'a pas d'adresse utilisable.",
		}},
		checks.DNSMX: {Label: "Réception (MX)", Summary: map[checks.Status]string{
			checks.StatusPass: "Les e-mails sont acheminés vers {mx_list}.",
			checks.StatusWarn: "Les e-mails peuvent être livrés, avec une remarque.",
			checks.StatusFail: "Les e-mails envoyés à {domain} ne sont pas livrés, ou pas par tous les expéditeurs.",
		}},
		checks.DNSSPF: {Label: "SPF", Summary: map[checks.Status]string{
			checks.StatusPass: "Un enregistrement SPF valide.",
			checks.StatusWarn: "Enregistrement SPF à améliorer.",
			checks.StatusFail: "SPF absent ou invalide.",
		}},
		checks.DNSDKIM: {Label: "DKIM", Summary: map[checks.Status]string{
			checks.StatusPass: "Clé DKIM trouvée.",
			checks.StatusWarn: "Aucune clé DKIM aux sélecteurs courants, ou clé à améliorer.",
			checks.StatusFail: "Clé DKIM inutilisable.",
		}},
		checks.DNSDMARC: {Label: "DMARC", Summary: map[checks.Status]string{
			checks.StatusPass: "Politique DMARC en place.",
			checks.StatusWarn: "DMARC absent ou en simple observation.",
			checks.StatusFail: "Enregistrement DMARC invalide.",
		}},
		checks.DNSAutoconfig: {Label: "Configuration automatique", Summary: map[checks.Status]string{
			checks.StatusPass: "{apps}",
			checks.StatusWarn: "Pas de détection automatique fiable : saisie manuelle.",
			checks.StatusFail: "Pas de détection automatique fiable : saisie manuelle.",
		}},
		checks.DNSPropagation: {Label: "Propagation DNS", Summary: map[checks.Status]string{
			checks.StatusPass: "Les serveurs DNS de {domain} et le résolveur donnent les mêmes réponses.",
			checks.StatusWarn: "Les serveurs DNS ne donnent pas tous les mêmes réponses, ou un changement n'est pas encore visible partout.",
			checks.StatusFail: "Les serveurs DNS ne donnent pas tous les mêmes réponses, ou un changement n'est pas encore visible partout.",
		}},
		checks.IMAP993: {Label: "IMAP (port 993, SSL/TLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "Réception IMAP opérationnelle.",
			checks.StatusWarn: "IMAP fonctionne, avec une remarque.",
			checks.StatusFail: "Réception IMAP impossible.",
		}},
		checks.POP3995: {Label: "POP3 (port 995, SSL/TLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "Réception POP3 opérationnelle.",
			checks.StatusWarn: "POP3 fonctionne, avec une remarque.",
			checks.StatusFail: "Réception POP3 impossible.",
		}},
		checks.SMTP465: {Label: "SMTP (port 465, SSL/TLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "Envoi opérationnel, authentification proposée.",
			checks.StatusWarn: "Envoi possible, avec une remarque.",
			checks.StatusFail: "Envoi impossible sur le port 465.",
		}},
		checks.SMTP587: {Label: "SMTP (port 587, STARTTLS)", Summary: map[checks.Status]string{
			checks.StatusPass: "Envoi opérationnel, authentification proposée.",
			checks.StatusWarn: "Envoi possible, avec une remarque.",
			checks.StatusFail: "Envoi impossible sur le port 587.",
		}},
		checks.SMTP25: {Label: "Réception depuis Internet (port 25)", Summary: map[checks.Status]string{
			checks.StatusPass: "Les autres serveurs peuvent livrer vos e-mails, chiffrés.",
			checks.StatusWarn: "Les autres serveurs peuvent livrer vos e-mails, avec une remarque.",
			checks.StatusFail: "Les autres serveurs ne peuvent pas livrer vos e-mails.",
		}},
		checks.SMTPOutgoing: {Label: "Nos adresses d'envoi", Summary: map[checks.Status]string{
			checks.StatusPass: "{outgoing}",
			checks.StatusWarn: "Une adresse d'envoi de l'hébergeur a un DNS inverse absent ou non confirmé.",
			checks.StatusFail: "Une adresse d'envoi de l'hébergeur est sur une liste de blocage.",
		}},
	},
	// What each mail app's automatic setup does (dns.autoconfig's
	// Facts.Clients), joined into the check's summary.
	apps: map[string]string{
		"sep":                    " ; ", // between two apps
		"thunderbird=autoconfig": "Thunderbird remplit seul les paramètres grâce au fichier autoconfig",
		"thunderbird=guess":      "Thunderbird devine les noms de serveur",
		"thunderbird=unknown":    "Thunderbird : non vérifié",
		"outlook=autodiscover":   "Outlook remplit seul les paramètres grâce à autodiscover",
		"outlook=none":           "Outlook ne trouve aucun service autodiscover",
		"outlook=unknown":        "Outlook : non vérifié",
		"apple+gmail=guess":      "Apple Mail et l'application Gmail devinent les serveurs ou les demandent",
	},

	skipped:      "Non vérifié.",
	skippedAfter: "Dépend de « {dependency} », qui n'a pas réussi.",
	couldNotTell: "Impossible de conclure pour le moment.",

	tips: map[tip]Entry{
		// Section 5.1.
		tipAuth: {
			Title: "Erreur d'authentification",
			Steps: []string{
				"Vérifiez que votre nom d'utilisateur correspond à votre adresse e-mail complète ({username}).",
				"Assurez-vous que le mot de passe est correct.",
			},
		},
		// Section 5.2.
		tipConnection: {
			Title: "Connexion impossible aux serveurs",
			Steps: []string{
				"Vérifiez que les ports et la sécurité (SSL/TLS) sont correctement configurés : {in_setting} pour la réception, {out_setting} pour l'envoi.",
				"Assurez-vous que votre réseau n'est pas bloqué par un pare-feu (essayez depuis un autre réseau, par exemple le partage de connexion de votre téléphone).",
			},
		},
		// Section 5.3.
		tipSending: {
			Title: "E-mails non envoyés",
			Steps: []string{
				"Vérifiez que l'authentification SMTP est activée et que les informations de connexion sont correctes.",
			},
		},
		// Section 5.4.
		tipSlowIMAP: {
			Title: "Synchronisation lente (IMAP)",
			Steps: []string{
				"Si votre boîte contient de nombreux messages, configurez votre logiciel de messagerie pour ne télécharger que les en-têtes des e-mails.",
			},
		},
	},

	authSteps: map[authStep][]string{
		// RFC 7208 §6.1: the redirect target's "all" applies.
		spfAtRedirect: {
			"Gardez l'enregistrement de {domain} tel quel : il confie la vérification à {redirect} (« redirect={redirect} »), et la règle finale à ajouter se place à la fin de l'enregistrement SPF de {redirect} :\n{redirect} TXT \"{spf_suggest}\"",
			"Si {redirect} est géré par votre fournisseur de messagerie, demandez-lui de faire ce changement.",
		},
		dmarcEnforce: {
			"Quand les rapports montrent que vos propres e-mails passent SPF ou DKIM, vous pouvez demander aux destinataires de classer en spam les e-mails qui échouent, en ne changeant que p= :\n{dmarc_name} TXT \"{dmarc_record}\"",
		},
		dmarcWait: {
			"Gardez « p=none » pour l'instant : cette vérification ne montre pas SPF et DKIM en place pour {domain} (voir plus haut), et une politique plus stricte pourrait envoyer vos propres e-mails en spam.",
		},
	},

	workarounds: map[workaround]string{
		// Section 5.3.
		useSubmission: "En attendant, utilisez le port SMTP 587 avec STARTTLS, qui fonctionne (guide, section 5.3).",
		// Section 5.3, for the tip when 587 works.
		tryPort587: "Essayez de changer le port SMTP en 587 avec STARTTLS si 465 ne fonctionne pas.",
		// Sections 2 and 6: IMAP is recommended.
		preferIMAP: "Utilisez IMAP (port 993, SSL/TLS), qui fonctionne et que le guide recommande : il synchronise vos messages sur tous vos appareils (guide, sections 2 et 6).",
		// Step 3.B.1: POP3 downloads to one device.
		usePOP3: "En attendant, vous pouvez utiliser POP3 (port 995, SSL/TLS), qui fonctionne : les e-mails seront alors téléchargés sur un seul appareil (guide, étape 3.B.1).",
		// Guide silent: many networks block outgoing port 25.
		port25Blocked: "Si seul le port 25 est concerné, vérifiez d'abord que le réseau d'où part la vérification ne bloque pas ce port en sortie (c'est fréquent).",
		unknownCode:   "Consultez le détail technique de la vérification.",
		staleWait:     "Ne corrigez rien pour l'instant : les serveurs DNS de {domain} publient déjà un nouvel enregistrement {kind} ({new_record}) ; le résolveur utilisé par la vérification garde l'ancien encore environ {minutes} min. Attendez environ {minutes} minutes, puis relancez la vérification : si le problème reste, elle dira quoi corriger (guide, section 6).",
	},

	notes: map[note]string{
		noteURL:     "J'ai pris le domaine de l'adresse web : {domain}",
		noteURLWWW:  "J'ai pris le domaine de l'adresse web, sans « www. » : {domain}",
		noteHost:    "Serveur de messagerie vérifié : {host} (au lieu de {domain})",
		noteExample: "Aucune adresse indiquée : le nom d'utilisateur est donné sous la forme {username}.",
	},

	verdicts: map[verdict]string{
		verdictPass:       "tout fonctionne",
		verdictWarnOne:    "fonctionne, 1 point à améliorer",
		verdictWarnMany:   "fonctionne, {n} points à améliorer",
		verdictFailOne:    "1 problème à corriger",
		verdictFailMany:   "{n} problèmes à corriger",
		verdictIncomplete: "vérification incomplète, à relancer",
		verdictHeadline:   "{domain} : {verdict}",
	},

	words: Words{
		Checks:        "Vérifications",
		Remedies:      "À faire",
		HostSide:      "à corriger par l'hébergeur",
		Tips:          "Si le problème persiste (guide, section 5)",
		Settings:      "Paramètres de la boîte mail",
		Username:      "Nom d'utilisateur",
		Password:      "Mot de passe",
		PasswordValue: "celui de la boîte mail",
		Incoming:      "Serveur entrant",
		Outgoing:      "Serveur sortant",
		Recommended:   "recommandé",
		Works:         "fonctionne",
		Fails:         "ne fonctionne pas",
		NotChecked:    "non vérifié",
		AuthRequired:  "authentification requise",
		Address:       "Adresse",
		Host:          "Serveur",
		Note:          "Note",
		Elapsed:       "Vérifié en {elapsed}",
		Colon:         " : ",
		Rerun:         "Relancer",
		ChooseClient:  "Guide pour…",
		CustomerReply: "Réponse client",
		Share:         "Partager",
		Status: map[checks.Status]string{
			checks.StatusPass:  "OK",
			checks.StatusWarn:  "ATTENTION",
			checks.StatusFail:  "ÉCHEC",
			checks.StatusSkip:  "NON VÉRIFIÉ",
			checks.StatusError: "ERREUR",
		},
	},

	defaults: map[string]string{
		"provider":     "nous",
		"other":        "un autre fournisseur",
		"ns":           "d'autres serveurs",
		"dns_provider": "un autre fournisseur DNS",
		"expected_mx":  "nos serveurs MX",
		"expected_ns":  "nos serveurs DNS",
		"expected":     "le mécanisme SPF de nos serveurs",
		"spf_with":     "v=spf1 a mx ~all",
		"matched":      "aucun terme ne correspond",
		"result":       "neutral",
		"domain":       "votre_domaine.com",
		"host":         "votre_domaine.com",
		"port":         "concerné",
		"ports":        "les ports concernés",
		"username":     "prenom.nom@votre_domaine.com",
		"count":        "plusieurs",
		"lookups":      "plus de 10",
		"seconds":      "quelques",
		"days":         "quelques",
		"selector":     "default",
		"selectors":    "les sélecteurs courants",
		"bits":         "moins de 2048",
		"policy":       "none",
		"qualifier":    "absente",
		"mx":           "le serveur indiqué",
		"mx_list":      "vos serveurs MX",
		"addresses":    "une adresse IP",
		"include":      "un domaine",
		"version":      "antérieure à TLS 1.2",
		"dependency":   "une vérification préalable",
		"apps":         "Paramètres publiés pour les logiciels qui les lisent.",
		"url":          "voir le détail technique",
		"what":         "une adresse autoconfig ou autodiscover",
		"source":       "SRV, autoconfig ou autodiscover",
		"protocol":     "la messagerie",
		"advertised":   "voir le détail technique",
		"ip":           "adresse non publique",
		"spf_suggest":  "v=spf1 a mx ~all",
		"where":        "votre domaine",
		"term":         "voir le détail technique",
		"limit":        "10",
		"redirect":     "le domaine nommé après redirect=",
		"dmarc_name":   "_dmarc.votre_domaine.com",
		"dmarc_record": "v=DMARC1; p=none; rua=mailto:postmaster@votre_domaine.com",
		"srv_records":  "_imaps._tcp.votre_domaine.com SRV 0 1 993 votre_domaine.com.\n_submissions._tcp.votre_domaine.com SRV 0 1 465 votre_domaine.com.",
		"in_setting":   "IMAP 993 ou POP3 995 en SSL/TLS",
		"out_setting":  "SMTP 465 en SSL/TLS",
		"input":        "",
		"command":      "/mailsetup",
		"n":            "plusieurs",
		"elapsed":      "?",
		"verdict":      "à vérifier",
		"security":     "SSL/TLS",
		"client":       "votre logiciel de messagerie",
		"in_protocol":  "IMAP",
		"in_host":      "votre_domaine.com",
		"in_port":      "993",
		"in_security":  "SSL/TLS",
		"out_host":     "votre_domaine.com",
		"out_port":     "465",
		"out_security": "SSL/TLS",
		// DNS propagation (issue 12).
		"zone":         "votre_domaine.com",
		"servers":      "ses serveurs DNS",
		"serial":       "le plus récent",
		"stale":        "un serveur DNS",
		"stale_serial": "plus ancien",
		"kinds":        "voir le détail technique",
		"kind":         "DNS",
		"name":         "votre domaine",
		"new_record":   "voir le détail technique",
		"minutes":      "quelques",
		"server":       "un serveur DNS",
		"addr":         "voir le détail technique",
		// Our outgoing addresses (smtp.outgoing).
		"outgoing": "Nos adresses d'envoi ont un DNS inverse confirmé et ne sont sur aucune liste de blocage consultée.",
		"reason":   "raison non publiée",
	},
	portOne:      "le port {list}",
	portMany:     "les ports {list}",
	and:          " et ",
	quoteOpen:    "« ",
	quoteClose:   " »",
	decimalComma: true,

	variants: withVariant(withVariant(variantsFR, backupMX, hostDown, Entry{Meaning: backupMXFR}), mtaSTS, checks.MTASTSCodes, mtaSTSFR),
	clients:  clientsFR,
	reply:    replyFR,
	party:    partyFR,
}

// clientsFR are the where-to-click sequences, filled with the settings
// of section 2 (or the working fallback). Steps 3.A and 3.B of the guide
// are the generic one.
var clientsFR = map[Client]clientWords{
	// Steps 3.A and 3.B.
	Generic: {Name: "votre logiciel de messagerie", Menu: "Autre logiciel", Sections: []guideSection{{Steps: []string{
		"Ouvrez votre logiciel de messagerie et cliquez sur « Ajouter un compte » ou « Configurer un compte de messagerie ».",
		"Entrez votre adresse e-mail complète ({username}) et votre mot de passe. Si la détection automatique échoue, choisissez la configuration manuelle.",
		"Type de compte : {in_protocol}.",
		"Serveur entrant : {in_host}, port {in_port}, sécurité {in_security}, nom d'utilisateur {username}.",
		"Serveur sortant (SMTP) : {out_host}, port {out_port}, sécurité {out_security}, authentification activée avec le même nom d'utilisateur et le même mot de passe.",
		"Enregistrez, puis envoyez un e-mail de test et envoyez-vous-en un depuis un autre compte (guide, section 4).",
	}}}},
	// "Configuration sur Outlook" (Outlook pour Windows).
	Outlook: {Name: "Outlook", Menu: "Outlook", Sections: []guideSection{{Steps: []string{
		"Dans Outlook, cliquez sur Fichier > Ajouter un compte.",
		"Entrez {username}, cliquez sur « Options avancées », cochez « Me laisser configurer manuellement mon compte », puis cliquez sur « Se connecter ».",
		"Choisissez {in_protocol}.",
		"Courrier entrant : serveur {in_host}, port {in_port}, méthode de chiffrement {in_security}.",
		"Courrier sortant : serveur {out_host}, port {out_port}, méthode de chiffrement {out_security}.",
		"Cliquez sur « Suivant », entrez le mot de passe de la boîte mail, puis cliquez sur « Se connecter ».",
	}}}},
	// "Configuration sur Thunderbird".
	Thunderbird: {Name: "Thunderbird", Menu: "Thunderbird", Sections: []guideSection{{Steps: []string{
		"Dans Thunderbird, ouvrez le menu ≡ > Nouveau compte > Courrier électronique existant.",
		"Entrez votre nom, {username} et le mot de passe, puis cliquez sur « Configurer manuellement ».",
		"Serveur entrant : protocole {in_protocol}, nom d'hôte {in_host}, port {in_port}, sécurité de la connexion {in_security}, méthode d'authentification « Mot de passe normal », nom d'utilisateur {username}.",
		"Serveur sortant : nom d'hôte {out_host}, port {out_port}, sécurité de la connexion {out_security}, méthode d'authentification « Mot de passe normal », nom d'utilisateur {username}.",
		"Cliquez sur « Retester », puis sur « Terminé ».",
	}}}},
	// "Configuration sur Apple": Mail on macOS, then iPhone and iPad.
	Apple: {Name: "Apple Mail", Menu: "Apple (Mac, iPhone)", Sections: []guideSection{
		{Title: "Sur Mac (Mail)", Steps: []string{
			"Dans Mail, choisissez Mail > Ajouter un compte, puis « Autre compte Mail… ».",
			"Entrez votre nom, {username} et le mot de passe, puis cliquez sur « Se connecter ».",
			"Si Mail ne trouve pas les réglages : type de compte {in_protocol}, nom d'utilisateur {username}, serveur de réception {in_host}, serveur d'envoi {out_host}, puis « Se connecter ».",
			"Dans Mail > Réglages > Comptes > Réglages du serveur, décochez « Gérer automatiquement les réglages de connexion » : réception port {in_port}, envoi port {out_port}, avec « Utiliser TLS/SSL » coché pour les deux.",
		}},
		{Title: "Sur iPhone et iPad", Steps: []string{
			"Ouvrez Réglages > Apps > Mail > Comptes (Réglages > Mail > Comptes avant iOS 18) > Ajouter un compte > Autre > Ajouter un compte Mail.",
			"Entrez votre nom, {username}, le mot de passe et une description, puis touchez « Suivant ».",
			"Choisissez {in_protocol}. Serveur de réception : nom d'hôte {in_host}, nom d'utilisateur {username}, mot de passe. Serveur d'envoi : nom d'hôte {out_host}, nom d'utilisateur {username}, mot de passe.",
			"Touchez « Suivant », puis « Enregistrer ».",
			"Pour vérifier les ports, touchez le compte > Compte : dans « Serveur d'envoi » > serveur principal, « Utiliser SSL » activé et port {out_port} ; dans « Avancé », « Utiliser SSL » activé et port {in_port}.",
		}},
	}},
	// "Configuration sur Gmail": the Gmail app on a phone.
	Gmail: {Name: "Gmail", Menu: "Gmail (application)", Sections: []guideSection{{Title: "Application Gmail (Android, iPhone)", Steps: []string{
		"Dans l'application Gmail, touchez votre photo de profil > Ajouter un autre compte > Autre.",
		"Entrez {username}, touchez « Configuration manuelle », puis choisissez « Personnel ({in_protocol}) ».",
		"Entrez le mot de passe de la boîte mail.",
		"Serveur entrant : nom d'utilisateur {username}, serveur {in_host}, port {in_port}, type de sécurité {in_security}.",
		"Serveur sortant : « Exiger une connexion » activé, nom d'utilisateur {username}, serveur SMTP {out_host}, port {out_port}, type de sécurité {out_security}.",
		"Touchez « Suivant » jusqu'à la fin de la configuration.",
	}}}},
	// Step 3.A.1: "une application mobile"; any other phone app.
	Mobile: {Name: "votre application mobile", Menu: "Autre application mobile", Sections: []guideSection{{Steps: []string{
		"Ouvrez l'application de messagerie de votre téléphone et choisissez « Ajouter un compte ».",
		"Choisissez « Autre » (ou « IMAP »), entrez {username} et le mot de passe, puis choisissez la configuration manuelle.",
		"Type de compte : {in_protocol}. Serveur entrant : {in_host}, port {in_port}, sécurité {in_security}, nom d'utilisateur {username}.",
		"Serveur sortant : {out_host}, port {out_port}, sécurité {out_security}, connexion requise avec le même nom d'utilisateur et le même mot de passe.",
		"Enregistrez, puis envoyez un e-mail de test.",
	}}}},
}

var replyFR = replyWords{
	Greeting:        "Bonjour,",
	Intro:           "Nous avons vérifié la messagerie de {domain}.",
	AllGood:         "Tout fonctionne de notre côté : les serveurs entrant et sortant répondent correctement.",
	WeFix:           "De notre côté :",
	YouDo:           "Ce que nous avons constaté, et ce que vous pouvez faire :",
	Settings:        "Les paramètres à saisir dans votre logiciel de messagerie (guide, section 2) :",
	Username:        "Nom d'utilisateur : {username} (votre adresse e-mail complète)",
	UsernameExample: "Nom d'utilisateur : votre adresse e-mail complète (par exemple {username})",
	Password:        "Mot de passe : celui de votre boîte mail",
	IncomingLabel:   "Serveur entrant",
	OutgoingLabel:   "Serveur sortant",
	ServerLine:      "{host}, {protocol}, port {port}, {security}",
	Or:              "ou",
	Recommended:     " (recommandé)",
	Colon:           " : ",
	GuideIntro:      "Pour configurer la boîte dans {client} :",
	TipsIntro:       "Si le problème persiste de votre côté :",
	Closing:         "N'hésitez pas à revenir vers nous si besoin.",
	Signature:       "Cordialement,\nL'équipe support",
}

// variantsFR word codes where the usual wording would not be true
// (variant.go).
var variantsFR = map[variantKey]Entry{
	// Section 6 (MX); RFC 5321 §5.1: with no MX, senders use the domain.
	{checks.MXMissing, implicitMX}: {
		Title:   "Aucun enregistrement MX (les expéditeurs utilisent le domaine lui-même)",
		Meaning: "{domain} ne publie aucun enregistrement MX. Les expéditeurs livrent alors à {domain} lui-même, à son adresse IP (RFC 5321) : la vérification du port 25 dit si les e-mails y arrivent. Publiez un enregistrement MX pour que les e-mails aillent à votre serveur de messagerie de façon voulue.",
	},
	// Port 25 : d'autres serveurs y livrent, pas les logiciels de
	// messagerie, et la plupart ne vérifient pas le certificat sauf si
	// une politique (MTA-STS) l'exige.
	{checks.TLSHandshakeFailed, port25}: {
		Meaning: "La connexion chiffrée (STARTTLS) avec {host} échoue sur le port 25, où les autres serveurs de messagerie livrent vos e-mails. La plupart livrent alors sans chiffrement : les e-mails arrivent, mais sans protection ; les expéditeurs qui exigent le chiffrement ne livrent pas.",
		Reply:   "La connexion chiffrée qu'utilisent les autres serveurs pour livrer à notre serveur {host} échoue : c'est à nous de la corriger.",
	},
	{checks.TLSCertExpired, port25}: {
		Meaning: "Le certificat que {host} présente sur le port 25, où les autres serveurs de messagerie livrent vos e-mails, a expiré. La plupart des expéditeurs ne le vérifient pas à cet endroit et livrent quand même ; ceux qui exigent un certificat valide (par exemple avec une politique MTA-STS) ne livrent pas.",
		Reply:   "Le certificat que notre serveur {host} présente aux autres serveurs de messagerie a expiré : c'est à nous de le renouveler.",
	},
	{checks.TLSCertNotYetValid, port25}: {
		Meaning: "Le certificat que {host} présente sur le port 25, où les autres serveurs de messagerie livrent vos e-mails, n'est pas encore valide. La plupart des expéditeurs ne le vérifient pas à cet endroit et livrent quand même ; ceux qui exigent un certificat valide (par exemple avec une politique MTA-STS) ne livrent pas.",
		Reply:   "Le certificat que notre serveur {host} présente aux autres serveurs de messagerie n'est pas utilisable : c'est à nous de le remplacer.",
	},
	{checks.TLSCertHostnameMismatch, port25}: {
		Meaning: "Le certificat présenté sur le port 25, où les autres serveurs de messagerie livrent vos e-mails, n'est pas établi au nom de {host}. La plupart des expéditeurs ne vérifient pas le nom à cet endroit et livrent quand même ; ceux qui exigent un certificat valide (par exemple avec une politique MTA-STS) ne livrent pas.",
		Reply:   "Le certificat que notre serveur {host} présente aux autres serveurs de messagerie ne correspond pas à son nom : c'est à nous de le corriger.",
	},
	{checks.TLSCertUntrusted, port25}: {
		Meaning: "Le certificat que {host} présente sur le port 25, où les autres serveurs de messagerie livrent vos e-mails, n'est pas délivré par une autorité reconnue (certificat auto-signé ou chaîne incomplète). La plupart des expéditeurs ne le vérifient pas à cet endroit et livrent quand même ; ceux qui exigent un certificat valide (par exemple avec une politique MTA-STS) ne livrent pas.",
		Reply:   "Le certificat que notre serveur {host} présente aux autres serveurs de messagerie n'est pas délivré par une autorité reconnue : c'est à nous de le remplacer.",
	},
	{checks.TLSCertExpiringSoon, port25}: {
		Meaning: "Le certificat que {host} présente sur le port 25, où les autres serveurs de messagerie livrent vos e-mails, expire dans {days} {days|jour|jours}. La plupart des expéditeurs ne le vérifient pas à cet endroit, mais ceux qui exigent un certificat valide (par exemple avec une politique MTA-STS) cesseront de livrer une fois qu'il aura expiré.",
		Reply:   "Le certificat que notre serveur {host} présente aux autres serveurs de messagerie arrive à échéance : c'est à nous de le renouveler.",
	},
	{checks.TLSProtocolOld, port25}: {
		Meaning: "La version la plus récente du protocole de sécurité proposée par {host} sur le port 25, où les autres serveurs de messagerie livrent vos e-mails, est {version} : les expéditeurs qui exigent TLS 1.2 ou plus récent livrent sans chiffrement, ou pas du tout.",
		Reply:   "Notre serveur {host} ne propose aux autres serveurs de messagerie qu'un protocole de sécurité obsolète : c'est à nous de le mettre à jour.",
	},
}

// backupMXFR is the meaning of a port-25 host that does not take mail
// while another MX host does.
const backupMXFR = "{host}, l'un des serveurs MX de {domain}, n'accepte pas d'e-mails sur le port 25 (voir le détail technique). Les expéditeurs livrent alors à vos autres serveurs MX, qui les acceptent : rien n'est perdu tant qu'ils fonctionnent, mais ce serveur ne sert pas de secours."

// mtaSTSFR words a port-25 TLS finding under an MTA-STS policy in
// enforce mode.
var mtaSTSFR = Entry{
	Meaning: "{domain} publie une politique MTA-STS en mode « enforce » : les expéditeurs qui la respectent ne livrent que par une connexion chiffrée, avec un certificat valide établi au nom du serveur MX. Sur le port 25, {host} ne passe pas ce contrôle (voir le détail technique) : ces expéditeurs ne lui livrent pas.",
	Reply:   "Notre serveur {host} ne respecte pas la politique de livraison sécurisée (MTA-STS) de votre domaine : c'est à nous de le corriger.",
}

// spfAddOursFR is the remedy of an SPF record that does not authorise the
// platform's outgoing addresses (guide, section 6: SPF records).
var spfAddOursFR = []string{
	"Dans la zone DNS de {domain}, ajoutez « {expected} » à l'enregistrement SPF existant, avant le « all » final (un seul enregistrement SPF : modifiez-le, n'en ajoutez pas un second ; guide, section 6) :\n{domain} TXT \"{spf_with}\"",
	"Gardez les « include: » des autres services qui envoient pour vous (Google, Microsoft 365, lettre d'information…) : un même enregistrement peut autoriser plusieurs fournisseurs.",
	"Attendez la propagation DNS, puis relancez la vérification.",
}

// partyFR words who must fix a cause on a server (issue 12): ours only
// when the address dialled is in the platform's ranges.
var partyFR = partyWords{
	OwnerNeutral: "à corriger par qui gère le serveur de {domain}",
	OwnerOther:   "à corriger par le fournisseur du serveur de {domain}, qui n'est pas chez {provider}",
	ReplyNeutral: "Sur le serveur de {domain} :",
	ReplyOther:   "Sur le serveur de {domain}, qui n'est pas chez nous :",
	ReplyTell:    "Ces points ne dépendent pas de votre logiciel de messagerie : ils sont à corriger par qui gère ce serveur. Transmettez-lui ce message.",
}
