package arena

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// Bounds of the options a flag may set. The speeds and the acceleration
// keep every product of the fixed-point physics inside int64 at any tick
// rate (a velocity is squared in accelerate); the rest only refuse
// nonsense.
const (
	maxFlagSpeed    = 100_000
	maxFlagAccel    = 1_000_000
	maxFlagCount    = 1_000_000
	maxFlagDuration = 24 * time.Hour
)

// RegisterFlags defines on fs one flag per option, named prefix followed by
// the option (prefix "arena." gives -arena.score-limit), each defaulting
// to what o holds and setting it. A value out of range is refused when
// the flag is set, so a bad option stops a server at start-up.
func (o *Options) RegisterFlags(fs *flag.FlagSet, prefix string) {
	dur := func(p *time.Duration, name, usage string) {
		fs.Var(&durationFlag{p: p}, prefix+name, usage)
	}
	num := func(p *int32, hi int32, name, usage string) {
		fs.Var(&int32Flag{p: p, hi: hi}, prefix+name, usage)
	}
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
}

// int32Flag is an int32 option that a flag sets to 1..hi.
type int32Flag struct {
	p  *int32
	hi int32
}

func (f *int32Flag) String() string {
	if f.p == nil {
		return "0"
	}
	return strconv.Itoa(int(*f.p))
}

func (f *int32Flag) Set(s string) error {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil || v < 1 || v > int64(f.hi) {
		return fmt.Errorf("want a whole number from 1 to %d", f.hi)
	}
	*f.p = int32(v)
	return nil
}

// durationFlag is a duration option that a flag sets to more than 0 and
// at most maxFlagDuration.
type durationFlag struct{ p *time.Duration }

func (f *durationFlag) String() string {
	if f.p == nil {
		return "0s"
	}
	return f.p.String()
}

func (f *durationFlag) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d > maxFlagDuration {
		return fmt.Errorf("want a duration above 0 and up to %v, like 250ms or 5m", maxFlagDuration)
	}
	*f.p = d
	return nil
}
