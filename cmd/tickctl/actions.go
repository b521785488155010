package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tickwire/tickwire/admin"
)

func kickCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	reason := fs.String("reason", "", "reason the kicked player is shown")
	return func(e *env, args []string) error {
		if err := wantArgs(args, 2, "ROOM and PLAYER"); err != nil {
			return err
		}
		player, err := strconv.ParseUint(args[1], 10, 32)
		if err != nil || player == 0 {
			return usagef("PLAYER %q: want a player id (tickctl players %s lists them)", args[1], args[0])
		}
		var out admin.ActionResult
		req := admin.KickRequest{Player: uint32(player), Reason: *reason}
		if err := e.call("POST", roomPath(args[0])+"/kick", req, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		how := "seat was held; no connection to close"
		if out.ConnectionClosed {
			how = "connection closed"
		}
		_, err = fmt.Fprintf(e.stdout, "kicked player %d from room %s (%s)\n", out.Player, out.Room, how)
		return err
	}
}

func closeCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	reason := fs.String("reason", "", "reason the players are shown")
	return func(e *env, args []string) error {
		if err := wantArgs(args, 1, "a room ID"); err != nil {
			return err
		}
		var out admin.ActionResult
		if err := e.call("POST", roomPath(args[0])+"/close", admin.CloseRequest{Reason: *reason}, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		_, err := fmt.Fprintf(e.stdout, "room %s is closing: players get their results and the reason\n", out.Room)
		return err
	}
}

func debugCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		if len(args) < 2 {
			return usagef("want ROOM and a COMMAND")
		}
		var out admin.DebugReply
		req := admin.DebugRequest{Command: strings.Join(args[1:], " ")}
		if err := e.call("POST", roomPath(args[0])+"/debug", req, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		_, err := fmt.Fprintln(e.stdout, out.Reply)
		return err
	}
}
