package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tickwire/tickwire/admin"
)

func topCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	interval := fs.Duration("interval", time.Second, "refresh interval")
	forDur := fs.Duration("for", 0, "stop after this long (0 = until Ctrl-C)")
	limit := fs.Int("n", 20, "rows to show (0 = all)")
	return func(e *env, args []string) error {
		if err := wantArgs(args, 0, "no arguments"); err != nil {
			return err
		}
		if *interval <= 0 {
			return usagef("-interval %v: want more than 0", *interval)
		}
		c, err := newClient(e.g)
		if err != nil {
			return err
		}
		var deadline <-chan time.Time
		if *forDur > 0 {
			t := time.NewTimer(*forDur)
			defer t.Stop()
			deadline = t.C
		}
		ticker := time.NewTicker(*interval)
		defer ticker.Stop()
		for {
			var list admin.RoomList
			if err := c.call(e.ctx, "GET", "/v1/admin/rooms", nil, &list, nil); err != nil {
				if e.ctx.Err() != nil {
					return nil
				}
				return err
			}
			rooms := sortByTickTime(list.Rooms)
			if *limit > 0 && len(rooms) > *limit {
				rooms = rooms[:*limit]
			}
			if err := renderTop(e, rooms, len(list.Rooms)); err != nil {
				return err
			}
			select {
			case <-e.ctx.Done():
				return nil
			case <-deadline:
				return nil
			case <-ticker.C:
			}
		}
	}
}

// sortByTickTime orders rooms by p99 tick time, slowest first.
func sortByTickTime(rooms []admin.Room) []admin.Room {
	sort.SliceStable(rooms, func(i, j int) bool {
		if rooms[i].TickP99Ms != rooms[j].TickP99Ms {
			return rooms[i].TickP99Ms > rooms[j].TickP99Ms
		}
		return rooms[i].TickMaxMs > rooms[j].TickMaxMs
	})
	return rooms
}

// topLine is one refresh of top -json.
type topLine struct {
	Time  time.Time    `json:"time"`
	Total int          `json:"total_rooms"`
	Rooms []admin.Room `json:"rooms"`
}

// renderTop draws one refresh.
func renderTop(e *env, rooms []admin.Room, total int) error {
	if e.g.json {
		return json.NewEncoder(e.stdout).Encode(topLine{Time: time.Now().UTC(), Total: total, Rooms: rooms})
	}
	var b strings.Builder
	if e.terminal {
		b.WriteString(clearScreen)
	}
	fmt.Fprintf(&b, "%s  %d rooms (showing %d, slowest p99 tick first)\n", time.Now().Format("15:04:05"), total, len(rooms))
	if err := printRooms(&b, rooms); err != nil {
		return err
	}
	if !e.terminal {
		b.WriteString("\n")
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}
