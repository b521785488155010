package drones

// The box's fixed layout in whole world units. x and y span the floor, z
// points up; the playable space is [0, WorldX] × [0, WorldY] × [0, WorldZ].
const (
	// WorldX is the box's extent along x in world units.
	WorldX = 2000
	// WorldY is the box's extent along y in world units.
	WorldY = 2000
	// WorldZ is the box's height in world units.
	WorldZ = 600
	// DroneRadius is a drone's collision sphere.
	DroneRadius = 20
	// CoreRadius is how far from a core's centre a drone's sphere collects
	// it.
	CoreRadius = 24
)

// Box is an axis-aligned solid block in world units.
type Box struct {
	MinX, MinY, MinZ, MaxX, MaxY, MaxZ int32
}

// Point is a spot in the box in world units.
type Point struct {
	X, Y, Z int32
}

// Pillars is the box's solid geometry. Three reach the ceiling and must be
// flown around; two stop short of it and can be flown over; one is a beam
// in mid-air that can be flown under or over. Callers must not modify it.
var Pillars = [...]Box{
	{900, 900, 0, 1100, 1100, WorldZ}, // central tower
	{350, 1350, 0, 500, 1500, WorldZ}, // north-west pillar
	{1450, 400, 0, 1600, 550, WorldZ}, // south-east pillar
	{1450, 1400, 0, 1620, 1570, 380},  // north-east stump
	{380, 380, 0, 520, 520, 420},      // south-west stump
	{600, 1700, 250, 1400, 1780, 330}, // northern beam
}

// refuges are points clear of every pillar by far more than a drone or a
// core needs, where something spawns when random points keep landing in
// pillars or crowds.
var refuges = [...]Point{
	{150, 150, 300}, {1850, 150, 300}, {1850, 1850, 300}, {150, 1850, 300},
	{1000, 300, 150}, {1000, 1700, 450}, {300, 1000, 300}, {1700, 1000, 300},
}
