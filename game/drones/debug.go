package drones

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
)

// The drones take debug commands from the admin API. The room records
// every command before handing it over, so the one that changes the match
// (end) replays like an input.
var _ game.DebugHandler = (*Game)(nil)

// ErrUnknownCommand refuses a debug command the drones do not know.
var ErrUnknownCommand = errors.New("unknown debug command")

// debugHelp is the reply to "help".
const debugHelp = `drones debug commands:
  help        this list
  standings   the current standings, best first
  cores       every core: id, position, value, free or taken
  end         end the match now with the current standings`

// HandleDebug runs one debug command: help, standings, cores or end. It
// returns ErrUnknownCommand (wrapped) for others; a refused command changes
// nothing.
func (g *Game) HandleDebug(command string) (string, error) {
	args := strings.Fields(command)
	if len(args) == 0 {
		return "", fmt.Errorf("%w: empty (try help)", ErrUnknownCommand)
	}
	if len(args) > 1 {
		return "", fmt.Errorf("%s takes no arguments", args[0])
	}
	switch args[0] {
	case "help":
		return debugHelp, nil
	case "standings":
		return g.debugStandings(), nil
	case "cores":
		return g.debugCores(), nil
	case "end":
		if g.match.ended {
			return "match already ended", nil
		}
		g.end()
		return fmt.Sprintf("match ended after %d ticks", g.match.elapsed), nil
	}
	return "", fmt.Errorf("%w %q (try help)", ErrUnknownCommand, args[0])
}

// debugStandings renders the standings, one player a line.
func (g *Game) debugStandings() string {
	rs := g.standings()
	if len(rs) == 0 {
		return "no players"
	}
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%d. player %d %q entity %d: cores %d, tags %d, tagged %d, pickups %d",
			i+1, r.Player, r.Name, r.EntityID, r.Score,
			r.Values[ResultTags], r.Values[ResultTagged], r.Values[ResultPickups])
	}
	return b.String()
}

// debugCores renders every core in id order, one a line, positions in
// world units.
func (g *Game) debugCores() string {
	if len(g.cores) == 0 {
		return "no cores"
	}
	var b strings.Builder
	for i := range g.cores {
		c := &g.cores[i]
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "core %d at (%s, %s, %s) value %d: ", c.id,
			g.w.units(c.p.x), g.w.units(c.p.y), g.w.units(c.p.z), c.value)
		if c.takenBy == 0 {
			b.WriteString("free")
		} else {
			fmt.Fprintf(&b, "taken by entity %d", c.takenBy)
		}
	}
	return b.String()
}

// units renders a sub-unit coordinate in world units with one decimal,
// in integers so the reply is the same everywhere.
func (w *world) units(v int64) string {
	tenths := fixed.RoundDiv(v*10, w.unit)
	sign := ""
	if tenths < 0 {
		sign, tenths = "-", -tenths
	}
	return fmt.Sprintf("%s%d.%d", sign, tenths/10, tenths%10)
}
