package main

import (
	"errors"
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
// IPv4-mapped IPv6 addresses and prefixes are taken as the IPv4 ones. An
// empty list gives none: the system picks each socket's address.
func parseSourceAddrs(s string) ([]netip.Addr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var addrs []netip.Addr
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		var err error
		if addrs, err = appendSource(addrs, item); err != nil {
			return nil, fmt.Errorf("-source-addrs: %w", err)
		}
	}
	return addrs, nil
}

// appendSource appends the addresses of one item of -source-addrs.
func appendSource(addrs []netip.Addr, item string) ([]netip.Addr, error) {
	if item == "" {
		return nil, errors.New("an empty address in a list")
	}
	var p netip.Prefix
	if strings.Contains(item, "/") {
		var err error
		if p, err = netip.ParsePrefix(item); err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", item)
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		p = p.Masked()
	} else {
		a, err := netip.ParseAddr(item)
		switch {
		case err != nil:
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR prefix", item)
		case a.Zone() != "":
			return nil, fmt.Errorf("%q: addresses with a zone are not supported", item)
		}
		a = a.Unmap()
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.IsUnspecified() || a.IsMulticast() {
		return nil, fmt.Errorf("%q: an unspecified or multicast address is no address to dial from", item)
	}
	hostBits := p.Addr().BitLen() - p.Bits()
	if hostBits > 16 {
		return nil, fmt.Errorf("%q takes the list past %d addresses", item, maxSourceAddrs)
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
		a = a.Next()
	}
	if len(addrs) > maxSourceAddrs {
		return nil, fmt.Errorf("%q takes the list past %d addresses", item, maxSourceAddrs)
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
