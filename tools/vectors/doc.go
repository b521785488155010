// Package vectors holds the test that writes the cross-language test
// vectors of the codec, web/sdk/testdata/vectors.json, from the Go
// implementation: the schemas of every shipped mode and of synthetic wide
// ones, packed deltas with their decoded rows and checksums, snapshot
// frames, malformed deltas with the rule each breaks, invalid schemas, and
// the clamping, quantization and interpolation of values. The web SDK's
// tests decode every vector and must agree byte for byte.
//
// Run "go test ./tools/vectors -update" after changing the codec on
// purpose; without -update the test fails when the committed file differs
// from what the code produces. It lives here, not in netcode/wire, because
// it needs the shipped modes (game/catalog), which the codec must not
// import. It has no code of its own.
package vectors
