# Taskspin: `make dev` runs the app, `make test` runs every check.
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
COMPONENTS := health migrate auth tasks
WASM := $(addprefix -p ,$(COMPONENTS))
NATIVE := --workspace $(addprefix --exclude ,$(COMPONENTS))
SPINHOST := $(TARGET_DIR)/native/spinhost

.PHONY: build build-wasm build-native dev migrate test lint unit integration bench clean

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

test: lint build
	scripts/with-postgres.sh scripts/cargo-test.sh --profile native $(NATIVE)

# Requests/s and latency at 100 connections against the host, and .wasm sizes.
bench: build
	scripts/with-postgres.sh $(TARGET_DIR)/native/taskspin-bench

clean:
	$(CARGO) clean
	rm -rf .spin
