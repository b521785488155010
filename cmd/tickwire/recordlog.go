package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"

	"github.com/tickwire/tickwire/game/record"
	"github.com/tickwire/tickwire/lobby"
)

// recordLogsInMemory is the -record-log-dir value that keeps the rooms'
// input logs in memory (an empty value does too, but an empty environment
// variable counts as unset).
const recordLogsInMemory = "memory"

// recordLogBudgetInMemory is -record-log-budget's default when the logs are
// kept in memory: there the budget is heap, not disk.
const recordLogBudgetInMemory = 6 << 20

// recordLogFlags are the flags of the rooms' input logs, which let tickctl
// record a match already running (docs/recording.md).
type recordLogFlags struct {
	bytes  int
	budget int64
	dir    string
	// budgetSet and dirSet tell a value given (flag or environment) from
	// the default.
	budgetSet, dirSet bool
	// fallback, when set, says why the default directory cannot take the
	// logs' files; they are then kept in memory.
	fallback error
}

// defineRecordLogFlags defines the input log flags into r, with the
// defaults of rooms.
func defineRecordLogFlags(fs *flag.FlagSet, r *recordLogFlags, rooms lobby.RoomSettings) {
	fs.IntVar(&r.bytes, "record-log-bytes", record.DefaultLogBytes, "`bytes` of each room's compressed input log, which lets tickctl record a match already running (-1 = keep none)")
	fs.Int64Var(&r.budget, "record-log-budget", rooms.RecordLogBudget, fmt.Sprintf("`bytes` the compressed input logs of all rooms may take together (about 8.1 KB an arena player-minute; %d MiB by default when the logs are kept in memory); a room that finds it spent drops its log and can no longer be recorded mid-match (0 = no bound)", recordLogBudgetInMemory>>20))
	fs.StringVar(&r.dir, "record-log-dir", rooms.RecordLogDir, "`directory` where each room's input log keeps its full chunks, in a temporary file removed from it as soon as made, so only the chunk being filled (16 KiB) stays in memory; on a memory-backed file system (tmpfs) the files are memory too ("+recordLogsInMemory+" = keep the logs in memory)")
}

// noteRecordLogFlagsSet records which of the flags were given; call it after
// parsing.
func noteRecordLogFlagsSet(fs *flag.FlagSet, r *recordLogFlags) {
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "record-log-budget":
			r.budgetSet = true
		case "record-log-dir":
			r.dirSet = true
		}
	})
}

// validate checks the values and that the log directory takes files. When
// the default directory does not, the logs go to memory (fallback says
// why); a directory given that does not is an error.
func (r *recordLogFlags) validate() error {
	switch {
	case r.bytes == 0 || r.bytes < -1:
		return fmt.Errorf("-record-log-bytes %d: want a size in bytes, or -1 for none", r.bytes)
	case r.budget < 0:
		return fmt.Errorf("-record-log-budget %d: want a size in bytes, or 0 for no bound", r.budget)
	}
	if r.dir == recordLogsInMemory {
		r.dir = ""
	}
	if r.dir != "" {
		if err := record.CheckLogDir(r.dir); err != nil {
			if r.dirSet {
				return fmt.Errorf("-record-log-dir %q: cannot make a file there: %w (%s keeps the logs in memory)", r.dir, err, recordLogsInMemory)
			}
			r.fallback, r.dir = err, ""
		}
	}
	if r.dir == "" && !r.budgetSet {
		r.budget = recordLogBudgetInMemory
	}
	return nil
}

// apply puts the flags into rooms, and warns when the logs fell back to
// memory.
func (r recordLogFlags) apply(rooms *lobby.RoomSettings, log *slog.Logger) {
	if r.fallback != nil {
		log.Warn("the input logs stay in memory: the default log directory takes no files", "dir", os.TempDir(), "err", r.fallback, "budget_bytes", r.budget)
	}
	rooms.RecordLogBytes = r.bytes
	rooms.RecordLogBudget = r.budget
	rooms.RecordLogDir = r.dir
}
