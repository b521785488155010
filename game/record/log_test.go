package record

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// arenaBytes returns the entries an arena-move room records in ticks
// ticks, as a Recorder with no log and a sink would encode them.
func arenaBytes(t *testing.T, ticks int) []byte {
	t.Helper()
	rc, err := NewRecorder(Options{LogBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	load := newArenaLoad(7)
	load.join(rc)
	for range ticks {
		load.step(rc)
	}
	var out bytes.Buffer
	if err := rc.log.snapshot().writeTo(&out); err != nil {
		t.Fatal(err)
	}
	rc.log.release()
	return out.Bytes()
}

// checkHeld fails unless the log's charge is its sealed chunks' compressed
// bytes plus its open chunk, and is all the budget holds.
func checkHeld(t *testing.T, l *chunkLog, b *Budget) {
	t.Helper()
	want := int64(cap(l.open))
	for _, c := range l.sealed {
		if l.file != nil {
			want += int64(c.n) // on disk: the exact length
			continue
		}
		want += int64(cap(c.data))
	}
	if l.held != want || b.Used() != want {
		t.Fatalf("log holds %d, budget used %d; want the compressed chunks and the open one, %d", l.held, b.Used(), want)
	}
}

// TestLogRoundTrip appends arena-move entries, and entries larger than a
// chunk, to a log of small chunks, in memory and in a file: at every point
// a snapshot inflates to exactly the bytes appended, the budget holds the
// compressed sizes, and everything comes back on release.
func TestLogRoundTrip(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testLogRoundTrip(t, "") })
	t.Run("file", func(t *testing.T) { testLogRoundTrip(t, t.TempDir()) })
}

func testLogRoundTrip(t *testing.T, dir string) {
	stream := arenaBytes(t, 2000)
	big := bytes.Repeat([]byte("a long debug command "), 300) // 6 KB: spans chunks
	stream = append(append(stream[:len(stream)/2:len(stream)/2], big...), stream[len(stream)/2:]...)
	for _, chunk := range []int{1 << 10, 4 << 10, 16 << 10} {
		budget := NewBudget(0)
		l := chunkLog{limit: 1 << 30, budget: budget, dir: dir}
		logChunk := logChunkSize
		logChunkSize = chunk
		// Entries of every size, as the recorder appends them.
		for off, n := 0, 0; off < len(stream); off, n = off+n, n%37+1 {
			n = min(n, len(stream)-off)
			if err := l.append(stream[off : off+n]); err != nil {
				t.Fatal(err)
			}
			if off%20000 < n { // now and then, check a snapshot
				checkHeld(t, &l, budget)
				var got bytes.Buffer
				snap := l.snapshot()
				if err := snap.writeTo(&got); err != nil {
					t.Fatal(err)
				}
				snap.release()
				if !bytes.Equal(got.Bytes(), stream[:off+n]) {
					t.Fatalf("chunk %d: the snapshot after %d bytes differs from what was appended", chunk, off+n)
				}
			}
		}
		logChunkSize = logChunk
		checkHeld(t, &l, budget)
		if l.size != int64(len(stream)) || len(l.sealed) != len(stream)/chunk {
			t.Fatalf("chunk %d: log of %d bytes in %d sealed chunks, want %d in %d", chunk, l.size, len(l.sealed), len(stream), len(stream)/chunk)
		}
		if l.held*2 > l.size {
			t.Errorf("chunk %d: %d bytes logged hold %d: less than 2 to 1", chunk, l.size, l.held)
		}
		if dir != "" {
			if len(l.sealed) == 0 || l.sealed[0].data != nil || l.file == nil || l.file.end != l.held-int64(cap(l.open)) {
				t.Fatalf("chunk %d: a log with a directory keeps its sealed chunks in memory or misplaces them in its file", chunk)
			}
		}
		l.release()
		if budget.Used() != 0 || l.held != 0 || l.size != 0 || len(l.sealed) != 0 || l.open != nil {
			t.Fatalf("chunk %d: after release the budget holds %d and the log %+v", chunk, budget.Used(), l)
		}
	}
}

