# otelcol-perf — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
GO ?= go
OCB_VERSION := v0.160.0
OCB := $(GO) run go.opentelemetry.io/collector/cmd/builder@$(OCB_VERSION)
BIN := bin/otelcol-perf
# make run CONFIG=path runs another collector configuration.
CONFIG ?= config.yaml
DIST_DIR := cmd/otelcol-perf

.PHONY: all build generate check-generated run test vet bench demo clean ensure-postgres ensure-test-deps

all: build

# Regenerates the distribution's main package from builder-config.yaml with OCB. The
# sources are committed so `go build ./...` works without OCB; `check-generated` keeps
# them in sync.
generate:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	sed 's#^  output_path: .*#  output_path: '"$$tmp"'#' builder-config.yaml > "$$tmp/builder-config.yaml" && \
	$(OCB) --config "$$tmp/builder-config.yaml" --skip-compilation --skip-get-modules >"$$tmp/ocb.log" 2>&1 || { cat "$$tmp/ocb.log"; exit 1; } ; \
	for f in components.go main.go main_others.go main_windows.go; do gofmt < "$$tmp/$$f" > $(DIST_DIR)/$$f; done

check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	sed 's#^  output_path: .*#  output_path: '"$$tmp"'#' builder-config.yaml > "$$tmp/builder-config.yaml" && \
	$(OCB) --config "$$tmp/builder-config.yaml" --skip-compilation --skip-get-modules >"$$tmp/ocb.log" 2>&1 || { cat "$$tmp/ocb.log"; exit 1; } ; \
	for f in components.go main.go main_others.go main_windows.go; do \
	  gofmt < "$$tmp/$$f" | diff -u $(DIST_DIR)/$$f - || { echo "$(DIST_DIR)/$$f is out of date with builder-config.yaml: run make generate"; exit 1; }; \
	done; echo "generated sources match builder-config.yaml"

build: generate
	$(GO) build -trimpath -o $(BIN) ./$(DIST_DIR)

ensure-postgres:
	@scripts/ensure-postgres.sh

# Debian packages the tests need (HypoPG for the local PostgreSQL, Chromium for the
# dashboard's browser test); installed when missing.
ensure-test-deps:
	@scripts/ensure-test-deps.sh
	@scripts/ensure-chromium.sh

# A few minutes of realistic OTLP traffic (several services, both semconv generations, an
# N+1 endpoint, a slow report, a failing endpoint, host and pool metrics, three tenants)
# for the collector of `make run`, which must be running.
DEMO_FLAGS ?= -duration 5m
demo:
	$(GO) run ./cmd/perfdemo -endpoint 127.0.0.1:4318 $(DEMO_FLAGS)

run: ensure-postgres build
	./$(BIN) --config $(CONFIG)

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

# Every test, including integration tests against the real PostgreSQL (each test makes and
# drops a database of its own) and end-to-end tests of bin/otelcol-perf.
test: ensure-postgres ensure-test-deps check-generated vet
	$(GO) build -trimpath -o $(BIN) ./$(DIST_DIR)
	OTELCOL_PERF_BIN=$(CURDIR)/$(BIN) $(GO) test -count=1 -timeout 15m ./...

# Every figure the issues ask for, as ratios against baselines measured in the same run
# (see scripts/bench.sh for sizes); writes bench/results/REPORT.md.
bench:
	@scripts/bench.sh

clean:
	rm -rf bin data
