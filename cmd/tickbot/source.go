package main

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// maxSourceAddrs bounds the addresses -source-addrs may name, so that a
// prefix such as 10.0.0.0/8 is refused rather than listed.
const maxSourceAddrs = 1 << 16

// parseSourceAddrs reads -source-addrs: IP addresses and CIDR prefixes,
// comma-separated, in the order the bots take them. A prefix stands for
// its host addresses: all of them but, when it holds more than two, the
// first (the network's own address) and, in IPv4, the last (broadcast).
// An empty list gives none: the system picks each socket's address.
func parseSourceAddrs(s string) ([]netip.Addr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var addrs []netip.Addr
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if !strings.Contains(item, "/") {
			a, err := netip.ParseAddr(item)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("-source-addrs: %q is neither an IP address nor a CIDR prefix", item)
			}
			addrs = append(addrs, a.Unmap())
		} else {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("-source-addrs: %q is neither an IP address nor a CIDR prefix", item)
			}
			if addrs, err = appendHosts(addrs, p.Masked()); err != nil {
				return nil, err
			}
		}
		if len(addrs) > maxSourceAddrs {
			return nil, fmt.Errorf("-source-addrs %q: more than %d addresses", s, maxSourceAddrs)
		}
	}
	return addrs, nil
}

// appendHosts appends p's host addresses to addrs (see parseSourceAddrs),
// failing once addrs would pass maxSourceAddrs.
func appendHosts(addrs []netip.Addr, p netip.Prefix) ([]netip.Addr, error) {
	hostBits := p.Addr().BitLen() - p.Bits()
	if hostBits > 16 {
		return nil, fmt.Errorf("-source-addrs: %s holds more than %d addresses", p, maxSourceAddrs)
	}
	n := 1 << hostBits
	first, last := 0, n-1
	if n > 2 {
		first++ // the network's own address
		if p.Addr().Is4() {
			last-- // broadcast
		}
	}
	a := p.Addr()
	for i := 0; i < first; i++ {
		a = a.Next()
	}
	for i := first; i <= last; i++ {
		addrs = append(addrs, a)
		if len(addrs) > maxSourceAddrs {
			return nil, fmt.Errorf("-source-addrs: more than %d addresses", maxSourceAddrs)
		}
		a = a.Next()
	}
	return addrs, nil
}

// sourceAddr returns the local address bot i dials from: the i-th of
// addrs, in turn, or nil (the system's choice) when there are none.
func sourceAddr(addrs []netip.Addr, i int) *net.TCPAddr {
	if len(addrs) == 0 {
		return nil
	}
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(addrs[i%len(addrs)], 0))
}
