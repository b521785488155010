package record

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tickwire/tickwire/game"
)

// The arena-move load of docs/design.md, as a room records it: 16
// players at 60 Hz, each sending an input every other tick (30 Hz) that
// runs at full speed towards its aim and turns about once a second, a
// step every tick and a checksum every third (20 Hz snapshots).
const (
	arenaPlayers     = 16
	arenaTickHz      = 60
	arenaMatchTicks  = 5 * 60 * arenaTickHz // a 5-minute match
	arenaAngleSteps  = 4096
	arenaTurnsPerSec = 1
)

// arenaLoad makes the calls a recorded arena-move room makes, tick by
// tick, from a seeded generator.
type arenaLoad struct {
	rng    *rand.Rand
	tick   uint32
	seq    [arenaPlayers]uint32
	dir    [arenaPlayers]int32
	inputs int
}

// arenaMove is the move vector of each aim, as a wandering bot sends it.
var arenaMove = func() (v [arenaAngleSteps][2]int32) {
	for d := range v {
		a := float64(d) * 2 * math.Pi / arenaAngleSteps
		v[d] = [2]int32{int32(math.Round(127 * math.Cos(a))), int32(math.Round(127 * math.Sin(a)))}
	}
	return v
}()

func newArenaLoad(seed uint64) *arenaLoad {
	return &arenaLoad{rng: rand.New(rand.NewPCG(seed, 1))}
}

// join makes every player join.
func (l *arenaLoad) join(rc *Recorder) {
	for p := range arenaPlayers {
		rc.Join(game.PlayerID(p+1), fmt.Sprintf("bot-%d", p), uint32(p+1), false)
	}
	rc.StartMatch(0)
}

// step records one tick: half the players' inputs, the step and, every
// third tick, a checksum.
func (l *arenaLoad) step(rc *Recorder) {
	l.tick++
	for p := int(l.tick % 2); p < arenaPlayers; p += 2 {
		if l.rng.IntN(arenaTickHz/2/arenaTurnsPerSec) == 0 {
			l.dir[p] = l.rng.Int32N(arenaAngleSteps)
		}
		l.seq[p]++
		in := game.Input{Seq: l.seq[p]}
		in.Values[1], in.Values[2], in.Values[3] = arenaMove[l.dir[p]][0], arenaMove[l.dir[p]][1], l.dir[p]
		rc.Input(game.PlayerID(p+1), in)
		l.inputs++
	}
	rc.Step(l.tick)
	if l.tick%3 == 0 {
		rc.Checksum(l.tick, l.rng.Uint32())
	}
	rc.EndTick()
}

// BenchmarkRecorderArena measures a room's in-memory log under the
// arena-move load: one op is one tick of a 16-player room (8 inputs).
// Each 5-minute match gets a fresh Recorder; log-B/input is what the logs
// took from their budget at the end of each match, per input recorded.
func BenchmarkRecorderArena(b *testing.B) {
	budget := NewBudget(0)
	newMatch := func() *Recorder {
		rc, err := NewRecorder(Options{LogBytes: 1 << 30, Budget: budget})
		if err != nil {
			b.Fatal(err)
		}
		return rc
	}
	var held int64
	inputs, matches := 0, 0
	rc, load := newMatch(), newArenaLoad(1)
	load.join(rc)
	end := func() {
		held += budget.Used()
		inputs += load.inputs
		matches++
		rc.Close()
	}
	b.ReportAllocs()
	for range b.N {
		if load.tick == arenaMatchTicks {
			end()
			rc, load = newMatch(), newArenaLoad(uint64(matches+1))
			load.join(rc)
		}
		load.step(rc)
	}
	b.StopTimer()
	end()
	b.ReportMetric(float64(held)/float64(inputs), "log-B/input")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(inputs), "ns/input")
}

// BenchmarkLogSeal measures sealing one full chunk of arena-move entries,
// the work a log adds to the tick that fills a chunk; ns/input spreads it
// over the inputs the chunk holds.
func BenchmarkLogSeal(b *testing.B) {
	rc, err := NewRecorder(Options{LogBytes: 1 << 30})
	if err != nil {
		b.Fatal(err)
	}
	load := newArenaLoad(1)
	load.join(rc)
	for len(rc.log.sealed) == 0 {
		load.step(rc)
	}
	raw := make([]byte, logChunkSize)
	if _, _, err := inflateChunk(raw, nil, rc.log.sealed[0]); err != nil {
		b.Fatal(err)
	}
	inputs := float64(load.inputs) * float64(logChunkSize) / float64(rc.log.size)
	b.ReportAllocs()
	for b.Loop() {
		compressChunk(raw)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/inputs, "ns/input")
}
