package drones

import "time"

// Options tunes the drones' rules. A zero field takes its default from
// DefaultOptions, so callers set only what they change.
type Options struct {
	// MatchDuration ends the match after this much simulated time (Steps ×
	// 1/TickHz, never the wall clock). Default 3 minutes.
	MatchDuration time.Duration
	// CoreLimit ends the match when a drone holds this many cores.
	// Default 15.
	CoreLimit int32
	// CoreCount is how many free cores the box holds at any time: a taken
	// core is replaced at once. Default 8, at most MaxCoreCount.
	CoreCount int
	// ViewRadius is how far, in world units, a drone sees other drones and
	// cores (a sphere around it). Default 600; negative sees the whole box.
	ViewRadius int32
	// SeeThroughPillars turns line of sight off: by default a drone does
	// not see what a pillar hides from its centre.
	SeeThroughPillars bool
	// MaxSpeed is a drone's cruising top speed in world units per second.
	// Default 300, at most 5000.
	MaxSpeed int32
	// BoostSpeed is the top speed while boosting, in world units per
	// second; never below MaxSpeed. Default 600, at most 10000.
	BoostSpeed int32
	// BoostTime is how long a full tank boosts; the tank refills in three
	// times as long. Default 2 s.
	BoostTime time.Duration
	// StunTime is how long a tagged drone drifts without control (and
	// cannot be tagged again). Default 1.5 s.
	StunTime time.Duration
}

// Bounds of the options, so that every product of the physics fits int64.
const (
	// MaxCoreCount is the most free cores a box holds.
	MaxCoreCount = 128
	maxMaxSpeed  = 5000
	maxBoost     = 10000
)

// DefaultOptions returns the reference rules.
func DefaultOptions() Options {
	return Options{
		MatchDuration: 3 * time.Minute,
		CoreLimit:     15,
		CoreCount:     8,
		ViewRadius:    600,
		MaxSpeed:      300,
		BoostSpeed:    600,
		BoostTime:     2 * time.Second,
		StunTime:      1500 * time.Millisecond,
	}
}

// withDefaults fills every zero field from DefaultOptions (negative ones
// too, except ViewRadius, where negative means unlimited) and clamps the
// rest into their bounds.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MatchDuration <= 0 {
		o.MatchDuration = d.MatchDuration
	}
	if o.CoreLimit <= 0 {
		o.CoreLimit = d.CoreLimit
	}
	if o.CoreCount <= 0 {
		o.CoreCount = d.CoreCount
	}
	o.CoreCount = min(o.CoreCount, MaxCoreCount)
	if o.ViewRadius == 0 {
		o.ViewRadius = d.ViewRadius
	}
	if o.ViewRadius < 0 {
		o.ViewRadius = -1
	}
	if o.MaxSpeed <= 0 {
		o.MaxSpeed = d.MaxSpeed
	}
	o.MaxSpeed = min(o.MaxSpeed, maxMaxSpeed)
	if o.BoostSpeed <= 0 {
		o.BoostSpeed = d.BoostSpeed
	}
	o.BoostSpeed = max(o.MaxSpeed, min(o.BoostSpeed, maxBoost))
	if o.BoostTime <= 0 {
		o.BoostTime = d.BoostTime
	}
	if o.StunTime <= 0 {
		o.StunTime = d.StunTime
	}
	return o
}

// durationTicks converts a duration to whole ticks, rounding up so a
// delay is never shorter than asked (and at least one tick).
func durationTicks(d time.Duration, tickHz int) int64 {
	t := (int64(d)*int64(tickHz) + int64(time.Second) - 1) / int64(time.Second)
	return max(t, 1)
}
