package wire

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// ent is one entity for building test rows: its id and its row, the kind
// first; a row shorter than the width is padded with zeros.
type ent struct {
	id  uint32
	row []int32
}

// rowsOf returns rows of layout l holding es, which must ascend by id.
func rowsOf(l *Layout, es ...ent) *Rows {
	r := NewRows(l, len(es))
	for _, e := range es {
		row := make([]int32, l.Width())
		copy(row, e.row)
		r.AppendRow(e.id, row)
	}
	return r
}

// dump formats rows for failure messages.
func dump(r *Rows) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range r.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%d:%v", r.ID(i), r.Row(i))
	}
	b.WriteByte('}')
	return b.String()
}

// randField returns a valid field of a random type called name.
func randField(r *rand.Rand, name string) Field {
	f := Field{Name: name, Type: FieldType(1 + r.IntN(7)), Role: Role(r.IntN(11))}
	switch f.Type {
	case TypeFixed, TypeAngle:
		f.Scale = int32(1 + r.IntN(10000))
	case TypeEnum:
		for k := range 1 + r.IntN(5) {
			f.Names = append(f.Names, fmt.Sprintf("v%d", k))
		}
	case TypeFlags:
		for k := range 1 + r.IntN(32) {
			f.Names = append(f.Names, fmt.Sprintf("b%d", k))
		}
	}
	if f.Type == TypeInt && r.IntN(3) == 0 {
		f.Min = int32(r.IntN(201) - 100)
		f.Max = f.Min + int32(r.IntN(1000))
	}
	switch r.IntN(3) {
	case 1:
		f.Interp = InterpLinear
	case 2:
		if f.Type == TypeAngle {
			f.Interp = InterpAngle
		}
	}
	return f
}

// randFields returns n valid sibling fields.
func randFields(r *rand.Rand, n int) []Field {
	var fs []Field
	for k := range n {
		fs = append(fs, randField(r, fmt.Sprintf("f%d", k)))
	}
	return fs
}

// randSchema returns a valid schema whose rows are width values wide:
// one to four entity kinds of random numbers, one of them with width-1
// fields, the others with fewer or as many.
func randSchema(r *rand.Rand, width int) *Schema {
	s := &Schema{}
	kinds := r.Perm(MaxKind)[:1+r.IntN(4)]
	for k, kind := range kinds {
		n := width - 1
		if k > 0 {
			n = r.IntN(width)
		}
		s.Entities = append(s.Entities, EntityKind{Kind: uint32(kind + 1), Name: fmt.Sprintf("kind%d", kind+1), Fields: randFields(r, n)})
	}
	s.Input = randFields(r, r.IntN(MaxInputFields+1))
	for k := range r.IntN(4) {
		e := EventKind{Kind: uint32(10 + k), Name: fmt.Sprintf("event%d", k), Values: randFields(r, r.IntN(MaxEventValues+1))}
		if r.IntN(2) == 0 {
			e.Actor, e.Target = "shooter", "victim"
		}
		s.Events = append(s.Events, e)
	}
	s.Results = randFields(r, r.IntN(MaxResultValues+1))
	return s
}

// worldGen evolves a random world of one schema the way a hostile game
// might: creates, moves, jumps, extreme values, kind changes, removals
// and id reuse. Every world it makes is valid in its layout.
type worldGen struct {
	r       *rand.Rand
	s       *Schema
	l       *Layout
	world   []ent
	removed []uint32 // ids free for reuse
}

// newWorldGen returns a generator over a random schema of width values.
func newWorldGen(seed uint64, width int) *worldGen {
	r := rand.New(rand.NewPCG(seed, uint64(width)*7919))
	s := randSchema(r, width)
	return &worldGen{r: r, s: s, l: NewLayout(s)}
}

// randValue returns a value from a mix of small, large and extreme.
func (g *worldGen) randValue() int32 {
	switch g.r.IntN(6) {
	case 0:
		return 0
	case 1:
		return []int32{math.MinInt32, math.MaxInt32, -1, 1, math.MinInt32 + 1, math.MaxInt32 - 1}[g.r.IntN(6)]
	case 2:
		return int32(g.r.Uint32()) // any value, often negative
	default:
		return int32(g.r.IntN(2001) - 1000)
	}
}

// randID returns an id not in the world: fresh small, reused, or huge.
func (g *worldGen) randID() uint32 {
	for {
		var id uint32
		switch g.r.IntN(5) {
		case 0:
			if len(g.removed) > 0 {
				id = g.removed[g.r.IntN(len(g.removed))]
			}
		case 1:
			id = math.MaxUint32 - uint32(g.r.IntN(4))
		case 2:
			id = g.r.Uint32()
		default:
			id = uint32(1 + g.r.IntN(200))
		}
		if id == 0 {
			continue
		}
		if _, found := slices.BinarySearchFunc(g.world, id, cmpEnt); !found {
			return id
		}
	}
}

func cmpEnt(e ent, id uint32) int {
	switch {
	case e.id < id:
		return -1
	case e.id > id:
		return 1
	}
	return 0
}

// randRow returns a valid row of a random kind: some all zero but the
// kind, the others with random values in the kind's fields.
func (g *worldGen) randRow() []int32 {
	row := make([]int32, g.l.Width())
	g.setKind(row, g.s.Entities[g.r.IntN(len(g.s.Entities))].Kind)
	if g.r.IntN(4) > 0 {
		n, _ := g.l.Fields(uint32(row[0]))
		for f := range n {
			row[1+f] = g.randValue()
		}
	}
	return row
}

// setKind gives row kind and zeroes the values past its fields.
func (g *worldGen) setKind(row []int32, kind uint32) {
	row[0] = int32(kind)
	n, _ := g.l.Fields(kind)
	clear(row[1+n:])
}

// step returns the next world as new rows (earlier worlds stay intact).
func (g *worldGen) step() *Rows {
	w := make([]ent, len(g.world))
	for k, e := range g.world {
		row := slices.Clone(e.row)
		n, _ := g.l.Fields(uint32(row[0]))
		switch g.r.IntN(9) {
		case 0, 1: // move a little
			for f := 1; f <= min(n, 2); f++ {
				row[f] += int32(g.r.IntN(81) - 40)
			}
		case 2: // any field to anything
			if n > 0 {
				row[1+g.r.IntN(n)] = g.randValue()
			}
		case 3: // large jump (teleport) with wrap-around
			if n > 0 {
				row[1] += int32(g.r.Uint32())
			}
		case 4: // becomes another kind
			if g.r.IntN(4) == 0 {
				g.setKind(row, g.s.Entities[g.r.IntN(len(g.s.Entities))].Kind)
			}
		}
		w[k] = ent{id: e.id, row: row}
	}
	// Removals, then creations (possibly reusing just-removed ids).
	for n := g.r.IntN(3); n > 0 && len(w) > 0; n-- {
		k := g.r.IntN(len(w))
		g.removed = append(g.removed, w[k].id)
		w = slices.Delete(w, k, k+1)
	}
	g.world = w
	for n := g.r.IntN(4); n > 0; n-- {
		e := ent{id: g.randID(), row: g.randRow()}
		i, _ := slices.BinarySearchFunc(g.world, e.id, cmpEnt)
		g.world = slices.Insert(g.world, i, e)
	}
	return rowsOf(g.l, g.world...)
}
