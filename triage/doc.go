// Package triage reads what a customer saw — a bounce (a non-delivery
// report), an SMTP reply, a mail client's error number or message — and
// connects it to a cause the live checks can confirm or rule out.
//
// The pieces, from text to verdict:
//
//   - Parse takes pasted, untrusted text (at most MaxInput bytes) and
//     returns a Result: the SMTP reply codes (RFC 5321 §4.2) and enhanced
//     status codes (RFC 3463, registry of RFC 5248) it contains, the
//     fields of a delivery status notification (RFC 3464) whether the
//     whole multipart/report is pasted or only a piece of it, the Outlook
//     error numbers, the domains and addresses named and the role each
//     plays, and the catalog entries the text matches.
//   - The catalog (catalog/*.tsv, embedded) is data: one file per source
//     (an RFC, a mail client, a provider), each line a pattern and the
//     cause it means; catalog/causes.tsv gives each cause its section of
//     the guide "Boîte mails Basic", who usually acts, the checks that
//     can tell and the finding codes that confirm it.
//   - Choose picks the domain to check (the one the agent typed, else the
//     customer's own found in the text) and names the others.
//   - Evaluate marks each cause confirmed, ruled out or unknown from a
//     checks.Report: pure data in, data out.
//   - Mask and Result.Audit keep pasted personal data out of answers and
//     logs.
//
// The package holds no wording for people: the messages package words
// causes in French and English.
package triage
