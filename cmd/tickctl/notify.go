package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tickwire/tickwire/admin"
)

// notifyCmd: tickctl notify [-room ID] [-player P] [-severity S] TEXT...
// sends an operator's notice to every connection, one room or one player.
func notifyCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	room := fs.String("room", "", "send to this room's players only (with -player, to that player)")
	player := fs.Uint("player", 0, "send to this player of -room only")
	severity := fs.String("severity", "info", "info, warning or critical")
	return func(e *env, args []string) error {
		text := strings.TrimSpace(strings.Join(args, " "))
		switch {
		case text == "":
			return usagef("want the notice's TEXT")
		case *player != 0 && *room == "":
			return usagef("-player needs -room")
		}
		req := admin.NoticeRequest{Scope: "server", Room: *room, Player: uint32(*player), Severity: *severity, Text: text}
		if *room != "" {
			req.Scope = "room"
		}
		if *player != 0 {
			req.Scope = "player"
		}
		var out admin.NoticeResult
		if err := e.call("POST", "/v1/admin/notices", req, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		_, err := fmt.Fprintf(e.stdout, "notice sent to %d connection(s) (scope %s)\n", out.Reached, out.Scope)
		return err
	}
}

// muteCmd: tickctl mute [-off] ROOM PLAYER mutes (or unmutes) a player's
// chat in a room.
func muteCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	off := fs.Bool("off", false, "lift the mute")
	return func(e *env, args []string) error {
		if err := wantArgs(args, 2, "ROOM and PLAYER"); err != nil {
			return err
		}
		player, err := strconv.ParseUint(args[1], 10, 32)
		if err != nil || player == 0 {
			return usagef("PLAYER %q: want a player id (tickctl players %s lists them)", args[1], args[0])
		}
		var out admin.ActionResult
		if err := e.call("POST", roomPath(args[0])+"/mute", admin.MuteRequest{Player: uint32(player), Muted: !*off}, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		_, err = fmt.Fprintf(e.stdout, "player %d of room %s %s\n", out.Player, out.Room, out.Result)
		return err
	}
}
