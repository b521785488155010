package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/lobby"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// watchWriteTimeout bounds every write to a watcher; a watcher that does not
// read for this long is dropped.
const watchWriteTimeout = 5 * time.Second

// watchQueue bounds the reliable messages (Left, results) waiting for a
// watcher's writer.
const watchQueue = 32

// watchLink is a watch stream's spectator link. The room calls it from its
// own goroutine, so nothing here blocks: snapshots are latest-wins, reliable
// messages go to a bounded queue whose overflow ends the stream.
type watchLink struct {
	slot     atomic.Pointer[[]byte]
	wake     chan struct{} // capacity 1
	reliable chan []byte
	overflow chan struct{} // closed when reliable overflowed
	once     sync.Once
}

func newWatchLink() *watchLink {
	return &watchLink{
		wake:     make(chan struct{}, 1),
		reliable: make(chan []byte, watchQueue),
		overflow: make(chan struct{}),
	}
}

// OfferSnapshot implements game.PlayerLink: a copy of the newest frame
// (the room reuses frame) replaces one not yet written.
func (l *watchLink) OfferSnapshot(frame []byte) {
	frame = slices.Clone(frame)
	if old := l.slot.Swap(&frame); old != nil {
		watchDropped.WithLabelValues("superseded").Inc()
	}
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Send implements game.PlayerLink.
func (l *watchLink) Send(msg *pb.ServerMessage) bool {
	b, err := proto.Marshal(msg)
	if err != nil {
		return false
	}
	select {
	case l.reliable <- b:
		return true
	default:
		watchDropped.WithLabelValues("queue_full").Inc()
		l.once.Do(func() { close(l.overflow) })
		return false
	}
}

// beginStream registers a watch or recording handler with Close, or
// reports that the admin API is closing.
func (a *API) beginStream() bool {
	if a.ctx.Err() != nil {
		return false
	}
	a.streams.Add(1)
	return true
}

// serveWatch: GET /v1/admin/rooms/{id}/watch upgrades to a WebSocket that
// carries the room's spectator frames (binary ServerMessage, full
// snapshots) and, every WatchInterval, an WatchMessage text frame with
// the room detail; a last text frame of type "end" says why it stopped.
func (a *API) serveWatch(w http.ResponseWriter, r *http.Request) {
	room, ok := a.roomOr404(w, r)
	if !ok {
		return
	}
	if !a.beginStream() {
		writeError(w, http.StatusServiceUnavailable, "the admin API is shutting down")
		return
	}
	defer a.streams.Done()
	ws, err := a.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered with the HTTP error
	}
	defer ws.Close()
	ctx, cancel := context.WithCancel(a.ctx)
	defer cancel()

	readerDone := make(chan struct{})
	go func() {
		// Reading answers the watcher's pings and sees its close.
		defer close(readerDone)
		for {
			if _, _, err := ws.NextReader(); err != nil {
				return
			}
		}
	}()
	reason := a.watch(ctx, ws, room, readerDone)
	end, _ := json.Marshal(WatchMessage{Type: "end", Reason: reason})
	deadline := time.Now().Add(watchWriteTimeout)
	_ = ws.SetWriteDeadline(deadline)
	_ = ws.WriteMessage(websocket.TextMessage, end)
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), deadline)
	select {
	case <-readerDone:
	case <-time.After(time.Second):
	}
	_ = ws.Close()
	<-readerDone
}

// watch runs one watch stream until the room ends, the watcher leaves or
// falls behind, or the admin API closes, and returns why.
//
// The room was there when the request was accepted, so ErrRoomClosed from
// the room at any point (even before the spectator is added, as a close
// can overtake the upgrade) means it ended since: the stream ends with
// "room ended" like any other room end, not with an error or a refusal.
func (a *API) watch(ctx context.Context, ws *websocket.Conn, room lobby.LiveRoom, readerDone <-chan struct{}) string {
	const roomEnded = "room ended"
	link := newWatchLink()
	sctx, scancel := context.WithTimeout(ctx, inspectTimeout)
	stop, err := room.Room.Spectate(sctx, link)
	scancel()
	if errors.Is(err, game.ErrRoomClosed) {
		return roomEnded
	}
	if err != nil {
		watchDropped.WithLabelValues("refused").Inc()
		return fmt.Sprintf("cannot watch room %q: %v", room.Room.ID(), err)
	}
	defer stop()
	write := func(kind int, b []byte) error {
		if err := ws.SetWriteDeadline(time.Now().Add(watchWriteTimeout)); err != nil {
			return err
		}
		return ws.WriteMessage(kind, b)
	}
	schema, err := protojson.Marshal(room.Room.Schema().Proto())
	if err != nil {
		return fmt.Sprintf("schema of room %q: %v", room.Room.ID(), err)
	}
	detail := func() error {
		// Afresh each time: the lobby's counts change.
		d, err := a.describeID(ctx, room.Room.ID())
		if err != nil {
			return err
		}
		b, err := json.Marshal(WatchMessage{Type: "room", Room: &d, Schema: schema})
		schema = nil // only the first detail carries it
		if err != nil {
			return err
		}
		return write(websocket.TextMessage, b)
	}
	flushReliable := func() error {
		for {
			select {
			case b := <-link.reliable:
				if err := write(websocket.BinaryMessage, b); err != nil {
					return err
				}
			default:
				return nil
			}
		}
	}
	if err := detail(); err != nil {
		if errors.Is(err, game.ErrRoomClosed) {
			_ = flushReliable()
			return roomEnded
		}
		return "room detail: " + err.Error()
	}
	ticker := time.NewTicker(a.cfg.WatchInterval)
	defer ticker.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return "server closing"
		case <-readerDone:
			return "watcher left"
		case <-link.overflow:
			return "watcher too slow"
		case <-room.Room.Done():
			_ = flushReliable()
			return roomEnded
		case b := <-link.reliable:
			err = write(websocket.BinaryMessage, b)
		case <-link.wake:
			if f := link.slot.Swap(nil); f != nil {
				err = write(websocket.BinaryMessage, *f)
			}
		case <-ticker.C:
			// The room may end while this waits for its detail.
			if err = detail(); errors.Is(err, game.ErrRoomClosed) {
				_ = flushReliable()
				return roomEnded
			}
		}
		if err != nil {
			return "write: " + err.Error()
		}
	}
}
