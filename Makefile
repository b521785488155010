# Each target calls plain commands or a script under tools/, so CI and people
# run the same thing.
GO ?= go

.PHONY: run build test web lint proto proto-check bench bench-scenario bench-sweep fuzz soak

## run: start the server with embedded defaults on :7777
run:
	$(GO) run ./cmd/tickwire

## build: build the three commands into ./bin, static (no cgo; host names resolve with Go's own resolver): they run on any Linux of the same architecture, and the server's resident memory holds no C library
build:
	CGO_ENABLED=0 $(GO) build -o bin/ ./cmd/...

## test: redis-server for the directory's tests (tools/redis.sh installs it when missing), the Go tests with the race detector, one package at a time (-p 1: the end-to-end tests measure delivery and latency on real sockets, and on a 2-core machine another package's tests beside them would be measured too), then the web tests (tools/webtest.sh: SDK and game unit tests, bundle check, Chromium end to end)
test:
	tools/redis.sh
	$(GO) test -race -count=1 -p 1 ./...
	tools/webtest.sh

## web: type-check the TypeScript under web/ and bundle the browser game into web/app/dist (npm ci first when needed)
web:
	tools/web.sh

## lint: gofmt, go vet and staticcheck
lint:
	tools/lint.sh

## proto: regenerate the Go code beside proto/**/*.proto and, with web/node_modules, the SDK's TypeScript
proto:
	tools/proto.sh generate

## proto-check: fail when the committed generated code is stale (the TypeScript too, with web/node_modules)
proto-check:
	tools/proto.sh check

## fuzz: every fuzz target (the server's decoders of client bytes, the codec) for FUZZTIME each (default 10s; CI runs 2s)
fuzz:
	tools/fuzz.sh

## soak: 300 bots with 2 % random drops and resumes beside a trickle of attacks, for SOAK (default 10m); not part of CI
SOAK ?= 10m
soak:
	TICKWIRE_SOAK=$(SOAK) $(GO) test -run '^TestSoak$$' -count=1 -timeout 0 -v ./lobby/

## bench: codec and room benchmarks (compare runs with benchstat)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./netcode/... ./game/...

## bench-scenario: arena-move on tickwire and the Colyseus peer side by side
## (minutes; BENCH_FLAGS adds flags, e.g. BENCH_FLAGS="-clients 2000 -runs 2")
BENCH_FLAGS ?=
bench-scenario:
	$(GO) run ./tools/bench -json bench-scenario.json $(BENCH_FLAGS)

## bench-sweep: both servers at 250, 500, 600 ... clients until they no
## longer hold them, three windows a count (the majority decides); writes
## docs/bench-sweep.json and docs/bench-sweep.svg (half an hour)
bench-sweep:
	$(GO) run ./tools/bench -sweep 250,500,600,700,800,1000,1200,1400,1600,2000,3000,4000 -repeat 3 $(BENCH_FLAGS)
