package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tickwire/tickwire/admin"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func roomsCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		if err := wantArgs(args, 0, "no arguments"); err != nil {
			return err
		}
		var out admin.RoomList
		if err := e.call("GET", "/v1/admin/rooms", nil, &out, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, out)
		}
		return printRooms(e.stdout, out.Rooms)
	}
}

// printRooms writes the rooms table.
func printRooms(w io.Writer, rooms []admin.Room) error {
	if len(rooms) == 0 {
		_, err := fmt.Fprintln(w, "no rooms")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMODE\tSTATE\tPLAYERS\tTICK\tP50 ms\tP99 ms\tMAX ms\tOVERRUNS\tENTITIES\tSNAP KB/s\tREC\t")
	for _, r := range rooms {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%d\t%.3f\t%.3f\t%.3f\t%d\t%d\t%.1f\t%s\n",
			r.ID, r.Mode, r.State, r.Players, r.MaxPlayers, r.Tick, r.TickP50Ms, r.TickP99Ms, r.TickMaxMs,
			r.Overruns, r.Entities, r.SnapshotBytesPerSec/1000, yes(r.Recording))
	}
	return tw.Flush()
}

func roomCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		d, err := fetchRoom(e, args)
		if err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, d)
		}
		return printRoom(e.stdout, d)
	}
}

// fetchRoom gets the detail of the room named by the one argument.
func fetchRoom(e *env, args []string) (admin.RoomDetail, error) {
	var d admin.RoomDetail
	if err := wantArgs(args, 1, "a room ID"); err != nil {
		return d, err
	}
	c, err := newClient(e.g)
	if err != nil {
		return d, err
	}
	err = c.call(e.ctx, "GET", roomPath(args[0]), nil, &d, nil)
	return d, err
}

// printRoom writes a room's detail and players.
func printRoom(w io.Writer, d admin.RoomDetail) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	private := ""
	if d.Private {
		private = " (private, code " + d.JoinCode + ")"
	}
	fmt.Fprintf(tw, "room\t%s%s\n", d.ID, private)
	fmt.Fprintf(tw, "mode\t%s\n", d.Mode)
	fmt.Fprintf(tw, "state\t%s, up %ds\n", d.State, d.AgeSeconds)
	fmt.Fprintf(tw, "tick\t%d at %d Hz, snapshots %d Hz\n", d.Tick, d.TickHz, d.SnapshotHz)
	fmt.Fprintf(tw, "tick time\tp50 %.3f ms, p99 %.3f ms, max %.3f ms\n", d.TickP50Ms, d.TickP99Ms, d.TickMaxMs)
	fmt.Fprintf(tw, "overruns\t%d (%d ticks skipped)\n", d.Overruns, d.SkippedTicks)
	fmt.Fprintf(tw, "snapshots\t%.1f KB/s to all players\n", d.SnapshotBytesPerSec/1000)
	fmt.Fprintf(tw, "entities\t%d\n", d.Entities)
	fmt.Fprintf(tw, "players\t%d of %d, %d connected\n", d.Players, d.MaxPlayers, d.Connected)
	fmt.Fprintf(tw, "recording\t%s\n", yes(d.Recording))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.PlayerList) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return printPlayers(w, d.PlayerList)
}

func playersCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		d, err := fetchRoom(e, args)
		if err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, d.PlayerList)
		}
		if len(d.PlayerList) == 0 {
			_, err := fmt.Fprintln(e.stdout, "no players")
			return err
		}
		return printPlayers(e.stdout, d.PlayerList)
	}
}

// printPlayers writes the players table.
func printPlayers(w io.Writer, players []admin.Player) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tENTITY\tSTATUS\tRTT ms\tQUEUE\tDROPPED\tACKED TICK\tINPUT SEQ\tKB/s\t")
	for _, p := range players {
		status := "connected"
		if !p.Connected {
			status = "held"
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%.1f\t%d\t%d\t%d\t%d\t%.2f\n", p.ID, p.Name, p.EntityID, status,
			p.RTTMs, p.InputQueueDepth, p.DroppedInputs, p.LastAckedTick, p.LastAppliedSeq, p.BytesPerSec/1000)
	}
	return tw.Flush()
}

func stateCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		if err := wantArgs(args, 1, "a room ID"); err != nil {
			return err
		}
		var raw []byte
		if err := e.call("GET", roomPath(args[0])+"/state", nil, nil, &raw); err != nil {
			return err
		}
		if e.g.json {
			_, err := e.stdout.Write(raw)
			return err
		}
		var v pb.WorldView
		if err := protojson.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode world view: %w", err)
		}
		fmt.Fprintf(e.stdout, "room %s at tick %d: %d entities\n", v.GetRoomId(), v.GetTick(), len(v.GetEntities()))
		if len(v.GetEntities()) == 0 {
			return nil
		}
		return printWorld(e.stdout, &v)
	}
}

// printWorld prints one table per entity kind, in the order the schema
// declares them, with a column per field named by the schema.
func printWorld(w io.Writer, v *pb.WorldView) error {
	for _, kind := range v.GetSchema().GetEntities() {
		var rows []*pb.EntityView
		for _, en := range v.GetEntities() {
			if en.GetKind() == kind.GetKind() {
				rows = append(rows, en)
			}
		}
		if len(rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d)\n", kind.GetName(), len(rows))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		header := []string{"ID"}
		for _, f := range kind.GetFields() {
			header = append(header, strings.ToUpper(f.GetName()))
		}
		fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
		for _, en := range rows {
			cells := []string{fmt.Sprint(en.GetId())}
			for _, f := range en.GetFields() {
				cells = append(cells, fieldCell(f))
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// fieldCell renders one field: its name for enums and flags, else its
// value in the field's units (two decimals when it has any).
func fieldCell(f *pb.FieldView) string {
	if t := f.GetText(); t != "" {
		return t
	}
	if float64(f.GetRaw()) == f.GetValue() {
		return fmt.Sprint(f.GetRaw())
	}
	return strconv.FormatFloat(f.GetValue(), 'f', 2, 64)
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func overviewCmd(_ *flag.FlagSet) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		if err := wantArgs(args, 0, "no arguments"); err != nil {
			return err
		}
		var o admin.Overview
		if err := e.call("GET", "/v1/admin/overview", nil, &o, nil); err != nil {
			return err
		}
		if e.g.json {
			return printJSON(e.stdout, o)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "version\t%s (%s)\n", o.Version, o.GoVersion)
		fmt.Fprintf(tw, "uptime\t%.0fs\n", o.UptimeSeconds)
		fmt.Fprintf(tw, "connections\t%d (%d sessions)\n", o.Connections, o.Sessions)
		fmt.Fprintf(tw, "rooms\t%d\n", o.Rooms)
		fmt.Fprintf(tw, "players\t%d (%d held for reconnection)\n", o.Players, o.HeldSeats)
		fmt.Fprintf(tw, "cpu\t%.2fs\n", o.CPUSeconds)
		fmt.Fprintf(tw, "memory\tRSS %.1f MiB, heap %.1f MiB\n", float64(o.RSSBytes)/(1<<20), float64(o.HeapBytes)/(1<<20))
		fmt.Fprintf(tw, "goroutines\t%d\n", o.Goroutines)
		return tw.Flush()
	}
}
