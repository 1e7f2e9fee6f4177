#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy) over our sources using build/release/compile_commands.json.
# Every finding is an error. Pass file paths to check only those. clang-tidy 14 does not know
# -std=c++23, so the same code is read as -std=c++2b.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f build/release/compile_commands.json ] || { echo "tidy: build first (make build)" >&2; exit 2; }
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.cpp' | grep -v '_main\.cpp$')
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run-clang-tidy-14 -quiet -extra-arg=-std=c++2b -p build/release -j "${VIKNO_JOBS:-$(nproc)}" "${files[@]}" >"$out" 2>&1 || true
# run-clang-tidy's exit status is unreliable across versions; judge by the findings instead.
if grep -q 'error:' "$out"; then
  grep -E 'error:|^\s' "$out" | grep -v 'warnings generated' | head -100
  echo "tidy: findings above" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files clean"
