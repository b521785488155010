# Each target calls plain commands or a script under tools/, so CI and people
# run the same thing.
GO ?= go

.PHONY: run build test lint proto proto-check bench bench-scenario bench-sweep fuzz

## run: start the server with embedded defaults on :7777
run:
	$(GO) run ./cmd/tickwire

## build: build the three commands into ./bin
build:
	$(GO) build -o bin/ ./cmd/...

## test: the whole test suite with the race detector
test:
	$(GO) test -race -count=1 ./...

## lint: gofmt, go vet and staticcheck
lint:
	tools/lint.sh

## proto: regenerate the Go code beside proto/**/*.proto
proto:
	tools/proto.sh generate

## proto-check: fail when the committed generated code is stale
proto-check:
	tools/proto.sh check

## bench: codec and room benchmarks (compare runs with benchstat)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./netcode/... ./game/...

## bench-scenario: arena-move on tickwire and the Colyseus peer side by side
## (minutes; BENCH_FLAGS adds flags, e.g. BENCH_FLAGS="-clients 2000 -runs 2")
BENCH_FLAGS ?=
bench-scenario:
	$(GO) run ./tools/bench -json bench-scenario.json $(BENCH_FLAGS)

## bench-sweep: both servers at 250, 500, 1000 ... clients until they no
## longer hold them; writes docs/bench-sweep.json and docs/bench-sweep.svg
bench-sweep:
	$(GO) run ./tools/bench -sweep 250,500,1000,2000,4000,8000 $(BENCH_FLAGS)
