package client

import (
	"errors"
	"fmt"
	"strings"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Errors of the client library.
var (
	// ErrClientClosed is what Client.Err and failed calls return after the
	// caller closed the client.
	ErrClientClosed = errors.New("client: client closed")
	// ErrNotJoined is returned by calls that need a seat in a room.
	ErrNotJoined = errors.New("client: not in a room")
	// ErrReconnecting is returned by requests (Join, CreateRoom, ListRooms,
	// ...) made while the client is redialing, and wraps the loss for
	// requests that were waiting when the connection was lost. Retry after
	// OnReconnect.
	ErrReconnecting = errors.New("client: reconnecting")
	// ErrReconnectGaveUp is wrapped by Client.Err when no redial succeeded
	// within ReconnectPolicy.GiveUpAfter; the error also wraps the loss.
	ErrReconnectGaveUp = errors.New("client: reconnect gave up")
)

// ServerError is an Error message the server answered a request with, such
// as a refused Hello or JoinRoom.
type ServerError struct {
	// Code says what was refused and why.
	Code pb.ErrorCode
	// Message is the server's human-readable detail.
	Message string
}

// Error implements error.
func (e *ServerError) Error() string {
	code := strings.ToLower(strings.TrimPrefix(e.Code.String(), "ERROR_CODE_"))
	if e.Message == "" {
		return "server error: " + code
	}
	return fmt.Sprintf("server error: %s: %s", code, e.Message)
}

// serverError converts a wire Error.
func serverError(e *pb.Error) *ServerError {
	return &ServerError{Code: e.GetCode(), Message: e.GetMessage()}
}
