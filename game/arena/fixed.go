package arena

// velScale is the number of velocity units per world unit per second.
// Positions use unit = velScale·TickHz sub-units per world unit, so a
// velocity in velScale units is also exactly the sub-units moved per tick:
// 100 units/s is 102400 sub-units per tick at any tick rate, with no
// rounding drift.
const velScale = 1024

// maxTickHz bounds the tick rate so every product in the physics fits int64.
const maxTickHz = 1000

// unitFor returns the sub-units per world unit at tickHz.
func unitFor(tickHz int) int64 { return velScale * int64(tickHz) }
