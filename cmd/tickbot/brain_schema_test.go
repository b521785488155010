package main

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
)

// tagInput is the input of a mode tickbot has no brains for.
var tagInput = &wire.Schema{Input: []wire.Field{
	{Name: "move_x", Type: wire.TypeInt, Min: -100, Max: 100},
	{Name: "sprint", Type: wire.TypeBool},
	{Name: "emote", Type: wire.TypeEnum, Names: []string{"wave", "dance", "cheer"}},
	{Name: "aim", Type: wire.TypeAngle, Scale: 360},
	{Name: "keys", Type: wire.TypeFlags, Names: []string{"up", "down", "left"}},
	{Name: "power", Type: wire.TypeUint},
}}

// TestSchemaBrain: in a mode tickbot has no brains for, wander and chase
// send every input field values of its range that change over time, and
// idle sends nothing.
func TestSchemaBrain(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, behavior := range []string{behaviorWander, behaviorChase} {
		if b := newBrain("tag", behavior, 30, rng, tagInput); reflect.TypeOf(b) != reflect.TypeOf(&schemaBrain{}) {
			t.Errorf("tag %s: %T, want a schema brain", behavior, b)
		}
	}
	if b := newBrain("tag", behaviorIdle, 30, rng, tagInput); b != (idleBrain{}) {
		t.Errorf("tag idle: %T, want idle", b)
	}
	if b := newBrain("tag", behaviorWander, 30, rng, &wire.Schema{}); b != (idleBrain{}) {
		t.Errorf("a mode without inputs: %T, want idle", b)
	}

	b := newBrain("tag", behaviorWander, 30, rng, tagInput)
	start := time.Unix(1000, 0)
	seen := make([]map[int32]bool, len(tagInput.Input))
	for i := range seen {
		seen[i] = map[int32]bool{}
	}
	for step := range 30 * 60 { // a minute at 30 inputs a second
		values := b.next(start.Add(time.Duration(step)*time.Second/30), nil)
		if len(values) != len(tagInput.Input) {
			t.Fatalf("%d values, want %d", len(values), len(tagInput.Input))
		}
		for i, v := range values {
			f := &tagInput.Input[i]
			if f.Clamp(v) != v {
				t.Fatalf("%s = %d, outside its field", f.Name, v)
			}
			seen[i][v] = true
		}
	}
	// About a draw a second: dozens of values of a wide range, at least
	// two of every field.
	for i, s := range seen {
		want := 2
		if i == 0 {
			want = 20
		}
		if len(s) < want {
			t.Errorf("%s took %d distinct values in a minute, want at least %d", tagInput.Input[i].Name, len(s), want)
		}
	}
}
