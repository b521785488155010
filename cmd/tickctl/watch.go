package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// watchHistory is how many detail samples the sparkline shows.
const watchHistory = 60

// recentEvents is how many events the live view lists.
const recentEvents = 8

func watchCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	forDur := fs.Duration("for", 0, "stop after this long (0 = until Ctrl-C or the room ends)")
	return func(e *env, args []string) error {
		if err := wantArgs(args, 1, "a room ID"); err != nil {
			return err
		}
		c, err := newClient(e.g)
		if err != nil {
			return err
		}
		ctx := e.ctx
		if *forDur > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, *forDur)
			defer cancel()
		}
		ws, err := c.dialWatch(ctx, args[0])
		if err != nil {
			return err
		}
		defer ws.Close()
		stop := context.AfterFunc(ctx, func() {
			// Ends the read below; a polite close first.
			_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
			_ = ws.Close()
		})
		defer stop()
		v := &watchView{room: args[0], started: time.Now(), p99: ring{n: watchHistory}, max: ring{n: watchHistory}}
		return v.run(ctx, ws, e)
	}
}

// watchView is the state of a watch: the newest room detail, timing
// history, the spectator frames seen and the recent events.
type watchView struct {
	room     string
	started  time.Time
	detail   *admin.RoomDetail
	p99, max ring
	frames   uint64
	desyncs  uint64
	tick     uint32
	entities int
	events   []string
	// talkLines are the recent chat lines and notices (watch_talk.go).
	talkLines []string
	ended     string
	// schema and rows decode the snapshots; nil until the first room
	// message names the schema.
	schema *wire.Schema
	rows   *wire.Rows
}

// watchSnapshot is a snapshot line of watch -json.
type watchSnapshot struct {
	Type       string          `json:"type"`
	Tick       uint32          `json:"tick"`
	Entities   int             `json:"entities"`
	ChecksumOK bool            `json:"checksum_ok"`
	Events     []*pb.GameEvent `json:"events,omitempty"`
}

// run reads the stream until it ends and renders it.
func (v *watchView) run(ctx context.Context, ws *websocket.Conn, e *env) error {
	for {
		kind, b, err := ws.ReadMessage()
		if err != nil {
			if ctx.Err() != nil || v.ended != "" {
				if !e.g.json && v.ended != "" {
					fmt.Fprintf(e.stdout, "watch of room %s ended: %s\n", v.room, v.ended)
				}
				return nil
			}
			return fmt.Errorf("watch stream: %w", err)
		}
		switch kind {
		case websocket.TextMessage:
			var m admin.WatchMessage
			if err := json.Unmarshal(b, &m); err != nil {
				return fmt.Errorf("decode watch message: %w", err)
			}
			if e.g.json {
				if err := json.NewEncoder(e.stdout).Encode(m); err != nil {
					return err
				}
			}
			switch m.Type {
			case "end":
				v.ended = m.Reason
			case "room":
				if len(m.Schema) > 0 {
					if err := v.takeSchema(m.Schema); err != nil {
						return err
					}
				}
				if m.Room != nil {
					v.detail = m.Room
					v.p99.add(m.Room.TickP99Ms)
					v.max.add(m.Room.TickMaxMs)
					if !e.g.json {
						v.render(e.stdout, e.terminal)
					}
				}
			}
		case websocket.BinaryMessage:
			line, talk, text := v.frame(b)
			if e.g.json && line != nil {
				if err := json.NewEncoder(e.stdout).Encode(line); err != nil {
					return err
				}
			}
			switch {
			case talk == nil:
			case e.g.json:
				if err := json.NewEncoder(e.stdout).Encode(talk); err != nil {
					return err
				}
			case e.terminal:
				if v.detail != nil {
					v.render(e.stdout, true)
				}
			default:
				fmt.Fprintf(e.stdout, "%s %s\n", time.Now().Format("15:04:05"), text)
			}
		}
	}
}

// frame takes in one spectator frame; snapshots are full, so each decodes
// on its own and its checksum is verified. It returns a snapshot's -json
// line, or a chat line's or notice's -json line and text.
func (v *watchView) frame(b []byte) (*watchSnapshot, *watchTalk, string) {
	var msg pb.ServerMessage
	if err := proto.Unmarshal(b, &msg); err != nil {
		return nil, nil, ""
	}
	v.frames++
	if t, text := v.talk(&msg); t != nil {
		return nil, t, text
	}
	switch body := msg.Body.(type) {
	case *pb.ServerMessage_Snapshot:
		s := body.Snapshot
		out := &watchSnapshot{Type: "snapshot", Tick: s.GetTick(), Events: s.GetEvents()}
		if s.GetBaseTick() == 0 && v.rows != nil {
			err := wire.ApplyDelta(v.rows, nil, s.GetDelta())
			out.ChecksumOK = err == nil && wire.Checksum(v.rows) == s.GetChecksum()
			out.Entities = v.rows.Len()
			v.entities = v.rows.Len()
		}
		if !out.ChecksumOK {
			v.desyncs++
		}
		v.tick = s.GetTick()
		for _, ev := range s.GetEvents() {
			v.events = append(v.events, describeEvent(v.schema, ev))
		}
		if len(v.events) > recentEvents {
			v.events = v.events[len(v.events)-recentEvents:]
		}
		return out, nil, ""
	case *pb.ServerMessage_Left:
		v.events = append(v.events, fmt.Sprintf("room left: %s %s", body.Left.GetReason(), body.Left.GetMessage()))
	case *pb.ServerMessage_MatchResults:
		v.events = append(v.events, fmt.Sprintf("match results at tick %d (%d players)", body.MatchResults.GetTick(), len(body.MatchResults.GetPlayers())))
	}
	return nil, nil, ""
}

