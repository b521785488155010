package game

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protodelim"
)

// clockGame is a fakeGame whose Step takes work(tick) of the room's
// ManualClock, so tick durations are known exactly.
type clockGame struct {
	*fakeGame
	clk  *ManualClock
	work func(tick uint32) time.Duration
}

func (g *clockGame) Step(tick uint32) {
	g.clk.Advance(g.work(tick))
	g.fakeGame.Step(tick)
}

// debugGame is a fakeGame with debug commands: "fail" fails, anything else
// is echoed; every command is recorded.
type debugGame struct {
	*fakeGame
	mu       sync.Mutex
	commands []string
}

func (g *debugGame) HandleDebug(command string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.commands = append(g.commands, command)
	if command == "fail" {
		return "", errors.New("it failed")
	}
	return "ok " + command, nil
}

// standingsGame is a fakeGame with a StandingsReporter.
type standingsGame struct {
	*fakeGame
	standings []PlayerResult
}

func (g *standingsGame) Standings() []PlayerResult { return g.standings }

// rttFakeLink is a fakeLink that measures a round trip.
type rttFakeLink struct {
	*fakeLink
	rtt time.Duration
}

func (l *rttFakeLink) RTT() time.Duration { return l.rtt }

// decodeRecording splits a recording into its header and entries, failing
// the test on anything that does not parse.
func decodeRecording(t *testing.T, b []byte) (*pb.RecordHeader, []*pb.RecordEntry) {
	t.Helper()
	r := bytes.NewReader(b)
	h := &pb.RecordHeader{}
	if err := protodelim.UnmarshalFrom(r, h); err != nil {
		t.Fatalf("recording header: %v", err)
	}
	var entries []*pb.RecordEntry
	for {
		e := &pb.RecordEntry{}
		err := protodelim.UnmarshalFrom(r, e)
		if errors.Is(err, io.EOF) {
			return h, entries
		}
		if err != nil {
			t.Fatalf("recording entry %d: %v", len(entries)+1, err)
		}
		entries = append(entries, e)
	}
}

// safeBuffer is a bytes.Buffer the test reads while a sink may write.
type safeBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *safeBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *safeBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}

// blockingWriter blocks every Write until release is closed.
type blockingWriter struct {
	release chan struct{}
	entered chan struct{} // gets a value each time a Write starts
}

func newBlockingWriter() *blockingWriter {
	return &blockingWriter{release: make(chan struct{}), entered: make(chan struct{}, 1)}
}

func (w *blockingWriter) Write(p []byte) (int, error) {
	select {
	case w.entered <- struct{}{}:
	default:
	}
	<-w.release
	return len(p), nil
}

// failingWriter fails every Write.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }
