package wire

import (
	"fmt"
	"strings"
	"unicode/utf8"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// closeCodeBase is the WebSocket close code of CLOSE_REASON_UNSPECIFIED; the
// 4000-4999 range is reserved for applications by RFC 6455.
const closeCodeBase = 4000

// CloseCodeFrameTooLarge is the WebSocket close code (1009, "message too
// big") a client gets when it sends a frame larger than MaxFrameBytes. The
// socket library sends it the moment it reads the oversized frame's header,
// before any tickwire message could be written, so it is the only signal.
const CloseCodeFrameTooLarge = 1009

// maxCloseText is the longest close-frame text: a control frame payload holds
// 125 bytes, two of which are the code.
const maxCloseText = 123

// CloseCode returns the WebSocket close code for reason: 4000 + its number.
func CloseCode(reason pb.CloseReason) int {
	return closeCodeBase + int(reason)
}

// ReasonFromCloseCode returns the close reason a WebSocket close code
// carries, and false when the code is not one of tickwire's reasons.
func ReasonFromCloseCode(code int) (pb.CloseReason, bool) {
	n := code - closeCodeBase
	if n <= 0 || n > 999 {
		return pb.CloseReason_CLOSE_REASON_UNSPECIFIED, false
	}
	if _, ok := pb.CloseReason_name[int32(n)]; !ok {
		return pb.CloseReason_CLOSE_REASON_UNSPECIFIED, false
	}
	return pb.CloseReason(n), true
}

// CloseError is a connection ending for a tickwire close reason. A handler
// returns one to close its connection with that reason; Serve returns one
// when the server closed the connection; the client library returns one when
// the server did.
type CloseError struct {
	// Reason says why the connection ended.
	Reason pb.CloseReason
	// Message is the human-readable detail sent with the close.
	Message string
}

// Error implements error.
func (e *CloseError) Error() string {
	if e.Message == "" {
		return "connection closed: " + ReasonLabel(e.Reason)
	}
	return fmt.Sprintf("connection closed: %s: %s", ReasonLabel(e.Reason), e.Message)
}

// ReasonLabel returns the lowercase name of reason without its enum prefix,
// such as "slow_consumer", for metric labels and messages.
func ReasonLabel(reason pb.CloseReason) string {
	name, ok := pb.CloseReason_name[int32(reason)]
	if !ok {
		return fmt.Sprintf("reason_%d", int32(reason))
	}
	return strings.ToLower(strings.TrimPrefix(name, "CLOSE_REASON_"))
}

// CloseText cuts s to fit a close frame without splitting a UTF-8 sequence.
func CloseText(s string) string {
	if len(s) <= maxCloseText {
		return s
	}
	cut := maxCloseText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// ErrorMessage returns a ServerMessage holding an Error with code and text.
func ErrorMessage(code pb.ErrorCode, text string) *pb.ServerMessage {
	return &pb.ServerMessage{Body: &pb.ServerMessage_Error{Error: &pb.Error{Code: code, Message: text}}}
}
