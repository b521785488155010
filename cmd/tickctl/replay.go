package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/game/record"
)

// replayJSON is the output of replay -json.
type replayJSON struct {
	File              string   `json:"file"`
	Mode              string   `json:"mode"`
	Entries           int      `json:"entries"`
	Ticks             int      `json:"ticks"`
	Checksums         int      `json:"checksums"`
	Mismatches        int      `json:"mismatches"`
	FirstMismatchTick uint32   `json:"first_mismatch_tick,omitempty"`
	OK                bool     `json:"ok"`
	Details           []string `json:"details,omitempty"`
	Error             string   `json:"error,omitempty"`
}

// errReplayMismatch makes replay exit 1 after its report.
var errReplayMismatch = errors.New("replay does not match the recording")

// replayCmd replays with the modes the server ships (game/catalog; a mode
// of your own needs a replayer of your own built on game/record), set to
// the options the recording holds.
func replayCmd(fs *flag.FlagSet) func(e *env, args []string) error {
	verbose := fs.Bool("v", false, "print every comparison, tick by tick")
	modes := catalog.Builtin()
	return func(e *env, args []string) error {
		if err := wantArgs(args, 1, "a recording FILE"); err != nil {
			return err
		}
		f, err := os.Open(args[0])
		if err != nil {
			return err
		}
		defer f.Close()
		var details []string
		onTick := func(r record.TickResult) {
			if !r.Match && len(details) < 3 {
				d := fmt.Sprintf("tick %d: checksum %08x recorded, %08x replayed", r.Tick, r.Want, r.Got)
				if r.Detail != "" {
					d = fmt.Sprintf("tick %d: %s", r.Tick, r.Detail)
				}
				details = append(details, d)
			}
			if *verbose && !e.g.json {
				mark := "ok"
				if !r.Match {
					mark = "MISMATCH"
				}
				fmt.Fprintf(e.stdout, "tick %8d  recorded %08x  replayed %08x  %s %s\n", r.Tick, r.Want, r.Got, mark, r.Detail)
			}
		}
		rep, rerr := record.Replay(f, modes, onTick)
		out := replayJSON{File: args[0], Mode: rep.Mode, Entries: rep.Entries, Ticks: rep.Ticks, Checksums: rep.Checksums,
			Mismatches: rep.Mismatches, FirstMismatchTick: rep.FirstMismatchTick, OK: rerr == nil && rep.OK(), Details: details}
		if rerr != nil {
			out.Error = rerr.Error()
		}
		if e.g.json {
			if err := printJSON(e.stdout, out); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(e.stdout, "replayed %s (%s): %d entries, %d ticks, %d checksums compared\n",
				args[0], rep.Mode, rep.Entries, rep.Ticks, rep.Checksums)
			switch {
			case rep.Mismatches > 0:
				fmt.Fprintf(e.stdout, "MISMATCH: first mismatching tick %d (%d of the comparisons differ)\n", rep.FirstMismatchTick, rep.Mismatches)
				for _, d := range details {
					fmt.Fprintln(e.stdout, "  "+d)
				}
			case rerr == nil && rep.OK():
				fmt.Fprintln(e.stdout, "all checksums match")
			}
		}
		switch {
		case rerr != nil:
			return fmt.Errorf("replay %s: %w", args[0], rerr)
		case rep.Mismatches > 0:
			return fmt.Errorf("%w: first mismatching tick %d", errReplayMismatch, rep.FirstMismatchTick)
		case !rep.OK():
			return fmt.Errorf("replay %s: no checksum to compare (a recording shorter than one snapshot?)", args[0])
		}
		return nil
	}
}
