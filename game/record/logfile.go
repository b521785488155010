package record

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
)

// errLogIO marks a log whose file could not be made, written or read.
var errLogIO = errors.New("recording log file")

// maxUnwrittenBytes bounds the compressed bytes a log's file may have
// waiting for its writer: a disk that stalls costs the rooms this much
// memory each, then their logs. A chunk is about 4 KB, a seal a couple
// of seconds of a 16-player room, so a healthy disk never comes close.
const maxUnwrittenBytes = 256 << 10

// logFile is the file a room's sealed log chunks go to when
// Options.LogDir is set: a temporary file removed from its directory as
// soon as it is made, where the system allows removing an open file
// (Linux, macOS; elsewhere at close), so that it lives exactly as long as
// it is open and a server that dies leaves nothing behind. The log and
// every snapshot of it handed to a recording hold a reference; the last
// one to let go closes it.
//
// The room's goroutine never writes the file: append gives each chunk its
// place and queues it, and a writer goroutine, running only while chunks
// wait, writes them. So a disk that stalls holds up the log, not the tick.
type logFile struct {
	f    *os.File
	name string // still to be removed at close: the early remove failed
	end  int64  // bytes placed; room goroutine only
	refs atomic.Int32

	mu      sync.Mutex
	queue   []pendingWrite
	queued  int  // compressed bytes in queue and being written
	writing bool // a writer goroutine runs
	failed  bool // a write failed; err says how
	err     error
}

// pendingWrite is a chunk waiting for the writer.
type pendingWrite struct {
	off int64
	u   *unwritten
}

// unwritten holds a sealed chunk's compressed bytes until they are in the
// file; readers take them from here until then, and from the file after.
type unwritten struct {
	z atomic.Pointer[[]byte]
}

// bytes returns the chunk's compressed bytes while they are not yet in
// the file, else nil (also for u nil).
func (u *unwritten) bytes() []byte {
	if u == nil {
		return nil
	}
	if p := u.z.Load(); p != nil {
		return *p
	}
	return nil
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

// CheckLogDir makes a log file in dir and closes it, as the log of a room
// given dir as Options.LogDir will: a server can try its directory before
// its rooms need it.
func CheckLogDir(dir string) error {
	lf, err := openLogFile(dir)
	if err != nil {
		return err
	}
	lf.drop()
	return nil
}

// append places z at the file's end and queues it for the writer,
// returning where it will be and the bytes' holder until it is. It fails
// when an earlier write failed, or when maxUnwrittenBytes already wait.
// Room goroutine only; z is the file's from now on.
func (lf *logFile) append(z []byte) (int64, *unwritten, error) {
	u := new(unwritten)
	u.z.Store(&z)
	off := lf.end
	lf.mu.Lock()
	if lf.failed {
		err := lf.err
		lf.mu.Unlock()
		return off, u, err
	}
	if lf.queued+len(z) > maxUnwrittenBytes {
		lf.mu.Unlock()
		return off, u, fmt.Errorf("%w: %d bytes wait to be written: the disk has fallen behind", errLogIO, lf.queued)
	}
	lf.end += int64(len(z))
	lf.queue = append(lf.queue, pendingWrite{off: off, u: u})
	lf.queued += len(z)
	start := !lf.writing
	lf.writing = true
	lf.mu.Unlock()
	if start {
		lf.hold() // the writer's, so the file stays open while it writes
		go lf.write()
	}
	return off, u, nil
}

// write is the writer goroutine: it writes the queued chunks in order
// until none wait. After a failure it writes no more; the chunks it did
// not write stay readable from memory.
func (lf *logFile) write() {
	defer lf.drop()
	for {
		lf.mu.Lock()
		if len(lf.queue) == 0 || lf.failed {
			lf.writing = false
			lf.mu.Unlock()
			return
		}
		w := lf.queue[0]
		lf.queue[0] = pendingWrite{}
		lf.queue = lf.queue[1:]
		lf.mu.Unlock()
		z := w.u.bytes()
		_, err := lf.f.WriteAt(z, w.off)
		if err == nil {
			w.u.z.Store(nil) // readers find it in the file from now on
		}
		lf.mu.Lock()
		lf.queued -= len(z)
		if err != nil && !lf.failed {
			lf.failed, lf.err = true, fmt.Errorf("%w: %w", errLogIO, err)
		}
		lf.mu.Unlock()
	}
}

// read reads len(b) bytes at off into b. Any goroutine: reads and the
// writer's writes use positioned I/O, which shares no file offset.
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
