package triage

import (
	"github.com/pcmhosting/mailsetup/checks"
)

// Cause is a stable cause id, e.g. "auth.bad_credentials". Like finding
// codes, cause ids are API: catalog/causes.tsv lists them and the
// messages package words each one.
type Cause string

// Section is the section of the guide "Boîte mails Basic" whose steps
// address a cause.
type Section string

// The guide's sections a cause can point to.
const (
	SectionSettings   Section = "2"   // "Paramètres nécessaires"
	SectionAuth       Section = "5.1" // "Erreur d'authentification"
	SectionConnection Section = "5.2" // "Connexion impossible aux serveurs"
	SectionSending    Section = "5.3" // "E-mails non envoyés"
	SectionSlowIMAP   Section = "5.4" // "Synchronisation lente (IMAP)"
	SectionDNS        Section = "6"   // "vérifiez les paramètres DNS (MX, SPF, DKIM)"
	SectionNone       Section = "-"   // the guide is silent
)

var sections = map[Section]bool{SectionSettings: true, SectionAuth: true, SectionConnection: true,
	SectionSending: true, SectionSlowIMAP: true, SectionDNS: true, SectionNone: true}

// Actor is who usually has to act on a cause.
type Actor string

// Actors.
const (
	ActorCustomer  Actor = "customer"  // the customer: settings, password, DNS zone, message
	ActorHost      Actor = "host"      // the hosting company: servers, outgoing IP, signing
	ActorRecipient Actor = "recipient" // the recipient or their provider
	ActorDevice    Actor = "device"    // the customer's device or network
)

var actors = map[Actor]bool{ActorCustomer: true, ActorHost: true, ActorRecipient: true, ActorDevice: true}

// Scope says which domain a cause's checks are about.
type Scope string

// Scopes.
const (
	// ScopeOurs: the checks are run on the customer's domain and servers.
	ScopeOurs Scope = "ours"
	// ScopeRecipient: the cause is on the recipient's side; the checks
	// only tell when the domain checked is the recipient's (mail sent to
	// the customer bounced).
	ScopeRecipient Scope = "recipient"
)

// CauseInfo is one line of catalog/causes.tsv: what the live checks can
// say about a cause.
type CauseInfo struct {
	ID      Cause
	Section Section
	Actor   Actor
	Scope   Scope
	// Checks are the checks that can tell; a catalog entry may narrow
	// them (an SMTP error only concerns smtp.465 and smtp.587).
	Checks []checks.ID
	// Confirm are the finding codes that, found on one of Checks,
	// confirm the cause.
	Confirm []checks.Code
	// RuleOut says whether every one of Checks working (pass or warn,
	// no confirming code) rules the cause out on the server side.
	RuleOut bool
}

// Causes lists every cause of the embedded catalog, in file order.
func Causes() ([]CauseInfo, error) {
	c, err := Default()
	if err != nil {
		return nil, err
	}
	return append([]CauseInfo(nil), c.causes...), nil
}

// LookupCause returns what the embedded catalog says of a cause.
func LookupCause(id Cause) (CauseInfo, bool) {
	c, err := Default()
	if err != nil {
		return CauseInfo{}, false
	}
	return c.cause(id)
}

func (c *Catalog) cause(id Cause) (CauseInfo, bool) {
	i, ok := c.byID[id]
	if !ok {
		return CauseInfo{}, false
	}
	return c.causes[i], true
}
