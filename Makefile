# w2v — build, test, benchmark and demo targets. Run `make help` for a list.

GO      ?= go
BIN     := bin/w2v
DEMO_IN := testdata/enwiki-2m.txt.gz
DEMO    := bin/demo-vectors.bin

.PHONY: all build test test-deps vet generate-check lint test-unit test-race test-simd test-fuzz cross bench bench-quick bench-query bench-kernels bench-fasttext-load demo fuzz clean help bench-explore docs-maps

all: build

help:
	@echo "make build   build bin/w2v"
	@echo "make test    install test dependencies if missing, then vet, test (also -race, purego, arm64 under qemu) and cross-compile"
	@echo "make bench   compare w2v with gensim and fastText on the reference corpus (long)"
	@echo "make demo    train on the Wikipedia slice in testdata, then show nearest words and an analogy"
	@echo "make bench-explore  t-SNE, PCA and k-means against scikit-learn on the reference corpus (long)"
	@echo "make docs-maps      redraw README's two maps (docs/*.png) from the demo model"

build:
	$(GO) build -o $(BIN) ./cmd/w2v

test: test-deps vet generate-check lint test-unit test-race test-simd test-fuzz cross

test-deps:
	@scripts/test-deps.sh

vet:
	$(GO) vet ./...
	$(GO) fix -diff ./...
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The amd64 assembly must be what internal/simd/asm generates: regenerate it
# and compare with git's index (run on a clean checkout, as CI does, that is
# the committed files).
SIMD_GENERATED := internal/simd/kernels_avx_amd64.s internal/simd/kernels_avx_amd64.go

generate-check:
	$(GO) generate ./internal/simd
	@git diff --exit-code -- $(SIMD_GENERATED) || { echo "go generate ./internal/simd changes the files above: commit what it writes"; exit 1; }
	@out=$$(git status --porcelain -- internal/simd | grep '^??' || true); \
	if [ -n "$$out" ]; then echo "go generate ./internal/simd wrote files git does not track:"; echo "$$out"; exit 1; fi

lint:
	@scripts/lint.sh

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
# then the query side and the kernel micro-benchmarks. The corpus comes from
# BENCH_CORPUS_SCRIPT (bench/README.md says what it must do).
BENCH_CORPUS_SCRIPT ?= ../shared/data/make-corpus.sh

bench: build
	BENCH_CORPUS_SCRIPT=$(BENCH_CORPUS_SCRIPT) bench/run.sh
	bench/query.sh
	$(MAKE) bench-kernels

bench-quick: build
	BENCH_CORPUS_SCRIPT=$(BENCH_CORPUS_SCRIPT) bench/run.sh --quick

bench-query: build
	bench/query.sh

bench-kernels:
	$(GO) test -run '^$$' -bench . -benchtime 200ms ./internal/simd/

demo: build
	$(BIN) train $(DEMO_IN) -o $(DEMO) --binary --epochs 10 --sample 1e-4
	$(BIN) nearest -m $(DEMO) -k 8 france jazz einstein
	$(BIN) analogy -m $(DEMO) -k 5 paris - france + germany

# Every fuzz target (found by scripts/fuzz.sh) briefly, and for FUZZTIME each.
FUZZ_SMOKE ?= 3000x
FUZZTIME ?= 5m

test-fuzz:
	@GO=$(GO) scripts/fuzz.sh $(FUZZ_SMOKE)

fuzz:
	@GO=$(GO) scripts/fuzz.sh $(FUZZTIME)

clean:
	rm -rf bin bench-out

# The acceptance benchmark of w2v align: Procrustes and CSLS precision@1
# against a numpy reference on two models of disjoint 10M-word slices of the
# benchmark corpus (bench/align.sh; files under bench-out/align).
.PHONY: bench-align
bench-align:
	BENCH_CORPUS_SCRIPT=$(BENCH_CORPUS_SCRIPT) bench/align.sh

# Continue training on new text against gensim's build_vocab(update=True):
# train on 5M words of the benchmark corpus, continue on the next 5M
# (bench/continue.py; about 40 minutes on 2 cores, so not part of bench).
.PHONY: bench-continue
bench-continue: build
	BENCH_CORPUS_SCRIPT=$(BENCH_CORPUS_SCRIPT) bench/continue.sh

# Loading a fastText .bin with 2M buckets at dim 300: w2v against gensim
# (bench/fasttext_load.py; trains the model with Debian's fasttext first).
FTLOAD_OUT ?= bench-out/fasttext

bench-fasttext-load: build test-deps
	/usr/bin/python3 bench/fasttext_load.py --w2v $(BIN) --out $(FTLOAD_OUT)

# w2v's t-SNE, PCA and k-means against scikit-learn's (bench/explore.sh says
# what it measures; installs python3-sklearn when missing).
bench-explore: build
	BENCH_CORPUS_SCRIPT=$(BENCH_CORPUS_SCRIPT) bench/explore.sh

# README's two pictures, from the demo model (trained as make demo does).
MAP_WORDS := france paris germany berlin italy rome spain madrid russia moscow japan tokyo china beijing \
	january february march april may june july august september october november december \
	one two three four five six seven eight nine ten \
	father mother son daughter brother sister husband wife uncle aunt

docs-maps: build
	test -f $(DEMO) || $(BIN) train $(DEMO_IN) -o $(DEMO) --binary --epochs 10 --sample 1e-4
	$(BIN) map -m $(DEMO) --top 300 --classes 12 -o docs/map-top300.png
	$(BIN) map -m $(DEMO) -o docs/map-words.png $(MAP_WORDS)

# w2v's graph index against hnswlib and faiss IndexHNSWFlat, and exact batch
# search against faiss IndexFlatIP (bench/ann.py; long: it trains at dim
# 100 and 300 on the whole corpus). ANN_FLAGS passes options, e.g.
# ANN_FLAGS='--words 5000000 --dims 100' for a quick run.
.PHONY: bench-ann
ANN_FLAGS ?=

bench-ann: build
	@/usr/bin/python3 -c 'import hnswlib, faiss' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-hnswlib python3-faiss; }
	$(GO) build -o bin/annquery ./bench/annquery
	BENCH_CORPUS_SCRIPT=$(BENCH_CORPUS_SCRIPT) /usr/bin/python3 bench/ann.py $(ANN_FLAGS)
