package drones

import "github.com/tickwire/tickwire/game/fixed"

// vec is a point or a velocity in sub-units (per tick).
type vec struct{ x, y, z int64 }

func (a vec) add(b vec) vec { return vec{a.x + b.x, a.y + b.y, a.z + b.z} }
func (a vec) sub(b vec) vec { return vec{a.x - b.x, a.y - b.y, a.z - b.z} }
func (a vec) dot(b vec) int64 {
	return a.x*b.x + a.y*b.y + a.z*b.z
}

// scale returns a·n/d per component, truncated toward zero (d > 0).
func (a vec) scale(n, d int64) vec { return vec{a.x * n / d, a.y * n / d, a.z * n / d} }

// within reports whether a and b are at most r apart; the per-axis test
// first keeps the common far case cheap.
func within(a, b vec, r int64) bool {
	d := a.sub(b)
	if fixed.Abs(d.x) > r || fixed.Abs(d.y) > r || fixed.Abs(d.z) > r {
		return false
	}
	return d.dot(d) <= r*r
}

// box is a solid block in sub-units.
type box struct{ min, max vec }

// body is a drone's state in sub-units (position) and sub-units per tick
// (velocity, numerically 1/velScale world units per second).
type body struct{ p, v vec }

// world is the box, its pillars and the sizes at one tick rate.
type world struct {
	unit    int64 // sub-units per world unit
	size    vec   // the box's far corner
	pillars [len(Pillars)]box
	droneR  int64
	coreR   int64
}

// pillarOverhang extends a pillar that stands on the floor (or hangs from
// the ceiling) through it, so the only way out of such a pillar is
// sideways.
const pillarOverhang = 200

func newWorld(tickHz int) world {
	u := unitFor(tickHz)
	w := world{
		unit:   u,
		size:   vec{WorldX * u, WorldY * u, WorldZ * u},
		droneR: DroneRadius * u,
		coreR:  CoreRadius * u,
	}
	for i, b := range Pillars {
		minZ, maxZ := int64(b.MinZ), int64(b.MaxZ)
		if minZ <= 0 {
			minZ = -pillarOverhang
		}
		if maxZ >= WorldZ {
			maxZ = WorldZ + pillarOverhang
		}
		w.pillars[i] = box{
			min: vec{int64(b.MinX) * u, int64(b.MinY) * u, minZ * u},
			max: vec{int64(b.MaxX) * u, int64(b.MaxY) * u, maxZ * u},
		}
	}
	return w
}

// toGrid quantizes a sub-unit coordinate to the wire grid.
func (w *world) toGrid(v int64) int32 {
	return int32(fixed.RoundDiv(v*PositionScale, w.unit))
}

// toWireVelocity quantizes a velocity component to the wire's scale.
func toWireVelocity(v int64) int32 {
	return int32(fixed.RoundDiv(v*VelocityScale, velScale))
}

// move advances b by its velocity, colliding with the box and the pillars.
// Substeps of at most half the radius per axis keep the centre from ever
// crossing a surface, so nothing tunnels even at low tick rates.
func (w *world) move(b *body, r int64) {
	step := r / 2
	n := max(1, (max(fixed.Abs(b.v.x), fixed.Abs(b.v.y), fixed.Abs(b.v.z))+step-1)/step)
	for i := int64(0); i < n; i++ {
		// Split the velocity so the substeps sum to exactly one tick's
		// travel (unless a collision changes it on the way).
		b.p.x += b.v.x*(i+1)/n - b.v.x*i/n
		b.p.y += b.v.y*(i+1)/n - b.v.y*i/n
		b.p.z += b.v.z*(i+1)/n - b.v.z*i/n
		w.collide(b, r)
	}
}

// collide pushes a sphere out of every pillar and back into the box; a
// second pass settles corners where pushing out of one surface leads into
// another (when the first pass pushed nothing, a second would not either).
func (w *world) collide(b *body, r int64) {
	for range 2 {
		pushed := false
		for i := range w.pillars {
			pushed = pushOut(b, r, &w.pillars[i]) || pushed
		}
		if !w.keepInside(b, r) && !pushed {
			return
		}
	}
}

// keepInside clamps a sphere into the box, removing the velocity into a
// wall, the floor or the ceiling it touches, and reports whether it moved
// the sphere.
func (w *world) keepInside(b *body, r int64) bool {
	bound := func(p, v *int64, hi int64) bool {
		switch {
		case *p < r:
			*p, *v = r, max(*v, 0)
		case *p > hi-r:
			*p, *v = hi-r, min(*v, 0)
		default:
			return false
		}
		return true
	}
	x := bound(&b.p.x, &b.v.x, w.size.x)
	y := bound(&b.p.y, &b.v.y, w.size.y)
	z := bound(&b.p.z, &b.v.z, w.size.z)
	return x || y || z
}

// hitsPillar reports whether a sphere touches any pillar.
func (w *world) hitsPillar(p vec, r int64) bool {
	for i := range w.pillars {
		if sphereHitsBox(p, r, &w.pillars[i]) {
			return true
		}
	}
	return false
}

