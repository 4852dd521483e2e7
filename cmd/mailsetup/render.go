package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/pcmhosting/mailsetup/checks"
)

// renderReport writes one report in the configured format. It is the one
// place the CLI turns a report into output.
func renderReport(w io.Writer, rep *checks.Report, c config, color bool) error {
	switch c.format {
	case "json":
		return json.NewEncoder(w).Encode(rep)
	}
	fmt.Fprintf(w, "%s: %s (%s)\n", rep.Target.Domain, rep.Status, rep.Elapsed.Round(1e6))
	for _, r := range rep.Results {
		fmt.Fprintf(w, "  %-15s %-5s", r.ID, r.Status)
		for _, f := range r.Findings {
			fmt.Fprintf(w, " %s", f.Code)
		}
		fmt.Fprintln(w)
		for _, f := range r.Findings {
			if f.Detail != "" {
				fmt.Fprintf(w, "      %s: %s\n", f.Code, f.Detail)
			}
		}
	}
	return nil
}

// writeBatchLine writes one report of a --file run.
func writeBatchLine(w io.Writer, rep *checks.Report, c config) {
	if c.format == "json" {
		_ = json.NewEncoder(w).Encode(rep)
		return
	}
	fmt.Fprintf(w, "%-40s %s\n", rep.Target.Domain, rep.Status)
}

// writeInvalid reports an input of a --file run that cannot be checked.
func writeInvalid(w io.Writer, line string, err error, c config) {
	if c.format == "json" {
		_ = json.NewEncoder(w).Encode(map[string]string{"input": line, "error": err.Error()})
		return
	}
	fmt.Fprintf(w, "%-40s invalid: %v\n", line, err)
}

// printInputError explains a refused input and returns exit code 2.
func printInputError(w io.Writer, err *checks.InputError, lang string) int {
	fmt.Fprintf(w, "mailsetup: %v\n", err)
	return exitUsage
}
