package netcode

import (
	"net"
	"sync"
	"time"
)

// DeadlineConn is a net.Conn that passes a deadline on to the socket only
// when it differs from the one last set. Put it under a gorilla/websocket
// connection (either side): gorilla sets the write deadline before every
// frame it writes, even when the deadline is unchanged (always zero on a
// Conn, whose watchdog times writes instead), and each call takes the
// socket's lock and moves a runtime timer, about 2 % of a busy server's
// CPU. A deadline that failed to set is not remembered, so the next call
// tries again.
//
// The zero value wraps nothing; set Conn. Its first call of each kind
// always reaches the socket, as deadlines set before the wrapping are not
// known.
type DeadlineConn struct {
	net.Conn

	readMu, writeMu sync.Mutex
	read, write     deadlineMemo
}

// deadlineMemo is the deadline last set in one direction.
type deadlineMemo struct {
	t   time.Time
	set bool // t has been set on the socket
}

// holds reports whether t is the deadline in force.
func (m *deadlineMemo) holds(t time.Time) bool { return m.set && m.t.Equal(t) }

// SetReadDeadline sets the read deadline unless it is t already.
func (c *DeadlineConn) SetReadDeadline(t time.Time) error {
	return c.setOne(&c.readMu, &c.read, t, c.Conn.SetReadDeadline)
}

// SetWriteDeadline sets the write deadline unless it is t already.
func (c *DeadlineConn) SetWriteDeadline(t time.Time) error {
	return c.setOne(&c.writeMu, &c.write, t, c.Conn.SetWriteDeadline)
}

// setOne sets one direction's deadline through set unless m holds t.
func (c *DeadlineConn) setOne(mu *sync.Mutex, m *deadlineMemo, t time.Time, set func(time.Time) error) error {
	mu.Lock()
	defer mu.Unlock()
	if m.holds(t) {
		return nil
	}
	if err := set(t); err != nil {
		m.set = false
		return err
	}
	*m = deadlineMemo{t: t, set: true}
	return nil
}

// SetDeadline sets both deadlines unless both are t already.
func (c *DeadlineConn) SetDeadline(t time.Time) error {
	c.readMu.Lock()
	defer c.readMu.Unlock()
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if c.read.holds(t) && c.write.holds(t) {
		return nil
	}
	if err := c.Conn.SetDeadline(t); err != nil {
		c.read.set, c.write.set = false, false
		return err
	}
	c.read = deadlineMemo{t: t, set: true}
	c.write = c.read
	return nil
}