// takeSchema adopts the room's schema from the watch stream's first room
// message.
func (v *watchView) takeSchema(raw []byte) error {
	var m pb.Schema
	if err := protojson.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("decode room schema: %w", err)
	}
	s, err := wire.SchemaFromProto(&m)
	if err != nil {
		return fmt.Errorf("room schema: %w", err)
	}
	v.schema, v.rows = s, wire.NewRows(wire.NewLayout(s), 0)
	return nil
}

// describeEvent renders an event with the names its schema gives it, such
// as "tick 812  hit  shooter 3  victim 7  damage 25".
func describeEvent(s *wire.Schema, ev *pb.GameEvent) string {
	var kind *wire.EventKind
	if s != nil {
		kind = s.Event(ev.GetKind())
	}
	if kind == nil {
		return fmt.Sprintf("tick %d  kind %d  actor %d  target %d  values %v",
			ev.GetTick(), ev.GetKind(), ev.GetActor(), ev.GetTarget(), ev.GetValues())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "tick %d  %s", ev.GetTick(), kind.Name)
	if kind.Actor != "" {
		fmt.Fprintf(&b, "  %s %d", kind.Actor, ev.GetActor())
	}
	if kind.Target != "" {
		fmt.Fprintf(&b, "  %s %d", kind.Target, ev.GetTarget())
	}
	for i, f := range kind.Values {
		var raw int32
		if i < len(ev.GetValues()) {
			raw = ev.GetValues()[i]
		}
		fmt.Fprintf(&b, "  %s %d", f.Name, raw)
	}
	return b.String()
}

// render draws the view: in place on a terminal, else one line.
func (v *watchView) render(w io.Writer, terminal bool) {
	d := v.detail
	if !terminal {
		fmt.Fprintf(w, "%s room %s %s tick %d p50 %.3fms p99 %.3fms max %.3fms overruns %d players %d/%d entities %d snap %.1fKB/s frames %d bad %d\n",
			time.Now().Format("15:04:05"), d.ID, d.State, d.Tick, d.TickP50Ms, d.TickP99Ms, d.TickMaxMs, d.Overruns,
			d.Connected, d.Players, d.Entities, d.SnapshotBytesPerSec/1000, v.frames, v.desyncs)
		return
	}
	var b strings.Builder
	b.WriteString(clearScreen)
	fmt.Fprintf(&b, "room %s  %s  %s  tick %d @ %d Hz   watching %s (Ctrl-C stops)\n", d.ID, d.Mode, d.State, d.Tick, d.TickHz,
		time.Since(v.started).Truncate(time.Second))
	fmt.Fprintf(&b, "tick time  p50 %.3f ms  p99 %.3f ms  max %.3f ms  overruns %d (%d skipped)\n",
		d.TickP50Ms, d.TickP99Ms, d.TickMaxMs, d.Overruns, d.SkippedTicks)
	fmt.Fprintf(&b, "p99  %s\nmax  %s\n", sparkline(v.p99.values), sparkline(v.max.values))
	fmt.Fprintf(&b, "entities %d   snapshots %.1f KB/s   spectator frames %d (bad %d)   recording %s\n\n",
		d.Entities, d.SnapshotBytesPerSec/1000, v.frames, v.desyncs, yes(d.Recording))
	fmt.Fprintf(&b, "players %d of %d (%d connected)\n", d.Players, d.MaxPlayers, d.Connected)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tRTT ms\tKB/s\tQUEUE\tDROPPED\t")
	for _, p := range d.PlayerList {
		status := "connected"
		if !p.Connected {
			status = "held"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%.1f\t%.2f\t%d\t%d\n", p.ID, p.Name, status, p.RTTMs, p.BytesPerSec/1000, p.InputQueueDepth, p.DroppedInputs)
	}
	_ = tw.Flush()
	b.WriteString("\nrecent events\n")
	for _, ev := range v.events {
		b.WriteString("  " + ev + "\n")
	}
	if len(v.talkLines) > 0 {
		b.WriteString("\nchat and notices\n")
		for _, l := range v.talkLines {
			b.WriteString("  " + l + "\n")
		}
	}
	_, _ = io.WriteString(w, b.String())
}
