#!/usr/bin/env bash
# Everything `make test` runs, in order: format check, unit tests (release and ASan+UBSan),
# integration tests of the real binary over HTTP on SQLite and on a throwaway PostgreSQL cluster,
# the check of docs/openapi.yaml against the OpenAPI schema, the web front end's unit tests
# (Vitest) and browser tests (Debian Chromium driven by playwright-core against the real server
# serving web/dist), and a bounded fuzz run. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${VIKNO_JOBS:-$(nproc)}

step() { printf '\n=== %s ===\n' "$*"; }

step "format check (clang-format)"
scripts/format.sh --check

# PostgreSQL for the unit tests of storage and for the integration tests: a throwaway cluster on a
# Unix socket in a temporary folder, stopped and removed on exit whatever happens.
pgdir=$(mktemp -d /tmp/vikno-pg.XXXXXX)
cleanup() {
  scripts/pg-throwaway.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT
step "throwaway PostgreSQL cluster in $pgdir"
scripts/pg-throwaway.sh start "$pgdir"
VIKNO_TEST_PG_URL=$(scripts/pg-throwaway.sh url "$pgdir")
export VIKNO_TEST_PG_URL
export VIKNO_TEST_PG_DIR=$pgdir

step "unit tests (release)"
ctest --test-dir build/release -L unit --output-on-failure -j "$jobs"

step "unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
ctest --test-dir build/debug -L unit --output-on-failure -j "$jobs"

step "integration tests: the real binary over HTTP on SQLite and PostgreSQL"
export VIKNO_BIN=$root/build/release/src/cli/vikno
node --test --test-concurrency=1 --test-timeout=300000 tests/integration/

if [ -f web/package.json ]; then
  step "API description: docs/openapi.yaml against the OpenAPI 3.1 schema"
  (cd web && npm run openapi --silent)

  step "web front end: unit tests (Vitest)"
  (cd web && npm test --silent)

  step "browser tests: the pages in Chromium against the real server (web/dist)"
  node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/
  echo "screenshots of the pages: build/e2e-screenshots/"
fi

step "fuzzing every parser (bounded: VIKNO_FUZZ_SECONDS per target)"
scripts/fuzz.sh
echo
echo "make test: all steps passed"
