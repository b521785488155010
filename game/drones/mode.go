package drones

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/tickwire/tickwire/game"
)

// Settings returns the room settings of the drones mode: 30 ticks and 15
// snapshots a second (a slower game than arena's, and proof that modes
// run at rates of their own side by side), 16 drones a room.
func Settings() game.Settings {
	s := game.DefaultSettings()
	s.TickHz, s.SnapshotHz = 30, 15
	return s
}

// Mode returns drones as a game mode named name, with Settings and
// DefaultOptions, whose flags set them (see Options.RegisterFlags). Each
// call has options of its own.
func Mode(name string) game.Mode {
	opts := DefaultOptions()
	return game.Mode{
		Name:     name,
		Schema:   Schema,
		New:      New,
		Settings: Settings(),
		Options:  &opts,
		Flags:    opts.RegisterFlags,
	}
}

// Bounds of the options a flag may set, within those withDefaults keeps.
const (
	maxFlagCoreLimit  = 1_000_000
	maxFlagViewRadius = 10_000
)

// RegisterFlags defines on fs one flag per option, named prefix followed by
// the option (prefix "drones." gives -drones.view-radius), each defaulting
// to what o holds and setting it. A value out of range is refused when the
// flag is set, so a bad option stops a server at start-up.
func (o *Options) RegisterFlags(fs *flag.FlagSet, prefix string) {
	dur := func(p *time.Duration, name, usage string) { game.DurationOption(fs, p, prefix+name, usage) }
	num := func(p *int32, hi int32, name, usage string) { game.IntOption(fs, p, 1, hi, prefix+name, usage) }
	dur(&o.MatchDuration, "match-duration", "simulated `duration` of a match")
	num(&o.CoreLimit, maxFlagCoreLimit, "core-limit", "`cores` a drone must hold to end the match")
	fs.Var(&coreCount{p: &o.CoreCount}, prefix+"core-count", "free `cores` in the box at any time")
	num(&o.ViewRadius, maxFlagViewRadius, "view-radius", "how far a drone sees other drones and cores, in world `units`")
	fs.BoolVar(&o.SeeThroughPillars, prefix+"see-through-pillars", o.SeeThroughPillars, "let drones see through pillars (no line of sight)")
	num(&o.MaxSpeed, maxMaxSpeed, "max-speed", "a drone's cruising top `speed` in world units per second")
	num(&o.BoostSpeed, maxBoost, "boost-speed", "top `speed` while boosting, in world units per second")
	dur(&o.BoostTime, "boost-time", "how long a full tank boosts (`duration`)")
	dur(&o.StunTime, "stun-time", "how long a tagged drone drifts without control (`duration`)")
}

// coreCount is the flag.Value of Options.CoreCount, 1..MaxCoreCount.
type coreCount struct{ p *int }

func (c *coreCount) String() string {
	if c.p == nil {
		return "0"
	}
	return strconv.Itoa(*c.p)
}

func (c *coreCount) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > MaxCoreCount {
		return fmt.Errorf("want a whole number from 1 to %d", MaxCoreCount)
	}
	*c.p = v
	return nil
}
