package record

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/encoding/protodelim"
)

// MaxMessageBytes bounds one message of a recording; the largest a room
// writes is a join with a long name or a debug command.
const MaxMessageBytes = 1 << 20

// ErrFormat means the stream is not a recording this package reads.
var ErrFormat = errors.New("not a tickwire recording")

// unmarshal reads length-delimited messages of at most MaxMessageBytes.
var unmarshal = protodelim.UnmarshalOptions{MaxSize: MaxMessageBytes}

// Reader reads a recording: its header at once, then entries one by one.
type Reader struct {
	r       *bufio.Reader
	header  *pb.RecordHeader
	entries int
}

// NewReader reads the header of the recording in r. It returns an error
// wrapping ErrFormat for a stream without a valid header or of another
// format version.
func NewReader(r io.Reader) (*Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	h := &pb.RecordHeader{}
	if err := unmarshal.UnmarshalFrom(br, h); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read recording header: %w: empty stream", ErrFormat)
		}
		return nil, fmt.Errorf("read recording header: %w: %w", ErrFormat, err)
	}
	if v := h.GetFormatVersion(); v != FormatVersion {
		return nil, fmt.Errorf("read recording header: %w: format version %d, this build reads %d", ErrFormat, v, FormatVersion)
	}
	if h.GetTickHz() == 0 || h.GetMode() == "" {
		return nil, fmt.Errorf("read recording header: %w: tick rate %d, mode %q", ErrFormat, h.GetTickHz(), h.GetMode())
	}
	return &Reader{r: br, header: h}, nil
}

// Header returns the recording's header.
func (rd *Reader) Header() *pb.RecordHeader { return rd.header }

// Next returns the next entry, or io.EOF at the clean end of the
// recording. A recording cut inside an entry (a room that died mid-write)
// gives an error wrapping io.ErrUnexpectedEOF.
func (rd *Reader) Next() (*pb.RecordEntry, error) {
	e := &pb.RecordEntry{}
	if err := unmarshal.UnmarshalFrom(rd.r, e); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("read recording entry %d: %w", rd.entries+1, err)
	}
	rd.entries++
	return e, nil
}

// Entries returns how many entries Next has returned.
func (rd *Reader) Entries() int { return rd.entries }
