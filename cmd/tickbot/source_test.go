package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// addrRange returns the n addresses from first on.
func addrRange(first string, n int) []netip.Addr {
	a := netip.MustParseAddr(first)
	out := make([]netip.Addr, 0, n)
	for range n {
		out = append(out, a)
		a = a.Next()
	}
	return out
}

// addrs parses a list of addresses.
func addrs(list ...string) []netip.Addr {
	out := make([]netip.Addr, 0, len(list))
	for _, s := range list {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

func TestParseSourceAddrs(t *testing.T) {
	tests := []struct {
		in      string
		want    []netip.Addr
		wantErr string // the whole error; empty: success
	}{
		{in: ""},
		{in: "  "},
		{in: "127.0.1.5", want: addrs("127.0.1.5")},
		// A /24's host addresses: not .0 (the network) nor .255 (broadcast).
		{in: "127.0.1.0/24", want: addrRange("127.0.1.1", 254)},
		// A prefix is masked first, as a network is named by any of its addresses.
		{in: "127.0.1.77/24", want: addrRange("127.0.1.1", 254)},
		{in: "127.0.1.8/30", want: addrs("127.0.1.9", "127.0.1.10")},
		{in: "127.0.1.8/31", want: addrs("127.0.1.8", "127.0.1.9")},
		{in: "127.0.1.8/32", want: addrs("127.0.1.8")},
		// IPv6 has no broadcast: only the first address (the subnet
		// router's) is left out.
		{in: "fd00::/126", want: addrs("fd00::1", "fd00::2", "fd00::3")},
		{in: "fd00::/127", want: addrs("fd00::", "fd00::1")},
		{in: "fd00::5/128", want: addrs("fd00::5")},
		{in: "fd00::/112", want: addrRange("fd00::1", 65535)},
		{in: "::1", want: addrs("::1")},
		// IPv4-mapped IPv6 dials as IPv4, prefixes too (with IPv4's rules).
		{in: "::ffff:127.0.1.2", want: addrs("127.0.1.2")},
		{in: "::ffff:127.0.1.0/126", want: addrs("127.0.1.1", "127.0.1.2")},
		// Lists keep their order, and repeats stay repeats.
		{in: "127.0.1.9, 127.0.1.0/30,127.0.1.9", want: addrs("127.0.1.9", "127.0.1.1", "127.0.1.2", "127.0.1.9")},
		{in: "127.0.0.0/16", want: addrRange("127.0.0.1", 65534)},
		// Exactly the bound, then one past it.
		{in: "127.0.0.0/16,127.1.0.1,127.1.0.2", want: append(addrRange("127.0.0.1", 65534), addrs("127.1.0.1", "127.1.0.2")...)},
		{in: "127.0.0.0/16,127.1.0.1,127.1.0.2,127.1.0.3", wantErr: `-source-addrs: "127.1.0.3" takes the list past 65536 addresses`},
		{in: "127.0.0.0/16,127.1.0.0/29", wantErr: `-source-addrs: "127.1.0.0/29" takes the list past 65536 addresses`},
		{in: "127.0.1.77/15", wantErr: `-source-addrs: "127.0.1.77/15" takes the list past 65536 addresses`},
		{in: "127.0.1.1,", wantErr: "-source-addrs: an empty address in a list"},
		{in: "127.0.1.300", wantErr: `-source-addrs: "127.0.1.300" is neither an IP address nor a CIDR prefix`},
		{in: "127.0.1.0/33", wantErr: `-source-addrs: "127.0.1.0/33" is neither an IP address nor a CIDR prefix`},
		{in: "localhost", wantErr: `-source-addrs: "localhost" is neither an IP address nor a CIDR prefix`},
		{in: "fe80::1%eth0", wantErr: `-source-addrs: "fe80::1%eth0": addresses with a zone are not supported`},
		{in: "0.0.0.0", wantErr: `-source-addrs: "0.0.0.0": an unspecified or multicast address is no address to dial from`},
		{in: "::", wantErr: `-source-addrs: "::": an unspecified or multicast address is no address to dial from`},
		{in: "224.0.0.0/30", wantErr: `-source-addrs: "224.0.0.0/30": an unspecified or multicast address is no address to dial from`},
	}
	for _, tt := range tests {
		got, err := parseSourceAddrs(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("parseSourceAddrs(%q) = %d addresses, %v; want the error %q", tt.in, len(got), err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseSourceAddrs(%q): %v", tt.in, err)
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("parseSourceAddrs(%q) = %d addresses %s, want %d %s", tt.in, len(got), brief(got), len(tt.want), brief(tt.want))
		}
	}
}

// brief prints as, or its first and last three when it is longer.
func brief(as []netip.Addr) string {
	if len(as) > 6 {
		return fmt.Sprint(as[:3]) + " … " + fmt.Sprint(as[len(as)-3:])
	}
	return fmt.Sprint(as)
}

func TestSourceAddrTakesTurns(t *testing.T) {
	if a := sourceAddr(nil, 3); a != nil {
		t.Fatalf("no addresses: got %v, want nil (the system's choice)", a)
	}
	list := addrs("127.0.1.1", "127.0.1.2", "127.0.1.3")
	for i, want := range []string{"127.0.1.1:0", "127.0.1.2:0", "127.0.1.3:0", "127.0.1.1:0", "127.0.1.2:0"} {
		if got := sourceAddr(list, i).String(); got != want {
			t.Errorf("bot %d dials from %s, want %s", i, got, want)
		}
	}
}

// TestBotDialsFromItsSource: every socket a bot's dialer opens (the first
// connection, a resume's redial, a redirect, a garbage bot's) comes from
// the bot's source address.
func TestBotDialsFromItsSource(t *testing.T) {
	skipWithoutLoopbackRange(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := config{behavior: behaviorWander, modes: []string{""}, sources: addrs("127.0.1.1", "127.0.1.2")}
	for i, want := range []string{"127.0.1.1", "127.0.1.2", "127.0.1.1"} {
		nd := newBot(c, i).dialer().NetDialContext
		for dial := range 2 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			conn, err := nd(ctx, "tcp", ln.Addr().String())
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			peer, err := ln.Accept()
			if err != nil {
				t.Fatal(err)
			}
			if got := peer.RemoteAddr().(*net.TCPAddr).IP.String(); got != want {
				t.Errorf("bot %d, dial %d: the server saw %s, want %s", i, dial, got, want)
			}
			_ = conn.Close()
			_ = peer.Close()
		}
	}
}

// skipWithoutLoopbackRange skips a test on systems where only 127.0.0.1
// is the machine's own (macOS, the BSDs): tickbot's tests dial from other
// 127.0.0.0/8 addresses, which Linux has with no setup.
func skipWithoutLoopbackRange(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.1.1:0")
	if err != nil {
		t.Skipf("127.0.1.1 is not an address of this machine: %v", err)
	}
	_ = ln.Close()
}
