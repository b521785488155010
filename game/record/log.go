package record

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"slices"
	"sync"
)

// logChunkSize is the size of one chunk of a room's log: the log
// is a byte stream cut into chunks of this size, whatever the entries'
// bounds, so it never copies itself. The open chunk is kept raw and taken
// whole from the budget; a full chunk is sealed: compressed, and charged at
// its compressed size. Smaller chunks compress a little worse (each starts
// without history) but cost less per room while they fill: 16 KiB holds
// about two seconds of a 16-player room. A variable so tests can seal often.
var logChunkSize = 16 << 10

// logLevel is the flate level of sealed chunks. BestSpeed is the only level
// whose Reset does not clear 640 KiB of hash chains, which would cost more
// than compressing a 16 KiB chunk; the better levels gain about 10 %.
const logLevel = flate.BestSpeed

// errLogFull and errLogBudget are why a log cannot grow: Options.LogBytes
// or the Budget.
var (
	errLogFull   = errors.New("log outgrew its bound")
	errLogBudget = errors.New("log budget spent")
)

// chunkLog is a room's log: the bytes of the entries recorded since tick
// 0, as sealed (compressed) chunks and the open chunk being filled. The
// sealed chunks live in a file of the log's own when it has a directory
// (logfile.go), else in memory; either way their bytes, and the open
// chunk's, are taken from a Budget and bounded by a byte limit. Owned by
// the room goroutine; snapshot hands immutable copies to sinks.
type chunkLog struct {
	limit  int64   // bound on held (Options.LogBytes)
	budget *Budget // nil: none
	dir    string  // where the file goes (Options.LogDir); "": keep the chunks in memory
	file   *logFile
	sealed []sealedChunk
	open   []byte // raw; nil until the first entry; cap = the chunk size
	held   int64  // bytes taken from budget: the sealed chunks' and cap of open
	size   int64  // raw bytes in the log
}

// sealedChunk is one full chunk of the log, compressed by flate (logLevel).
type sealedChunk struct {
	data []byte // the compressed bytes when the log is in memory
	off  int64  // else where they start in the log's file
	// unwritten, in a log with a file, holds the compressed bytes until
	// the file's writer has written them (logfile.go).
	unwritten *unwritten
	n         int    // the compressed length
	size      int    // the raw bytes' length
	sum       uint32 // the raw bytes' CRC-32 (IEEE)
}

// append adds e to the log, sealing each chunk it fills. It returns
// errLogFull or errLogBudget when the log cannot hold e; the caller then
// drops the log (release).
func (l *chunkLog) append(e []byte) error {
	if l.limit <= 0 {
		return errLogFull
	}
	for len(e) > 0 {
		if l.open == nil {
			size := int64(min(int64(logChunkSize), l.limit))
			if err := l.charge(size); err != nil {
				return err
			}
			l.open = make([]byte, 0, size)
		}
		n := min(len(e), cap(l.open)-len(l.open))
		l.open = append(l.open, e[:n]...)
		l.size += int64(n)
		e = e[n:]
		if len(l.open) == cap(l.open) {
			if err := l.seal(); err != nil {
				return err
			}
		}
	}
	return nil
}

// charge takes n more bytes from the log's bound and its budget.
func (l *chunkLog) charge(n int64) error {
	if l.held+n > l.limit {
		return errLogFull
	}
	if !l.budget.take(n) {
		return errLogBudget
	}
	l.held += n
	return nil
}

// seal compresses the full open chunk into the sealed ones and empties the
// open chunk for reuse (it stays charged).
func (l *chunkLog) seal() error {
	z := compressChunk(l.open)
	c := sealedChunk{n: len(z), size: len(l.open), sum: crc32.ChecksumIEEE(l.open)}
	if l.dir == "" {
		// The heap holds cap(z): the allocation's size class.
		if err := l.charge(int64(cap(z))); err != nil {
			return err
		}
		c.data = z
	} else if err := l.sealToFile(&c, z); err != nil {
		return err
	}
	l.sealed = append(l.sealed, c)
	l.open = l.open[:0]
	return nil
}

// sealToFile charges the compressed chunk z and hands it to the writer of
// the log's file, made by the first seal, noting where it will be in c.
// It fails when an earlier write failed or the writes fell too far behind.
func (l *chunkLog) sealToFile(c *sealedChunk, z []byte) error {
	if err := l.charge(int64(len(z))); err != nil {
		return err
	}
	if l.file == nil {
		f, err := openLogFile(l.dir)
		if err != nil {
			return err
		}
		l.file = f
	}
	var err error
	c.off, c.unwritten, err = l.file.append(z)
	return err
}

