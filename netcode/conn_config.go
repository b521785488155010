package netcode

import "time"

// ConnConfig tunes a server-side connection. Zero fields take the defaults of
// DefaultConnConfig.
type ConnConfig struct {
	// MaxFrameBytes is the largest frame the server reads; a larger one
	// closes the connection with WebSocket code 1009 (CloseCodeFrameTooLarge).
	MaxFrameBytes int64
	// WriteTimeout bounds every single write to the socket.
	WriteTimeout time.Duration
	// PingPeriod is how often the server sends a WebSocket ping; the pongs
	// also measure the round trip (Conn.RTT), so it is short enough to keep
	// that figure fresh.
	PingPeriod time.Duration
	// PongWait is how long the reader waits for a pong before giving up on
	// the peer; it must exceed PingPeriod.
	PongWait time.Duration
	// ReliableQueue is the number of reliable messages that may wait for the
	// writer; one more closes the connection as a slow consumer.
	ReliableQueue int
	// SlowConsumerAfter is how long a superseded snapshot may wait in the
	// slot, with no snapshot write finishing, before the connection is
	// closed as a slow consumer.
	SlowConsumerAfter time.Duration
	// InputRate is the sustained number of client messages per second the
	// reader accepts; excess messages are dropped and counted.
	InputRate float64
	// InputBurst is how many messages above InputRate may arrive at once.
	InputBurst int
	// ReadBytesPerSecond bounds the client bytes the reader takes in a
	// second (bursts of up to a second's worth, and never less than one
	// MaxFrameBytes frame): past it the reader waits before reading on,
	// so a flooding peer is slowed by TCP itself and costs the server no
	// more than this to read, whatever it sends.
	ReadBytesPerSecond int
	// HandshakeTimeout is how long a client has to say hello; the lobby
	// enforces it, Conn only carries it.
	HandshakeTimeout time.Duration
}

// DefaultConnConfig returns the defaults every zero ConnConfig field takes.
func DefaultConnConfig() ConnConfig {
	return ConnConfig{
		MaxFrameBytes:     4096,
		WriteTimeout:      5 * time.Second,
		PingPeriod:        2 * time.Second,
		PongWait:          25 * time.Second,
		ReliableQueue:     64,
		SlowConsumerAfter: 3 * time.Second,
		InputRate:         120,
		InputBurst:        60,
		// An honest client sends about 3 KB a second.
		ReadBytesPerSecond: 64 << 10,
		HandshakeTimeout:   5 * time.Second,
	}
}

// withDefaults returns cfg with every zero (or negative) field replaced by
// its default.
func (cfg ConnConfig) withDefaults() ConnConfig {
	d := DefaultConnConfig()
	if cfg.MaxFrameBytes <= 0 {
		cfg.MaxFrameBytes = d.MaxFrameBytes
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = d.WriteTimeout
	}
	if cfg.PingPeriod <= 0 {
		cfg.PingPeriod = d.PingPeriod
	}
	if cfg.PongWait <= 0 {
		cfg.PongWait = d.PongWait
	}
	if cfg.PongWait <= cfg.PingPeriod {
		// A pong can only arrive after a ping; waiting less than a ping
		// period would drop every healthy peer.
		cfg.PongWait = cfg.PingPeriod * 5 / 2
	}
	if cfg.ReliableQueue <= 0 {
		cfg.ReliableQueue = d.ReliableQueue
	}
	if cfg.SlowConsumerAfter <= 0 {
		cfg.SlowConsumerAfter = d.SlowConsumerAfter
	}
	if cfg.InputRate <= 0 {
		cfg.InputRate = d.InputRate
	}
	if cfg.InputBurst <= 0 {
		cfg.InputBurst = d.InputBurst
	}
	if cfg.ReadBytesPerSecond <= 0 {
		cfg.ReadBytesPerSecond = d.ReadBytesPerSecond
	}
	if cfg.HandshakeTimeout <= 0 {
		cfg.HandshakeTimeout = d.HandshakeTimeout
	}
	return cfg
}
