package arena

import (
	"flag"
	"time"

	"github.com/tickwire/tickwire/game"
)

// Bounds of the options a flag may set. The speeds and the acceleration
// keep every product of the fixed-point physics inside int64 at any tick
// rate (a velocity is squared in accelerate); the rest only refuse
// nonsense.
const (
	maxFlagSpeed = 100_000
	maxFlagAccel = 1_000_000
	maxFlagCount = 1_000_000
	// maxFlagFog is past the arena's far corner: a larger radius shows
	// nothing more.
	maxFlagFog = ArenaWidth + ArenaHeight
)

// RegisterFlags defines on fs one flag per option, named prefix followed by
// the option (prefix "arena." gives -arena.score-limit), each defaulting
// to what o holds and setting it. A value out of range is refused when
// the flag is set, so a bad option stops a server at start-up.
func (o *Options) RegisterFlags(fs *flag.FlagSet, prefix string) {
	dur := func(p *time.Duration, name, usage string) { game.DurationOption(fs, p, prefix+name, usage) }
	num := func(p *int32, hi int32, name, usage string) { game.IntOption(fs, p, 1, hi, prefix+name, usage) }
	dur(&o.MatchDuration, "match-duration", "simulated `duration` of a match")
	num(&o.ScoreLimit, maxFlagCount, "score-limit", "`score` that ends the match when a player reaches it")
	num(&o.MaxSpeed, maxFlagSpeed, "max-speed", "a player's top `speed` in world units per second")
	num(&o.Acceleration, maxFlagAccel, "acceleration", "`rate` at which a player's velocity approaches its target, in world units per second²")
	dur(&o.FireCooldown, "fire-cooldown", "least `duration` between two shots of a player")
	num(&o.ProjectileSpeed, maxFlagSpeed, "projectile-speed", "projectile `speed` in world units per second")
	dur(&o.ProjectileLifetime, "projectile-lifetime", "`duration` after which a projectile that hit nothing is removed")
	num(&o.Damage, maxFlagCount, "damage", "`health` a hit takes")
	num(&o.MaxHealth, maxFlagCount, "max-health", "a fresh player's `health`")
	dur(&o.RespawnDelay, "respawn-delay", "`duration` a dead player waits to respawn")
	game.IntOption(fs, &o.FogRadius, 0, maxFlagFog, prefix+"fog-radius",
		"how far a player sees, in world `units`: others farther away are hidden from it (0 = everything)")
}
