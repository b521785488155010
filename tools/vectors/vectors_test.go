package vectors

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/tickwire/tickwire/game/catalog"
	"github.com/tickwire/tickwire/netcode/client"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
	"google.golang.org/protobuf/proto"
)

var update = flag.Bool("update", false, "rewrite "+vectorsPath)

// vectorsPath is the committed file, relative to this package.
const vectorsPath = "../../web/sdk/testdata/vectors.json"

// TestVectors regenerates the vectors and compares them with the committed
// file (or, with -update, writes it). Every vector is also checked against
// the Go codec here, so the file states what Go does.
func TestVectors(t *testing.T) {
	v := generate(t)
	got := v.encode(t)
	if *update {
		if err := os.WriteFile(vectorsPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %s", vectorsPath, v.counts())
		return
	}
	want, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatalf("%v (run go test ./tools/vectors -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from what the code produces (run go test ./tools/vectors -update if the change is meant)", vectorsPath)
	}
	t.Logf("%s is current: %s", vectorsPath, v.counts())
}

// vectors is the whole file.
type vectors struct {
	Schemas        []schemaVec        `json:"schemas"`
	Deltas         []deltaVec         `json:"deltas"`
	Frames         []frameVec         `json:"frames"`
	Malformed      []malformedVec     `json:"malformed"`
	InvalidSchemas []invalidSchemaVec `json:"invalid_schemas"`
	Fields         []fieldVec         `json:"fields"`
	Lerps          []lerpVec          `json:"lerps"`
	AngleLerps     []angleLerpVec     `json:"angle_lerps"`
}

// schemaVec is one schema: its binary Schema message and, for people, its kinds.
type schemaVec struct {
	Name  string        `json:"name"`
	Proto string        `json:"proto"`
	Width int           `json:"width"`
	Kinds []kindSummary `json:"kinds"`
}

type kindSummary struct {
	Kind   uint32   `json:"kind"`
	Name   string   `json:"name"`
	Fields []string `json:"fields"`
}

// deltaVec is a valid delta: base and target rows ([id, kind, fields...],
// each the schema's width after the id), the delta, the target's checksum.
// Encoded says the encoder writes exactly these bytes; the others are
// valid deltas an encoder never writes (non-minimal varints, split runs,
// mask 0, mutated bytes that still decode).
//
// A base is written out (Base) or, to keep the file small, is the base
// (BaseOf) or the target (BaseIsTargetOf) of an earlier delta vector.
type deltaVec struct {
	Name           string     `json:"name"`
	Schema         string     `json:"schema"`
	Base           *[][]int64 `json:"base,omitempty"`
	BaseOf         string     `json:"base_of,omitempty"`
	BaseIsTargetOf string     `json:"base_is_target_of,omitempty"`
	Delta          string     `json:"delta"`
	Target         [][]int64  `json:"target"`
	Checksum       uint32     `json:"checksum"`
	Encoded        bool       `json:"encoded"`
}

// frameVec is a snapshot frame (a ServerMessage) of the delta named Delta.
type frameVec struct {
	Name         string     `json:"name"`
	Delta        string     `json:"delta"`
	Frame        string     `json:"frame"`
	Tick         uint32     `json:"tick"`
	BaseTick     uint32     `json:"base_tick"`
	ServerTimeUS int64      `json:"server_time_us"`
	Checksum     uint32     `json:"checksum"`
	LastInputSeq uint32     `json:"last_input_seq"`
	Events       []eventVec `json:"events"`
}

type eventVec struct {
	Tick   uint32   `json:"tick"`
	Kind   uint32   `json:"kind"`
	Actor  uint32   `json:"actor"`
	Target uint32   `json:"target"`
	Values [4]int32 `json:"values"`
}

// malformedVec is a delta the decoder must refuse, with the rule Go names.
// Its base is either written out (Base) or, for the large ones, the base
// of the delta vector named BaseOf.
type malformedVec struct {
	Name   string     `json:"name"`
	Schema string     `json:"schema"`
	Base   *[][]int64 `json:"base,omitempty"`
	BaseOf string     `json:"base_of,omitempty"`
	Delta  string     `json:"delta"`
	Rule   string     `json:"rule"`
}

// invalidSchemaVec is a Schema message a client must refuse.
type invalidSchemaVec struct {
	Name    string `json:"name"`
	Proto   string `json:"proto"`
	Problem string `json:"problem"`
}

// fieldVec is one field's value conversions.
type fieldVec struct {
	Where      string       `json:"where"`
	Field      string       `json:"field"`
	Proto      string       `json:"proto"`
	Clamp      [][2]int64   `json:"clamp"`
	Quantize   []quantVec   `json:"quantize"`
	Dequantize []dequantVec `json:"dequantize"`
	Text       []textVec    `json:"text"`
}

type quantVec struct {
	V   float64 `json:"v"`
	Raw int32   `json:"raw"`
}

type dequantVec struct {
	Raw int32   `json:"raw"`
	V   float64 `json:"v"`
}

type textVec struct {
	Raw  int32  `json:"raw"`
	Text string `json:"text"`
}

type lerpVec struct {
	A    int32   `json:"a"`
	B    int32   `json:"b"`
	T    float64 `json:"t"`
	Want int32   `json:"want"`
}

type angleLerpVec struct {
	A     int32   `json:"a"`
	B     int32   `json:"b"`
	Steps int32   `json:"steps"`
	T     float64 `json:"t"`
	Want  int32   `json:"want"`
}

// counts says how many vectors of each section there are.
func (v *vectors) counts() string {
	return fmt.Sprintf("%d schemas, %d deltas, %d frames, %d malformed, %d invalid schemas, %d fields, %d lerps, %d angle lerps",
		len(v.Schemas), len(v.Deltas), len(v.Frames), len(v.Malformed), len(v.InvalidSchemas), len(v.Fields), len(v.Lerps), len(v.AngleLerps))
}

