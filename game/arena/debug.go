package arena

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tickwire/tickwire/game"
)

// The arena takes debug commands from the admin API. The room records
// every command before handing it over, so the ones that change the match
// (heal, end) replay like inputs.
var _ game.DebugHandler = (*Game)(nil)

// ErrUnknownCommand refuses a debug command the arena does not know.
var ErrUnknownCommand = errors.New("unknown debug command")

// debugHelp is the reply to "help".
const debugHelp = `arena debug commands:
  help              this list
  standings         the current standings, best first
  timer             ticks (and seconds) left in the match
  heal PLAYER|all   restore a living player's health (or everyone's)
  end               end the match now with the current standings`

// HandleDebug runs one debug command: help, standings, timer, heal
// PLAYER|all or end. It returns ErrUnknownCommand (wrapped) for others, and
// an error for bad arguments; a refused command changes nothing.
func (g *Game) HandleDebug(command string) (string, error) {
	args := strings.Fields(command)
	if len(args) == 0 {
		return "", fmt.Errorf("%w: empty (try help)", ErrUnknownCommand)
	}
	switch args[0] {
	case "help":
		return debugHelp, nil
	case "standings":
		return g.debugStandings(), nil
	case "timer":
		return g.debugTimer(), nil
	case "heal":
		if len(args) != 2 {
			return "", errors.New("usage: heal PLAYER|all")
		}
		return g.debugHeal(args[1])
	case "end":
		if g.match.ended {
			return "match already ended", nil
		}
		g.match.ended = true
		g.match.results = g.standings()
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
		fmt.Fprintf(&b, "%d. player %d %q entity %d: score %d, kills %d, deaths %d",
			i+1, r.Player, r.Name, r.EntityID, r.Score, r.Values[ResultKills], r.Values[ResultDeaths])
	}
	return b.String()
}

// debugTimer renders the time left in the match.
func (g *Game) debugTimer() string {
	if g.match.ended {
		return fmt.Sprintf("match ended after %d ticks", g.match.elapsed)
	}
	left := g.durationTicks - g.match.elapsed
	return fmt.Sprintf("%d ticks left (%.1f s) of %d", left, float64(left)/float64(g.cfg.TickHz), g.durationTicks)
}

// debugHeal restores the health of one living player, or of all.
func (g *Game) debugHeal(who string) (string, error) {
	if who == "all" {
		n := 0
		for _, p := range g.players {
			if p.alive {
				p.health = g.opts.MaxHealth
				n++
			}
		}
		return fmt.Sprintf("healed %d players to %d", n, g.opts.MaxHealth), nil
	}
	id, err := strconv.ParseUint(who, 10, 32)
	if err != nil {
		return "", fmt.Errorf("heal: player %q is not a number", who)
	}
	p, ok := g.byPlayer[game.PlayerID(id)]
	switch {
	case !ok:
		return "", fmt.Errorf("heal: no player %d", id)
	case !p.alive:
		return "", fmt.Errorf("heal: player %d is dead", id)
	}
	p.health = g.opts.MaxHealth
	return fmt.Sprintf("healed player %d to %d", id, p.health), nil
}
