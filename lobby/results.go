package lobby

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/tickwire/tickwire/game"
)

// DefaultResultsQueue is how many ended matches a ResultsWriter keeps
// waiting for its file before it drops (and counts) more.
const DefaultResultsQueue = 1024

// ResultLine is one ended match as a ResultsWriter writes it: one JSON
// object per line.
type ResultLine struct {
	// Time is when the room ended (RFC 3339, UTC).
	Time time.Time `json:"time"`
	// Room and Mode name the room.
	Room string `json:"room"`
	Mode string `json:"mode"`
	// Reason says how it ended: ended, drained, closed, crashed,
	// abandoned or shutdown (game.EndMatchOver, ...).
	Reason string `json:"reason"`
	// Started says whether the match began; DurationSeconds is its length
	// in game time, Ticks the same in ticks.
	Started         bool    `json:"started"`
	DurationSeconds float64 `json:"duration_s"`
	Ticks           uint32  `json:"ticks"`
	// Players are the players' lines, best first.
	Players []ResultPlayer `json:"players"`
}

// ResultPlayer is one player's line of a ResultLine.
type ResultPlayer struct {
	Player uint32 `json:"player"`
	Name   string `json:"name"`
	Score  int32  `json:"score"`
	// Values are the game's values by the names its schema gives them
	// (arena: kills, deaths).
	Values map[string]int32 `json:"values,omitempty"`
}

// NewResultLine is the line of m, ended at now.
func NewResultLine(m game.MatchEnd, now time.Time) ResultLine {
	l := ResultLine{Time: now.UTC(), Room: m.RoomID, Mode: m.Mode, Reason: m.Reason, Started: m.Started,
		DurationSeconds: m.Duration().Seconds(), Ticks: m.Ticks(), Players: make([]ResultPlayer, 0, len(m.Results))}
	for _, r := range m.Results {
		p := ResultPlayer{Player: uint32(r.Player), Name: r.Name, Score: r.Score}
		for i, v := range r.Values {
			if p.Values == nil {
				p.Values = make(map[string]int32, len(r.Values))
			}
			name := fmt.Sprintf("value%d", i)
			if i < len(m.ResultNames) {
				name = m.ResultNames[i]
			}
			p.Values[name] = v
		}
		l.Players = append(l.Players, p)
	}
	return l
}

// ResultsWriter writes every ended match as a JSON line (ResultLine) to a
// file. Record never blocks the room that calls it: lines wait in a bounded
// queue for the writer goroutine, and past it they are dropped and counted
// (tickwire_results_dropped_total{reason="queue_full"}). Close waits for
// the queue to be written.
type ResultsWriter struct {
	w     io.Writer
	close func() error
	log   *slog.Logger
	queue chan ResultLine
	now   func() time.Time

	mu     sync.Mutex // guards closed against Record's send
	closed bool
	done   chan struct{}
	err    error // the writer goroutine's first error, read after done
}

// OpenResultsFile returns a ResultsWriter appending to path (created 0600
// when missing) with a queue of queue lines (0 = DefaultResultsQueue).
func OpenResultsFile(path string, queue int, log *slog.Logger) (*ResultsWriter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("results file: %w", err)
	}
	return NewResultsWriter(f, f.Close, queue, log), nil
}

// NewResultsWriter returns a ResultsWriter writing to w; closeFn, if set,
// runs after the last line, from Close.
func NewResultsWriter(w io.Writer, closeFn func() error, queue int, log *slog.Logger) *ResultsWriter {
	if queue <= 0 {
		queue = DefaultResultsQueue
	}
	if closeFn == nil {
		closeFn = func() error { return nil }
	}
	rw := &ResultsWriter{w: w, close: closeFn, log: log, queue: make(chan ResultLine, queue), now: time.Now, done: make(chan struct{})}
	go rw.run()
	return rw
}

// Record queues the line of m; it never blocks. It is a
// RoomSettings.OnMatchEnd.
func (rw *ResultsWriter) Record(m game.MatchEnd) {
	line := NewResultLine(m, rw.now())
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if rw.closed {
		resultsDropped.WithLabelValues("closed").Inc()
		return
	}
	select {
	case rw.queue <- line:
	default:
		resultsDropped.WithLabelValues("queue_full").Inc()
	}
}

// run writes the queued lines until Close.
func (rw *ResultsWriter) run() {
	defer close(rw.done)
	bw := bufio.NewWriter(rw.w)
	enc := json.NewEncoder(bw)
	for line := range rw.queue {
		err := enc.Encode(line)
		if err == nil && len(rw.queue) == 0 {
			err = bw.Flush() // a line is on disk as soon as nothing follows it
		}
		if err != nil {
			resultsDropped.WithLabelValues("write").Inc()
			if rw.err == nil {
				rw.err = err
				rw.log.Error("cannot write match results", "err", err)
			}
			bw.Reset(rw.w)
			continue
		}
		resultsWritten.Inc()
	}
	if err := bw.Flush(); err != nil && rw.err == nil {
		rw.err = err
	}
}

// Close writes what is queued, closes the file and returns the first write
// error; a Record after Close is dropped and counted.
func (rw *ResultsWriter) Close() error {
	rw.mu.Lock()
	if rw.closed {
		rw.mu.Unlock()
		<-rw.done
		return nil
	}
	rw.closed = true
	close(rw.queue)
	rw.mu.Unlock()
	<-rw.done
	return errors.Join(rw.err, rw.close())
}

var (
	resultsWritten = promauto.NewCounter(prometheus.CounterOpts{
		Name: "tickwire_results_written_total",
		Help: "Ended matches written to the results file (-results-file).",
	})
	resultsDropped = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "tickwire_results_dropped_total",
		Help: "Ended matches not written to the results file, by reason (queue_full, write, closed).",
	}, []string{"reason"})
)
