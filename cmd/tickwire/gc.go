package main

import (
	"flag"
	"runtime/debug"
)

// defaultGCPercent is the collector's target heap growth between
// collections. Go's own default (100) lets the heap reach twice what is
// live before collecting; a running server allocates little (snapshots
// and inputs reuse their buffers), so collecting at a quarter's growth
// costs a few collections a minute and keeps the memory the process holds
// close to what it uses.
const defaultGCPercent = 25

// gcFlag is -gc-percent and whether the command line or the environment
// set it.
type gcFlag struct {
	percent int
	set     bool
}

// defineGCFlag defines -gc-percent.
func defineGCFlag(fs *flag.FlagSet, g *gcFlag) {
	fs.IntVar(&g.percent, "gc-percent", defaultGCPercent, "the collector's target heap growth in `percent` between collections, as GOGC (-1 = off); when it is not given, a GOGC environment variable wins")
}

// noteGCFlagSet records whether fs's -gc-percent was given; call it after
// parsing.
func noteGCFlagSet(fs *flag.FlagSet, g *gcFlag) {
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "gc-percent" {
			g.set = true
		}
	})
}

// apply sets the collector's target, unless the flag was left alone and
// GOGC (read by the runtime at start) chose one.
func (g gcFlag) apply(getenv func(string) string) {
	if g.set || getenv("GOGC") == "" {
		debug.SetGCPercent(g.percent)
	}
}
