package main

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tickwire/tickwire/admin"
	"github.com/tickwire/tickwire/game/drones"
	"github.com/tickwire/tickwire/netcode/wire"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// TestDronesState: tickctl state on a drones room prints a table per
// entity kind (drones, then cores) with the schema's field names as
// columns and each value readable in the field's units; -json gives the
// WorldView with the schema and every field named.
func TestDronesState(t *testing.T) {
	s := startServer(t, "s3cret")
	_, room := startModeBots(t, s, "drones", 3)
	eventually(t, "the room runs a second with 3 players", func() bool {
		d := roomDetail(t, s, room)
		return len(d.PlayerList) == 3 && d.Tick >= uint32(d.TickHz)
	})

	r := s.tickctl(t, "state", room, "-json")
	var v pb.WorldView
	if r.code != 0 || protojson.Unmarshal([]byte(r.stdout), &v) != nil {
		t.Fatalf("state -json: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	if v.GetRoomId() != room {
		t.Errorf("room_id %q, want %q", v.GetRoomId(), room)
	}
	checkWorldView(t, &v, drones.Schema)
	kinds := map[string]int{}
	for _, e := range v.GetEntities() {
		kinds[e.GetKindName()]++
	}
	if kinds["drone"] != 3 || kinds["core"] < drones.DefaultOptions().CoreCount {
		t.Errorf("entities by kind %v, want 3 drones and at least %d cores", kinds, drones.DefaultOptions().CoreCount)
	}

	h := s.tickctl(t, "state", room)
	if h.code != 0 {
		t.Fatalf("state: exit %d %s", h.code, h.stderr)
	}
	tables := checkStateTables(t, h.stdout, room, drones.Schema)
	if len(tables["drone"]) != 3 || len(tables["core"]) < drones.DefaultOptions().CoreCount {
		t.Errorf("tables: %d drones and %d cores, want 3 and at least %d:\n%s",
			len(tables["drone"]), len(tables["core"]), drones.DefaultOptions().CoreCount, h.stdout)
	}
	for _, want := range []string{"ID  X", "YAW", "PITCH", "ENERGY", "CORES", "OWNER", "VALUE", "TAKEN_BY"} {
		if !strings.Contains(h.stdout, want) {
			t.Errorf("state output lacks %q:\n%s", want, h.stdout)
		}
	}
	checkDronePositions(t, tables["drone"])
	checkDronePositions(t, tables["core"])
	// Owners are the players of the room.
	owners := map[string]bool{}
	for _, row := range tables["drone"] {
		owners[row[len(row)-1]] = true
	}
	for _, p := range roomDetail(t, s, room).PlayerList {
		if !owners[strconv.FormatUint(uint64(p.ID), 10)] {
			t.Errorf("no drone owned by player %d: owners %v", p.ID, owners)
		}
	}
}

// roomDetail returns tickctl room ID -json.
func roomDetail(t *testing.T, s *server, room string) admin.RoomDetail {
	t.Helper()
	r := s.tickctl(t, "room", room, "-json")
	var d admin.RoomDetail
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &d) != nil {
		t.Fatalf("room -json: exit %d %s %s", r.code, r.stdout, r.stderr)
	}
	return d
}

// checkWorldView checks that v names everything by schema: v carries the
// schema, and each entity has its kind's name and the kind's fields in
// order, each value in the field's units and enum and flag values named.
func checkWorldView(t *testing.T, v *pb.WorldView, schema *wire.Schema) {
	t.Helper()
	got, err := wire.SchemaFromProto(v.GetSchema())
	if err != nil {
		t.Fatalf("world view schema: %v", err)
	}
	if !slices.EqualFunc(got.Entities, schema.Entities, func(a, b wire.EntityKind) bool {
		return a.Kind == b.Kind && a.Name == b.Name && len(a.Fields) == len(b.Fields)
	}) {
		t.Fatalf("world view schema entities %+v, want the mode's", got.Entities)
	}
	if len(v.GetEntities()) == 0 {
		t.Fatal("world view has no entities")
	}
	for _, e := range v.GetEntities() {
		kind := schema.Kind(e.GetKind())
		if kind == nil || e.GetKindName() != kind.Name {
			t.Fatalf("entity %d kind %d named %q: not in the schema", e.GetId(), e.GetKind(), e.GetKindName())
		}
		if len(e.GetFields()) != len(kind.Fields) {
			t.Fatalf("entity %d has %d fields, its kind %d", e.GetId(), len(e.GetFields()), len(kind.Fields))
		}
		for i, f := range e.GetFields() {
			want := &kind.Fields[i]
			if f.GetName() != want.Name {
				t.Fatalf("entity %d field %d named %q, want %q", e.GetId(), i, f.GetName(), want.Name)
			}
			if v := unitValue(want, f.GetRaw()); math.Abs(f.GetValue()-v) > 1e-9 {
				t.Errorf("entity %d %s: value %v for raw %d, want %v", e.GetId(), f.GetName(), f.GetValue(), f.GetRaw(), v)
			}
			if want.Type == wire.TypeFlags && f.GetRaw() != 0 && f.GetText() == "" {
				t.Errorf("entity %d %s: flags %d without names", e.GetId(), f.GetName(), f.GetRaw())
			}
		}
	}
}

