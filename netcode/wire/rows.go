package wire

import (
	"fmt"
	"slices"
)

// Layout is what a Rows needs of a Schema: the row width and each kind's
// field count. Build one per schema with NewLayout and share it; it is
// immutable.
type Layout struct {
	width int
	// fields[k] is kind k's field count, or -1 for a kind the schema does
	// not declare.
	fields [MaxKind + 1]int8
	// unchecked has the row values every declared kind has, as mask bits
	// (bits 1 to the fewest fields of any kind): writing only those cannot
	// make a valid row invalid, so decoders skip the row's check.
	unchecked uint64
}

// NewLayout returns the layout of s, which must be valid (Validate).
func NewLayout(s *Schema) *Layout {
	l := &Layout{width: s.Width()}
	for k := range l.fields {
		l.fields[k] = -1
	}
	fewest := MaxFields
	for k := range s.Entities {
		e := &s.Entities[k]
		l.fields[e.Kind] = int8(len(e.Fields))
		fewest = min(fewest, len(e.Fields))
	}
	l.unchecked = valueBits(fewest)
	return l
}

// valueBits returns the mask bits of values 1 to n of a row.
func valueBits(n int) uint64 { return (1<<n - 1) << 1 }

// NewWidthLayout returns a layout of width values per row that accepts
// every kind 1..MaxKind with width-1 fields, for code that has no schema
// (codec tests, tools decoding raw deltas). It panics unless
// 1 <= width <= 1+MaxFields.
func NewWidthLayout(width int) *Layout {
	if width < 1 || width > 1+MaxFields {
		panic(fmt.Sprintf("wire: row width %d outside 1..%d", width, 1+MaxFields))
	}
	l := &Layout{width: width}
	for k := range l.fields {
		l.fields[k] = int8(width - 1)
	}
	l.fields[0] = -1
	l.unchecked = valueBits(width - 1)
	return l
}

// Width returns the values per row: the kind, then the fields.
func (l *Layout) Width() int { return l.width }

// Fields returns how many fields kind declares, and false for a kind the
// layout does not know.
func (l *Layout) Fields(kind uint32) (int, bool) {
	if kind > MaxKind || l.fields[kind] < 0 {
		return 0, false
	}
	return int(l.fields[kind]), true
}

// Rows is a set of entities in ascending id order, each a row of
// Layout.Width integers: its kind, then its fields. It is what a player
// sees at one tick (a view), what a snapshot encodes and what a client's
// replica holds.
//
// In memory every entity takes 1+Width consecutive int32s, the id first,
// which is exactly the canonical encoding the checksum covers.
type Rows struct {
	layout *Layout
	data   []int32
}

// NewRows returns empty rows of layout l with room for capacity entities.
func NewRows(l *Layout, capacity int) *Rows {
	return &Rows{layout: l, data: make([]int32, 0, capacity*(1+l.width))}
}

// stride is the int32s one entity takes.
func (r *Rows) stride() int { return 1 + r.layout.width }

// Layout returns the rows' layout.
func (r *Rows) Layout() *Layout { return r.layout }

// Width returns the values per row.
func (r *Rows) Width() int { return r.layout.width }

// Len returns the number of entities.
func (r *Rows) Len() int {
	if r == nil || r.layout == nil {
		return 0
	}
	return len(r.data) / r.stride()
}

// ID returns entity i's id.
func (r *Rows) ID(i int) uint32 { return uint32(r.data[i*r.stride()]) }

// Kind returns entity i's kind.
func (r *Rows) Kind(i int) uint32 { return uint32(r.data[i*r.stride()+1]) }

// Row returns entity i's whole row, the kind first, as a slice into the
// rows: writes change the entity.
func (r *Rows) Row(i int) []int32 {
	s := r.stride()
	return r.data[i*s+1 : (i+1)*s : (i+1)*s]
}

// Fields returns entity i's fields as a slice into the rows: as many as
// its kind declares, or all Width-1 for a kind the layout does not know.
func (r *Rows) Fields(i int) []int32 {
	s := r.stride()
	n, ok := r.layout.Fields(r.Kind(i))
	if !ok {
		n = s - 2
	}
	return r.data[i*s+2 : i*s+2+n : i*s+2+n]
}

// Field returns field f of entity i, 0 when the kind has no field f.
func (r *Rows) Field(i, f int) int32 {
	fields := r.Fields(i)
	if f < 0 || f >= len(fields) {
		return 0
	}
	return fields[f]
}

