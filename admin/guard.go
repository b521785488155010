package admin

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Every request passes three guards before its handler runs, in this
// order, each refusal counted in tickwire_admin_refused_total{reason}:
//
//   - host: the Host header must name this listener (a loopback name or
//     address, an address the listener is bound to, or Config.Hosts), else
//     421. A web page whose own host name an attacker points at 127.0.0.1
//     (DNS rebinding) sends its own name, and is turned away.
//   - cross_site: a browser's request from any page of another origin
//     (Origin not this listener's, or Sec-Fetch-Site other than
//     same-origin or none) gets 403, whatever it asks: the admin API
//     serves no web page, so no browser page has a reason to call it.
//     Clients that are not browsers send neither header.
//   - token: Authorization must carry the bearer token, compared in
//     constant time, else 401.

// MinTokenLength is the fewest characters an admin token may have on an
// address off loopback.
const MinTokenLength = 32

// Errors of CheckAddr and New.
var (
	// ErrNeedsToken refuses an admin API without a token.
	ErrNeedsToken = errors.New("the admin API needs a token")
	// ErrShortToken refuses a short token on an address off loopback.
	ErrShortToken = fmt.Errorf("an admin token of fewer than %d characters is refused off loopback", MinTokenLength)
)

// Reasons a request is refused before its handler
// (tickwire_admin_refused_total).
const (
	refuseHost      = "host"
	refuseCrossSite = "cross_site"
	refuseToken     = "token"
)

// CheckAddr refuses to serve the admin API on addr with no token, or with
// a token shorter than MinTokenLength unless addr is a loopback address
// (127.0.0.0/8, ::1 or localhost): an empty host or 0.0.0.0 listens on
// every interface.
func CheckAddr(addr, token string) error {
	if token == "" {
		return fmt.Errorf("admin address %q: %w", addr, ErrNeedsToken)
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("admin address %q: %w", addr, err)
	}
	if !loopback(host) && len(token) < MinTokenLength {
		return fmt.Errorf("admin address %q: %w (the token has %d)", addr, ErrShortToken, len(token))
	}
	return nil
}

// loopback reports whether host is a loopback name or address.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostSet is what a request's Host may name besides loopback: canonical
// addresses and lower-case names.
type hostSet map[string]bool

// allowedHosts returns the hosts of the listener bound to addr (its
// address, unless it is bound to every interface) and of extra, each a
// name or an address, with or without a port.
func allowedHosts(addr string, extra []string) (hostSet, error) {
	hosts := hostSet{}
	if addr != "" {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("admin address %q: %w", addr, err)
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			hosts[canonicalHost(host)] = true
		}
	}
	for _, h := range extra {
		if h = canonicalHost(strings.TrimSpace(h)); h != "" {
			hosts[h] = true
		}
	}
	return hosts, nil
}

// canonicalHost strips a port, brackets and a final dot from a Host value
// and lower-cases it; an address is written the one way net.IP prints it.
func canonicalHost(h string) string {
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	return h
}

// allows reports whether a request's Host names this listener.
func (hs hostSet) allows(hostHeader string) bool {
	h := canonicalHost(hostHeader)
	return h != "" && (loopback(h) || hs[h])
}

// crossSite reports whether r is a browser's request from a page of
// another origin than this listener's.
func crossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none": // none: typed in the address bar
	default: // same-site (another port counts) or cross-site
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return !strings.EqualFold(origin, scheme+"://"+r.Host)
}

// authorized compares the bearer token in constant time.
func (a *API) authorized(r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(got), []byte(a.cfg.Token)) == 1
}

// guard answers a request that fails one of the guards, counts why and
// reports false; it reports true for a request its handler may serve.
func (a *API) guard(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case !a.hosts.allows(r.Host):
		refused.WithLabelValues(refuseHost).Inc()
		writeError(w, http.StatusMisdirectedRequest,
			fmt.Sprintf("host %q does not name this admin listener (use its address, or name the host with tickwire -admin-host)", r.Host))
	case crossSite(r):
		refused.WithLabelValues(refuseCrossSite).Inc()
		writeError(w, http.StatusForbidden, "cross-site request refused: the admin API answers no web page of another origin")
	case !a.authorized(r):
		refused.WithLabelValues(refuseToken).Inc()
		w.Header().Set("WWW-Authenticate", `Bearer realm="tickwire admin"`)
		writeError(w, http.StatusUnauthorized, "wrong or missing admin token (send Authorization: Bearer <token>)")
	default:
		return true
	}
	return false
}
