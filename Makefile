# Taskspin: `make dev` runs the app, `make test` runs every check.
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
COMPONENTS := health migrate auth tasks openapi agent agent-run suggestions
WASM := $(addprefix -p ,$(COMPONENTS))
NATIVE := --workspace $(addprefix --exclude ,$(COMPONENTS))
SPINHOST := $(TARGET_DIR)/native/spinhost

SCHEMATHESIS_VERSION := 4.32.5

.PHONY: build build-wasm build-native dev test lint tools bench fuzz clean

build: build-wasm build-native

build-wasm:
	$(CARGO) build --release --target wasm32-wasip2 $(WASM)

build-native:
	$(CARGO) build --profile native -p spinhost -p taskspin-bench

dev: build
	scripts/with-postgres.sh scripts/dev.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --profile native $(NATIVE) --all-targets -- -D warnings
	$(CARGO) clippy --release --target wasm32-wasip2 $(WASM) -- -D warnings

# Python tools the tests drive, in a virtualenv of the project's own.
tools: .venv/bin/schemathesis

.venv/bin/schemathesis:
	python3 -m venv .venv
	.venv/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION)

test: lint build tools
	scripts/with-postgres.sh scripts/cargo-test.sh --profile native $(NATIVE)

# The API fuzzer at a larger budget (200 examples per operation).
fuzz: build tools
	FUZZ_EXAMPLES=200 scripts/with-postgres.sh $(CARGO) test --profile native -p taskspin-tests --test api_fuzz -- --nocapture

# Requests/s and latency at 100 connections against the host, and .wasm sizes.
bench: build
	scripts/with-postgres.sh $(TARGET_DIR)/native/taskspin-bench

clean:
	$(CARGO) clean
	rm -rf .spin .venv
