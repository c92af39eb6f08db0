# w2v — build, test, benchmark and demo targets. Run `make help` for a list.

GO      ?= go
BIN     := bin/w2v
DEMO_IN := testdata/enwiki-2m.txt.gz
DEMO    := bin/demo-vectors.bin

.PHONY: all build test test-deps vet test-unit test-race test-simd cross bench bench-quick bench-query bench-kernels demo fuzz clean help

all: build

help:
	@echo "make build   build bin/w2v"
	@echo "make test    install test dependencies if missing, then vet, test (also -race, purego, arm64 under qemu) and cross-compile"
	@echo "make bench   compare w2v with gensim and fastText on the reference corpus (long)"
	@echo "make demo    train on the Wikipedia slice in testdata, then show nearest words and an analogy"

build:
	$(GO) build -o $(BIN) ./cmd/w2v

test: test-deps vet test-unit test-race test-simd cross

test-deps:
	@scripts/test-deps.sh

vet:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test-unit:
	$(GO) test ./...

# The race detector checks everything but the multi-worker training tests,
# whose races are deliberate (see internal/skipgram's package documentation).
test-race:
	$(GO) test -race ./...

test-simd:
	$(GO) test -tags purego ./internal/simd/...
	GOARCH=arm64 $(GO) test -exec qemu-aarch64 ./internal/simd/...

cross:
	GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/w2v
	GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/w2v
	GOARCH=arm64 $(GO) build -o /dev/null ./cmd/w2v

# The side-by-side comparison with gensim and fastText (bench/README.md),
# then the query side and the kernel micro-benchmarks.
bench: build
	bench/run.sh
	bench/query.sh
	$(MAKE) bench-kernels

bench-quick: build
	bench/run.sh --quick

bench-query: build
	bench/query.sh

bench-kernels:
	$(GO) test -run '^$$' -bench . -benchtime 200ms ./internal/simd/

demo: build
	$(BIN) train $(DEMO_IN) -o $(DEMO) --binary --epochs 10 --sample 1e-4
	$(BIN) nearest -m $(DEMO) -k 8 france jazz einstein
	$(BIN) analogy -m $(DEMO) -k 5 paris - france + germany

# Every fuzz target for FUZZTIME each (the issue asks for 5 minutes).
FUZZTIME ?= 5m
FUZZ_TARGETS := \
	./internal/corpus:FuzzTokenizer \
	./internal/vecfile:FuzzReadText ./internal/vecfile:FuzzReadBinary ./internal/vecfile:FuzzRead \
	./internal/vecfile:FuzzDecodeNative ./internal/vecfile:FuzzParseFloat32 \
	./internal/evaluate:FuzzReadQuestions ./internal/evaluate:FuzzReadPairs \
	./internal/simd:FuzzDot ./internal/simd:FuzzAxpy ./internal/simd:FuzzScale ./internal/simd:FuzzDotRows \
	./internal/simd:FuzzAxpyRows ./internal/simd:FuzzAxpyRowsScatter ./internal/simd:FuzzMatVec ./internal/simd:FuzzMatMulT

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

clean:
	rm -rf bin bench-out
