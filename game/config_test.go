package game

import (
	"strings"
	"testing"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestNewRoomValidates(t *testing.T) {
	ok := RoomConfig{ID: "r", Schema: fakeSchema, TickHz: 60, SnapshotHz: 20, MaxPlayers: 16}
	tests := []struct {
		name    string
		edit    func(c *RoomConfig)
		wantErr string // "" = valid
	}{
		{"valid", func(c *RoomConfig) {}, ""},
		{"empty id", func(c *RoomConfig) { c.ID = "" }, "empty id"},
		{"tick rate 0", func(c *RoomConfig) { c.TickHz = 0 }, "tick rate"},
		{"tick rate too high", func(c *RoomConfig) { c.TickHz = MaxTickHz + 1 }, "tick rate"},
		{"snapshot rate 0", func(c *RoomConfig) { c.SnapshotHz = 0 }, "snapshot rate"},
		{"snapshot rate above tick rate", func(c *RoomConfig) { c.SnapshotHz = 61 }, "snapshot rate"},
		{"snapshot rate not a divisor", func(c *RoomConfig) { c.SnapshotHz = 25 }, "snapshot rate 25: want a divisor"},
		{"no seats", func(c *RoomConfig) { c.MaxPlayers = 0 }, "room size"},
		{"too many seats", func(c *RoomConfig) { c.MaxPlayers = MaxRoomSize + 1 }, "room size"},
		{"negative queue", func(c *RoomConfig) { c.InputQueueSize = -1 }, "input queue"},
		{"negative catch-up", func(c *RoomConfig) { c.MaxCatchUp = -1 }, "catch-up"},
		{"negative min players", func(c *RoomConfig) { c.MinPlayers = -1 }, "min players"},
		{"min players above max", func(c *RoomConfig) { c.MinPlayers = 17 }, "min players"},
		{"min players at max", func(c *RoomConfig) { c.MinPlayers = 16 }, ""},
		{"negative countdown", func(c *RoomConfig) { c.Countdown = -1 }, "countdown"},
		{"negative empty timeout", func(c *RoomConfig) { c.EmptyTimeout = -1 }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			r, err := NewRoom(cfg, newFakeGame())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("NewRoom: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("NewRoom: %v, want an error about %q", err, tt.wantErr)
			case tt.wantErr == "":
				if r.cfg.InputQueueSize != DefaultInputQueueSize || r.cfg.MaxCatchUp != DefaultMaxCatchUp || r.cfg.Clock == nil || r.cfg.Logger == nil {
					t.Errorf("defaults not applied: %+v", r.cfg)
				}
				if cfg.MinPlayers == 0 && r.cfg.MinPlayers != DefaultMinPlayers {
					t.Errorf("min players %d, want the default %d", r.cfg.MinPlayers, DefaultMinPlayers)
				}
				if cfg.EmptyTimeout == 0 && r.cfg.EmptyTimeout != DefaultEmptyTimeout {
					t.Errorf("empty timeout %v, want the default %v", r.cfg.EmptyTimeout, DefaultEmptyTimeout)
				}
				if _, ok := r.cfg.Recorder.(noRecorder); !ok {
					t.Errorf("recorder %T, want none (noRecorder)", r.cfg.Recorder)
				}
				if r.Phase() != pb.RoomPhase_ROOM_PHASE_WAITING {
					t.Errorf("new room in phase %v, want WAITING", r.Phase())
				}
			}
		})
	}
	if _, err := NewRoom(ok, nil); err == nil {
		t.Error("NewRoom with a nil game succeeded")
	}
}

func TestSnapshotIntervalAndHistory(t *testing.T) {
	tests := []struct {
		tickHz, snapshotHz int
		wantInterval       uint32
		wantHistory        int
	}{
		{60, 20, 3, 30},
		{60, 60, 1, 90},
		{60, 30, 2, 45},
		{60, 15, 4, 22},
		{10, 1, 10, 8}, // the floor of 8
		{128, 128, 1, 192},
	}
	for _, tt := range tests {
		got := snapshotInterval(tt.tickHz, tt.snapshotHz)
		if got != tt.wantInterval {
			t.Errorf("interval(%d, %d) = %d, want %d", tt.tickHz, tt.snapshotHz, got, tt.wantInterval)
		}
		if h := historySize(tt.tickHz, got); h != tt.wantHistory {
			t.Errorf("history(%d, %d) = %d, want %d", tt.tickHz, got, h, tt.wantHistory)
		}
	}
}

func TestDurationTicks(t *testing.T) {
	tests := []struct {
		d      time.Duration
		tickHz int
		want   uint32
	}{
		{0, 60, 0},
		{time.Second, 60, 60},
		{3 * time.Second, 60, 180},
		{10 * time.Millisecond, 60, 1}, // rounded up, never shorter
		{time.Second / 3, 100, 34},
	}
	for _, tt := range tests {
		if got := durationTicks(tt.d, tt.tickHz); got != tt.want {
			t.Errorf("durationTicks(%v, %d) = %d, want %d", tt.d, tt.tickHz, got, tt.want)
		}
	}
}
