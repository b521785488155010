package arena

import "github.com/tickwire/tickwire/game/fixed"

// rect is a wall in sub-units.
type rect struct{ minX, minY, maxX, maxY int64 }

// body is a moving circle's state in sub-units (position) and sub-units per
// tick (velocity, numerically 1/1024 world units per second).
type body struct{ x, y, vx, vy int64 }

// world is the map and scale at one tick rate.
type world struct {
	unit    int64 // sub-units per world unit
	walls   [len(Walls)]rect
	playerR int64
	projR   int64
}

func newWorld(tickHz int) world {
	u := unitFor(tickHz)
	w := world{unit: u, playerR: PlayerRadius * u, projR: ProjectileRadius * u}
	for i, b := range Walls {
		w.walls[i] = rect{int64(b.MinX) * u, int64(b.MinY) * u, int64(b.MaxX) * u, int64(b.MaxY) * u}
	}
	return w
}

// toGrid quantizes a sub-unit coordinate to the wire grid.
func (w *world) toGrid(v int64) int32 {
	return int32(fixed.RoundDiv(v*PositionScale, w.unit))
}

// fromGrid converts a wire grid coordinate to sub-units (exact: unit is a
// multiple of PositionScale).
func (w *world) fromGrid(v int32) int64 { return int64(v) * (w.unit / PositionScale) }

// targetVelocity is the velocity an input asks for: the move vector
// normalised to length ≤ 1 (ceil of the root keeps a diagonal from
// exceeding top speed), times maxV.
func targetVelocity(in Input, maxV int64) (int64, int64) {
	mx := fixed.Clamp(int64(in.MoveX), -MoveAxisMax, MoveAxisMax)
	my := fixed.Clamp(int64(in.MoveY), -MoveAxisMax, MoveAxisMax)
	if mx == 0 && my == 0 {
		return 0, 0
	}
	den := max(MoveAxisMax, fixed.CeilSqrt(mx*mx+my*my))
	return maxV * mx / den, maxV * my / den
}

// accelerate moves b's velocity toward (tx, ty) by at most a per tick,
// landing exactly on the target once within reach.
func accelerate(b *body, tx, ty, a int64) {
	dvx, dvy := tx-b.vx, ty-b.vy
	d2 := dvx*dvx + dvy*dvy
	if d2 <= a*a {
		b.vx, b.vy = tx, ty
		return
	}
	d := fixed.Isqrt(d2)
	b.vx += dvx * a / d
	b.vy += dvy * a / d
}

// moveBody advances b by its velocity, sliding along walls. Substeps of at
// most half the radius keep the centre from ever crossing a wall surface,
// so nothing tunnels even at low tick rates.
func (w *world) moveBody(b *body, r int64) {
	n := max(1, (max(fixed.Abs(b.vx), fixed.Abs(b.vy))+r/2-1)/(r/2))
	for i := int64(0); i < n; i++ {
		// Split the velocity so the substeps sum to exactly one tick's travel.
		b.x += b.vx*(i+1)/n - b.vx*i/n
		b.y += b.vy*(i+1)/n - b.vy*i/n
		w.resolveWalls(b, r)
	}
}

// resolveWalls pushes a circle out of every wall; two passes settle corners
// where pushing out of one wall leads into another.
func (w *world) resolveWalls(b *body, r int64) {
	for range 2 {
		for i := range w.walls {
			pushOut(b, r, &w.walls[i])
		}
	}
}

// overlapsWall reports whether a circle touches any wall.
func (w *world) overlapsWall(x, y, r int64) bool {
	for i := range w.walls {
		if circleHitsRect(x, y, r, &w.walls[i]) {
			return true
		}
	}
	return false
}

func circleHitsRect(x, y, r int64, wr *rect) bool {
	dx := x - fixed.Clamp(x, wr.minX, wr.maxX)
	dy := y - fixed.Clamp(y, wr.minY, wr.maxY)
	if fixed.Abs(dx) >= r || fixed.Abs(dy) >= r {
		return false
	}
	return dx*dx+dy*dy < r*r
}