// TestLogFileLifetime: a log's file is gone from its directory from the
// start, and stays open while the log or a snapshot of it needs it: a
// recording that started before the room ended still reads the log after
// it, and the last one to let go closes the file.
func TestLogFileLifetime(t *testing.T) {
	stream := arenaBytes(t, 600)
	dir := t.TempDir()
	l := chunkLog{limit: 1 << 30, dir: dir}
	if err := l.append(stream); err != nil {
		t.Fatal(err)
	}
	if len(l.sealed) < 2 || l.file == nil {
		t.Fatalf("%d sealed chunks, file %v: want 2 or more, in a file", len(l.sealed), l.file)
	}
	if names, err := os.ReadDir(dir); err != nil || len(names) != 0 {
		t.Fatalf("the log's directory lists %v (%v), want nothing: the file is removed as soon as it is made", names, err)
	}
	file := l.file
	snap := l.snapshot()
	l.release()
	if _, err := file.f.Stat(); err != nil {
		t.Fatalf("the file closed while a snapshot holds it: %v", err)
	}
	var got bytes.Buffer
	if err := snap.writeTo(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), stream) {
		t.Fatal("a snapshot read after its log's release differs from what was appended")
	}
	snap.release()
	waitFileClosed(t, file)
}

// waitFileClosed waits for the last reference to file, the writer's
// perhaps, to close it.
func waitFileClosed(t *testing.T, file *logFile) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // only turns a hang into a failure
	for {
		_, err := file.f.Stat()
		if errors.Is(err, os.ErrClosed) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Stat after the last release: %v, want the file closed", err)
		}
		runtime.Gosched()
	}
}

// waitWritten waits until the file's writer has written every chunk
// queued.
func waitWritten(file *logFile) {
	for {
		file.mu.Lock()
		writing := file.writing
		file.mu.Unlock()
		if !writing {
			return
		}
		runtime.Gosched()
	}
}

// TestLogFileErrors: a log whose directory cannot take its file, or whose
// file cannot be read back, says errLogIO rather than lose bytes silently.
func TestLogFileErrors(t *testing.T) {
	stream := arenaBytes(t, 600)
	missing := chunkLog{limit: 1 << 30, dir: filepath.Join(t.TempDir(), "gone")}
	if err := missing.append(stream); !errors.Is(err, errLogIO) {
		t.Fatalf("append with a missing directory: %v, want errLogIO", err)
	}
	missing.release()

	l := chunkLog{limit: 1 << 30, dir: t.TempDir()}
	if err := l.append(stream); err != nil {
		t.Fatal(err)
	}
	waitWritten(l.file)
	snap := l.snapshot()
	_ = l.file.f.Close() // the disk goes away under the recording
	err := snap.writeTo(io.Discard)
	if !errors.Is(err, errLogIO) || !strings.Contains(err.Error(), "chunk 1 of") {
		t.Fatalf("writeTo from a closed file: %v, want errLogIO naming chunk 1", err)
	}
	snap.release()
	l.release()
}

// TestLogFileWriteFails: once a write of the log's file fails (a full
// disk, say), the chunk it did not write stays readable, the next seal
// says errLogIO, and what the log took, the refused chunk's charge
// included, comes back to the budget on release.
func TestLogFileWriteFails(t *testing.T) {
	stream := arenaBytes(t, 600)
	chunk := logChunkSize
	budget := NewBudget(1 << 30)
	l := chunkLog{limit: 1 << 30, budget: budget, dir: t.TempDir()}
	if err := l.append(stream[:chunk+1]); err != nil {
		t.Fatal(err)
	}
	waitWritten(l.file)
	_ = l.file.f.Close()
	if err := l.append(stream[chunk+1 : 2*chunk+1]); err != nil {
		t.Fatalf("the seal that queues the failing write: %v, want nil (the writer fails later)", err)
	}
	waitWritten(l.file)
	var got bytes.Buffer
	if err := (logSnapshot{sealed: l.sealed, file: l.file}).writeTo(&got); err == nil || !errors.Is(err, errLogIO) {
		// The first chunk is only in the closed file; the second never
		// got there and is read from memory, after the first fails.
		t.Fatalf("reading a log whose file is gone: %v, want errLogIO", err)
	}
	if u := l.sealed[1].unwritten.bytes(); u == nil {
		t.Fatal("the chunk whose write failed is no longer in memory")
	}
	err := l.append(stream[2*chunk+1 : 3*chunk+1])
	if !errors.Is(err, errLogIO) {
		t.Fatalf("a seal after a failed write: %v, want errLogIO", err)
	}
	if budget.Used() != l.held || l.held <= int64(chunk) {
		t.Fatalf("budget used %d, log holds %d: want the open chunk and the three seals charged", budget.Used(), l.held)
	}
	l.release()
	if budget.Used() != 0 {
		t.Fatalf("budget used %d after release, want 0", budget.Used())
	}
}

