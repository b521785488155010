package main

import (
	"bytes"
	"testing"
	"time"
)

func TestFormatProgress(t *testing.T) {
	tests := []struct {
		name string
		p    progressSample
		want string
	}{
		{"playing", progressSample{elapsed: 12300 * time.Millisecond, live: 30, bots: 32, rooms: 2,
			snapshotsPS: 599.6, ackP99: 35250 * time.Microsecond, haveAck: true, desyncs: 1, errors: 2},
			"  12.3s  connected 30/32  rooms 2  snapshots/s 600  p99 input→ack 35.2ms  desyncs 1  errors 2"},
		{"no acks yet", progressSample{elapsed: time.Second, bots: 8},
			"   1.0s  connected 0/8  rooms 0  snapshots/s 0  p99 input→ack -  desyncs 0  errors 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatProgress(tt.p); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestProgressWriter(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		want string
	}{
		{"terminal rewrites one line", true, "\r\x1b[Kfirst\r\x1b[Ksecond\n"},
		{"plain lines otherwise", false, "first\nsecond\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			pw := &progressWriter{w: &buf, tty: tt.tty}
			pw.update("first")
			pw.update("second")
			pw.finish()
			if buf.String() != tt.want {
				t.Errorf("wrote %q, want %q", buf.String(), tt.want)
			}
		})
	}
}

func TestProgressWriterSilentFinish(t *testing.T) {
	var buf bytes.Buffer
	(&progressWriter{w: &buf, tty: true}).finish()
	if buf.Len() != 0 {
		t.Errorf("finish with no line wrote %q", buf.String())
	}
}
