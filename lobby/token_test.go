package lobby

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func newTestSigner(t *testing.T, now *time.Time) *Signer {
	t.Helper()
	s, err := NewSigner([]byte("0123456789abcdef0123456789abcdef"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return *now }
	return s
}

func TestTokenRoundTrip(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newTestSigner(t, &now)
	tok, claims, err := s.Issue("sess-1", "Zoë")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionID != "sess-1" || got.Name != "Zoë" || !got.Expires.Equal(claims.Expires) || !got.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("claims = %+v, want sess-1/Zoë expiring %v", got, now.Add(time.Hour))
	}
}

func TestTokenRefusals(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	s := newTestSigner(t, &now)
	tok, _, err := s.Issue("sess-1", "ada")
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewSigner([]byte("another-secret-of-32-bytes-long!"), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	other.now = s.now
	foreign, _, _ := other.Issue("sess-1", "ada")
	payload, mac, _ := strings.Cut(tok, ".")
	flipped := []byte(payload)
	flipped[3] ^= 1

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"empty", "", ErrInvalidToken},
		{"no dot", payload, ErrInvalidToken},
		{"not base64", "!!!." + mac, ErrInvalidToken},
		{"tampered payload", string(flipped) + "." + mac, ErrInvalidToken},
		{"other secret", foreign, ErrInvalidToken},
		{"truncated mac", payload + "." + mac[:10], ErrInvalidToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := s.Verify(tt.token); !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		later := now.Add(time.Hour)
		s.now = func() time.Time { return later }
		if _, err := s.Verify(tok); !errors.Is(err, ErrExpiredToken) {
			t.Fatalf("Verify after expiry = %v, want ErrExpiredToken", err)
		}
	})
}

func TestNewSignerRejectsWeakSecret(t *testing.T) {
	if _, err := NewSigner([]byte("short"), time.Hour); err == nil {
		t.Fatal("5-byte secret accepted")
	}
	if _, err := NewSigner(RandomSecret(), 0); err == nil {
		t.Fatal("zero lifetime accepted")
	}
}
