# The project's commands. `make run` and `make test` work on a fresh Debian bookworm machine:
# both install what is missing first (scripts/setup.sh).
JOBS ?= $(shell nproc)
BIN := build/release/src/cli/vikno

.PHONY: all setup build build-debug web run test bench fuzz format lint reference clean

all: build

setup:
	@scripts/setup.sh

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@cd web && npm run build --silent

# The web front end alone: type check and bundle into web/dist, which `vikno serve` serves
# (server.static_dir, default web/dist relative to the working folder).
web: setup
	@cd web && npm run build --silent

build-debug: setup
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

# Serves http://localhost:8080 (the API and the pages in web/dist) on an embedded SQLite database
# under var/.
run: build
	@mkdir -p var
	$(BIN) serve --db sqlite:var/vikno.db

test: build build-debug
	@scripts/test.sh

# The network-planning reference checks against ../shared/data/reference (CI runs them).
reference: build
	@scripts/reference-check.sh

bench: build
	@scripts/bench.sh

fuzz: setup
	@scripts/fuzz.sh

format:
	@scripts/format.sh

lint: build
	@scripts/format.sh --check
	@scripts/tidy.sh

clean:
	rm -rf build web/dist
