package record

import (
	"errors"
	"fmt"
	"io"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TickResult is one comparison of a replay: a recorded checksum against
// the replayed Game's, or a join whose outcome differs from the recorded one.
type TickResult struct {
	// Tick is the snapshot tick compared (for a join: the tick it came
	// before).
	Tick uint32
	// Want is the recorded checksum, Got the replayed one (0 for a join).
	Want, Got uint32
	// Match reports whether the replay agrees with the recording.
	Match bool
	// Detail describes a mismatch that is not a checksum, e.g. a join that
	// gave another entity; empty otherwise.
	Detail string
}

// Report sums up a replay.
type Report struct {
	// Mode is the recorded game mode.
	Mode string
	// Entries counts the entries applied.
	Entries int
	// Ticks counts the ticks stepped.
	Ticks int
	// Checksums counts the checksums compared.
	Checksums int
	// Mismatches counts the comparisons (checksums and joins) that failed.
	Mismatches int
	// FirstMismatchTick is the tick of the first mismatch; 0 when none
	// (ticks start at 1).
	FirstMismatchTick uint32
}

// OK reports whether the replay compared at least one checksum and found
// no mismatch.
func (rep Report) OK() bool { return rep.Checksums > 0 && rep.Mismatches == 0 }

// Replay re-runs the recording read from r: it reads the header, sets the
// options of its mode in modes to the recorded ones (Mode.SetOptions),
// builds the Game with the recorded game.Config (Mode.NewGame), applies
// every entry in order and compares every recorded checksum, calling onTick (if not nil) for each comparison. No network or
// clock is involved. Mismatches are reported, not returned as errors; an
// error means the recording could not be read to its end (the Report then
// covers what was replayed), named an unknown mode, the mode refused to
// build the game, or the game panicked.
func Replay(r io.Reader, modes game.Modes, onTick func(TickResult)) (Report, error) {
	rd, err := NewReader(r)
	if err != nil {
		return Report{}, err
	}
	h := rd.Header()
	mode, ok := modes.Lookup(h.GetMode())
	if !ok {
		return Report{Mode: h.GetMode()}, fmt.Errorf("replay: unknown mode %q (have %v)", h.GetMode(), modes.Names())
	}
	if err := mode.SetOptions(h.GetOptions()); err != nil {
		return Report{Mode: h.GetMode()}, fmt.Errorf("replay: recorded options: %w", err)
	}
	g, err := mode.NewGame(Config(h))
	if err != nil {
		return Report{Mode: h.GetMode()}, fmt.Errorf("replay: %w", err)
	}
	return ReplayGame(rd, g, onTick)
}

// Config returns the game.Config a room with header h gave its Game, as the
// lobby builds it: the room's rates, seats and seed. The mode's options are
// recorded beside them (RecordHeader.options); game.Mode.NewGame adds the
// mode's, which Replay sets to those first.
func Config(h *pb.RecordHeader) game.Config {
	return game.Config{TickHz: int(h.GetTickHz()), SnapshotHz: int(h.GetSnapshotHz()),
		MaxPlayers: int(h.GetMaxPlayers()), Seed: h.GetSeed()}
}

// ReplayGame replays the entries of rd on g, a fresh Game built as the
// recorded room's was (see Replay).
func ReplayGame(rd *Reader, g game.Game, onTick func(TickResult)) (rep Report, err error) {
	schema, err := wire.SchemaFromProto(rd.Header().GetSchema())
	if err != nil {
		return Report{Mode: rd.Header().GetMode()}, fmt.Errorf("replay: recording header: %w", err)
	}
	rp := &replayer{g: g, onTick: onTick, rep: Report{Mode: rd.Header().GetMode()}, view: wire.NewRows(wire.NewLayout(schema), 16)}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("replay: game panicked after tick %d: %v", rp.tick, p)
		}
		rep = rp.rep
	}()
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rp.rep, nil
		}
		if err != nil {
			return rp.rep, fmt.Errorf("replay after tick %d: %w", rp.tick, err)
		}
		if err := rp.apply(e); err != nil {
			return rp.rep, fmt.Errorf("replay entry %d after tick %d: %w", rd.Entries(), rp.tick, err)
		}
		rp.rep.Entries++
	}
}

// replayer is the state of one replay.
type replayer struct {
	g        game.Game
	onTick   func(TickResult)
	rep      Report
	tick     uint32 // the last tick stepped
	view     *wire.Rows
	events   []wire.Event
	outgoing []game.Outgoing
}

