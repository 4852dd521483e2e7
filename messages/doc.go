// Package messages is the voice of the company guide "Boîte mails Basic"
// (the hosting company's customer guide to its mailboxes): it turns a checks.Report —
// stable codes, parameters, technical details — into words for people, in
// French (the guide's language) or English.
//
// The guide expects a mailbox to work with these settings (section 2):
// the full e-mail address as username, the domain itself as server
// address, IMAP on port 993 or POP3 on port 995 with SSL/TLS for
// incoming mail, SMTP on port 465 with SSL/TLS and authentication for
// outgoing mail, and, when 465 fails, port 587 with STARTTLS (section
// 5.3). Every remedy of the catalog cites the guide section it comes
// from; where the guide is silent (DMARC, SRV records, certificates) the
// remedy is written in the same tone and filled with the customer's
// domain so it can be pasted as is.
//
// The pieces, from data to text:
//
//   - the catalog (catalog_fr.go, catalog_en.go): a title, a meaning and
//     remedy steps for every checks.Code, wording for every
//     checks.InputReason, a label and per-status summary for every check;
//   - Remedies: one remedy per cause, chosen from what was observed
//     (port 587 is advised only when it works, IMAP when POP3 fails);
//   - Settings and ClientGuide: the settings card of section 2 and the
//     where-to-click sequence of each mail client;
//   - CustomerReply: a paste-ready answer for the customer;
//   - NewExplanation: what a customer saw (a bounce, a mail client's
//     error, read by package triage) put into words with the live check
//     of the domain: each cause confirmed, ruled out or unknown, with the
//     evidence, the guide's steps (triage*.go) and a customer reply;
//     RenderExplanationText and RenderExplanationJSON lay it out;
//   - NewView: everything above, localized, in one neutral value that
//     the renderers (RenderText, RenderJSON here, bot/blockkit for Slack)
//     display without deciding anything.
//
// The package knows nothing of Slack; text from the network (banners,
// records, error texts) is carried as is and escaped by each renderer.
package messages
