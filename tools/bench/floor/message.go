package main

import (
	"encoding/binary"
	"io"
)

// readSeq reads one message from r: the little-endian sequence number in
// its first four bytes (an input's own, or the newest input a frame
// acknowledges), and the rest, which it discards. It returns the
// message's size, and ok false when the message is shorter than four
// bytes.
func readSeq(r io.Reader) (seq uint32, size int64, ok bool, err error) {
	var head [4]byte
	n, _ := io.ReadFull(r, head[:])
	rest, err := io.Copy(io.Discard, r)
	if err != nil {
		return 0, 0, false, err
	}
	size = int64(n) + rest
	if n < len(head) {
		return 0, size, false, nil
	}
	return binary.LittleEndian.Uint32(head[:]), size, true, nil
}
