// Command tickctl inspects and acts on a running tickwire server through its
// admin API (docs/admin.md): list rooms, look inside one, watch it live, kick
// a player, close a room, record a match and replay a recording offline.
//
// Run tickctl -h for the subcommands; every one takes -h too.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