// apply makes the call e records.
func (rp *replayer) apply(e *pb.RecordEntry) error {
	switch x := e.GetEntry().(type) {
	case *pb.RecordEntry_Join:
		rp.join(x.Join)
	case *pb.RecordEntry_Leave:
		rp.g.Leave(game.PlayerID(x.Leave.GetPlayer()))
	case *pb.RecordEntry_Disconnected:
		pc, ok := rp.g.(game.PlayerConnection)
		if !ok {
			return errors.New("recorded a disconnect, but the game is no game.PlayerConnection")
		}
		pc.Disconnected(game.PlayerID(x.Disconnected.GetPlayer()))
	case *pb.RecordEntry_Reconnected:
		pc, ok := rp.g.(game.PlayerConnection)
		if !ok {
			return errors.New("recorded a reconnect, but the game is no game.PlayerConnection")
		}
		pc.Reconnected(game.PlayerID(x.Reconnected.GetPlayer()))
	case *pb.RecordEntry_Input:
		in := x.Input
		gi := game.Input{Seq: in.GetSeq()}
		if len(in.GetValues()) > len(gi.Values) {
			return fmt.Errorf("input of player %d has %d values, at most %d", in.GetPlayer(), len(in.GetValues()), len(gi.Values))
		}
		copy(gi.Values[:], in.GetValues())
		rp.g.ApplyInput(game.PlayerID(in.GetPlayer()), gi)
	case *pb.RecordEntry_Message:
		if err := rp.message(x.Message); err != nil {
			return err
		}
	case *pb.RecordEntry_StartMatch:
		ms, ok := rp.g.(game.MatchStarter)
		if !ok {
			return errors.New("recorded a match start, but the game is no game.MatchStarter")
		}
		ms.StartMatch(x.StartMatch.GetTick())
	case *pb.RecordEntry_Debug:
		dh, ok := rp.g.(game.DebugHandler)
		if !ok {
			return errors.New("recorded a debug command, but the game is no game.DebugHandler")
		}
		// The reply and error were the developer's; the call is what counts.
		_, _ = dh.HandleDebug(x.Debug.GetCommand())
	case *pb.RecordEntry_Step:
		tick := x.Step.GetTick()
		if tick <= rp.tick {
			return fmt.Errorf("step to tick %d after tick %d", tick, rp.tick)
		}
		rp.tick = tick
		rp.g.Step(tick)
		rp.events = rp.g.DrainEvents(rp.events[:0])
		if m, ok := rp.g.(game.Messenger); ok {
			// What the game sends is no part of the checksums, but
			// draining keeps the game as the room left it.
			rp.outgoing = m.DrainMessages(rp.outgoing[:0])
		}
		rp.rep.Ticks++
	case *pb.RecordEntry_Checksum:
		rp.checksum(x.Checksum)
	default:
		return fmt.Errorf("unknown entry %T", x)
	}
	return nil
}

// message hands the game a recorded message.
func (rp *replayer) message(m *pb.RecordMessage) error {
	ms, ok := rp.g.(game.Messenger)
	if !ok {
		return errors.New("recorded a game message, but the game is no game.Messenger")
	}
	gm := game.Message{Kind: m.GetKind()}
	if len(m.GetValues()) > len(gm.Values) {
		return fmt.Errorf("message of player %d has %d values, at most %d", m.GetPlayer(), len(m.GetValues()), len(gm.Values))
	}
	copy(gm.Values[:], m.GetValues())
	ms.HandleMessage(game.PlayerID(m.GetPlayer()), gm)
	return nil
}

// join seats a player and checks the outcome against the recording.
func (rp *replayer) join(j *pb.RecordJoin) {
	entity, err := rp.g.Join(game.PlayerID(j.GetPlayer()), j.GetName())
	refused := err != nil
	if refused == j.GetRefused() && (refused || entity == j.GetEntityId()) {
		return
	}
	detail := fmt.Sprintf("join of player %d gave entity %d (refused %t), recorded entity %d (refused %t)",
		j.GetPlayer(), entity, refused, j.GetEntityId(), j.GetRefused())
	rp.report(TickResult{Tick: rp.tick + 1, Detail: detail})
}

// checksum compares the view's checksum with the recorded one.
func (rp *replayer) checksum(c *pb.RecordChecksum) {
	rp.view.Reset()
	rp.g.View(game.Observer, rp.view)
	got := wire.Checksum(rp.view)
	rp.rep.Checksums++
	rp.report(TickResult{Tick: c.GetTick(), Want: c.GetChecksum(), Got: got, Match: got == c.GetChecksum()})
}

// report counts one comparison and passes it on.
func (rp *replayer) report(tr TickResult) {
	if !tr.Match {
		rp.rep.Mismatches++
		if rp.rep.FirstMismatchTick == 0 {
			rp.rep.FirstMismatchTick = tr.Tick
		}
	}
	if rp.onTick != nil {
		rp.onTick(tr)
	}
}
