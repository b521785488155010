package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tickwire/tickwire/tools/bench/loadstats"
)

// ackRing is how many recent inputs a bot remembers the send time of: as
// many as tickbot keeps unacknowledged (8.5 s of them at 30 a second). An
// ack of an older one is not sampled.
const ackRing = 256

// maxSources bounds -source-addrs as tickbot's does: a /16.
const maxSources = 1 << 16

// fleet is the load generator's bots and counters.
type fleet struct {
	cfg   config
	start time.Time

	snapshots, bytesIn, bytesOut, inputs atomic.Uint64

	mu        sync.Mutex
	live      map[*bot]time.Time // seated bots and when they were seated
	seatedEnd time.Duration      // seated time of bots no longer live
	failed    int
	errors    int
	acks      loadstats.Latencies // since the last stats line
}

// bot is one connection.
type bot struct {
	conn *websocket.Conn

	mu   sync.Mutex
	sent [ackRing]sentInput // input seq at seq % ackRing
}

// sentInput is an input's sequence number and when it was sent, as time
// since the fleet's start (monotonic).
type sentInput struct {
	seq uint32
	at  time.Duration
}

// runLoad dials c.bots bots at c.ramp a second, then writes a stats line to
// out every c.statsEvery until ctx ends, and a last one then.
func runLoad(ctx context.Context, c config, out io.Writer) error {
	sources, err := parseSources(c.sourceAddrs)
	if err != nil {
		return err
	}
	f := &fleet{cfg: c, start: time.Now(), live: map[*bot]time.Time{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f.dialAll(ctx, sources, &wg)
	}()
	enc := json.NewEncoder(out)
	t := time.NewTicker(c.statsEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// The last line comes once every bot has stopped, so that its
			// counters agree with each other.
			wg.Wait()
			return enc.Encode(f.stats(time.Now()))
		case now := <-t.C:
			if err := enc.Encode(f.stats(now)); err != nil {
				cancel()
				wg.Wait()
				return err
			}
		}
	}
}

// dialAll starts one bot every 1/ramp seconds until all are started.
func (f *fleet) dialAll(ctx context.Context, sources []netip.Addr, wg *sync.WaitGroup) {
	every := time.Duration(float64(time.Second) / f.cfg.ramp)
	t := time.NewTicker(every)
	defer t.Stop()
	for i := range f.cfg.bots {
		var src netip.Addr
		if len(sources) > 0 {
			src = sources[i%len(sources)]
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.play(ctx, src)
		}()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// play dials from src (any address when invalid) and plays until ctx ends
// or the connection fails.
func (f *fleet) play(ctx context.Context, src netip.Addr) {
	nd := &net.Dialer{Timeout: 10 * time.Second}
	if src.IsValid() {
		nd.LocalAddr = &net.TCPAddr{IP: src.AsSlice()}
	}
	d := websocket.Dialer{NetDialContext: nd.DialContext, HandshakeTimeout: 10 * time.Second,
		ReadBufferSize: readBufferBytes, WriteBufferSize: writeBufferBytes}
	conn, _, err := d.DialContext(ctx, "ws://"+f.cfg.server+"/", nil)
	if err != nil {
		if ctx.Err() == nil {
			f.mu.Lock()
			f.failed++
			f.mu.Unlock()
		}
		return
	}
	b := &bot{conn: conn}
	f.mu.Lock()
	f.live[b] = time.Now()
	f.mu.Unlock()
	// The end of the run closes the connection, which ends a write or read
	// blocked on a server that no longer reads or writes.
	stopClosing := context.AfterFunc(ctx, func() { conn.Close() })
	defer stopClosing()

	done := make(chan struct{})
	go func() {
		defer close(done)
		f.receive(b)
	}()
	f.send(ctx, b, done)
	conn.Close()
	<-done
	f.mu.Lock()
	f.seatedEnd += time.Since(f.live[b])
	delete(f.live, b)
	if ctx.Err() == nil {
		f.errors++ // the server dropped it
	}
	f.mu.Unlock()
}

// send writes an input every 1/input-hz until ctx ends or receive stops.
func (f *fleet) send(ctx context.Context, b *bot, done <-chan struct{}) {
	msg := make([]byte, f.cfg.inputBytes)
	t := time.NewTicker(time.Second / time.Duration(f.cfg.inputHz))
	defer t.Stop()
	for seq := uint32(1); ; seq++ {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-t.C:
		}
		binary.LittleEndian.PutUint32(msg, seq)
		b.mu.Lock()
		b.sent[seq%ackRing] = sentInput{seq: seq, at: time.Since(f.start)}
		b.mu.Unlock()
		if err := b.conn.WriteMessage(websocket.BinaryMessage, msg); err != nil {
			return
		}
		f.inputs.Add(1)
		f.bytesOut.Add(uint64(len(msg)))
	}
}

// receive counts frames and, as tickbot does, samples input→ack for every
// input a frame acknowledges that the previous frames had not, until the
// connection fails.
func (f *fleet) receive(b *bot) {
	var acked uint32
	var samples []time.Duration
	for {
		_, r, err := b.conn.NextReader()
		if err != nil {
			return
		}
		ack, size, ok, err := readSeq(r)
		if err != nil {
			return
		}
		f.snapshots.Add(1)
		f.bytesIn.Add(uint64(size))
		if !ok || ack <= acked {
			continue
		}
		now := time.Since(f.start)
		samples = samples[:0]
		b.mu.Lock()
		for seq := max(acked+1, ack-min(ack, ackRing-1)); seq <= ack; seq++ {
			if in := b.sent[seq%ackRing]; in.seq == seq {
				samples = append(samples, now-in.at)
			}
		}
		b.mu.Unlock()
		acked = ack
		f.mu.Lock()
		for _, d := range samples {
			f.acks.Add(d)
		}
		f.mu.Unlock()
	}
}

// stats returns the counters as of now and the input→ack samples since
// the previous call.
func (f *fleet) stats(now time.Time) loadstats.Line {
	f.mu.Lock()
	defer f.mu.Unlock()
	seated := f.seatedEnd
	for _, at := range f.live {
		seated += now.Sub(at)
	}
	l := loadstats.Line{
		T: seconds(now.Sub(f.start)), Bots: f.cfg.bots, Live: len(f.live), Failed: f.failed, Errors: f.errors,
		SeatedS: seconds(seated), Snapshots: f.snapshots.Load(), BytesIn: f.bytesIn.Load(),
		BytesOut: f.bytesOut.Load(), Inputs: f.inputs.Load(), AckNs: f.acks.Buckets(),
	}
	f.acks = loadstats.Latencies{}
	return l
}

// seconds is d in seconds to the millisecond.
func seconds(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }

// parseSources returns the host addresses of an IPv4 prefix (none for "").
func parseSources(s string) ([]netip.Addr, error) {
	if s == "" {
		return nil, nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Bits() > 30 || 1<<(32-p.Bits()) > maxSources {
		return nil, fmt.Errorf("-source-addrs %q: want an IPv4 prefix from /16 to /30", s)
	}
	p = p.Masked()
	var out []netip.Addr
	// Every address but the prefix's first and last.
	for a := p.Addr().Next(); p.Contains(a.Next()); a = a.Next() {
		out = append(out, a)
	}
	return out, nil
}
