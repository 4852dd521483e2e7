package messages

// The contract tests keep docs/contract.md and docs/report.schema.json,
// the project's own contract, true to checks/codes.go, checks.AllIDs,
// the catalog and what RenderJSON writes.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/pcmhosting/mailsetup/checks"
	"github.com/pcmhosting/mailsetup/internal/golden"
	"github.com/pcmhosting/mailsetup/messages/sample"
)

const (
	contractPath = "../docs/contract.md"
	schemaPath   = "../docs/report.schema.json"
	codesSource  = "../checks/codes.go"

	codesBegin = "<!-- BEGIN finding codes: generated from checks/codes.go"
	codesEnd   = "<!-- END finding codes -->"
)

// firstContract is the design brief's contract (schema_version 1): its
// check ids and its finding codes with their usual severity. Names are
// API: these may be added to, never renamed nor removed.
var firstContract = struct {
	ids   []checks.ID
	codes map[checks.Code]checks.Severity
}{
	ids: []checks.ID{"dns.host", "dns.mx", "dns.spf", "dns.dkim", "dns.dmarc", "dns.autoconfig",
		"imap.993", "pop3.995", "smtp.465", "smtp.587", "smtp.25"},
	codes: map[checks.Code]checks.Severity{
		"host.nxdomain": "fail", "host.no_address": "fail", "host.private_address": "fail", "resolver.failed": "error",
		"mx.missing": "fail", "mx.null": "fail", "mx.unresolvable": "fail", "mx.cname": "warn",
		"spf.missing": "fail", "spf.multiple": "fail", "spf.syntax": "fail", "spf.too_many_lookups": "fail",
		"spf.void_lookups": "warn", "spf.permissive": "fail",
		"dkim.missing": "warn", "dkim.syntax": "fail", "dkim.weak_key": "fail",
		"dmarc.missing": "warn", "dmarc.multiple": "fail", "dmarc.syntax": "fail", "dmarc.policy_none": "warn",
		"autoconfig.missing": "warn", "autoconfig.mismatch": "warn",
		"tcp.refused": "fail", "tcp.timeout": "fail", "proto.timeout": "fail",
		"tls.handshake_failed": "fail", "tls.cert_expired": "fail", "tls.cert_not_yet_valid": "fail",
		"tls.cert_hostname_mismatch": "fail", "tls.cert_untrusted": "fail", "tls.cert_expiring_soon": "warn",
		"tls.protocol_old":  "fail",
		"smtp.bad_greeting": "fail", "smtp.no_auth": "fail", "smtp.no_starttls": "fail", "smtp.auth_plaintext": "warn",
		"imap.bad_greeting": "fail", "imap.no_auth": "fail", "pop3.bad_greeting": "fail", "pop3.no_auth": "fail",
	},
}

// codeDoc is one finding code as checks/codes.go declares it.
type codeDoc struct {
	area     string // the comment above the code's group
	code     checks.Code
	severity string // the comment beside the constant, up to ": "
	note     string // the rest of that comment
}

// declaredCodes reads the Code constants of checks/codes.go in order,
// with their comments: the source is the one place a code's severity
// is written.
func declaredCodes(t *testing.T) []codeDoc {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), codesSource, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var out []codeDoc
	area := ""
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				continue
			}
			if vs.Doc != nil {
				area = strings.TrimSuffix(strings.TrimSpace(vs.Doc.Text()), ".")
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok {
				t.Fatalf("%s: %s is not a string literal", codesSource, vs.Names[0].Name)
			}
			code, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			if vs.Comment == nil {
				t.Fatalf("%s: %s has no severity comment", codesSource, code)
			}
			sev, note, _ := strings.Cut(strings.TrimSpace(vs.Comment.Text()), ": ")
			out = append(out, codeDoc{area: area, code: checks.Code(code), severity: sev, note: note})
		}
	}
	return out
}

