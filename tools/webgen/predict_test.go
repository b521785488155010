package webgen

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tickwire/tickwire/game/arena"
	"google.golang.org/protobuf/proto"
)

// predictPath is the committed file of prediction vectors.
const predictPath = "../../web/app/testdata/predict.json"

// predictCase is a chain of arena.Predictor.Step calls: each step starts
// from the fields the previous one left (Start for the first), as a
// client's predicted() replays its unacknowledged inputs.
type predictCase struct {
	Name string `json:"name"`
	// TickHz is the room's tick rate; MaxSpeed the arena's max-speed
	// option (0: the default).
	TickHz   int          `json:"tick_hz"`
	MaxSpeed int32        `json:"max_speed"`
	Kind     uint32       `json:"kind"`
	Start    []int32      `json:"start"`
	Steps    []predictRow `json:"steps"`
}

// predictRow is one input (its seq and raw values, not necessarily in
// range) and the fields after it.
type predictRow struct {
	Seq    uint32  `json:"seq"`
	Input  []int32 `json:"input"`
	Fields []int32 `json:"fields"`
}

// player returns a living player's fields at world position (x, y).
func player(x, y int32) []int32 {
	return []int32{arena.PlayerX: x * arena.PositionScale, arena.PlayerY: y * arena.PositionScale,
		arena.PlayerHealth: 100, arena.PlayerFlags: arena.FlagAlive, arena.PlayerOwner: 1}
}

// TestPredictVectors writes the arena's prediction, step by step.
func TestPredictVectors(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	randomInputs := func(n int) [][]int32 {
		out := make([][]int32, n)
		var in []int32
		for i := range out {
			if i%20 == 0 { // a new direction now and then, as a person changes keys
				in = []int32{int32(r.IntN(2)), int32(r.IntN(255)) - 127, int32(r.IntN(255)) - 127, int32(r.IntN(4096))}
			}
			out[i] = slices.Clone(in)
		}
		return out
	}
	steady := func(n int, in ...int32) [][]int32 {
		out := make([][]int32, n)
		for i := range out {
			out[i] = slices.Clone(in)
		}
		return out
	}
	type spec struct {
		name     string
		hz       int
		maxSpeed int32
		kind     uint32
		start    []int32
		firstSeq uint32
		inputs   [][]int32
	}
	specs := []spec{
		{"right from a spawn point", 60, 0, arena.KindPlayer, player(100, 100), 1, steady(90, 0, 127, 0, 0)},
		{"diagonal into the centre block's corner", 60, 0, arena.KindPlayer, player(690, 390), 1, steady(120, 1, 127, 127, 512)},
		{"along the west pillar", 60, 0, arena.KindPlayer, player(280, 150), 1, steady(150, 0, 40, 127, 1024)},
		{"into the left border", 60, 0, arena.KindPlayer, player(40, 500), 1, steady(60, 0, -127, -30, 2048)},
		{"random walk near the centre", 60, 0, arena.KindPlayer, player(640, 450), 1, randomInputs(400)},
		{"random walk at 20 Hz", 20, 0, arena.KindPlayer, player(420, 600), 1, randomInputs(200)},
		{"random walk at 30 Hz", 30, 0, arena.KindPlayer, player(1180, 680), 1, randomInputs(200)},
		{"faster players", 60, 250, arena.KindPlayer, player(800, 300), 1, randomInputs(200)},
		{"high seq numbers", 60, 0, arena.KindPlayer, player(960, 500), 4_000_000, randomInputs(120)},
		{"out-of-range values are clamped", 60, 0, arena.KindPlayer, player(800, 80), 1,
			[][]int32{{7, 500, -500, -1}, {0, -9999, 3, 5000}, {0, 127, 127, 4096}, {-1, 0, 0, 123456}}},
		{"a dead player stays put", 60, 0, arena.KindPlayer, []int32{arena.PlayerX: 800, arena.PlayerY: 800, arena.PlayerOwner: 1}, 1, steady(5, 0, 127, 0, 100)},
		{"a projectile stays put", 60, 0, arena.KindProjectile, []int32{arena.ProjectileX: 800, arena.ProjectileY: 800, arena.ProjectileAngle: 5, arena.ProjectileOwner: 1}, 1, steady(5, 0, 127, 0, 100)},
	}
	var cases []predictCase
	steps := 0
	for _, s := range specs {
		pr := arena.NewPredictor(s.hz, arena.Options{MaxSpeed: s.maxSpeed})
		c := predictCase{Name: s.name, TickHz: s.hz, MaxSpeed: s.maxSpeed, Kind: s.kind, Start: slices.Clone(s.start)}
		fields := slices.Clone(s.start)
		for i, in := range s.inputs {
			seq := s.firstSeq + uint32(i)
			pr.Step(s.kind, fields, seq, arena.InputFromValues(in))
			c.Steps = append(c.Steps, predictRow{Seq: seq, Input: in, Fields: slices.Clone(fields)})
		}
		steps += len(c.Steps)
		cases = append(cases, c)
	}
	schema, err := proto.MarshalOptions{Deterministic: true}.Marshal(arena.Schema.Proto())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString("{\n\"about\": \"arena.Predictor.Step chained over inputs, written by go test ./tools/webgen -update; see tools/webgen/doc.go\",\n")
	fmt.Fprintf(&b, "\"schema\": %q,\n\"cases\": [\n", hex.EncodeToString(schema))
	for i, c := range cases {
		raw, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(raw)
		if i < len(cases)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n}\n")
	check(t, predictPath, b.Bytes(), fmt.Sprintf("%d cases, %d steps", len(cases), steps))
}
