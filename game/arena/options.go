package arena

import "time"

// Options tunes the arena's rules. A zero field takes its default from
// DefaultOptions, so callers set only what they change.
type Options struct {
	// MatchDuration ends the match after this much simulated time (Steps ×
	// 1/TickHz, never the wall clock). Default 5 minutes.
	MatchDuration time.Duration
	// ScoreLimit ends the match when a player's score reaches it. Default 20.
	ScoreLimit int32
	// MaxSpeed is a player's top speed in world units per second. Default 100.
	MaxSpeed int32
	// Acceleration is how fast a player's velocity approaches the target
	// velocity (and, with no input, zero) in world units per second².
	// Default 800: full speed in 1/8 s.
	Acceleration int32
	// FireCooldown is the minimum time between two shots. Default 250 ms.
	FireCooldown time.Duration
	// ProjectileSpeed is in world units per second. Default 400.
	ProjectileSpeed int32
	// ProjectileLifetime removes a projectile that hit nothing. Default 1.5 s.
	ProjectileLifetime time.Duration
	// Damage is the health a hit takes. Default 25.
	Damage int32
	// MaxHealth is a fresh player's health. Default 100.
	MaxHealth int32
	// RespawnDelay is how long a dead player waits. Default 2 s.
	RespawnDelay time.Duration
	// FogRadius, when above 0, is how far in world units a player sees:
	// other players and projectiles farther away are not in its view, and
	// neither are events that name them. 0 (the default) shows everything.
	FogRadius int32
}

// Player and projectile sizes in world units; fixed because the map's
// spawn points and wall gaps are laid out for them.
const (
	// PlayerRadius is a player's collision radius.
	PlayerRadius = 16
	// ProjectileRadius is a projectile's collision radius.
	ProjectileRadius = 4
)

// DefaultOptions returns the reference rules.
func DefaultOptions() Options {
	return Options{
		MatchDuration:      5 * time.Minute,
		ScoreLimit:         20,
		MaxSpeed:           100,
		Acceleration:       800,
		FireCooldown:       250 * time.Millisecond,
		ProjectileSpeed:    400,
		ProjectileLifetime: 1500 * time.Millisecond,
		Damage:             25,
		MaxHealth:          100,
		RespawnDelay:       2 * time.Second,
	}
}

// withDefaults fills every zero (or negative) field from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.MatchDuration <= 0 {
		o.MatchDuration = d.MatchDuration
	}
	if o.ScoreLimit <= 0 {
		o.ScoreLimit = d.ScoreLimit
	}
	if o.MaxSpeed <= 0 {
		o.MaxSpeed = d.MaxSpeed
	}
	if o.Acceleration <= 0 {
		o.Acceleration = d.Acceleration
	}
	if o.FireCooldown <= 0 {
		o.FireCooldown = d.FireCooldown
	}
	if o.ProjectileSpeed <= 0 {
		o.ProjectileSpeed = d.ProjectileSpeed
	}
	if o.ProjectileLifetime <= 0 {
		o.ProjectileLifetime = d.ProjectileLifetime
	}
	if o.Damage <= 0 {
		o.Damage = d.Damage
	}
	if o.MaxHealth <= 0 {
		o.MaxHealth = d.MaxHealth
	}
	if o.RespawnDelay <= 0 {
		o.RespawnDelay = d.RespawnDelay
	}
	return o
}

// durationTicks converts a duration to whole ticks, rounding up so a
// cooldown or delay is never shorter than asked (and at least one tick).
func durationTicks(d time.Duration, tickHz int) int64 {
	t := (int64(d)*int64(tickHz) + int64(time.Second) - 1) / int64(time.Second)
	return max(t, 1)
}
