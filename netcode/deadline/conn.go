package deadline

import (
	"net"
	"sync"
	"time"
)

// Conn is a net.Conn that passes a deadline on to the socket only when it
// differs from the one last set. gorilla/websocket sets the write
// deadline before every frame it writes; on a netcode.Conn that is zero
// for every data frame (its watchdog times those writes), and each call,
// even one that changes nothing, takes the socket's lock and the
// poller's. A deadline that failed to set is forgotten, so the next call
// tries again.
//
// The memo is right only while every deadline goes through Conn: never
// set one on the embedded Conn directly. The zero value wraps nothing;
// set Conn. Its first call of each kind always reaches the socket, as
// deadlines set before the wrapping are not known.
type Conn struct {
	net.Conn

	readMu, writeMu sync.Mutex
	read, write     deadlineMemo
}

// deadlineMemo is the deadline last set in one direction.
type deadlineMemo struct {
	t     time.Time
	known bool // t is in force on the socket
}

// holds reports whether t is the deadline in force.
func (m *deadlineMemo) holds(t time.Time) bool { return m.known && m.t.Equal(t) }

// SetReadDeadline sets the read deadline unless it is t already.
func (c *Conn) SetReadDeadline(t time.Time) error {
	return c.setOne(&c.readMu, &c.read, t, c.Conn.SetReadDeadline)
}

// SetWriteDeadline sets the write deadline unless it is t already.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	return c.setOne(&c.writeMu, &c.write, t, c.Conn.SetWriteDeadline)
}

// setOne sets one direction's deadline through set unless m holds t.
func (c *Conn) setOne(mu *sync.Mutex, m *deadlineMemo, t time.Time, set func(time.Time) error) error {
	mu.Lock()
	defer mu.Unlock()
	if m.holds(t) {
		return nil
	}
	if err := set(t); err != nil {
		m.known = false
		return err
	}
	*m = deadlineMemo{t: t, known: true}
	return nil
}

// SetDeadline sets both deadlines unless both are t already.
func (c *Conn) SetDeadline(t time.Time) error {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.read.holds(t) && c.write.holds(t) {
		return nil
	}
	if err := c.Conn.SetDeadline(t); err != nil {
		c.read.known, c.write.known = false, false
		return err
	}
	c.read = deadlineMemo{t: t, known: true}
	c.write = c.read
	return nil
}