// unitValue is a raw value in its field's units, as docs/admin.md says.
func unitValue(f *wire.Field, raw int32) float64 {
	switch f.Type {
	case wire.TypeFixed:
		return float64(raw) / float64(f.Scale)
	case wire.TypeAngle:
		return float64(raw) * 360 / float64(f.Scale)
	}
	return float64(raw)
}

// stateSection is the title of a kind's table in tickctl state.
var stateSection = regexp.MustCompile(`^(\w+) \((\d+)\)$`)

// checkStateTables parses tickctl state's output: the summary line, then
// per kind a title "name (n)", a header of ID and the kind's field names
// in capitals, and n rows. Kinds come in schema order and every cell is
// readable: numbers in the field's units (positions and angles with two
// decimals, angles in degrees, in range), flags by name. It returns each
// kind's rows of cells.
func checkStateTables(t *testing.T, out, room string, schema *wire.Schema) map[string][][]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var total int
	if _, err := fmt.Sscanf(lines[0], "room "+room+" at tick %d: %d entities", new(int), &total); err != nil {
		t.Fatalf("first line %q: %v", lines[0], err)
	}
	tables := map[string][][]string{}
	var order []string
	rows := 0
	for i := 1; i < len(lines); i++ {
		m := stateSection.FindStringSubmatch(lines[i])
		if m == nil {
			if strings.TrimSpace(lines[i]) != "" {
				t.Fatalf("line %d %q is neither a table title nor blank:\n%s", i, lines[i], out)
			}
			continue
		}
		kind := schema.KindNamed(m[1])
		if kind == nil {
			t.Fatalf("table %q names no kind of the schema", m[1])
		}
		order = append(order, kind.Name)
		n, _ := strconv.Atoi(m[2])
		header := []string{"ID"}
		for _, f := range kind.Fields {
			header = append(header, strings.ToUpper(f.Name))
		}
		if i+1+n >= len(lines) {
			t.Fatalf("%s table of %d rows cut short:\n%s", kind.Name, n, out)
		}
		if got := strings.Fields(lines[i+1]); !slices.Equal(got, header) {
			t.Fatalf("%s table header %q, want %q", kind.Name, got, header)
		}
		for _, line := range lines[i+2 : i+2+n] {
			cells := strings.Fields(line)
			if len(cells) != len(header) {
				t.Fatalf("%s row %q has %d cells, want %d", kind.Name, line, len(cells), len(header))
			}
			for c, cell := range cells[1:] {
				checkCell(t, &kind.Fields[c], cell)
			}
			tables[kind.Name] = append(tables[kind.Name], cells)
		}
		rows += n
		i += 1 + n
	}
	if rows != total {
		t.Errorf("tables list %d entities, the summary %d", rows, total)
	}
	var want []string
	for _, k := range schema.Entities {
		if slices.Contains(order, k.Name) {
			want = append(want, k.Name)
		}
	}
	if !slices.Equal(order, want) {
		t.Errorf("tables in order %v, want the schema's %v", order, want)
	}
	return tables
}

// checkCell checks that cell shows a value of f readably: fixed-point
// numbers with two decimals (or whole), angles in degrees from 0 to 360,
// flags by their names, other numbers as whole numbers in f's range.
func checkCell(t *testing.T, f *wire.Field, cell string) {
	t.Helper()
	lo, hi := f.Range()
	switch f.Type {
	case wire.TypeFlags:
		if cell == "0" {
			return
		}
		for _, name := range strings.Split(cell, "|") {
			if !slices.Contains(f.Names, name) {
				t.Errorf("%s cell %q: %q is no flag of %v", f.Name, cell, name, f.Names)
			}
		}
	case wire.TypeFixed, wire.TypeAngle:
		v, err := strconv.ParseFloat(cell, 64)
		if err != nil || (strings.Contains(cell, ".") && len(cell)-strings.Index(cell, ".") != 3) {
			t.Errorf("%s cell %q: want a number with two decimals", f.Name, cell)
		}
		if f.Type == wire.TypeAngle && (v < 0 || v >= 360) {
			t.Errorf("%s cell %q: want degrees from 0 to 360", f.Name, cell)
		}
		if f.Type == wire.TypeFixed && (v < float64(lo)/float64(f.Scale) || v > float64(hi)/float64(f.Scale)) {
			t.Errorf("%s cell %q: outside the field's range", f.Name, cell)
		}
	default:
		v, err := strconv.ParseInt(cell, 10, 32)
		if err != nil || v < int64(lo) || v > int64(hi) {
			t.Errorf("%s cell %q: want a whole number from %d to %d", f.Name, cell, lo, hi)
		}
	}
}

// checkDronePositions checks that the x, y, z cells of drones or cores lie
// in the box: a check of the units (world units, not grid units) beyond the
// field's range.
func checkDronePositions(t *testing.T, rows [][]string) {
	t.Helper()
	for _, row := range rows {
		for i, limit := range []float64{drones.WorldX, drones.WorldY, drones.WorldZ} {
			v, _ := strconv.ParseFloat(row[1+i], 64)
			if v < 0 || v > limit {
				t.Errorf("drone %s coordinate %d = %v, outside the box (0..%v world units)", row[0], i, v, limit)
			}
		}
	}
}
