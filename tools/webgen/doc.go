// Package webgen holds the tests that write what the browser game
// (web/app) takes from the Go games, so that the game has one source of
// truth: web/app/src/gen/maps.ts (the arena's walls and spawn points, the
// drones' box and pillars, their sizes) and web/app/testdata/predict.json
// (the arena's client-side prediction, arena.Predictor.Step, step by step
// from Go, which the app's TypeScript port must reproduce exactly).
//
// Run "go test ./tools/webgen -update" after changing a map or the
// movement rule; without -update the tests fail when a committed file
// differs from what the code produces. It has no code of its own.
package webgen
