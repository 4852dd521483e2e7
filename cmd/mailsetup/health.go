package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthTimeout bounds "mailsetup health": a container runtime's probe
// kills it sooner anyway (Docker's default HEALTHCHECK timeout is 30 s).
const healthTimeout = 3 * time.Second

// runHealth is "mailsetup health": it asks the operations server of a
// running mailsetup (MAILSETUP_LISTEN, or --listen) for /healthz and exits
// 0 when it answers 200, 1 otherwise. It exists for distroless images,
// which have no shell or curl for a HEALTHCHECK. It only ever talks to
// that server, which is mailsetup's own, on this machine or pod: no
// customer target is involved, so it does not go through the guard.
func runHealth(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", getenv("MAILSETUP_LISTEN"), "the operations server's `ADDR`, as given to serve --listen (MAILSETUP_LISTEN)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		sayf(stderr, "mailsetup health: unexpected argument %+q\n", fs.Arg(0))
		return exitUsage
	}
	url, err := healthURL(*listen)
	if err != nil {
		sayf(stderr, "mailsetup health: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		sayf(stderr, "mailsetup health: %v\n", err)
		return exitUsage
	}
	client := &http.Client{Timeout: healthTimeout}
	resp, err := client.Do(req)
	if err != nil {
		sayf(stderr, "mailsetup health: unhealthy: %v\n", err)
		return exitFail
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<10))
	if resp.StatusCode != http.StatusOK {
		sayf(stderr, "mailsetup health: unhealthy: %s answered %d\n", url, resp.StatusCode)
		return exitFail
	}
	fmt.Fprintln(stdout, "ok")
	return exitOK
}

// healthURL turns a --listen address into the URL of its /healthz. A
// listener on every address (":9090", "0.0.0.0:9090", "[::]:9090") is
// asked on loopback.
func healthURL(listen string) (string, error) {
	if listen == "" {
		return "", fmt.Errorf("no operations server to ask: set MAILSETUP_LISTEN or --listen, as for serve")
	}
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "", fmt.Errorf("--listen %+q: want [HOST]:PORT, e.g. :9090 or 127.0.0.1:9090", listen)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
