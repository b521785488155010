package record

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
)

// errLogIO marks a log whose file could not be made, written or read.
var errLogIO = errors.New("recording log file")

// logFile is the file a room's sealed log chunks go to when
// Options.LogDir is set: a temporary file removed from its directory as
// soon as it is made, where the system allows removing an open file
// (Linux, macOS; elsewhere at close), so that it lives exactly as long as
// it is open and a server that dies leaves nothing behind. The log and
// every snapshot of it handed to a recording hold a reference; the last
// one to let go closes it.
type logFile struct {
	f    *os.File
	name string // still to be removed at close: the early remove failed
	end  int64  // bytes written; room goroutine only
	refs atomic.Int32
}

// openLogFile makes a log file in dir, held once (by the log).
func openLogFile(dir string) (*logFile, error) {
	f, err := os.CreateTemp(dir, "tickwire-log-*")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errLogIO, err)
	}
	lf := &logFile{f: f}
	// Where an open file cannot be removed (Windows), it goes at close.
	if os.Remove(f.Name()) != nil {
		lf.name = f.Name()
	}
	lf.refs.Store(1)
	return lf, nil
}

// append writes b at the file's end and returns where it starts. Room
// goroutine only.
func (lf *logFile) append(b []byte) (int64, error) {
	off := lf.end
	n, err := lf.f.WriteAt(b, off)
	lf.end += int64(n)
	if err != nil {
		return off, fmt.Errorf("%w: %w", errLogIO, err)
	}
	return off, nil
}

// read reads len(b) bytes at off into b. Any goroutine: reads and the
// room's appends use positioned I/O, which shares no file offset.
func (lf *logFile) read(b []byte, off int64) error {
	if _, err := lf.f.ReadAt(b, off); err != nil {
		return fmt.Errorf("%w: %w", errLogIO, err)
	}
	return nil
}

// hold takes one more reference.
func (lf *logFile) hold() { lf.refs.Add(1) }

// drop lets go of one reference and closes the file with the last.
func (lf *logFile) drop() {
	if lf.refs.Add(-1) != 0 {
		return
	}
	_ = lf.f.Close()
	if lf.name != "" {
		_ = os.Remove(lf.name)
	}
}