// pushOut moves circle b (radius r) out of wall wr along the shortest way
// and removes the velocity component into the wall, so b slides along it.
func pushOut(b *body, r int64, wr *rect) {
	cx := fixed.Clamp(b.x, wr.minX, wr.maxX)
	cy := fixed.Clamp(b.y, wr.minY, wr.maxY)
	dx, dy := b.x-cx, b.y-cy
	if dx == 0 && dy == 0 {
		pushOutFromInside(b, r, wr)
		return
	}
	if fixed.Abs(dx) >= r || fixed.Abs(dy) >= r {
		return
	}
	d2 := dx*dx + dy*dy
	if d2 >= r*r {
		return
	}
	switch {
	case dy == 0: // a vertical face
		if dx > 0 {
			b.x, b.vx = cx+r, max(b.vx, 0)
		} else {
			b.x, b.vx = cx-r, min(b.vx, 0)
		}
	case dx == 0: // a horizontal face
		if dy > 0 {
			b.y, b.vy = cy+r, max(b.vy, 0)
		} else {
			b.y, b.vy = cy-r, min(b.vy, 0)
		}
	default: // a corner: push along the corner→centre normal
		d := fixed.Isqrt(d2)
		push := r - d + 1
		b.x += dx * push / d
		b.y += dy * push / d
		if vn := (b.vx*dx + b.vy*dy) / d; vn < 0 {
			b.vx -= dx * vn / d
			b.vy -= dy * vn / d
		}
	}
}

// pushOutFromInside handles a centre inside a wall (only possible after a
// hard push from other players): leave through the nearest face.
func pushOutFromInside(b *body, r int64, wr *rect) {
	left, right := b.x-wr.minX, wr.maxX-b.x
	down, up := b.y-wr.minY, wr.maxY-b.y
	switch min(left, right, down, up) {
	case left:
		b.x, b.vx = wr.minX-r, min(b.vx, 0)
	case right:
		b.x, b.vx = wr.maxX+r, max(b.vx, 0)
	case down:
		b.y, b.vy = wr.minY-r, min(b.vy, 0)
	default:
		b.y, b.vy = wr.maxY+r, max(b.vy, 0)
	}
}

// movePlayers applies inputs, moves every living player, then pushes
// overlapping players apart (in ID order, so the result is deterministic)
// and lets walls win last.
func (g *Game) movePlayers() {
	maxV := int64(g.opts.MaxSpeed) * velScale
	a := max(1, int64(g.opts.Acceleration)*velScale/int64(g.cfg.TickHz))
	for _, p := range g.players {
		if !p.alive {
			continue
		}
		tx, ty := targetVelocity(p.in, maxV)
		accelerate(&p.body, tx, ty, a)
		g.w.moveBody(&p.body, g.w.playerR)
	}
	g.separatePlayers()
}

// separatePlayers resolves circle-circle overlaps, each player of a pair
// moving half the overlap apart.
func (g *Game) separatePlayers() {
	minD := 2 * g.w.playerR
	for i, a := range g.players {
		if !a.alive {
			continue
		}
		for _, b := range g.players[i+1:] {
			if !b.alive {
				continue
			}
			dx, dy := b.body.x-a.body.x, b.body.y-a.body.y
			if fixed.Abs(dx) >= minD || fixed.Abs(dy) >= minD {
				continue
			}
			d2 := dx*dx + dy*dy
			if d2 >= minD*minD {
				continue
			}
			d := fixed.Isqrt(d2)
			if d == 0 { // exactly stacked: the higher ID goes +x
				dx, dy, d = 1, 0, 1
			}
			half := (minD - d + 1) / 2
			a.body.x -= dx * half / d
			a.body.y -= dy * half / d
			b.body.x += dx * half / d
			b.body.y += dy * half / d
		}
	}
	for _, p := range g.players {
		if p.alive {
			g.w.resolveWalls(&p.body, g.w.playerR)
		}
	}
}
