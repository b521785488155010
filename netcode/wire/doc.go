// Package wire is tickwire's protocol without its transport: the entity
// model and snapshot codec (packed deltas, checksums, quantization), the
// history ring that encodes a room's newest snapshot once per baseline, the
// hand-written snapshot frame, and the protocol's constants (close codes,
// the server clock).
//
// Everything here is pure: no I/O, no goroutines, no metrics. It depends on
// the schema in proto and on protobuf's wire helpers only, so servers,
// clients and tools all share one definition of the bytes. Decoders here
// never panic on hostile input and never allocate more than the input's
// size justifies; they are fuzzed.
package wire