// severityWords finds the severities a severity comment names.
func severityWords(s string) []checks.Severity {
	var out []checks.Severity
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '(' || r == ')' }) {
		switch sev := checks.Severity(w); sev {
		case checks.SeverityInfo, checks.SeverityWarn, checks.SeverityFail, checks.SeverityError:
			if !slices.Contains(out, sev) {
				out = append(out, sev)
			}
		}
	}
	return out
}

// codesTable is the generated section of docs/contract.md: a table per
// group of checks/codes.go, with the severity, the English title and
// the source's note as the meaning, and whether only the host can fix it.
func codesTable(docs []codeDoc) string {
	var b strings.Builder
	area := ""
	for _, d := range docs {
		if d.area != area {
			area = d.area
			fmt.Fprintf(&b, "\n#### %s\n\n| code | severity | meaning | host side |\n| --- | --- | --- | --- |\n", area)
		}
		meaning := catalogEN.codes[d.code].Title
		if d.note != "" {
			meaning += " — " + d.note
		}
		host := ""
		if hostSide[d.code] {
			host = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", d.code, d.severity, strings.ReplaceAll(meaning, "|", `\|`), host)
	}
	b.WriteString("\n")
	return b.String()
}

// TestContractCodes: the codes table of docs/contract.md is what
// checks/codes.go declares, and AllCodes lists exactly those constants,
// in their order, each with a severity.
func TestContractCodes(t *testing.T) {
	docs := declaredCodes(t)
	var declared []checks.Code
	for _, d := range docs {
		declared = append(declared, d.code)
		if len(severityWords(d.severity)) == 0 {
			t.Errorf("%s: the comment %q names no severity (info, warn, fail, error)", d.code, d.severity)
		}
	}
	if diff := cmp.Diff(declared, checks.AllCodes); diff != "" {
		t.Errorf("checks.AllCodes is not the constants of codes.go in order (-declared +AllCodes):\n%s", diff)
	}
	golden.CheckSection(t, contractPath, codesBegin, codesEnd, []byte(codesTable(docs)))
}

// TestContractKeepsFirstContract: no id or code of the first contract
// was renamed or removed, and a code's usual severity is still the one
// it had.
func TestContractKeepsFirstContract(t *testing.T) {
	for _, id := range firstContract.ids {
		if !slices.Contains(checks.AllIDs, id) {
			t.Errorf("check id %s of the first contract is gone from checks.AllIDs", id)
		}
	}
	sev := map[checks.Code]string{}
	for _, d := range declaredCodes(t) {
		sev[d.code] = d.severity
	}
	for code, want := range firstContract.codes {
		got, ok := sev[code]
		if !ok {
			t.Errorf("finding code %s of the first contract is gone from checks/codes.go", code)
			continue
		}
		if changed, ok := severityChanged[code]; ok {
			if !slices.Contains(severityWords(got), changed.now) || changed.was != want {
				t.Errorf("%s: severity %q; the recorded change is %s → %s (%s)", code, got, changed.was, changed.now, changed.why)
			}
			continue
		}
		if !slices.Contains(severityWords(got), want) {
			t.Errorf("%s: severity %q, the first contract says %s", code, got, want)
		}
	}
}

// severityChanged lists the codes whose severity was changed on purpose
// since the first contract, each with the standard that made the first
// one wrong. A code is never renamed; its severity may be corrected,
// and docs/contract.md says so.
var severityChanged = map[checks.Code]struct {
	was, now checks.Severity
	why      string
}{
	checks.SPFVoidLookups: {"warn", "fail", "RFC 7208 §4.6.4: past two void lookups check_host returns permerror"},
	checks.DKIMWeakKey:    {"fail", "warn", "RFC 8301 §3.2: 1024 to 2047 bits still verify; under 1024 is now dkim.key_too_short, fail"},
}

// contractSection returns the lines of docs/contract.md under the "## "
// heading that starts with title, up to the next one.
func contractSection(t *testing.T, title string) []string {
	t.Helper()
	f, err := os.Open(contractPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			in = strings.HasPrefix(line, "## "+title)
			continue
		}
		if in {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s has no section %q", contractPath, title)
	}
	return out
}

// tableKeys returns the first cell of each table row whose first cell is
// `code`-quoted.
func tableKeys(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		cell, _, _ := strings.Cut(strings.TrimPrefix(l, "| `"), "`")
		out = append(out, cell)
	}
	return out
}

