// Package wire is tickwire's protocol without its transport: the schema a
// game mode describes its state with, the rows that hold that state, the
// snapshot codec (packed deltas over rows of any width, checksums, schema
// driven quantization), the hand-written snapshot frame and its
// allocation-free decoder for clients, the hand-written input frame and its
// allocation-free decoder for servers, and the protocol's constants (close codes, the
// server clock and the server time clients derive from ticks).
//
// Everything here is pure: no I/O, no goroutines, no metrics. It depends on
// the schema in proto and on protobuf's wire helpers only, so servers,
// clients and tools all share one definition of the bytes. Decoders here
// never panic on hostile input and never allocate more than the input's
// size justifies; they are fuzzed.
package wire