// closest returns the point of bx nearest to p.
func closest(p vec, bx *box) vec {
	return vec{
		fixed.Clamp(p.x, bx.min.x, bx.max.x),
		fixed.Clamp(p.y, bx.min.y, bx.max.y),
		fixed.Clamp(p.z, bx.min.z, bx.max.z),
	}
}

func sphereHitsBox(p vec, r int64, bx *box) bool {
	d := p.sub(closest(p, bx))
	if fixed.Abs(d.x) >= r || fixed.Abs(d.y) >= r || fixed.Abs(d.z) >= r {
		return false
	}
	return d.dot(d) < r*r
}

// pushOut moves sphere b (radius r) out of block bx the shortest way and
// removes the velocity into it, so b slides along a face, an edge or a
// corner; it reports whether b touched bx.
func pushOut(b *body, r int64, bx *box) bool {
	c := closest(b.p, bx)
	d := b.p.sub(c)
	if d == (vec{}) {
		pushOutFromInside(b, r, bx)
		return true
	}
	if fixed.Abs(d.x) >= r || fixed.Abs(d.y) >= r || fixed.Abs(d.z) >= r {
		return false
	}
	d2 := d.dot(d)
	if d2 >= r*r {
		return false
	}
	switch {
	case d.y == 0 && d.z == 0: // an x face
		b.p.x, b.v.x = faceOut(c.x, d.x, r, b.v.x)
	case d.x == 0 && d.z == 0: // a y face
		b.p.y, b.v.y = faceOut(c.y, d.y, r, b.v.y)
	case d.x == 0 && d.y == 0: // a z face
		b.p.z, b.v.z = faceOut(c.z, d.z, r, b.v.z)
	default: // an edge or a corner: push along the surface normal
		dist := fixed.Isqrt(d2)
		push := r - dist + 1
		b.p = b.p.add(d.scale(push, dist))
		if vn := b.v.dot(d) / dist; vn < 0 {
			b.v = b.v.sub(d.scale(vn, dist))
		}
	}
	return true
}

// faceOut returns the coordinate and velocity of a sphere pushed off a
// face at c, on the side of d (nonzero), with no velocity into the face.
func faceOut(c, d, r, v int64) (int64, int64) {
	if d > 0 {
		return c + r, max(v, 0)
	}
	return c - r, min(v, 0)
}

// pushOutFromInside handles a centre inside a block (only possible after a
// hard push from another drone): leave through the nearest face.
func pushOutFromInside(b *body, r int64, bx *box) {
	west, east := b.p.x-bx.min.x, bx.max.x-b.p.x
	south, north := b.p.y-bx.min.y, bx.max.y-b.p.y
	down, up := b.p.z-bx.min.z, bx.max.z-b.p.z
	switch min(west, east, south, north, down, up) {
	case west:
		b.p.x, b.v.x = bx.min.x-r, min(b.v.x, 0)
	case east:
		b.p.x, b.v.x = bx.max.x+r, max(b.v.x, 0)
	case south:
		b.p.y, b.v.y = bx.min.y-r, min(b.v.y, 0)
	case north:
		b.p.y, b.v.y = bx.max.y+r, max(b.v.y, 0)
	case down:
		b.p.z, b.v.z = bx.min.z-r, min(b.v.z, 0)
	default:
		b.p.z, b.v.z = bx.max.z+r, max(b.v.z, 0)
	}
}

// segmentHitsBox reports whether the segment a→b passes through the inside
// of bx; grazing a face, an edge or a corner does not count. It is the slab
// test with each crossing kept as an exact fraction (numerator, positive
// denominator), so it is symmetric: b→a gives the same answer. Coordinates
// must stay below 2^30 in magnitude so the cross products fit int64.
func segmentHitsBox(a, b vec, bx *box) bool {
	if max(a.x, b.x) <= bx.min.x || min(a.x, b.x) >= bx.max.x ||
		max(a.y, b.y) <= bx.min.y || min(a.y, b.y) >= bx.max.y ||
		max(a.z, b.z) <= bx.min.z || min(a.z, b.z) >= bx.max.z {
		return false
	}
	// The segment is inside on t in (enterN/enterD, exitN/exitD).
	enterN, enterD := int64(0), int64(1)
	exitN, exitD := int64(1), int64(1)
	axes := [3][4]int64{
		{a.x, b.x, bx.min.x, bx.max.x},
		{a.y, b.y, bx.min.y, bx.max.y},
		{a.z, b.z, bx.min.z, bx.max.z},
	}
	for _, ax := range axes {
		p0, d, lo, hi := ax[0], ax[1]-ax[0], ax[2], ax[3]
		if d == 0 {
			if p0 <= lo || p0 >= hi {
				return false
			}
			continue
		}
		in, out, den := lo-p0, hi-p0, d
		if d < 0 {
			in, out, den = p0-hi, p0-lo, -d
		}
		if in*enterD > enterN*den {
			enterN, enterD = in, den
		}
		if out*exitD < exitN*den {
			exitN, exitD = out, den
		}
		if enterN*exitD >= exitN*enterD {
			return false
		}
	}
	return true
}