// encode writes the file: one JSON object, each vector on a line of its
// own so that a change shows as a readable diff.
func (v *vectors) encode(t *testing.T) []byte {
	var b bytes.Buffer
	b.WriteString("{\n\"about\": \"tickwire codec test vectors, written by go test ./tools/vectors -update; see tools/vectors/doc.go\",\n")
	section := func(name string, items any, last bool) {
		raw, err := json.Marshal(items)
		if err != nil {
			t.Fatal(err)
		}
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%q: [\n", name)
		for i, item := range list {
			b.Write(item)
			if i < len(list)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]")
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	section("schemas", v.Schemas, false)
	section("deltas", v.Deltas, false)
	section("frames", v.Frames, false)
	section("malformed", v.Malformed, false)
	section("invalid_schemas", v.InvalidSchemas, false)
	section("fields", v.Fields, false)
	section("lerps", v.Lerps, false)
	section("angle_lerps", v.AngleLerps, true)
	b.WriteString("}\n")
	return b.Bytes()
}

// namedSchema is a schema under test.
type namedSchema struct {
	name   string
	schema *wire.Schema
	layout *wire.Layout
}

// schemas returns every shipped mode's schema, the docs' worked example and
// the synthetic ones.
func schemas(t *testing.T) []namedSchema {
	var out []namedSchema
	add := func(name string, s *wire.Schema) {
		if err := s.Validate(); err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		out = append(out, namedSchema{name: name, schema: s, layout: wire.NewLayout(s)})
	}
	for _, m := range catalog.Builtin().All() {
		add(m.Name, m.Schema)
	}
	add("doc-example", docExampleSchema())
	add("wide", wideSchema())
	add("types", typesSchema())
	return out
}

// docExampleSchema is the schema of docs/protocol.md's worked example.
func docExampleSchema() *wire.Schema {
	return &wire.Schema{Entities: []wire.EntityKind{
		{Kind: 1, Name: "player", Fields: []wire.Field{
			{Name: "x", Type: wire.TypeFixed, Scale: 8}, {Name: "y", Type: wire.TypeFixed, Scale: 8},
			{Name: "vx", Type: wire.TypeInt}, {Name: "vy", Type: wire.TypeInt},
			{Name: "angle", Type: wire.TypeAngle, Scale: 4096}, {Name: "health", Type: wire.TypeUint},
			{Name: "score", Type: wire.TypeInt}, {Name: "flags", Type: wire.TypeFlags, Names: []string{"alive", "shielded"}},
			{Name: "owner", Type: wire.TypeUint},
		}},
		{Kind: 2, Name: "rocket", Fields: []wire.Field{
			{Name: "x", Type: wire.TypeFixed, Scale: 8}, {Name: "y", Type: wire.TypeFixed, Scale: 8},
			{Name: "angle", Type: wire.TypeAngle, Scale: 4096}, {Name: "owner", Type: wire.TypeUint},
		}},
	}}
}

// wideSchema has the widest rows the protocol allows (32 fields, masks of
// 33 bits), a narrow kind, a kind with no fields and the highest kind
// number.
func wideSchema() *wire.Schema {
	wide := make([]wire.Field, wire.MaxFields)
	for i := range wide {
		wide[i] = wire.Field{Name: fmt.Sprintf("f%d", i), Type: wire.TypeInt, Interp: wire.InterpLinear}
	}
	last := make([]wire.Field, wire.MaxFields)
	for i := range last {
		last[i] = wire.Field{Name: fmt.Sprintf("g%d", i), Type: wire.TypeUint}
	}
	return &wire.Schema{
		Entities: []wire.EntityKind{
			{Kind: 1, Name: "wide", Fields: wide},
			{Kind: 2, Name: "narrow", Fields: []wire.Field{
				{Name: "a", Type: wire.TypeInt}, {Name: "b", Type: wire.TypeInt}, {Name: "c", Type: wire.TypeInt}}},
			{Kind: 7, Name: "bare"},
			{Kind: 255, Name: "last", Fields: last},
		},
		Events: []wire.EventKind{
			{Kind: 1, Name: "four", Actor: "a", Target: "b", Values: []wire.Field{
				{Name: "v0", Type: wire.TypeInt}, {Name: "v1", Type: wire.TypeInt}, {Name: "v2", Type: wire.TypeInt}, {Name: "v3", Type: wire.TypeInt}}},
			{Kind: 9, Name: "none"},
		},
	}
}

// typesSchema has a field of every type, with and without ranges, as
// entity fields and as inputs, for the value conversions.
func typesSchema() *wire.Schema {
	flags32 := make([]string, 32)
	for i := range flags32 {
		flags32[i] = fmt.Sprintf("b%d", i)
	}
	flagsGap := []string{"one", "", "three"}
	fields := []wire.Field{
		{Name: "int", Type: wire.TypeInt},
		{Name: "int_range", Type: wire.TypeInt, Min: -127, Max: 127},
		{Name: "uint", Type: wire.TypeUint},
		{Name: "uint_range", Type: wire.TypeUint, Min: 10, Max: 1000},
		{Name: "bool", Type: wire.TypeBool},
		{Name: "enum", Type: wire.TypeEnum, Names: []string{"red", "green", "blue"}},
		{Name: "flags", Type: wire.TypeFlags, Names: []string{"fire", "jump", "duck"}},
		{Name: "flags32", Type: wire.TypeFlags, Names: flags32},
		{Name: "flags_gap", Type: wire.TypeFlags, Names: flagsGap},
		{Name: "fixed", Type: wire.TypeFixed, Scale: 8, Interp: wire.InterpLinear},
		{Name: "fixed_range", Type: wire.TypeFixed, Scale: 100, Min: -5000, Max: 5000},
		{Name: "angle", Type: wire.TypeAngle, Scale: 4096, Interp: wire.InterpAngle},
		{Name: "angle360", Type: wire.TypeAngle, Scale: 360, Interp: wire.InterpAngle},
		{Name: "angle7", Type: wire.TypeAngle, Scale: 7, Interp: wire.InterpAngle},
		{Name: "angle_range", Type: wire.TypeAngle, Scale: 4096, Min: 100, Max: 200},
		{Name: "angle1", Type: wire.TypeAngle, Scale: 1},
	}
	return &wire.Schema{
		Entities: []wire.EntityKind{{Kind: 3, Name: "thing", Fields: fields}},
		Input:    fields,
		Results:  []wire.Field{{Name: "kills", Type: wire.TypeUint}, {Name: "ratio", Type: wire.TypeFixed, Scale: 1000}},
	}
}

// generate builds every vector, checking each against the Go codec.
func generate(t *testing.T) *vectors {
	v := &vectors{}
	for _, s := range schemas(t) {
		v.addSchema(t, s)
		g := &gen{t: t, v: v, s: s, rng: rand.New(rand.NewPCG(1, uint64(len(v.Schemas))))}
		g.deltas()
		g.frames()
		g.malformed()
		g.fields()
	}
	v.invalidSchemas(t)
	v.lerps()
	return v
}

// addSchema records s.
func (v *vectors) addSchema(t *testing.T, s namedSchema) {
	b, err := proto.MarshalOptions{Deterministic: true}.Marshal(s.schema.Proto())
	if err != nil {
		t.Fatal(err)
	}
	sv := schemaVec{Name: s.name, Proto: hex.EncodeToString(b), Width: s.schema.Width()}
	for _, k := range s.schema.Entities {
		ks := kindSummary{Kind: k.Kind, Name: k.Name, Fields: []string{}}
		for _, f := range k.Fields {
			ks.Fields = append(ks.Fields, f.Name)
		}
		sv.Kinds = append(sv.Kinds, ks)
	}
	v.Schemas = append(v.Schemas, sv)
}

// gen makes the vectors of one schema.
type gen struct {
	t   *testing.T
	v   *vectors
	s   namedSchema
	rng *rand.Rand
	// made keeps the base rows of each encoded delta vector by name.
	made map[string]*wire.Rows
	// targets keeps the target rows of every delta vector by full name.
	targets map[string]*wire.Rows
}

// refBase sets dv's base: a reference to an earlier vector of this schema
// with the same rows when there is one with more than a few entities, else
// the rows written out.
func (g *gen) refBase(dv *deltaVec, base *wire.Rows) {
	if base.Len() > 8 {
		for _, d := range g.v.Deltas {
			if d.Schema != g.s.name {
				continue
			}
			if t := g.targets[d.Name]; t != nil && t.Equal(base) {
				dv.BaseIsTargetOf = d.Name
				return
			}
			if b := g.made[strings.TrimPrefix(d.Name, g.s.name+"/")]; b != nil && b.Equal(base) && d.Base != nil {
				dv.BaseOf = d.Name
				return
			}
		}
	}
	rows := list(base)
	dv.Base = &rows
}

// ent is one entity as tests write it.
type ent struct {
	id  uint32
	row []int32
}

// rows builds rows of the schema's layout from entities (rows shorter
// than the width are padded with zeros).
func (g *gen) rows(es []ent) *wire.Rows {
	r := wire.NewRows(g.s.layout, len(es))
	for _, e := range es {
		row := make([]int32, g.s.layout.Width())
		copy(row, e.row)
		r.AppendRow(e.id, row)
	}
	return r
}

// list returns rows as [id, kind, fields...] lists.
func list(r *wire.Rows) [][]int64 {
	out := [][]int64{}
	for i := range r.Len() {
		e := []int64{int64(r.ID(i))}
		for _, x := range r.Row(i) {
			e = append(e, int64(x))
		}
		out = append(out, e)
	}
	return out
}

// value returns a random field value: mostly small, sometimes zero, now
// and then anywhere in int32.
func (g *gen) value() int32 {
	switch g.rng.IntN(10) {
	case 0, 1:
		return 0
	case 2:
		return int32(g.rng.Uint32())
	case 3:
		return []int32{math.MinInt32, math.MaxInt32, -1, 1}[g.rng.IntN(4)]
	}
	return int32(g.rng.IntN(2001) - 1000)
}

// randomRow returns a valid row of a random kind.
func (g *gen) randomRow() []int32 {
	k := g.s.schema.Entities[g.rng.IntN(len(g.s.schema.Entities))]
	row := []int32{int32(k.Kind)}
	for range k.Fields {
		row = append(row, g.value())
	}
	return row
}

// randomWorld returns n entities with ids from first, random gaps.
func (g *gen) randomWorld(n int, first uint32) []ent {
	var es []ent
	id := first
	for range n {
		es = append(es, ent{id: id, row: g.randomRow()})
		id += 1 + uint32(g.rng.IntN(3))
	}
	return es
}

// evolve returns es changed as a tick might change them: most move (the
// first two fields, or three), a few change more, some are removed, some
// created, now and then one changes kind.
func (g *gen) evolve(es []ent, moves, removals, creations, kindChanges float64) []ent {
	var out []ent
	for _, e := range es {
		if g.rng.Float64() < removals {
			continue
		}
		row := append([]int32(nil), e.row...)
		n, _ := g.s.layout.Fields(uint32(row[0]))
		switch {
		case g.rng.Float64() < kindChanges:
			row = g.randomRow()
		case g.rng.Float64() < moves && n > 0:
			for f := 1; f <= min(n, 2+g.rng.IntN(2)); f++ {
				row[f] += int32(g.rng.IntN(81) - 40)
			}
			if n > 3 && g.rng.IntN(8) == 0 {
				row[1+g.rng.IntN(n)] = g.value()
			}
		}
		out = append(out, ent{id: e.id, row: row})
	}
	for range int(creations * float64(len(es)+4)) {
		id := uint32(1 + g.rng.IntN(2*len(es)+10))
		if !has(out, id) {
			out = insert(out, ent{id: id, row: g.randomRow()})
		}
	}
	return out
}

func has(es []ent, id uint32) bool {
	for _, e := range es {
		if e.id == id {
			return true
		}
	}
	return false
}

func insert(es []ent, e ent) []ent {
	i := 0
	for i < len(es) && es[i].id < e.id {
		i++
	}
	return append(es[:i], append([]ent{e}, es[i:]...)...)
}

// addDelta records the delta from base to target as the encoder writes it.
func (g *gen) addDelta(name string, base, target []ent) {
	b, tg := g.rows(base), g.rows(target)
	delta := wire.EncodeDelta(nil, b, tg)
	g.addRawDelta(name, b, delta, true)
	if g.made == nil {
		g.made = map[string]*wire.Rows{}
	}
	if g.made[name] == nil {
		g.made[name] = b
	}
}

// addRawDelta records a delta that Go's decoder must accept.
func (g *gen) addRawDelta(name string, base *wire.Rows, delta []byte, encoded bool) {
	g.t.Helper()
	out := wire.NewRows(g.s.layout, 0)
	if err := wire.ApplyDelta(out, base, delta); err != nil {
		g.t.Fatalf("%s/%s: %v", g.s.name, name, err)
	}
	dv := deltaVec{Name: g.s.name + "/" + name, Schema: g.s.name, Delta: hex.EncodeToString(delta),
		Target: list(out), Checksum: wire.Checksum(out), Encoded: encoded}
	g.refBase(&dv, base)
	g.v.Deltas = append(g.v.Deltas, dv)
	if g.targets == nil {
		g.targets = map[string]*wire.Rows{}
	}
	g.targets[dv.Name] = out
}

// deltas makes the schema's valid deltas.
func (g *gen) deltas() {
	kinds := g.s.schema.Entities
	full := g.randomWorld(6, 1)
	many := g.randomWorld(120, 3)
	g.addDelta("empty", nil, nil)
	g.addDelta("full", nil, full)
	g.addDelta("full_many", nil, many)
	g.addDelta("unchanged", full, full)
	g.addDelta("remove_all", full, nil)
	g.addDelta("moves_many", many, g.evolve(many, 0.8, 0, 0, 0))
	g.addDelta("creations_removals", many, g.evolve(many, 0.3, 0.2, 0.1, 0))
	g.addDelta("changed_kinds", many, g.evolve(many, 0.2, 0, 0, 0.2))
	// Extremes: int32 jumps across the whole range and ids at the top of
	// uint32 (negative when seen as int32).
	ext := func(v int32) []ent {
		var es []ent
		for i, id := range []uint32{1, 1<<31 - 1, 1 << 31, 1<<31 + 1, math.MaxUint32 - 1, math.MaxUint32} {
			k := kinds[i%len(kinds)]
			row := []int32{int32(k.Kind)}
			for f := range k.Fields {
				if f%2 == 0 {
					row = append(row, v)
				} else {
					row = append(row, -v-1)
				}
			}
			es = append(es, ent{id: id, row: row})
		}
		return es
	}
	g.addDelta("extremes_full", nil, ext(math.MaxInt32))
	g.addDelta("extremes_jump", ext(math.MaxInt32), ext(math.MinInt32))
	g.addDelta("extremes_back", ext(math.MinInt32), ext(math.MaxInt32))
	g.addDelta("extremes_to_zero", ext(math.MinInt32), ext(0))
	// A chain of ticks, each delta against the one before.
	world := full
	for step := range 12 {
		next := g.evolve(world, 0.7, 0.1, 0.15, 0.05)
		g.addDelta(fmt.Sprintf("chain_%02d", step), world, next)
		world = next
	}
	g.decoderOnly(full)
}

// raw builds delta bytes column by column, for deltas an encoder never writes.
type raw []byte

func (r raw) v(xs ...uint64) raw {
	for _, x := range xs {
		r = binary.AppendUvarint(r, x)
	}
	return r
}

// long appends x as a varint padded to n bytes (non-minimal).
func (r raw) long(x uint64, n int) raw {
	for i := 0; i < n-1; i++ {
		r = append(r, byte(x&0x7f)|0x80)
		x >>= 7
	}
	return append(r, byte(x))
}

func (r raw) b(bs ...byte) raw { return append(r, bs...) }

// zz is the zigzag of a 32-bit delta.
func zz(d int64) uint64 { return uint64(uint32(int32(d))<<1 ^ uint32(int32(d)>>31)) }

// decoderOnly makes valid deltas no encoder writes, and mutations of
// encoded ones that still decode.
func (g *gen) decoderOnly(full []ent) {
	base := g.rows(full)
	id1, id2 := uint64(full[0].id), uint64(full[1].id)
	kind0 := uint64(full[0].row[0])
	// One listed entity: kind rewritten to itself (a zero delta), written
	// with non-minimal varints everywhere.
	g.addRawDelta("nonminimal_varints", base, raw{}.long(1, 2).long(id1, 3).long(1, 2).long(1, 4).long(0, 5).long(0, 10), false)
	// Two entities with the same mask in two runs.
	g.addRawDelta("split_runs", base, raw{}.v(2, id1, id2-id1, 1, 1, 1, 1, 0, 0, 0), false)
	// A listed existing entity with mask 0.
	g.addRawDelta("mask_zero", base, raw{}.v(1, id1, 1, 0, 0), false)
	// A created entity written with every value, zeros included.
	var row []uint64
	w := g.s.layout.Width()
	n, _ := g.s.layout.Fields(uint32(kind0))
	for f := range w {
		switch {
		case f == 0:
			row = append(row, 2*kind0)
		case f <= n:
			row = append(row, 0)
		}
	}
	mask := uint64(1)<<(n+1) - 1
	g.addRawDelta("created_all_values", base, raw{}.v(1, 1<<20, 1, mask).v(row...).v(0), false)

	// Byte mutations of encoded deltas that Go still accepts: the decoder
	// must agree on the rows they give.
	for _, name := range []string{"creations_removals", "changed_kinds", "chain_03"} {
		d := g.lastDelta(name)
		b := g.made[name]
		kept := 0
		for try := 0; try < 400 && kept < 4; try++ {
			m := append([]byte(nil), d...)
			m[g.rng.IntN(len(m))] ^= byte(1 << g.rng.IntN(8))
			if wire.ApplyDelta(wire.NewRows(g.s.layout, 0), b, m) == nil && !bytes.Equal(m, d) {
				g.addRawDelta(fmt.Sprintf("mutated_%s_%d", name, kept), b, m, false)
				kept++
			}
		}
	}
}

// lastDelta returns the bytes of this schema's delta vector name.
func (g *gen) lastDelta(name string) []byte {
	want := g.s.name + "/" + name
	for _, d := range g.v.Deltas {
		if d.Name == want {
			b, _ := hex.DecodeString(d.Delta)
			return b
		}
	}
	g.t.Fatalf("no delta %s", want)
	return nil
}

// frames makes snapshot frames of a few of the schema's deltas, with events.
func (g *gen) frames() {
	events := g.s.schema.Events
	for i, name := range []string{"full", "moves_many", "creations_removals", "extremes_jump", "empty"} {
		d := g.lastDelta(name)
		out := wire.NewRows(g.s.layout, 0)
		if err := wire.ApplyDelta(out, g.made[name], d); err != nil {
			g.t.Fatal(err)
		}
		tick := uint32(100 + 3*i)
		baseTick := uint32(0)
		if g.made[name].Len() > 0 {
			baseTick = tick - 3
		}
		f := wire.SnapshotFields{Tick: tick, BaseTick: baseTick, ServerTimeUS: int64(5_000_000 + 50_000*i),
			Checksum: wire.Checksum(out), Delta: d}
		if baseTick != 0 && i%2 == 1 {
			// A delta whose time the client derives from the tick: the
			// room leaves server_time_us out (docs/protocol.md).
			f.ServerTimeUS = 0
		}
		var evs []wire.Event
		for k := range len(events) * 2 {
			e := events[(k+i)%len(events)]
			ev := wire.Event{Tick: tick - uint32(k%3), Kind: e.Kind, Actor: uint32(g.rng.IntN(3)), Target: uint32(g.rng.IntN(300))}
			for j := range e.Values {
				ev.Values[j] = g.value()
			}
			evs = append(evs, ev)
		}
		if len(evs) > 0 {
			f.Events = [][]wire.Event{evs[:len(evs)/2], evs[len(evs)/2:]}
		}
		lastSeq := uint32(i * 41)
		frame := wire.AppendSnapshotFrame(nil, f.AppendTo(nil), lastSeq)
		// The frame must read back as the same Snapshot.
		var msg pb.ServerMessage
		if err := proto.Unmarshal(frame, &msg); err != nil {
			g.t.Fatal(err)
		}
		s := msg.GetSnapshot()
		if s.GetTick() != tick || s.GetChecksum() != f.Checksum || !bytes.Equal(s.GetDelta(), d) || len(s.GetEvents()) != len(evs) {
			g.t.Fatalf("%s frame %s does not read back", g.s.name, name)
		}
		fv := frameVec{Name: g.s.name + "/" + name, Delta: g.s.name + "/" + name, Frame: hex.EncodeToString(frame),
			Tick: tick, BaseTick: baseTick, ServerTimeUS: f.ServerTimeUS, Checksum: f.Checksum, LastInputSeq: lastSeq, Events: []eventVec{}}
		for _, e := range evs {
			fv.Events = append(fv.Events, eventVec{Tick: e.Tick, Kind: e.Kind, Actor: e.Actor, Target: e.Target, Values: e.Values})
		}
		g.v.Frames = append(g.v.Frames, fv)
	}
}

// ruleNames names each ErrDelta* rule as the vectors (and the web SDK) do.
var ruleNames = []struct {
	err  error
	name string
}{
	{wire.ErrDeltaTruncated, "truncated"},
	{wire.ErrDeltaVarint, "varint"},
	{wire.ErrDeltaValue, "value"},
	{wire.ErrDeltaCount, "count"},
	{wire.ErrDeltaMaskRun, "mask_run"},
	{wire.ErrDeltaMask, "mask"},
	{wire.ErrDeltaIDZero, "id_zero"},
	{wire.ErrDeltaIDOrder, "id_order"},
	{wire.ErrDeltaIDOverflow, "id_overflow"},
	{wire.ErrDeltaKind, "kind"},
	{wire.ErrDeltaRemoveUnknown, "remove_unknown"},
	{wire.ErrDeltaRemoveChanged, "remove_changed"},
	{wire.ErrDeltaTrailing, "trailing"},
}

// ruleOf names the rule err breaks.
func ruleOf(err error) string {
	for _, r := range ruleNames {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	return ""
}

// addMalformed records a delta Go refuses; want, when set, is the rule
// the case was written to break, and Go must agree.
func (g *gen) addMalformed(name string, base *wire.Rows, delta []byte, want string) {
	g.t.Helper()
	g.addMalformedOn(name, base, "", delta, want)
}

// addMalformedOn is addMalformed on the base of the delta vector baseOf
// (this schema's name for it), written by reference when set.
func (g *gen) addMalformedOn(name string, base *wire.Rows, baseOf string, delta []byte, want string) {
	g.t.Helper()
	err := wire.ApplyDelta(wire.NewRows(g.s.layout, 0), base, delta)
	if err == nil || !errors.Is(err, wire.ErrMalformedDelta) {
		g.t.Fatalf("%s/%s: Go accepts the delta %x (err %v)", g.s.name, name, delta, err)
	}
	rule := ruleOf(err)
	if want != "" && rule != want {
		g.t.Fatalf("%s/%s: Go says %q (%v), the case was meant to break %q", g.s.name, name, rule, err, want)
	}
	mv := malformedVec{Name: g.s.name + "/" + name, Schema: g.s.name, Delta: hex.EncodeToString(delta), Rule: rule}
	if baseOf != "" {
		mv.BaseOf = g.s.name + "/" + baseOf
	} else {
		rows := list(base)
		mv.Base = &rows
	}
	g.v.Malformed = append(g.v.Malformed, mv)
}

// malformed makes deltas that break each rule, every prefix of a few
// valid deltas, and random mutations Go refuses.
func (g *gen) malformed() {
	kinds := g.s.schema.Entities
	w := g.s.layout.Width()
	empty := g.rows(nil)
	// A base of one entity of each kind, ids 1, 2, ...; entity 1 has every
	// field set so that a kind change to a narrower kind leaves values.
	var es []ent
	for i, k := range kinds {
		row := []int32{int32(k.Kind)}
		for range k.Fields {
			row = append(row, 5)
		}
		es = append(es, ent{id: uint32(i + 1), row: row})
	}
	base := g.rows(es)
	m := func(name string, b *wire.Rows, d raw, rule string) { g.addMalformed(name, b, d, rule) }
	ff := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

	m("truncated_empty", empty, raw{}, "truncated")
	m("truncated_count", empty, raw{}.b(0x80), "truncated")
	m("truncated_no_removed_count", empty, raw{}.v(0), "truncated")
	m("truncated_id", empty, raw{}.v(1).b(0xff, 0xff), "truncated")
	m("truncated_mask", empty, raw{}.v(1, 5, 1), "truncated")
	m("truncated_runs", empty, raw{}.v(2, 1, 1, 1, 2), "truncated")
	m("truncated_value", empty, raw{}.v(1, 1, 1, 2).b(0x80), "truncated")
	m("truncated_removed_id", base, raw{}.v(0, 1).b(0xff), "truncated")
	m("truncated_ten_bytes", empty, raw{}.v(0).b(ff...).b(0xff), "truncated")
	m("varint_eleven_bytes", empty, raw{}.v(0).b(ff...).b(0xff, 0x01), "varint")
	m("varint_tenth_byte", empty, raw{}.v(0).b(ff...).b(0x02), "varint")
	m("varint_count", empty, raw{}.b(ff...).b(0x7f), "varint")
	m("value_2pow32", empty, raw{}.v(1, 1, 1, 2, 1<<32, 0), "value")
	m("value_max_uint64", empty, raw{}.v(1, 1, 1, 2, math.MaxUint64, 0), "value")
	m("count_changed", empty, raw{}.v(5, 1, 0), "count")
	m("count_changed_huge", empty, raw{}.v(1<<40, 0), "count")
	m("count_changed_exact", empty, raw{}.v(2, 1, 1), "count")
	m("count_removed", base, raw{}.v(0, 5, 1), "count")
	m("mask_run_zero", empty, raw{}.v(1, 1, 0, 2, 2, 0), "mask_run")
	m("mask_run_past", empty, raw{}.v(1, 1, 2, 2, 2, 0), "mask_run")
	m("mask_run_huge", empty, raw{}.v(1, 1, math.MaxUint64, 2, 2, 0), "mask_run")
	m("mask_width", empty, raw{}.v(1, 1, 1, 1<<w, 2, 0), "mask")
	m("mask_huge", empty, raw{}.v(1, 1, 1, math.MaxUint64, 2, 0), "mask")
	m("id_zero", empty, raw{}.v(1, 0, 1, 2, 2, 0), "id_zero")
	m("id_zero_removed", base, raw{}.v(0, 1, 0), "id_zero")
	m("id_order", empty, raw{}.v(2, 1, 0, 1, 2, 2, 2, 0), "id_order")
	m("id_order_removed", base, raw{}.v(0, 2, 1, 0), "id_order")
	m("id_overflow", empty, raw{}.v(2, math.MaxUint32, 1, 2, 2, 2, 2, 0), "id_overflow")
	m("id_overflow_first", empty, raw{}.v(1, 1<<32, 1, 2, 2, 0), "id_overflow")
	m("id_overflow_removed", base, raw{}.v(0, 2, 1, math.MaxUint32), "id_overflow")
	undeclared := uint64(0)
	for k := uint64(1); k <= wire.MaxKind && undeclared == 0; k++ {
		if _, ok := g.s.layout.Fields(uint32(k)); !ok {
			undeclared = k
		}
	}
	if undeclared != 0 {
		m("kind_undeclared", empty, raw{}.v(1, 1, 1, 1, 2*undeclared, 0), "kind")
		m("kind_changed_undeclared", base, raw{}.v(1, 1, 1, 1, zz(int64(undeclared)-int64(kinds[0].Kind)), 0), "kind")
	}
	m("kind_zero", empty, raw{}.v(1, 1, 1, 2, 2, 0), "kind")
	m("kind_too_big", empty, raw{}.v(1, 1, 1, 1, 2*256, 0), "kind")
	// A value past the narrowest kind's fields.
	narrow := kinds[0]
	for _, k := range kinds {
		if len(k.Fields) < len(narrow.Fields) {
			narrow = k
		}
	}
	if n := len(narrow.Fields); n+1 < w {
		m("kind_trailing_value", empty, raw{}.v(1, 1, 1, 1|1<<(n+1), 2*uint64(narrow.Kind), 2, 0), "kind")
		// Entity 1 (all fields 5) becomes the narrowest kind, keeping its values.
		if len(kinds[0].Fields) > n {
			m("kind_changed_narrower", base, raw{}.v(1, 1, 1, 1, zz(int64(narrow.Kind)-int64(kinds[0].Kind)), 0), "kind")
		}
	}
	m("remove_unknown", base, raw{}.v(0, 1, uint64(len(es)+1)), "remove_unknown")
	m("remove_unknown_empty_base", empty, raw{}.v(0, 1, 1), "remove_unknown")
	m("remove_unknown_between", g.rows([]ent{{1, es[0].row}, {3, es[0].row}}), raw{}.v(0, 1, 2), "remove_unknown")
	m("remove_changed", base, raw{}.v(1, 1, 1, 2, 2, 1, 1), "remove_changed")
	m("trailing", empty, raw{}.v(0, 0, 0), "trailing")
	m("trailing_after_removed", base, raw{}.v(0, 1, 1, 7), "trailing")

	// Every proper prefix of a few valid deltas.
	for _, name := range []string{"full", "moves_many", "changed_kinds"} {
		d := g.lastDelta(name)
		b := g.made[name]
		// The first bytes, where the columns start, then a sample.
		for n := 0; n < len(d); n += max(1, min(n/4, len(d)/12)) {
			g.addMalformedOn(fmt.Sprintf("prefix_%s_%d", name, n), b, name, d[:n], "")
		}
	}
	// Random mutations Go refuses.
	for _, name := range []string{"creations_removals", "chain_05", "extremes_jump"} {
		d := g.lastDelta(name)
		b := g.made[name]
		kept := 0
		for try := 0; try < 400 && kept < 12; try++ {
			mu := append([]byte(nil), d...)
			switch g.rng.IntN(3) {
			case 0:
				mu[g.rng.IntN(len(mu))] ^= byte(1 << g.rng.IntN(8))
			case 1:
				mu[g.rng.IntN(len(mu))] = byte(g.rng.Uint32())
			default:
				at := g.rng.IntN(len(mu) + 1)
				mu = append(mu[:at], append([]byte{byte(g.rng.Uint32())}, mu[at:]...)...)
			}
			if wire.ApplyDelta(wire.NewRows(g.s.layout, 0), b, mu) != nil {
				g.addMalformedOn(fmt.Sprintf("mutated_%s_%d", name, kept), b, name, mu, "")
				kept++
			}
		}
	}
}

// fields records the conversions of each distinct field of the schema.
func (g *gen) fields() {
	seen := map[string]bool{}
	add := func(where string, f wire.Field) {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(&pb.FieldSchema{
			Name: f.Name, Type: f.Type, Scale: f.Scale, Min: f.Min, Max: f.Max, Names: f.Names, Interpolation: f.Interp, Role: f.Role})
		if err != nil {
			g.t.Fatal(err)
		}
		key := fmt.Sprintf("%d/%d/%d/%d/%q", f.Type, f.Scale, f.Min, f.Max, f.Names)
		if seen[key] {
			return
		}
		seen[key] = true
		fv := fieldVec{Where: g.s.name + "/" + where, Field: f.Name, Proto: hex.EncodeToString(b)}
		for _, x := range rawValues {
			fv.Clamp = append(fv.Clamp, [2]int64{int64(x), int64(f.Clamp(x))})
			fv.Dequantize = append(fv.Dequantize, dequantVec{Raw: x, V: f.Dequantize(x)})
			fv.Text = append(fv.Text, textVec{Raw: x, Text: f.Text(x)})
		}
		for _, x := range realValues {
			fv.Quantize = append(fv.Quantize, quantVec{V: x, Raw: f.Quantize(x)})
		}
		g.v.Fields = append(g.v.Fields, fv)
	}
	for _, f := range g.s.schema.Input {
		add("input", f)
	}
	for _, k := range g.s.schema.Entities {
		for _, f := range k.Fields {
			add(k.Name, f)
		}
	}
	for _, e := range g.s.schema.Events {
		for _, f := range e.Values {
			add("event "+e.Name, f)
		}
	}
	for _, f := range g.s.schema.Results {
		add("results", f)
	}
}

// rawValues are the raw values every field converts.
var rawValues = []int32{0, 1, -1, 2, 3, 4, 5, 7, 8, 9, 100, 127, 128, -127, -128, 150, 255, 256, 359, 360, 361, -360,
	1000, -1000, 4095, 4096, 4097, -4096, -4097, 65535, 1 << 20, math.MaxInt32, math.MinInt32, math.MaxInt32 - 1, math.MinInt32 + 1}

// realValues are the real values every field quantizes.
var realValues = []float64{0, 0.25, 0.5, -0.5, 1.5, 2.5, -2.5, 0.49999999999999994, 0.1, 1.4999, 3.14159, -3.14159,
	math.Pi, 2 * math.Pi, -math.Pi / 2, 6.3, 7, -7, 12.345, 100.0625, -100.0625, 1e6, -1e6, 1e10, -1e10, 3e9, -3e9}

// invalidSchemas records schemas a client must refuse, each breaking one rule.
func (v *vectors) invalidSchemas(t *testing.T) {
	good := func() *pb.Schema { return typesSchema().Proto() }
	f := func(s *pb.Schema) *pb.FieldSchema { return s.Entities[0].Fields[0] }
	long := strings.Repeat("n", 65)
	cases := []struct {
		name   string
		mutate func(s *pb.Schema)
	}{
		{"no_entities", func(s *pb.Schema) { s.Entities = nil }},
		{"kind_zero", func(s *pb.Schema) { s.Entities[0].Kind = 0 }},
		{"kind_256", func(s *pb.Schema) { s.Entities[0].Kind = 256 }},
		{"kind_twice", func(s *pb.Schema) {
			s.Entities = append(s.Entities, &pb.EntityKindSchema{Kind: s.Entities[0].Kind, Name: "other"})
		}},
		{"kind_name_twice", func(s *pb.Schema) {
			s.Entities = append(s.Entities, &pb.EntityKindSchema{Kind: 9, Name: s.Entities[0].Name})
		}},
		{"kind_name_empty", func(s *pb.Schema) { s.Entities[0].Name = "" }},
		{"kind_name_65_bytes", func(s *pb.Schema) { s.Entities[0].Name = long }},
		{"kind_name_66_utf8_bytes", func(s *pb.Schema) { s.Entities[0].Name = strings.Repeat("é", 33) }},
		{"fields_33", func(s *pb.Schema) {
			for i := len(s.Entities[0].Fields); i < 33; i++ {
				s.Entities[0].Fields = append(s.Entities[0].Fields, &pb.FieldSchema{Name: fmt.Sprintf("x%d", i), Type: pb.FieldType_FIELD_TYPE_INT})
			}
		}},
		{"inputs_17", func(s *pb.Schema) {
			s.Input = append(s.Input, &pb.FieldSchema{Name: "extra", Type: pb.FieldType_FIELD_TYPE_INT})
		}},
		{"event_values_5", func(s *pb.Schema) {
			e := &pb.EventKindSchema{Kind: 1, Name: "e"}
			for i := range 5 {
				e.Values = append(e.Values, &pb.FieldSchema{Name: fmt.Sprintf("v%d", i), Type: pb.FieldType_FIELD_TYPE_INT})
			}
			s.Events = append(s.Events, e)
		}},
		{"results_17", func(s *pb.Schema) {
			for i := len(s.Results); i < 17; i++ {
				s.Results = append(s.Results, &pb.FieldSchema{Name: fmt.Sprintf("r%d", i), Type: pb.FieldType_FIELD_TYPE_INT})
			}
		}},
		{"field_type_unspecified", func(s *pb.Schema) { f(s).Type = 0 }},
		{"field_type_unknown", func(s *pb.Schema) { f(s).Type = 99 }},
		{"field_name_empty", func(s *pb.Schema) { f(s).Name = "" }},
		{"field_name_twice", func(s *pb.Schema) { s.Entities[0].Fields[1].Name = f(s).Name }},
		{"input_name_twice", func(s *pb.Schema) { s.Input[1].Name = s.Input[0].Name }},
		{"fixed_scale_zero", func(s *pb.Schema) { s.Entities[0].Fields[9].Scale = 0 }},
		{"angle_scale_negative", func(s *pb.Schema) { s.Entities[0].Fields[11].Scale = -4 }},
		{"int_with_scale", func(s *pb.Schema) { f(s).Scale = 2 }},
		{"angle_interp_on_int", func(s *pb.Schema) { f(s).Interpolation = pb.Interpolation_INTERPOLATION_ANGLE }},
		{"interp_unknown", func(s *pb.Schema) { f(s).Interpolation = 7 }},
		{"role_unknown", func(s *pb.Schema) { f(s).Role = 42 }},
		{"min_above_max", func(s *pb.Schema) { f(s).Min, f(s).Max = 5, 4 }},
		{"enum_without_names", func(s *pb.Schema) { s.Entities[0].Fields[5].Names = nil }},
		{"flags_33_names", func(s *pb.Schema) { s.Entities[0].Fields[7].Names = append(s.Entities[0].Fields[7].Names, "b32") }},
		{"names_on_int", func(s *pb.Schema) { f(s).Names = []string{"a"} }},
		{"value_name_65_bytes", func(s *pb.Schema) { s.Entities[0].Fields[5].Names[0] = long }},
		{"event_kind_zero", func(s *pb.Schema) { s.Events = append(s.Events, &pb.EventKindSchema{Kind: 0, Name: "e"}) }},
		{"event_kind_twice", func(s *pb.Schema) {
			s.Events = append(s.Events, &pb.EventKindSchema{Kind: 4, Name: "e"}, &pb.EventKindSchema{Kind: 4, Name: "f"})
		}},
		{"event_name_twice", func(s *pb.Schema) {
			s.Events = append(s.Events, &pb.EventKindSchema{Kind: 4, Name: "e"}, &pb.EventKindSchema{Kind: 5, Name: "e"})
		}},
		{"event_name_empty", func(s *pb.Schema) { s.Events = append(s.Events, &pb.EventKindSchema{Kind: 4}) }},
		{"result_bad_field", func(s *pb.Schema) { s.Results[0].Type = 0 }},
	}
	for _, c := range cases {
		s := good()
		c.mutate(s)
		_, err := wire.SchemaFromProto(s)
		if err == nil {
			t.Fatalf("invalid schema %s: Go accepts it", c.name)
		}
		b, err2 := proto.MarshalOptions{Deterministic: true}.Marshal(s)
		if err2 != nil {
			t.Fatal(err2)
		}
		v.InvalidSchemas = append(v.InvalidSchemas, invalidSchemaVec{Name: c.name, Proto: hex.EncodeToString(b), Problem: err.Error()})
	}
}

// lerps records the Go client's interpolation of values.
func (v *vectors) lerps() {
	ts := []float64{0, 0.25, 0.5, 0.75, 1, 1.0 / 3}
	pairs := [][2]int32{{0, 1}, {0, -1}, {1, 2}, {-1, -2}, {0, 3}, {-3, 0}, {100, 200}, {200, 100}, {-5, 5},
		{math.MinInt32, math.MaxInt32}, {math.MaxInt32, math.MinInt32}, {7, 7}}
	for _, p := range pairs {
		for _, tt := range ts {
			v.Lerps = append(v.Lerps, lerpVec{A: p[0], B: p[1], T: tt, Want: client.LerpInt32(p[0], p[1], tt)})
		}
	}
	angles := []struct{ a, b, steps int32 }{
		{0, 1024, 4096}, {4000, 100, 4096}, {100, 4000, 4096}, {0, 2048, 4096}, {2048, 0, 4096}, {10, 4090, 4096},
		{350, 10, 360}, {10, 350, 360}, {0, 180, 360}, {0, 3, 7}, {6, 1, 7}, {0, 0, 1}, {4095, 0, 4096}, {1, 4095, 4096},
	}
	for _, a := range angles {
		for _, tt := range ts {
			v.AngleLerps = append(v.AngleLerps, angleLerpVec{A: a.a, B: a.b, Steps: a.steps, T: tt, Want: client.LerpAngle(a.a, a.b, a.steps, tt)})
		}
	}
}
