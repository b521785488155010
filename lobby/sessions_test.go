package lobby

import (
	"errors"
	"testing"
	"time"
)

// TestMemorySessions walks the in-memory session table through renewals,
// a lost Welcome, an unknown session, a revocation and its expiry, and the
// table's bound.
func TestMemorySessions(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	m := NewMemorySessions(2, time.Hour).(*memorySessions)
	m.now = func() time.Time { return now }
	exp := now.Add(time.Hour)
	renew := func(id string, gen uint64) (uint64, error) { return m.Renew(id, gen, exp) }

	if err := m.Start("a", 1, exp); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		id      string
		gen     uint64
		want    uint64
		wantErr error
	}{
		{"first token renewed", "a", 1, 2, nil},
		{"the renewal lost: the old token again", "a", 1, 3, nil},
		{"the newest token", "a", 3, 4, nil},
		{"a token older than one used", "a", 2, 0, ErrTokenRetired},
		{"an unknown session is taken as it comes", "b", 7, 8, nil},
		{"and then known", "b", 6, 0, ErrTokenRetired},
	}
	for _, s := range steps {
		got, err := renew(s.id, s.gen)
		if !errors.Is(err, s.wantErr) || got != s.want {
			t.Fatalf("%s: Renew(%s, %d) = %d, %v; want %d, %v", s.name, s.id, s.gen, got, err, s.want, s.wantErr)
		}
	}
	if !m.Revoke("a", now.Add(time.Hour)) {
		t.Error("Revoke of a known session says unknown")
	}
	if _, err := renew("a", 4); !errors.Is(err, ErrSessionRevoked) {
		t.Errorf("renew of a revoked session: %v, want ErrSessionRevoked", err)
	}
	if !m.Revoked("a") || m.Revoked("b") {
		t.Errorf("Revoked(a), Revoked(b) = %v, %v; want true, false", m.Revoked("a"), m.Revoked("b"))
	}
	if m.Revoke("zzz", now.Add(time.Hour)) {
		t.Error("Revoke of an unknown session says known")
	}
	if _, err := renew("zzz", 1); !errors.Is(err, ErrSessionRevoked) {
		t.Errorf("renew of a session revoked unknown: %v, want ErrSessionRevoked", err)
	}
	now = now.Add(2 * time.Hour) // every token of a is expired by now
	if _, err := renew("a", 4); err != nil {
		t.Errorf("renew after the revocation lapsed: %v", err)
	}
	// A table of 2: c pushes out the least recently used.
	if err := m.Start("c", 1, exp); err != nil {
		t.Fatal(err)
	}
	if n := m.live.Len(); n != 2 {
		t.Errorf("table holds %d sessions, want its bound 2", n)
	}
}