// TestLogFileWritesFallBehind: a disk that stops taking writes costs a log
// at most maxUnwrittenBytes of queued chunks; the seal past them says
// errLogIO (the room drops the log) rather than wait or queue more.
func TestLogFileWritesFallBehind(t *testing.T) {
	stream := bytes.Repeat(arenaBytes(t, 600), 40)
	chunk := logChunkSize
	l := chunkLog{limit: 1 << 30, dir: t.TempDir()}
	if err := l.append(stream[:chunk]); err != nil {
		t.Fatal(err)
	}
	waitWritten(l.file)
	// A writer that never gets anywhere: the chunks queue.
	l.file.mu.Lock()
	l.file.writing = true
	l.file.mu.Unlock()
	var err error
	for off := chunk; err == nil && off+chunk <= len(stream); off += chunk {
		err = l.append(stream[off : off+chunk])
	}
	if !errors.Is(err, errLogIO) || !strings.Contains(err.Error(), "fallen behind") {
		t.Fatalf("sealing with a stalled writer: %v, want errLogIO saying the disk has fallen behind", err)
	}
	if q := l.file.queued; q > maxUnwrittenBytes || q < maxUnwrittenBytes/2 {
		t.Fatalf("%d bytes queued, want close to the bound %d", q, maxUnwrittenBytes)
	}
	l.file.mu.Lock()
	l.file.writing = false
	l.file.mu.Unlock()
	l.release()
}

// TestLogSnapshotIsImmutable: a snapshot taken mid-chunk keeps its bytes
// while the log goes on filling and sealing that chunk.
func TestLogSnapshotIsImmutable(t *testing.T) {
	stream := arenaBytes(t, 600)
	l := chunkLog{limit: 1 << 30}
	half := len(stream) / 2
	if err := l.append(stream[:half]); err != nil {
		t.Fatal(err)
	}
	snap := l.snapshot()
	if err := l.append(stream[half:]); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := snap.writeTo(&got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), stream[:half]) {
		t.Fatal("a snapshot changed as the log grew")
	}
}

// TestLogBounds: a log that would pass its limit, or find the budget spent,
// either for a new chunk or for sealing one, says which.
func TestLogBounds(t *testing.T) {
	stream := arenaBytes(t, 600) // about 5 chunks
	sealedSize := func() int64 {
		l := chunkLog{limit: 1 << 30}
		if err := l.append(stream[:logChunkSize]); err != nil {
			t.Fatal(err)
		}
		return l.held - int64(logChunkSize)
	}()
	chunk := int64(logChunkSize)
	tests := []struct {
		name          string
		limit, budget int64
		want          error
	}{
		{"no room at all", 0, 0, errLogFull},
		{"a limit below a chunk", 100, 0, errLogFull},
		{"no budget for the open chunk", 1 << 30, chunk - 1, errLogBudget},
		{"no room to seal", chunk + sealedSize - 1, 0, errLogFull},
		{"no budget to seal", 1 << 30, chunk + sealedSize - 1, errLogBudget},
		{"room for one sealed chunk", chunk + sealedSize, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			budget := NewBudget(tt.budget)
			l := chunkLog{limit: tt.limit, budget: budget}
			err := l.append(stream[:logChunkSize+1])
			if tt.want == nil {
				err = l.append(stream[:logChunkSize]) // the second seal
				if !errors.Is(err, errLogFull) || len(l.sealed) != 1 {
					t.Fatalf("append past one sealed chunk: %v with %d sealed, want errLogFull with 1", err, len(l.sealed))
				}
			} else if !errors.Is(err, tt.want) {
				t.Fatalf("append: %v, want %v", err, tt.want)
			}
			if budget.Used() != l.held {
				t.Errorf("budget used %d, the log holds %d", budget.Used(), l.held)
			}
			l.release()
			if budget.Used() != 0 {
				t.Errorf("budget used %d after release", budget.Used())
			}
		})
	}
}

