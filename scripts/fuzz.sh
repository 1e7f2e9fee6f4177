#!/usr/bin/env bash
# Builds the libFuzzer targets in build/fuzz and runs each for a bounded time.
#
#   scripts/fuzz.sh                 # 30 s per target
#   VIKNO_FUZZ_SECONDS=300 scripts/fuzz.sh
#
# The build is g++ with ASan+UBSan and -fsanitize-coverage=trace-pc,trace-cmp, linked with
# clang-14's libFuzzer runtime (clang-14 cannot compile std::expected from libstdc++ 12; see
# tests/fuzz/CMakeLists.txt). New interesting inputs go to build/fuzz/corpus/<target>; the seeds in
# tests/fuzz/corpus are only read. A crash leaves its input in build/fuzz/artifacts/ and fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${VIKNO_FUZZ_SECONDS:-30}
jobs=${VIKNO_JOBS:-2}
build=build/fuzz

if [[ ! -f $build/build.ninja ]] || ! grep -q '^VIKNO_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=g++ \
    -DVIKNO_FUZZ=ON -DVIKNO_SANITIZE=ON -DVIKNO_UNIT_TESTS_ONLY=ON >/dev/null
fi

targets=(fuzz_http_request)
ninja -C "$build" -j "$jobs" "${targets[@]}" | tail -1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  echo "fuzzing $target for ${seconds}s"
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -use_value_profile=1 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$corpus" tests/fuzz/corpus 2>&1 | grep -E '^(#[0-9]+ +DONE|INFO: Loaded|stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY|==[0-9]+==' || true
  # grep swallows the exit status: judge by the artifacts instead.
  if compgen -G "$build/artifacts/$target-*" >/dev/null; then
    echo "fuzz: $target found a failing input: $(ls "$build/artifacts/$target-"*)" >&2
    exit 1
  fi
done
echo "fuzz: no failures"
