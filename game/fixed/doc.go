// Package fixed is integer math for deterministic games: square roots and
// divisions that round a stated way, and sine, cosine and atan2 over
// angles of AngleSteps steps per turn, identical on every platform (the
// sine table comes from an integer series, never from math.Sin). Game
// modes that must replay to the same checksums use it instead of floats.
//
// It holds no game rules and imports nothing of tickwire.
package fixed
