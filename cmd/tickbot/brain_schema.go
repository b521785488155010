package main

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/tickwire/tickwire/netcode/wire"
)

// schemaBrain plays a mode tickbot has no brains for from its schema
// alone: each input value holds a random value of its field's range and
// draws a new one about once a second, as a player pressing keys and
// turning now and then would. It does not look at the world, so it tests
// a new mode's load and sync, not its rules.
type schemaBrain struct {
	fields []wire.Field
	values []int32
	redraw []time.Time // when each value is drawn again
	rng    *rand.Rand
}

// newSchemaBrain returns a brain for the input fields of schema, or nil
// when the mode has no inputs to play with.
func newSchemaBrain(schema *wire.Schema, rng *rand.Rand) *schemaBrain {
	if schema == nil || len(schema.Input) == 0 {
		return nil
	}
	return &schemaBrain{fields: schema.Input, values: make([]int32, len(schema.Input)),
		redraw: make([]time.Time, len(schema.Input)), rng: rng}
}

func (b *schemaBrain) wantsView() bool { return false }

func (b *schemaBrain) next(now time.Time, _ *view) []int32 {
	for i := range b.fields {
		if now.Before(b.redraw[i]) {
			continue
		}
		b.values[i] = randomValue(&b.fields[i], b.rng)
		// 0.5 to 1.5 s, so the fields do not all change at once.
		b.redraw[i] = now.Add(time.Duration(500+b.rng.IntN(1000)) * time.Millisecond)
	}
	return b.values
}

// randomValue draws a valid raw value of f: a random set of its named
// flags, or a value of its range (a type's whole range, when the schema
// sets none, narrowed to ±1000 steps around 0 so that a bot does not send
// only extremes).
func randomValue(f *wire.Field, rng *rand.Rand) int32 {
	if f.Type == wire.TypeFlags {
		return f.Clamp(int32(rng.Uint32()))
	}
	lo, hi := f.Range()
	if f.Min == 0 && f.Max == 0 && (f.Type == wire.TypeInt || f.Type == wire.TypeUint || f.Type == wire.TypeFixed) {
		lo, hi = max(lo, -1000), min(hi, 1000)
	}
	span := int64(hi) - int64(lo) + 1
	if span <= 0 || span > math.MaxInt64/2 {
		return f.Clamp(0)
	}
	return f.Clamp(int32(int64(lo) + rng.Int64N(span)))
}
