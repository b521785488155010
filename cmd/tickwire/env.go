package main

import "log/slog"

// retiredEnv are the variables of flags tickwire no longer has, with what
// took their place.
var retiredEnv = map[string]string{
	"TICKWIRE_TICK_HZ":     "each mode's own, TICKWIRE_<MODE>_TICK_HZ",
	"TICKWIRE_SNAPSHOT_HZ": "each mode's own, TICKWIRE_<MODE>_SNAPSHOT_HZ",
	"TICKWIRE_ROOM_SIZE":   "each mode's own, TICKWIRE_<MODE>_ROOM_SIZE",
	"TICKWIRE_MIN_PLAYERS": "each mode's own, TICKWIRE_<MODE>_MIN_PLAYERS",
	"TICKWIRE_COUNTDOWN":   "each mode's own, TICKWIRE_<MODE>_COUNTDOWN",
}

// warnUnknownEnv warns of each TICKWIRE_ variable that overrides no flag:
// the server runs without it, which an operator who set it should know.
func warnUnknownEnv(log *slog.Logger, names []string) {
	for _, name := range names {
		if instead, ok := retiredEnv[name]; ok {
			log.Warn("environment variable no longer read; ignored", "name", name, "use", instead)
			continue
		}
		log.Warn("environment variable overrides no flag; ignored (see tickwire -h)", "name", name)
	}
}
