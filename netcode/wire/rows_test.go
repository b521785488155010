package wire

import (
	"slices"
	"testing"
)

// mustPanic fails t unless f panics.
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

func TestLayout(t *testing.T) {
	l := NewLayout(validSchema())
	if l.Width() != 8 {
		t.Fatalf("Width = %d, want 8", l.Width())
	}
	tests := []struct {
		kind   uint32
		fields int
		ok     bool
	}{
		{0, 0, false}, {1, 7, true}, {2, 1, true}, {3, 0, false}, {255, 0, false}, {256, 0, false}, {1 << 31, 0, false},
	}
	for _, tt := range tests {
		if n, ok := l.Fields(tt.kind); n != tt.fields || ok != tt.ok {
			t.Errorf("Fields(%d) = %d, %v; want %d, %v", tt.kind, n, ok, tt.fields, tt.ok)
		}
	}
	w := NewWidthLayout(5)
	for _, kind := range []uint32{1, 77, MaxKind} {
		if n, ok := w.Fields(kind); n != 4 || !ok {
			t.Errorf("width layout Fields(%d) = %d, %v; want 4, true", kind, n, ok)
		}
	}
	if _, ok := w.Fields(0); ok {
		t.Error("width layout accepts kind 0")
	}
	mustPanic(t, "NewWidthLayout(0)", func() { NewWidthLayout(0) })
	mustPanic(t, "NewWidthLayout(34)", func() { NewWidthLayout(1 + MaxFields + 1) })
}

func TestRowsAppend(t *testing.T) {
	l := NewLayout(validSchema())
	r := NewRows(l, 1)
	f := r.Append(3, 1)
	if len(f) != 7 {
		t.Fatalf("player fields = %d, want 7", len(f))
	}
	f[0], f[6] = 10, 4
	shot := r.Append(9, 2)
	if len(shot) != 1 {
		t.Fatalf("shot fields = %d, want 1", len(shot))
	}
	shot[0] = -5
	// The returned slices are capped: appending to them cannot reach the
	// next entity or the padding of a narrow kind.
	if cap(shot) != 1 || cap(f) != 7 {
		t.Fatalf("field slices have capacities %d and %d, want 1 and 7", cap(shot), cap(f))
	}
	if r.Len() != 2 || r.ID(0) != 3 || r.ID(1) != 9 || r.Kind(0) != 1 || r.Kind(1) != 2 {
		t.Fatalf("rows = %s", dump(r))
	}
	if got := r.Row(1); !slices.Equal(got, []int32{2, -5, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("shot row = %v", got)
	}
	if r.Field(0, 6) != 4 || r.Field(1, 0) != -5 || r.Field(1, 3) != 0 || r.Field(1, -1) != 0 {
		t.Fatal("Field reads the wrong values")
	}
	if got := len(r.Fields(1)); got != 1 {
		t.Fatalf("Fields of a shot = %d values, want 1", got)
	}
	// Reused memory comes back zeroed.
	r.Reset()
	if r.Len() != 0 || r.Layout() != l {
		t.Fatal("Reset did not empty the rows or lost the layout")
	}
	if f := r.Append(1, 1); slices.ContainsFunc(f, func(v int32) bool { return v != 0 }) {
		t.Fatalf("Append after Reset returned %v, want zeros", f)
	}
}

func TestRowsAppendPanics(t *testing.T) {
	l := NewLayout(validSchema())
	tests := []struct {
		name string
		f    func(r *Rows)
	}{
		{"id 0", func(r *Rows) { r.Append(0, 1) }},
		{"id repeated", func(r *Rows) { r.Append(5, 1); r.Append(5, 2) }},
		{"id descending", func(r *Rows) { r.Append(5, 1); r.Append(4, 1) }},
		{"kind 0", func(r *Rows) { r.Append(1, 0) }},
		{"kind not in the schema", func(r *Rows) { r.Append(1, 3) }},
		{"kind beyond 255", func(r *Rows) { r.Append(1, 257) }},
		{"AppendRow id descending", func(r *Rows) { r.Append(5, 1); r.AppendRow(4, make([]int32, 8)) }},
		{"AppendRow kind not in the schema", func(r *Rows) { r.AppendRow(1, []int32{3, 0, 0, 0, 0, 0, 0, 0}) }},
		{"AppendRow short row", func(r *Rows) { r.AppendRow(1, []int32{1}) }},
		{"AppendRow long row", func(r *Rows) { r.AppendRow(1, make([]int32, 9)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustPanic(t, tt.name, func() { tt.f(NewRows(l, 0)) })
		})
	}
}

func TestRowsFind(t *testing.T) {
	r := rowsOf(NewWidthLayout(2), ent{2, []int32{1}}, ent{5, []int32{1}}, ent{9, []int32{1}}, ent{1 << 31, []int32{1}})
	tests := []struct {
		id    uint32
		index int
		found bool
	}{
		{1, 0, false}, {2, 0, true}, {3, 1, false}, {5, 1, true}, {9, 2, true}, {10, 3, false},
		{1 << 31, 3, true}, {1<<31 + 1, 4, false}, {^uint32(0), 4, false},
	}
	for _, tt := range tests {
		if i, ok := r.Find(tt.id); i != tt.index || ok != tt.found {
			t.Errorf("Find(%d) = %d, %v; want %d, %v", tt.id, i, ok, tt.index, tt.found)
		}
	}
	if i, ok := NewRows(NewWidthLayout(2), 0).Find(1); i != 0 || ok {
		t.Errorf("Find in empty rows = %d, %v", i, ok)
	}
}

func TestRowsCopies(t *testing.T) {
	a := rowsOf(NewWidthLayout(3), ent{1, []int32{1, 2, 3}}, ent{4, []int32{2}})
	c := a.Clone()
	c.Row(0)[1] = 99
	if a.Row(0)[1] != 2 {
		t.Fatal("Clone shares memory")
	}
	if a.Equal(c) {
		t.Fatal("Equal ignores a changed value")
	}
	var d Rows
	d.CopyFrom(a)
	if !d.Equal(a) || d.Layout() != a.Layout() {
		t.Fatal("CopyFrom is not a copy")
	}
	d.Row(1)[0] = 3
	if a.Row(1)[0] != 2 {
		t.Fatal("CopyFrom shares memory")
	}
	// Equal compares content across layouts of one width, never across
	// widths.
	other := rowsOf(NewWidthLayout(3), ent{1, []int32{1, 2, 3}}, ent{4, []int32{2}})
	if !other.Equal(a) {
		t.Fatal("equal rows of two layouts of one width differ")
	}
	if NewRows(NewWidthLayout(3), 0).Equal(NewRows(NewWidthLayout(4), 0)) {
		t.Fatal("empty rows of widths 3 and 4 are equal")
	}
	d.SetLayout(NewWidthLayout(5))
	if d.Len() != 0 || d.Width() != 5 {
		t.Fatal("SetLayout did not empty the rows or set the width")
	}
	var none *Rows
	if none.Len() != 0 || (&Rows{}).Len() != 0 {
		t.Fatal("nil or zero rows have entities")
	}
}
