package deadline

import (
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// deadlineSocket is a net.Conn that records the deadlines set on it and
// fails them while failing is set.
type deadlineSocket struct {
	net.Conn // nil: only the deadline methods are called
	mu       sync.Mutex
	calls    []string
	failing  bool
}

func (s *deadlineSocket) record(kind string, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, kind+"@"+t.Format(time.StampMicro))
	if s.failing {
		return errors.New("socket closed")
	}
	return nil
}

func (s *deadlineSocket) SetDeadline(t time.Time) error      { return s.record("both", t) }
func (s *deadlineSocket) SetReadDeadline(t time.Time) error  { return s.record("read", t) }
func (s *deadlineSocket) SetWriteDeadline(t time.Time) error { return s.record("write", t) }

func TestConnPassesOnlyChanges(t *testing.T) {
	t1 := time.Unix(1000, 0)
	t2 := time.Unix(2000, 0)
	type call struct {
		kind string // read, write or both
		t    time.Time
		fail bool // the socket fails this call, when it gets it
	}
	tests := []struct {
		name  string
		calls []call
		want  []string // what reaches the socket, in order
	}{
		{"first zero reaches the socket", []call{{"write", time.Time{}, false}},
			[]string{"write@" + time.Time{}.Format(time.StampMicro)}},
		{"repeats dropped", []call{{"write", time.Time{}, false}, {"write", time.Time{}, false}, {"write", time.Time{}, false}},
			[]string{"write@" + time.Time{}.Format(time.StampMicro)}},
		{"a change passes", []call{{"write", t1, false}, {"write", t1, false}, {"write", t2, false}, {"write", t1, false}},
			[]string{"write@" + t1.Format(time.StampMicro), "write@" + t2.Format(time.StampMicro), "write@" + t1.Format(time.StampMicro)}},
		{"directions are apart", []call{{"read", t1, false}, {"write", t1, false}, {"read", t1, false}},
			[]string{"read@" + t1.Format(time.StampMicro), "write@" + t1.Format(time.StampMicro)}},
		{"both covers each", []call{{"both", t1, false}, {"read", t1, false}, {"write", t1, false}, {"write", t2, false}, {"both", t2, false}},
			[]string{"both@" + t1.Format(time.StampMicro), "write@" + t2.Format(time.StampMicro), "both@" + t2.Format(time.StampMicro)}},
		{"both after one direction", []call{{"read", t1, false}, {"both", t1, false}, {"both", t1, false}},
			[]string{"read@" + t1.Format(time.StampMicro), "both@" + t1.Format(time.StampMicro)}},
		{"a failed set is tried again", []call{{"write", t1, true}, {"write", t1, false}, {"write", t1, false}},
			[]string{"write@" + t1.Format(time.StampMicro), "write@" + t1.Format(time.StampMicro)}},
		{"a failed change forgets the old deadline", []call{{"write", t1, false}, {"write", t2, true}, {"write", t1, false}},
			[]string{"write@" + t1.Format(time.StampMicro), "write@" + t2.Format(time.StampMicro), "write@" + t1.Format(time.StampMicro)}},
		{"a failed both is tried again", []call{{"both", t1, false}, {"both", t2, true}, {"read", t1, false}, {"write", t1, false}},
			[]string{"both@" + t1.Format(time.StampMicro), "both@" + t2.Format(time.StampMicro), "read@" + t1.Format(time.StampMicro), "write@" + t1.Format(time.StampMicro)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sock := &deadlineSocket{}
			c := &Conn{Conn: sock}
			for i, cl := range tt.calls {
				sock.failing = cl.fail
				var err error
				switch cl.kind {
				case "read":
					err = c.SetReadDeadline(cl.t)
				case "write":
					err = c.SetWriteDeadline(cl.t)
				case "both":
					err = c.SetDeadline(cl.t)
				}
				if (err != nil) != cl.fail {
					t.Fatalf("call %d (%s): err = %v, want failure %v", i, cl.kind, err, cl.fail)
				}
			}
			if len(sock.calls) != len(tt.want) {
				t.Fatalf("socket got %q, want %q", sock.calls, tt.want)
			}
			for i := range tt.want {
				if sock.calls[i] != tt.want[i] {
					t.Fatalf("socket got %q, want %q", sock.calls, tt.want)
				}
			}
		})
	}
}

// TestConnConcurrent sets both directions from several goroutines
// at once, as a reader, a writer and a watchdog do. Whatever the
// interleaving, the memo of each direction must hold the deadline of the
// last call that reached the socket for it, or a later call could be
// dropped wrongly; the race detector checks the locking.
func TestConnConcurrent(t *testing.T) {
	sock := &deadlineSocket{}
	c := &Conn{Conn: sock}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				d := time.Unix(int64(i%3), 0)
				switch g {
				case 0:
					_ = c.SetReadDeadline(d)
				case 1, 2:
					_ = c.SetWriteDeadline(d)
				default:
					_ = c.SetDeadline(d)
				}
			}
		}()
	}
	wg.Wait()
	if len(sock.calls) == 0 || len(sock.calls) > 4*200 {
		t.Fatalf("socket got %d calls", len(sock.calls))
	}
	lastRead, lastWrite := "", ""
	for _, call := range sock.calls {
		kind, _, _ := strings.Cut(call, "@")
		if kind == "read" || kind == "both" {
			lastRead = call
		}
		if kind == "write" || kind == "both" {
			lastWrite = call
		}
	}
	if _, at, _ := strings.Cut(lastRead, "@"); at != c.read.t.Format(time.StampMicro) {
		t.Errorf("last read deadline on the socket %q, memo %v", lastRead, c.read.t)
	}
	if _, at, _ := strings.Cut(lastWrite, "@"); at != c.write.t.Format(time.StampMicro) {
		t.Errorf("last write deadline on the socket %q, memo %v", lastWrite, c.write.t)
	}
	// Setting again what is in force reaches nothing.
	n := len(sock.calls)
	if err := c.SetWriteDeadline(c.write.t); err != nil {
		t.Fatal(err)
	}
	if err := c.SetReadDeadline(c.read.t); err != nil {
		t.Fatal(err)
	}
	if len(sock.calls) != n {
		t.Fatalf("a repeat reached the socket: %q", sock.calls[n:])
	}
}

func TestConnRepeatAllocatesNothing(t *testing.T) {
	c := &Conn{Conn: &deadlineSocket{}}
	_ = c.SetWriteDeadline(time.Time{})
	if n := testing.AllocsPerRun(100, func() { _ = c.SetWriteDeadline(time.Time{}) }); n != 0 {
		t.Errorf("a repeated write deadline allocates %v times", n)
	}
}