// TestContractIDs: the checks table of docs/contract.md lists every
// check id, in report order.
func TestContractIDs(t *testing.T) {
	var want []string
	for _, id := range checks.AllIDs {
		want = append(want, string(id))
	}
	if diff := cmp.Diff(want, tableKeys(contractSection(t, "Checks"))); diff != "" {
		t.Errorf("docs/contract.md checks table (-AllIDs +doc):\n%s", diff)
	}
}

// contractCodes reads the finding codes of docs/contract.md's tables.
func contractCodes(t *testing.T) []checks.Code {
	t.Helper()
	var out []checks.Code
	for _, k := range tableKeys(contractSection(t, "Finding codes")) {
		out = append(out, checks.Code(k))
	}
	return out
}

// TestCodesMatchContract keeps the contract, codes.go and the catalog
// together: the contract lists AllCodes (no code twice), and the catalog
// words each of them.
func TestCodesMatchContract(t *testing.T) {
	contract := contractCodes(t)
	if diff := cmp.Diff(checks.AllCodes, contract); diff != "" {
		t.Errorf("docs/contract.md codes (-AllCodes +doc):\n%s", diff)
	}
	seen := map[checks.Code]bool{}
	for _, c := range checks.AllCodes {
		if seen[c] {
			t.Errorf("checks.AllCodes lists %s twice", c)
		}
		seen[c] = true
		if _, ok := catalogFR.codes[c]; !ok {
			t.Errorf("code %s is not in the catalog", c)
		}
	}
}

// reportSchema compiles docs/report.schema.json. strict refuses, as the
// published schema does not, properties it does not describe: so a field
// added to the JSON must be added to the schema too.
func reportSchema(t *testing.T, strict bool) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	if strict {
		closeObjects(doc)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	return s
}

// closeObjects sets additionalProperties to false in every schema that
// lists properties.
func closeObjects(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["properties"].(map[string]any); ok {
			if _, set := v["additionalProperties"]; !set {
				v["additionalProperties"] = false
			}
		}
		for _, x := range v {
			closeObjects(x)
		}
	case []any:
		for _, x := range v {
			closeObjects(x)
		}
	}
}

