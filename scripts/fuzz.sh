#!/usr/bin/env bash
# Builds the libFuzzer targets in build/fuzz (clang-14, ASan+UBSan) and runs each for a bounded
# time.
#
#   scripts/fuzz.sh                              # every target, 30 s each
#   VIKNO_FUZZ_SECONDS=300 scripts/fuzz.sh fuzz_http_request
#
# Seeds in tests/fuzz/corpus/<target>/ are only read; inputs that reach new code are kept in
# build/fuzz/corpus/<target>/ for the next run. A failing input is left in build/fuzz/artifacts/ and
# the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${VIKNO_FUZZ_SECONDS:-30}
jobs=${VIKNO_JOBS:-2}
build=build/fuzz
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(fuzz_http_request fuzz_network_parsers fuzz_registry_import fuzz_notify)
fi

command -v clang++-14 >/dev/null || { echo "fuzz: clang++-14 is missing (apt-get install clang-14)" >&2; exit 1; }
# A build folder configured with another compiler cannot be switched in place.
fresh=()
if [[ -f $build/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-14$' "$build/CMakeCache.txt"; then
  fresh=(--fresh)
fi
if [[ ! -f $build/build.ninja || ${#fresh[@]} -gt 0 ]]; then
  CXX=clang++-14 CC=clang-14 cmake "${fresh[@]}" -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DVIKNO_FUZZ=ON -DVIKNO_SANITIZE=ON -DVIKNO_UNIT_TESTS_ONLY=ON >/dev/null
fi
ninja -C "$build" -j "$jobs" "${targets[@]}" | tail -1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  seeds=()
  [[ -d tests/fuzz/corpus/$target ]] && seeds=("tests/fuzz/corpus/$target")
  echo "fuzzing $target for ${seconds}s"
  status=0
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -use_value_profile=1 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$corpus" "${seeds[@]}" >"$build/$target.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added)' "$build/$target.log" || true
  if [[ $status -ne 0 ]]; then
    tail -40 "$build/$target.log" >&2
    echo "fuzz: $target failed (exit $status); input in $build/artifacts/" >&2
    exit 1
  fi
done
echo "fuzz: no failures"
