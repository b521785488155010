package lobby

import (
	"crypto/rand"
	"strings"
)

// joinCodeAlphabet has no look-alikes (no 0/O, 1/I/L), so a code read
// aloud or off a screen is typed right.
const joinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// JoinCodeLength is the number of characters of a join code: 31^6 ≈ 887
// million codes, so guessing a live one is hopeless.
const JoinCodeLength = 6

// newJoinCode returns a random join code.
func newJoinCode() string {
	var b [JoinCodeLength]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		// The modulo bias over 256/31 is negligible for codes that live
		// only as long as their room.
		b[i] = joinCodeAlphabet[int(b[i])%len(joinCodeAlphabet)]
	}
	return string(b[:])
}

// normalizeJoinCode upper-cases a typed code and drops spaces and dashes.
func normalizeJoinCode(code string) string {
	code = strings.ToUpper(code)
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
}
