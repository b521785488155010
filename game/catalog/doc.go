// Package catalog lists the game modes tickwire ships, so that every
// command builds the same catalogue: the server offers these modes, and
// tickctl replay can rebuild a recorded game of any of them. It holds no
// game rules, settings or defaults of its own: each mode brings its own
// (game.Mode). It sits beside game because game cannot import the modes,
// which import game.
package catalog
