package main

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseSourceAddrs(t *testing.T) {
	tests := []struct {
		in        string
		n         int    // addresses
		first     string // the first and last of them
		last      string
		wantErr   string // substring; empty: success
		wantEmpty bool
	}{
		{in: "", wantEmpty: true},
		{in: "  ", wantEmpty: true},
		{in: "127.0.1.5", n: 1, first: "127.0.1.5", last: "127.0.1.5"},
		// A /24's host addresses: not .0 (the network) nor .255 (broadcast).
		{in: "127.0.1.0/24", n: 254, first: "127.0.1.1", last: "127.0.1.254"},
		// A prefix is masked first, as a network is named by any of its addresses.
		{in: "127.0.1.77/24", n: 254, first: "127.0.1.1", last: "127.0.1.254"},
		{in: "127.0.1.8/31", n: 2, first: "127.0.1.8", last: "127.0.1.9"},
		{in: "127.0.1.8/32", n: 1, first: "127.0.1.8", last: "127.0.1.8"},
		// IPv6 has no broadcast: only the first address (the subnet
		// router's) is left out.
		{in: "fd00::/126", n: 3, first: "fd00::1", last: "fd00::3"},
		{in: "::1", n: 1, first: "::1", last: "::1"},
		// An IPv4-mapped IPv6 address dials as the IPv4 one.
		{in: "::ffff:127.0.1.2", n: 1, first: "127.0.1.2", last: "127.0.1.2"},
		// Lists keep their order, and repeats stay repeats.
		{in: "127.0.1.9, 127.0.1.0/30,127.0.1.9", n: 4, first: "127.0.1.9", last: "127.0.1.9"},
		{in: "127.0.0.0/16", n: 65534, first: "127.0.0.1", last: "127.0.255.254"},
		{in: "127.0.0.0/15", wantErr: "127.0.0.0/15 holds more than 65536 addresses"},
		{in: "127.0.0.0/16,127.1.0.0/24", wantErr: "more than 65536 addresses"},
		{in: "127.0.1.1,", wantErr: `"" is neither`},
		{in: "127.0.1.300", wantErr: `"127.0.1.300" is neither`},
		{in: "127.0.1.0/33", wantErr: `"127.0.1.0/33" is neither`},
		{in: "fe80::1%eth0", wantErr: `"fe80::1%eth0" is neither`},
	}
	for _, tt := range tests {
		got, err := parseSourceAddrs(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseSourceAddrs(%q) = %d addresses, %v; want an error with %q", tt.in, len(got), err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseSourceAddrs(%q): %v", tt.in, err)
			continue
		}
		if tt.wantEmpty {
			if len(got) != 0 {
				t.Errorf("parseSourceAddrs(%q) = %v, want none", tt.in, got)
			}
			continue
		}
		if len(got) != tt.n || got[0] != netip.MustParseAddr(tt.first) || got[len(got)-1] != netip.MustParseAddr(tt.last) {
			t.Errorf("parseSourceAddrs(%q) = %d addresses from %v to %v, want %d from %s to %s",
				tt.in, len(got), got[0], got[len(got)-1], tt.n, tt.first, tt.last)
		}
	}
}

func TestSourceAddrTakesTurns(t *testing.T) {
	if a := sourceAddr(nil, 3); a != nil {
		t.Fatalf("no addresses: got %v, want nil (the system's choice)", a)
	}
	addrs, err := parseSourceAddrs("127.0.1.1,127.0.1.2,127.0.1.3")
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"127.0.1.1:0", "127.0.1.2:0", "127.0.1.3:0", "127.0.1.1:0", "127.0.1.2:0"} {
		if got := sourceAddr(addrs, i).String(); got != want {
			t.Errorf("bot %d dials from %s, want %s", i, got, want)
		}
	}
}
