package lobby

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// originPolicy decides which web pages may open a WebSocket to the server
// or sign a guest in. A request without an Origin header is not from a
// browser page (Go clients, bots, native games) and is accepted; a page of
// the server's own origin (the Origin's host equals the request's Host) is
// accepted; any other page only if its origin matches an allowed pattern.
type originPolicy struct {
	patterns []originPattern
}

// originPattern is one allowed origin: a scheme ("" for any), a host that
// may start with "*." (any subdomain, not the domain itself), and a port
// ("*" for any, "" for the scheme's default). "*" alone allows every
// origin.
type originPattern struct {
	any                bool
	scheme, host, port string
}

// ParseOrigins splits a comma-separated list of allowed origin patterns
// (see Config.AllowedOrigins) and checks each.
func ParseOrigins(list string) ([]string, error) {
	var out []string
	for _, x := range strings.Split(list, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	if _, err := newOriginPolicy(out); err != nil {
		return nil, err
	}
	return out, nil
}

// newOriginPolicy compiles patterns such as "https://game.example.com",
// "https://*.example.com", "http://localhost:*" or "*".
func newOriginPolicy(patterns []string) (*originPolicy, error) {
	p := &originPolicy{}
	for _, s := range patterns {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if s == "*" {
			p.patterns = append(p.patterns, originPattern{any: true})
			continue
		}
		scheme, rest, ok := strings.Cut(s, "://")
		if !ok {
			scheme, rest = "", s
		}
		host, port := splitOriginHost(strings.ToLower(scheme), strings.ToLower(rest))
		if host == "" || strings.ContainsAny(host, "/?#@") || strings.Contains(strings.TrimPrefix(host, "*."), "*") {
			return nil, fmt.Errorf("allowed origin %q: want scheme://host[:port], the host may start with *. and the port may be *", s)
		}
		p.patterns = append(p.patterns, originPattern{scheme: strings.ToLower(scheme), host: host, port: port})
	}
	return p, nil
}

// splitOriginHost splits host[:port] and drops the scheme's default port.
func splitOriginHost(scheme, hostport string) (host, port string) {
	host = hostport
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.HasSuffix(hostport, "]") {
		host, port = hostport[:i], hostport[i+1:]
	}
	if (scheme == "https" || scheme == "wss") && port == "443" || (scheme == "http" || scheme == "ws") && port == "80" {
		port = ""
	}
	return host, port
}

// allowed reports whether r may proceed, by its Origin header.
func (p *originPolicy) allowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false // "null" (a sandboxed page, a file) or garbage
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := splitOriginHost(scheme, strings.ToLower(u.Host))
	for _, x := range p.patterns {
		if x.matches(scheme, host, port) {
			return true
		}
	}
	return false
}

// matches reports whether an origin of scheme, host and port matches x.
func (x originPattern) matches(scheme, host, port string) bool {
	if x.any {
		return true
	}
	if x.scheme != "" && x.scheme != scheme {
		return false
	}
	if x.port != "*" && x.port != port {
		return false
	}
	if suffix, ok := strings.CutPrefix(x.host, "*"); ok {
		return strings.HasSuffix(host, suffix) && len(host) > len(suffix)
	}
	return host == x.host
}
