package wire

import (
	"strings"
	"testing"
	"unicode/utf8"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

func TestCloseCodes(t *testing.T) {
	tests := []struct {
		reason pb.CloseReason
		code   int
		label  string
	}{
		{pb.CloseReason_CLOSE_REASON_NORMAL, 4001, "normal"},
		{pb.CloseReason_CLOSE_REASON_KICKED, 4002, "kicked"},
		{pb.CloseReason_CLOSE_REASON_SLOW_CONSUMER, 4004, "slow_consumer"},
		{pb.CloseReason_CLOSE_REASON_SERVER_SHUTDOWN, 4005, "server_shutdown"},
		{pb.CloseReason_CLOSE_REASON_PROTOCOL_ERROR, 4006, "protocol_error"},
		{pb.CloseReason_CLOSE_REASON_IDLE_TIMEOUT, 4010, "idle_timeout"},
		{pb.CloseReason_CLOSE_REASON_AUTH_FAILED, 4011, "auth_failed"},
		{pb.CloseReason_CLOSE_REASON_SERVER_FULL, 4012, "server_full"},
	}
	for _, tt := range tests {
		t.Run(tt.label, func(t *testing.T) {
			if got := CloseCode(tt.reason); got != tt.code {
				t.Errorf("CloseCode = %d, want %d", got, tt.code)
			}
			if got, ok := ReasonFromCloseCode(tt.code); !ok || got != tt.reason {
				t.Errorf("ReasonFromCloseCode(%d) = %v, %v; want %v, true", tt.code, got, ok, tt.reason)
			}
			if got := ReasonLabel(tt.reason); got != tt.label {
				t.Errorf("ReasonLabel = %q, want %q", got, tt.label)
			}
		})
	}
}

func TestReasonFromCloseCodeRejects(t *testing.T) {
	for _, code := range []int{1000, 1009, 3999, 4000, 4099, 4999, 5000} {
		if r, ok := ReasonFromCloseCode(code); ok {
			t.Errorf("ReasonFromCloseCode(%d) = %v, true; want false", code, r)
		}
	}
}

func TestCloseErrorText(t *testing.T) {
	tests := []struct {
		err  *CloseError
		want string
	}{
		{&CloseError{Reason: pb.CloseReason_CLOSE_REASON_KICKED, Message: "bye"}, "connection closed: kicked: bye"},
		{&CloseError{Reason: pb.CloseReason_CLOSE_REASON_NORMAL}, "connection closed: normal"},
		{&CloseError{Reason: pb.CloseReason(77)}, "connection closed: reason_77"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCloseText(t *testing.T) {
	tests := []struct {
		name, in string
		wantLen  int
	}{
		{"short", "bye", 3},
		{"exactly the limit", strings.Repeat("a", 123), 123},
		{"ascii too long", strings.Repeat("a", 200), 123},
		{"two-byte runes cut at a boundary", strings.Repeat("é", 100), 122},
		{"four-byte runes cut at a boundary", strings.Repeat("😀", 40), 120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CloseText(tt.in)
			if len(got) != tt.wantLen || !utf8.ValidString(got) || !strings.HasPrefix(tt.in, got) {
				t.Errorf("CloseText gave %d bytes (valid UTF-8 %v), want a %d-byte prefix", len(got), utf8.ValidString(got), tt.wantLen)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	msg := ErrorMessage(pb.ErrorCode_ERROR_CODE_ROOM_FULL, "full")
	if e := msg.GetError(); e.GetCode() != pb.ErrorCode_ERROR_CODE_ROOM_FULL || e.GetMessage() != "full" {
		t.Errorf("ErrorMessage = %v", msg)
	}
}
