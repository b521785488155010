package lobby

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalidToken is returned for a token that is malformed or whose
// signature does not match (forged, or signed with another secret).
var ErrInvalidToken = errors.New("invalid session token")

// ErrExpiredToken is returned for a well-signed token past its expiry.
var ErrExpiredToken = errors.New("session token expired")

// tokenVersion is the first byte of every token payload, so the format can
// change without old tokens being misread. Version 2 added the generation;
// a version 1 token reads as generation 0.
const (
	tokenVersion   = 2
	tokenVersionV1 = 1
)

// SessionClaims is what a session token says about its holder.
type SessionClaims struct {
	// SessionID identifies the session; it survives reconnections.
	SessionID string
	// Name is the display name the session signed in with.
	Name string
	// Expires is when the token stops being accepted.
	Expires time.Time
	// Generation numbers the session's tokens: each renewal issues the
	// next, and the session table (SessionStore) retires older ones.
	Generation uint64
}

// Signer issues and checks HMAC-SHA256-signed session tokens. A token is
// base64url(payload) "." base64url(mac), where payload is a version byte,
// the expiry in Unix seconds (8 bytes, big-endian), then the session id and
// name, each prefixed by its length in one byte, then the generation (8
// bytes, big-endian).
type Signer struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewSigner returns a signer with the given secret and token lifetime. An
// empty secret is refused: callers pick a random one explicitly
// (RandomSecret) so that the choice is visible in logs.
func NewSigner(secret []byte, ttl time.Duration) (*Signer, error) {
	if len(secret) < 16 {
		return nil, fmt.Errorf("session secret has %d bytes, want at least 16", len(secret))
	}
	if ttl <= 0 {
		return nil, fmt.Errorf("session lifetime %v, want more than 0", ttl)
	}
	return &Signer{secret: secret, ttl: ttl, now: time.Now}, nil
}

// RandomSecret returns 32 random bytes for a server started without a
// configured secret; its tokens die with the process.
func RandomSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return b
}

// Issue returns a token of generation 0 for a session, valid for the
// signer's lifetime.
func (s *Signer) Issue(sessionID, name string) (token string, claims SessionClaims, err error) {
	return s.IssueGeneration(sessionID, name, 0)
}

// IssueGeneration returns a token of generation gen for a session, valid
// for the signer's lifetime.
func (s *Signer) IssueGeneration(sessionID, name string, gen uint64) (token string, claims SessionClaims, err error) {
	if len(sessionID) > 255 || len(name) > 255 {
		return "", SessionClaims{}, errors.New("session id or name too long for a token")
	}
	claims = SessionClaims{SessionID: sessionID, Name: name, Expires: s.now().Add(s.ttl).Truncate(time.Second), Generation: gen}
	payload := make([]byte, 0, 19+len(sessionID)+len(name))
	payload = append(payload, tokenVersion)
	payload = binary.BigEndian.AppendUint64(payload, uint64(claims.Expires.Unix()))
	payload = append(payload, byte(len(sessionID)))
	payload = append(payload, sessionID...)
	payload = append(payload, byte(len(name)))
	payload = append(payload, name...)
	payload = binary.BigEndian.AppendUint64(payload, gen)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(s.mac(payload)), claims, nil
}

// Verify checks a token's signature and expiry and returns its claims.
func (s *Signer) Verify(token string) (SessionClaims, error) {
	enc := base64.RawURLEncoding
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return SessionClaims{}, fmt.Errorf("%w: no signature", ErrInvalidToken)
	}
	payload, err1 := enc.DecodeString(p64)
	mac, err2 := enc.DecodeString(m64)
	if err1 != nil || err2 != nil {
		return SessionClaims{}, fmt.Errorf("%w: not base64url", ErrInvalidToken)
	}
	if !hmac.Equal(mac, s.mac(payload)) {
		return SessionClaims{}, fmt.Errorf("%w: bad signature", ErrInvalidToken)
	}
	claims, err := parsePayload(payload)
	if err != nil {
		return SessionClaims{}, err
	}
	if !s.now().Before(claims.Expires) {
		return SessionClaims{}, fmt.Errorf("%w at %s", ErrExpiredToken, claims.Expires.UTC().Format(time.RFC3339))
	}
	return claims, nil
}

func (s *Signer) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, s.secret)
	h.Write(payload)
	return h.Sum(nil)
}

func parsePayload(p []byte) (SessionClaims, error) {
	bad := fmt.Errorf("%w: malformed payload", ErrInvalidToken)
	if len(p) < 10 || p[0] != tokenVersion && p[0] != tokenVersionV1 {
		return SessionClaims{}, bad
	}
	exp := int64(binary.BigEndian.Uint64(p[1:9]))
	rest := p[9:]
	field := func() (string, bool) {
		if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
			return "", false
		}
		n := int(rest[0])
		v := string(rest[1 : 1+n])
		rest = rest[1+n:]
		return v, true
	}
	sid, ok1 := field()
	name, ok2 := field()
	var gen uint64
	if p[0] == tokenVersion && len(rest) == 8 {
		gen = binary.BigEndian.Uint64(rest)
		rest = rest[8:]
	}
	if !ok1 || !ok2 || len(rest) != 0 || sid == "" {
		return SessionClaims{}, bad
	}
	return SessionClaims{SessionID: sid, Name: name, Expires: time.Unix(exp, 0), Generation: gen}, nil
}
