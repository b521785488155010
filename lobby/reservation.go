package lobby

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// errBadReservation is returned for a seat reservation token that is
// malformed, forged, expired, or another session's.
var errBadReservation = errors.New("invalid seat reservation")

// reservationClaims is what a seat reservation token says: the directory's
// reservation id of a seat in a room, for one session, until expiry.
type reservationClaims struct {
	room, id, session string
	expires           time.Time
}

// signReservation returns the token a Redirect carries: the claims,
// signed with the session secret, so that only a node of the cluster could
// have made it. The directory honours the reservation id once.
func (s *Signer) signReservation(c reservationClaims) string {
	payload := "r1|" + c.room + "|" + c.id + "|" + c.session + "|" + strconv.FormatInt(c.expires.UnixMilli(), 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(s.mac([]byte(payload)))
}

// verifyReservation checks a reservation token's signature and expiry and
// that it was made for sessionID.
func (s *Signer) verifyReservation(token, sessionID string) (reservationClaims, error) {
	enc := base64.RawURLEncoding
	p64, m64, ok := strings.Cut(token, ".")
	payload, err1 := enc.DecodeString(p64)
	mac, err2 := enc.DecodeString(m64)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, s.mac(payload)) {
		return reservationClaims{}, fmt.Errorf("%w: bad signature", errBadReservation)
	}
	f := strings.Split(string(payload), "|")
	if len(f) != 5 || f[0] != "r1" {
		return reservationClaims{}, fmt.Errorf("%w: malformed", errBadReservation)
	}
	ms, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil {
		return reservationClaims{}, fmt.Errorf("%w: malformed", errBadReservation)
	}
	c := reservationClaims{room: f[1], id: f[2], session: f[3], expires: time.UnixMilli(ms)}
	if c.session != sessionID {
		return reservationClaims{}, fmt.Errorf("%w: made for another session", errBadReservation)
	}
	if !s.now().Before(c.expires) {
		return reservationClaims{}, fmt.Errorf("%w: expired", errBadReservation)
	}
	return c, nil
}
