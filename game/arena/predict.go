package arena

import (
	"github.com/tickwire/tickwire/game"
	"github.com/tickwire/tickwire/game/fixed"
	pb "github.com/tickwire/tickwire/proto/tickwire/v1"
)

// Velocity is a player's velocity in 1/1024 world units per second: the
// part of the movement state that snapshots do not carry.
type Velocity struct{ X, Y int32 }

// Predictor replays the arena's movement rule for the local player on a
// client: the same integer physics and walls as the server, but without
// other players (no pushing), projectiles, deaths or respawns, which only
// the server knows. Its zero value is not usable; use NewPredictor.
type Predictor struct {
	w     world
	maxV  int64
	accel int64
}

// NewPredictor returns a Predictor for a room running at tickHz with opts
// (zero fields take defaults, as in NewWithOptions).
func NewPredictor(tickHz int, opts Options) *Predictor {
	if tickHz <= 0 {
		tickHz = game.DefaultTickHz
	}
	tickHz = min(tickHz, maxTickHz)
	opts = opts.withDefaults()
	return &Predictor{
		w:     newWorld(tickHz),
		maxV:  int64(opts.MaxSpeed) * velScale,
		accel: max(1, int64(opts.Acceleration)*velScale/int64(tickHz)),
	}
}

// Replay advances a player entity (its kind and fields, changed in place),
// moving at v, by one tick per input and returns the final velocity. It
// works in the server's sub-units and quantizes once at the end, so from
// an exact starting state (a freshly spawned player: on the grid, v zero)
// it lands on the very grid position the server will report, as long as
// no other player pushes. Entities that are not living players stay
// unchanged.
func (p *Predictor) Replay(kind uint32, fields []int32, v Velocity, inputs []Input) Velocity {
	if !livingPlayer(kind, fields) {
		return v
	}
	b := body{x: p.w.fromGrid(fields[PlayerX]), y: p.w.fromGrid(fields[PlayerY]), vx: int64(v.X), vy: int64(v.Y)}
	for _, in := range inputs {
		tx, ty := targetVelocity(in, p.maxV)
		accelerate(&b, tx, ty, p.accel)
		p.w.moveBody(&b, p.w.playerR)
		fields[PlayerAngle] = wrapAngle(in.Aim)
	}
	fields[PlayerX] = p.w.toGrid(b.x)
	fields[PlayerY] = p.w.toGrid(b.y)
	return Velocity{X: int32(b.vx), Y: int32(b.vy)}
}

// livingPlayer reports whether a row of kind with fields is a living
// player, the only thing a Predictor moves.
func livingPlayer(kind uint32, fields []int32) bool {
	return kind == KindPlayer && len(fields) > PlayerFlags && fields[PlayerFlags]&FlagAlive != 0
}

// Step predicts one input without knowing the velocity, for a stateless
// per-input hook such as client.PredictFunc. It assumes the player already
// moves at the velocity the input asks for (steady state), so right after
// a change of direction it runs ahead of the server by at most
// MaxSpeed·(MaxSpeed/Acceleration)/2 world units (6.25 with the defaults)
// until the server's acceleration catches up. To avoid the drift of
// re-quantizing every step, the travel of input seq is the difference of
// the quantized positions at seq and seq-1, so a chain of consecutive
// inputs telescopes to within one grid unit of the exact path.
func (p *Predictor) Step(kind uint32, fields []int32, seq uint32, in Input) {
	if !livingPlayer(kind, fields) {
		return
	}
	tx, ty := targetVelocity(in, p.maxV)
	grid := p.w.unit / PositionScale
	s := int64(seq)
	b := body{x: p.w.fromGrid(fields[PlayerX]), y: p.w.fromGrid(fields[PlayerY])}
	b.vx = (fixed.FloorDiv(tx*s, grid) - fixed.FloorDiv(tx*(s-1), grid)) * grid
	b.vy = (fixed.FloorDiv(ty*s, grid) - fixed.FloorDiv(ty*(s-1), grid)) * grid
	p.w.moveBody(&b, p.w.playerR)
	fields[PlayerX] = p.w.toGrid(b.x)
	fields[PlayerY] = p.w.toGrid(b.y)
	fields[PlayerAngle] = wrapAngle(in.Aim)
}

// wrapAngle takes an aim modulo AngleSteps, as the server does with every
// input (Schema's aim field), since callers may build an Input by hand.
func wrapAngle(a int32) int32 { return a & (AngleSteps - 1) }

// PredictFunc returns a function with client.PredictFunc's signature that
// predicts with opts; see Predictor.Step for its limits. It caches one
// Predictor per tick rate seen last, so it must not be shared between
// goroutines.
func PredictFunc(opts Options) func(kind uint32, fields []int32, in *pb.Input, tickHz int) {
	var (
		pr     *Predictor
		prTick int
	)
	return func(kind uint32, fields []int32, in *pb.Input, tickHz int) {
		if pr == nil || prTick != tickHz {
			pr, prTick = NewPredictor(tickHz, opts), tickHz
		}
		pr.Step(kind, fields, in.GetSeq(), InputFromValues(in.GetValues()))
	}
}

// PredictPlayer predicts the local player one input ahead with the default
// options; its signature matches client.PredictFunc, so a Go client of an
// arena room can plug it in directly. See Predictor.Step for its limits.
func PredictPlayer(kind uint32, fields []int32, in *pb.Input, tickHz int) {
	NewPredictor(tickHz, Options{}).Step(kind, fields, in.GetSeq(), InputFromValues(in.GetValues()))
}
