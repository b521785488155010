package lobby

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is the set of reverse proxies whose X-Forwarded-For header the
// server believes. Empty means none: the client address is always the TCP
// peer's.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDR prefixes or single
// addresses, such as "10.0.0.0/8,192.0.2.7".
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want a CIDR prefix or an address", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// String returns the list in its text form.
func (p Proxies) String() string {
	parts := make([]string, len(p))
	for i, x := range p {
		parts[i] = x.String()
	}
	return strings.Join(parts, ",")
}

// trusted reports whether a is one of the proxies.
func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, x := range p {
		if x.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr returns the address of the client behind r: the TCP peer, or,
// when the peer is a trusted proxy, the nearest address of X-Forwarded-For
// that is not a trusted proxy (read from the right, since each proxy
// appends the address it saw and a client can write anything on the
// left). An X-Forwarded-For that does not parse is ignored.
func (p Proxies) clientAddr(r *http.Request) netip.Addr {
	peer := remoteAddr(r.RemoteAddr)
	if len(p) == 0 || !peer.IsValid() || !p.trusted(peer) {
		return peer
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		list := strings.Split(hops[i], ",")
		for j := len(list) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(list[j]))
			if err != nil {
				return client
			}
			client = a.Unmap()
			if !p.trusted(client) {
				return client
			}
		}
	}
	return client
}

// remoteAddr parses a host:port peer address; the zero Addr if it does not
// parse.
func remoteAddr(hostport string) netip.Addr {
	if ap, err := netip.ParseAddrPort(hostport); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

// addrKey is the key of a client address in the per-address budgets: an
// IPv4 address itself, an IPv6 address's /64 (one host commonly has a whole
// /64 to draw addresses from), and "unknown" for no address.
func addrKey(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is4():
		return a.String()
	}
	p, _ := a.Prefix(64) // cannot fail for an IPv6 address
	return p.String()
}