// TestLogCorruptChunk: a sealed chunk that does not inflate to what it was
// sealed from fails the snapshot's writeTo, never silently.
func TestLogCorruptChunk(t *testing.T) {
	stream := arenaBytes(t, 600)
	tests := []struct {
		name   string
		damage func(c *sealedChunk)
		want   string
	}{
		{"a flipped bit", func(c *sealedChunk) { c.data[len(c.data)/2] ^= 0x10 }, ""},
		{"truncated", func(c *sealedChunk) { c.data = c.data[:len(c.data)/2] }, "inflate"},
		{"empty", func(c *sealedChunk) { c.data = nil }, "inflate"},
		{"shorter than sealed", func(c *sealedChunk) { c.size++ }, "inflate"},
		{"longer than sealed", func(c *sealedChunk) { c.size-- }, "inflates past"},
		{"another sum", func(c *sealedChunk) { c.sum++ }, "crc-32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := chunkLog{limit: 1 << 30}
			if err := l.append(stream); err != nil {
				t.Fatal(err)
			}
			if len(l.sealed) < 3 {
				t.Fatalf("%d sealed chunks, want 3 or more", len(l.sealed))
			}
			snap := l.snapshot()
			snap.sealed = append([]sealedChunk(nil), snap.sealed...)
			c := &snap.sealed[1]
			c.data = bytes.Clone(c.data)
			tt.damage(c)
			err := snap.writeTo(io.Discard)
			if !errors.Is(err, errLogCorrupt) || !strings.Contains(err.Error(), "chunk 2 of") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("writeTo a damaged log: %v, want errLogCorrupt naming chunk 2 and %q", err, tt.want)
			}
		})
	}
}

// TestRecorderBrokenLog: a recording whose log does not inflate, or whose
// log file cannot be read back, stops with that error, counted, and the
// room drops the log so no later recording starts from it (two drops of
// the reason: the recording and the log).
func TestRecorderBrokenLog(t *testing.T) {
	tests := []struct {
		name   string
		dir    bool // the log has a file
		breaks func(rc *Recorder)
		want   error
		reason string
	}{
		{"a damaged chunk", false, func(rc *Recorder) { rc.log.sealed[2].data[5] ^= 0xff }, errLogCorrupt, dropLogCorrupt},
		{"an unreadable file", true, func(rc *Recorder) {
			waitWritten(rc.log.file)
			_ = rc.log.file.f.Close()
		}, errLogIO, dropLogIO},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			SetLogChunkForTest(t, 1<<10)
			opts := Options{}
			if tt.dir {
				opts.LogDir = t.TempDir()
			}
			rc, err := NewRecorder(opts)
			if err != nil {
				t.Fatal(err)
			}
			rc.header, rc.logger = []byte{0}, slog.New(slog.DiscardHandler)
			load := newArenaLoad(3)
			load.join(rc)
			for range 100 {
				load.step(rc)
			}
			tt.breaks(rc)
			before := DroppedForTest(tt.reason)
			var out bytes.Buffer
			s := newSink("api", &out, nil, 1<<20)
			rc.startSink(s)
			for !s.failed.Load() {
				// The sink's goroutine reads the log; the room only learns
				// of it when it hands over the next tick.
				runtime.Gosched()
			}
			load.step(rc)
			if rc.Recording() || rc.available() {
				t.Error("still recording, or able to, from a broken log")
			}
			rc.Close()
			<-s.done // stopped before the room's end: Close does not wait for it
			if !errors.Is(s.err, tt.want) {
				t.Errorf("recording ended with %v, want %v", s.err, tt.want)
			}
			if n := DroppedForTest(tt.reason) - before; n != 2 {
				t.Errorf("%s drops %v, want 2 (the recording and the log)", tt.reason, n)
			}
			if out.Len() > 1+2<<10 {
				t.Errorf("the recording holds %d bytes, past the broken chunk", out.Len())
			}
		})
	}
}