// Append adds an entity of kind with every field 0 and returns its fields
// (as many as the kind declares) for the caller to fill. Ids must be
// appended in strictly ascending order from 1.
//
// Append panics when id is not above the last id or kind is not in the
// layout: a game's View that does either has a bug that would otherwise
// reach every client as a desync.
func (r *Rows) Append(id, kind uint32) []int32 {
	n, ok := r.layout.Fields(kind)
	if !ok {
		panic(fmt.Sprintf("wire: entity %d has kind %d, which the schema does not declare", id, kind))
	}
	if last := r.Len(); id == 0 || (last > 0 && id <= r.ID(last-1)) {
		panic(fmt.Sprintf("wire: entity id %d appended after %d: ids must ascend from 1", id, r.lastID()))
	}
	s := r.stride()
	at := len(r.data)
	r.data = slices.Grow(r.data, s)[:at+s]
	clear(r.data[at:])
	r.data[at] = int32(id)
	r.data[at+1] = int32(kind)
	return r.data[at+2 : at+2+n : at+2+n]
}

// lastID returns the newest id, 0 for none.
func (r *Rows) lastID() uint32 {
	if n := r.Len(); n > 0 {
		return r.ID(n - 1)
	}
	return 0
}

// Find returns the index of the entity with id, and whether there is one.
func (r *Rows) Find(id uint32) (int, bool) {
	s := r.stride()
	lo, hi := 0, r.Len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if uint32(r.data[m*s]) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < r.Len() && uint32(r.data[lo*s]) == id
}

// Reset empties the rows, keeping their layout and memory.
func (r *Rows) Reset() { r.data = r.data[:0] }

// SetLayout empties the rows and gives them layout l.
func (r *Rows) SetLayout(l *Layout) {
	r.layout = l
	r.data = r.data[:0]
}

// CopyFrom makes r a copy of src, layout included, reusing r's memory.
func (r *Rows) CopyFrom(src *Rows) {
	r.layout = src.layout
	r.data = append(r.data[:0], src.data...)
}

// Clone returns a copy of r that shares no memory with it.
func (r *Rows) Clone() *Rows {
	return &Rows{layout: r.layout, data: slices.Clone(r.data)}
}

// Equal reports whether r and o hold the same entities with the same
// values (layouts of the same width compare by content).
func (r *Rows) Equal(o *Rows) bool {
	return r.Width() == o.Width() && slices.Equal(r.data, o.data)
}

// AppendRow adds entity id with row (the kind first) as it is, for tools
// and tests; it panics like Append when id does not ascend or the kind is
// not in the layout, and when row is not Width values long.
func (r *Rows) AppendRow(id uint32, row []int32) {
	if len(row) != r.layout.width {
		panic(fmt.Sprintf("wire: row of %d values for width %d", len(row), r.layout.width))
	}
	if _, ok := r.layout.Fields(uint32(row[0])); !ok {
		panic(fmt.Sprintf("wire: entity %d has kind %d, which the schema does not declare", id, row[0]))
	}
	if last := r.Len(); id == 0 || (last > 0 && id <= r.ID(last-1)) {
		panic(fmt.Sprintf("wire: entity id %d appended after %d: ids must ascend from 1", id, r.lastID()))
	}
	r.data = append(r.data, int32(id))
	r.data = append(r.data, row...)
}

// validRow reports whether row (the kind first, Width values) is valid in
// l: its kind is declared and every value past the kind's fields is 0.
func (l *Layout) validRow(row []int32) bool {
	n, ok := l.Fields(uint32(row[0]))
	return ok && allZero(row[1+n:])
}

// allZero reports whether every value of vs is 0.
func allZero(vs []int32) bool {
	for _, v := range vs {
		if v != 0 {
			return false
		}
	}
	return true
}

// rowProblem says why validRow refuses row.
func (l *Layout) rowProblem(row []int32) string {
	kind := uint32(row[0])
	n, ok := l.Fields(kind)
	if !ok {
		return fmt.Sprintf("kind %d is not declared", kind)
	}
	for i, v := range row[1+n:] {
		if v != 0 {
			return fmt.Sprintf("kind %d has %d fields, but row value %d is %d", kind, n, 1+n+i, v)
		}
	}
	return "valid"
}
