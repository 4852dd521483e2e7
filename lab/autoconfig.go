package lab

import (
	"context"
	"crypto/tls"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Paths where Thunderbird-style clients look for a domain's settings:
// https://autoconfig.<domain>/mail/config-v1.1.xml and, on the domain
// itself, the well-known path.
const (
	autoconfigPath          = "/mail/config-v1.1.xml"
	autoconfigWellKnownPath = "/.well-known/autoconfig/mail/config-v1.1.xml"
)

// clientConfig is the Thunderbird autoconfiguration file, format 1.1
// (https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat).
type clientConfig struct {
	XMLName  xml.Name      `xml:"clientConfig"`
	Version  string        `xml:"version,attr"`
	Provider emailProvider `xml:"emailProvider"`
}

type emailProvider struct {
	ID       string         `xml:"id,attr"`
	Domain   string         `xml:"domain"`
	Display  string         `xml:"displayName"`
	Short    string         `xml:"displayShortName"`
	Incoming []configServer `xml:"incomingServer"`
	Outgoing []configServer `xml:"outgoingServer"`
}

type configServer struct {
	Type     string `xml:"type,attr"`
	Hostname string `xml:"hostname"`
	Port     int    `xml:"port"`
	Socket   string `xml:"socketType"`
	Auth     string `xml:"authentication"`
	Username string `xml:"username"`
}

// autoconfigXML returns the file advertising the domain as mail host on
// 993, 995 and 465, all implicit TLS ("SSL"), as the guide's settings.
func autoconfigXML(domain string) ([]byte, error) {
	srv := func(typ string, port int) configServer {
		return configServer{Type: typ, Hostname: domain, Port: port, Socket: "SSL", Auth: "password-cleartext", Username: "%EMAILADDRESS%"}
	}
	cc := clientConfig{Version: "1.1", Provider: emailProvider{
		ID:       domain,
		Domain:   domain,
		Display:  "mailsetup lab mail for " + domain,
		Short:    "lab",
		Incoming: []configServer{srv("imap", 993), srv("pop3", 995)},
		Outgoing: []configServer{srv("smtp", 465)},
	}}
	b, err := xml.MarshalIndent(cc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("lab: autoconfig for %s: %w", domain, err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// autodiscoverPath is where Outlook POSTs its autodiscover request
// (MS-OXDSCLI).
const autodiscoverPath = "/autodiscover/autodiscover.xml"

// autodiscoverResponse is an autodiscover service's answer to Outlook's
// POX request (MS-OXDSCLI §2.2.4): the IMAP and SMTP settings of the
// guide, %s being the domain.
const autodiscoverResponse = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol><Type>IMAP</Type><Server>%[1]s</Server><Port>993</Port><SSL>on</SSL><SPA>off</SPA><AuthRequired>on</AuthRequired></Protocol>
      <Protocol><Type>SMTP</Type><Server>%[1]s</Server><Port>465</Port><SSL>on</SSL><SPA>off</SPA><AuthRequired>on</AuthRequired></Protocol>
    </Account>
  </Response>
</Autodiscover>
`

// webPage is what a wildcard web host answers on any path.
const webPage = "<!doctype html>\n<title>Welcome</title>\n<p>This site is hosted here.</p>\n"

// startHTTPS serves the scenario's web side over HTTPS on ln: the
// autoconfig file at both of Thunderbird's addresses unless the recipe
// has none, and at autodiscover.<domain> what the recipe puts there
// (Host decides, as every lab name shares the address), and the MTA-STS
// policy (RFC 8461 §3.3) at mta-sts.<domain> when the recipe has one.
func (l *Lab) startHTTPS(ln net.Listener, domain string, s *spec, cfg *tls.Config) error {
	body, err := autoconfigXML(domain)
	if err != nil {
		return err
	}
	file := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write(body)
	}
	mux := http.NewServeMux()
	if policy := stsPolicy(s, domain); policy != "" {
		mux.HandleFunc("GET mta-sts."+domain+"/.well-known/mta-sts.txt", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, policy)
		})
	}
	if !s.noAutoconfig {
		mux.HandleFunc("GET "+autoconfigPath, file)
		mux.HandleFunc("GET "+autoconfigWellKnownPath, file)
	}
	adHost := "autodiscover." + domain
	switch s.autodiscover {
	case adService:
		mux.HandleFunc("POST "+adHost+autodiscoverPath, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml; charset=utf-8")
			fmt.Fprintf(w, autodiscoverResponse, domain)
		})
	case adWebPage:
		mux.HandleFunc(adHost+"/", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, webPage)
		})
	}
	log := l.log.With("server", "autoconfig", "domain", domain)
	srv := &http.Server{
		Handler:           mux,
		TLSConfig:         cfg,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       readTimeout,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	tl := newTrackedListener(ln)
	l.serve(func() error {
		if err := srv.ServeTLS(tl, "", ""); err != http.ErrServerClosed {
			return err
		}
		return nil
	}, func(ctx context.Context) error {
		err := tl.shutdown(ctx)
		srv.Close()
		return err
	})
	return nil
}