// release forgets the log and gives back what it took from the budget.
// Sinks still writing chunks keep them (and the file) until they are done.
func (l *chunkLog) release() {
	l.budget.give(l.held)
	if l.file != nil {
		l.file.drop()
	}
	*l = chunkLog{limit: l.limit, budget: l.budget, dir: l.dir}
}

// snapshot returns the log so far for a sink: the sealed chunks (shared:
// they are never written again) and a copy of the open chunk's bytes. The
// snapshot holds the log's file until its release.
func (l *chunkLog) snapshot() logSnapshot {
	if l.file != nil {
		l.file.hold()
	}
	return logSnapshot{sealed: l.sealed[:len(l.sealed):len(l.sealed)], open: bytes.Clone(l.open), file: l.file}
}

// logSnapshot is the log as a sink starting mid-match writes it.
type logSnapshot struct {
	sealed []sealedChunk
	open   []byte
	file   *logFile // where the sealed chunks are; nil for a log in memory
}

// release lets go of the log's file; the snapshot is not used after it.
func (s logSnapshot) release() {
	if s.file != nil {
		s.file.drop()
	}
}

// writeTo writes the log's raw bytes to w, inflating the sealed chunks in
// order and checking each one's length and CRC-32 before writing it, so a
// damaged chunk stops the recording rather than slip into it. It runs on
// the sink's goroutine.
func (s logSnapshot) writeTo(w io.Writer) error {
	if len(s.sealed) > 0 {
		var raw, z []byte
		var zr io.ReadCloser
		for i, c := range s.sealed {
			if s.file != nil {
				if p := c.unwritten.bytes(); p != nil {
					c.data = p
				} else {
					z = slices.Grow(z[:0], c.n)[:c.n]
					if err := s.file.read(z, c.off); err != nil {
						return fmt.Errorf("chunk %d of %d: %w", i+1, len(s.sealed), err)
					}
					c.data = z
				}
			}
			var err error
			if raw, zr, err = inflateChunk(raw, zr, c); err != nil {
				return fmt.Errorf("%w: chunk %d of %d: %w", errLogCorrupt, i+1, len(s.sealed), err)
			}
			if _, err := w.Write(raw); err != nil {
				return err
			}
		}
	}
	_, err := w.Write(s.open)
	return err
}

// errLogCorrupt marks a sealed chunk that does not inflate to the bytes it
// was made of: a bug or damaged memory, never expected.
var errLogCorrupt = errors.New("recording log is corrupt")

// inflateChunk inflates c into dst's memory (grown as needed), reusing zr
// (nil: a new reader), and checks the raw bytes' length and sum.
func inflateChunk(dst []byte, zr io.ReadCloser, c sealedChunk) ([]byte, io.ReadCloser, error) {
	src := bytes.NewReader(c.data)
	if zr == nil {
		zr = flate.NewReader(src)
	} else if err := zr.(flate.Resetter).Reset(src, nil); err != nil {
		return dst, zr, err
	}
	raw := slices.Grow(dst[:0], c.size)[:c.size]
	if _, err := io.ReadFull(zr, raw); err != nil {
		return raw, zr, fmt.Errorf("inflate: %w", err)
	}
	var more [1]byte
	if n, err := zr.Read(more[:]); n != 0 || err != io.EOF {
		return raw, zr, fmt.Errorf("inflates past the %d bytes sealed (%v)", c.size, err)
	}
	if sum := crc32.ChecksumIEEE(raw); sum != c.sum {
		return raw, zr, fmt.Errorf("crc-32 %08x, sealed %08x", sum, c.sum)
	}
	return raw, zr, nil
}

// compressor is the flate writer every room seals its chunks with, and its
// output buffer. A flate.Writer holds about 1 MiB of tables whatever its
// level, so the rooms share one behind a mutex rather than keep one each
// (or one per processor in a pool): a seal takes a fraction of a
// millisecond, and a thousand players' rooms seal a few dozen chunks a
// second between them.
var compressor struct {
	mu  sync.Mutex
	zw  *flate.Writer // made by the first seal
	out bytes.Buffer
}

// compressChunk returns raw compressed, in a slice of its own exact size,
// so that what is done with it (a file write, say) happens outside the
// compressor's lock.
func compressChunk(raw []byte) []byte {
	compressor.mu.Lock()
	defer compressor.mu.Unlock()
	compressor.out.Reset()
	if compressor.zw == nil {
		zw, err := flate.NewWriter(&compressor.out, logLevel)
		if err != nil {
			panic(err) // logLevel is a valid level
		}
		compressor.zw = zw
	} else {
		compressor.zw.Reset(&compressor.out)
	}
	// Writes to a bytes.Buffer cannot fail.
	_, _ = compressor.zw.Write(raw)
	_ = compressor.zw.Close()
	return bytes.Clone(compressor.out.Bytes())
}