// renderedJSON is what RenderJSON writes for rep, decoded for a
// schema validator.
func renderedJSON(t *testing.T, rep *checks.Report, lang Lang) any {
	t.Helper()
	var b bytes.Buffer
	if err := RenderJSON(&b, NewView(rep, lang)); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestJSONSchema validates every sample report, in both languages,
// against docs/report.schema.json with no undescribed field allowed, and
// checks what a schema cannot say: the checks come in report order.
func TestJSONSchema(t *testing.T) {
	strict := reportSchema(t, true)
	for _, s := range sample.All() {
		for _, lang := range Langs {
			t.Run(s.Name+"/"+string(lang), func(t *testing.T) {
				doc := renderedJSON(t, s.Report, lang)
				if err := strict.Validate(doc); err != nil {
					t.Fatalf("the report does not follow %s:\n%v", schemaPath, err)
				}
				var ids []checks.ID
				for _, c := range doc.(map[string]any)["checks"].([]any) {
					ids = append(ids, checks.ID(c.(map[string]any)["id"].(string)))
				}
				if diff := cmp.Diff(checks.AllIDs, ids); diff != "" {
					t.Errorf("check order (-AllIDs +report):\n%s", diff)
				}
			})
		}
	}
}

// TestJSONSchemaRefuses: the schema is not a formality: it refuses a
// report that lacks a field, has a value outside its set, or (strict) a
// field it does not describe, which the published schema lets through.
func TestJSONSchemaRefuses(t *testing.T) {
	strict, open := reportSchema(t, true), reportSchema(t, false)
	tests := []struct {
		name    string
		edit    func(r map[string]any)
		openToo bool // the published schema refuses it as well
	}{
		{"no checks", func(r map[string]any) { delete(r, "checks") }, true},
		{"schema_version 2", func(r map[string]any) { r["schema_version"] = 2 }, true},
		{"status skip", func(r map[string]any) { r["status"] = "skip" }, true},
		{"lang de", func(r map[string]any) { r["lang"] = "de" }, true},
		{"bad code", func(r map[string]any) {
			c := r["checks"].([]any)[0].(map[string]any)
			c["findings"] = []any{map[string]any{"code": "TLS Expired", "severity": "fail", "message": "x"}}
		}, true},
		{"port 0", func(r map[string]any) {
			r["settings"].(map[string]any)["incoming"].([]any)[0].(map[string]any)["port"] = 0
		}, true},
		{"undescribed field", func(r map[string]any) { r["score"] = 3 }, false},
		{"undescribed finding field", func(r map[string]any) {
			c := r["checks"].([]any)[0].(map[string]any)
			c["findings"] = []any{map[string]any{"code": "host.found", "severity": "info", "message": "x", "params": map[string]any{}}}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := renderedJSON(t, sample.CertExpired(), EN).(map[string]any)
			tt.edit(doc)
			if strict.Validate(doc) == nil {
				t.Error("the strict schema accepted it")
			}
			if err := open.Validate(doc); (err != nil) != tt.openToo {
				t.Errorf("the published schema: error %v, want an error: %v", err, tt.openToo)
			}
		})
	}
}

// TestSchemaEnums: the schema's sets of statuses, severities, languages
// and securities are the engine's.
func TestSchemaEnums(t *testing.T) {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		def  string
		want []string
	}{
		{"status", sortedStrings(checks.StatusPass, checks.StatusWarn, checks.StatusFail, checks.StatusSkip, checks.StatusError)},
		{"severity", sortedStrings(checks.SeverityInfo, checks.SeverityWarn, checks.SeverityFail, checks.SeverityError)},
		{"lang", sortedStrings(Langs...)},
		{"security", sortedStrings(checks.SecurityTLS, checks.SecurityStartTLS, checks.SecurityNone)},
	} {
		got := slices.Sorted(slices.Values(s.Defs[tt.def].Enum))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("$defs.%s.enum (-engine +schema):\n%s", tt.def, diff)
		}
	}
}

// sortedStrings returns the values as sorted strings.
func sortedStrings[T ~string](v ...T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	slices.Sort(out)
	return out
}

// TestJSONSchemaExtras: the client guide and the customer reply that
// `check --client --reply` add follow the schema, strictly, for every
// client and language.
func TestJSONSchemaExtras(t *testing.T) {
	strict := reportSchema(t, true)
	rep := sample.SMTP465Closed()
	for _, lang := range Langs {
		for _, c := range append([]Client{Generic}, Clients...) {
			v := NewView(rep, lang)
			js := v.JSON()
			js.ClientGuide = ClientGuide(v.Settings, c, lang).JSON()
			js.CustomerReply = CustomerReply(rep, lang, c)
			var b bytes.Buffer
			if err := WriteJSON(&b, js, ""); err != nil {
				t.Fatal(err)
			}
			doc, err := jsonschema.UnmarshalJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			if err := strict.Validate(doc); err != nil {
				t.Errorf("%s/%s: the report with its extras does not follow %s:\n%v", c, lang, schemaPath, err)
			}
		}
	}
}
