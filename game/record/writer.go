package record

import (
	"fmt"
	"io"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protodelim"
)

// Writer writes a recording message by message, for tools and tests that
// build or edit recordings; a room's Recorder writes its own.
type Writer struct {
	w io.Writer
}

// NewWriter writes header to w and returns a Writer for the entries.
func NewWriter(w io.Writer, header *pb.RecordHeader) (*Writer, error) {
	if _, err := protodelim.MarshalTo(w, header); err != nil {
		return nil, fmt.Errorf("write recording header: %w", err)
	}
	return &Writer{w: w}, nil
}

// Write appends one entry.
func (wr *Writer) Write(e *pb.RecordEntry) error {
	if _, err := protodelim.MarshalTo(wr.w, e); err != nil {
		return fmt.Errorf("write recording entry: %w", err)
	}
	return nil
}
