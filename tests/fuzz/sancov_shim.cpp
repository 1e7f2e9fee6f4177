// Coverage for libFuzzer from GCC's instrumentation (see CMakeLists.txt for why GCC).
//
// GCC's -fsanitize-coverage=trace-pc calls __sanitizer_cov_trace_pc() at every basic block; we
// turn the caller's address into an index in a table of 8-bit counters and hand the table to
// libFuzzer through the same call clang's instrumentation makes at start-up. Blocks that collide
// in the table share a counter: coverage gets a little coarser, never wrong.
#include <cstddef>
#include <cstdint>

namespace {

constexpr std::size_t kCounters = std::size_t{1} << 18; // 256 KiB: few collisions for our code
alignas(64) std::uint8_t counters[kCounters];

} // namespace

extern "C" {

void __sanitizer_cov_8bit_counters_init(std::uint8_t* start, std::uint8_t* stop);

__attribute__((no_sanitize_coverage, no_sanitize("address", "undefined"))) void __sanitizer_cov_trace_pc() {
  auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  // Mix the high bits in: code of several libraries spans more than the table.
  std::size_t index = (pc ^ (pc >> 18) ^ (pc >> 36)) & (kCounters - 1);
  ++counters[index];
}

// GCC's trace-cmp also reports floating-point comparisons, which libFuzzer does not take.
__attribute__((no_sanitize_coverage)) void __sanitizer_cov_trace_cmpf(float, float) {}
__attribute__((no_sanitize_coverage)) void __sanitizer_cov_trace_cmpd(double, double) {}

} // extern "C"

namespace {

// Runs before libFuzzer's main, as clang's sancov module constructor would.
__attribute__((constructor, no_sanitize_coverage)) void register_counters() {
  __sanitizer_cov_8bit_counters_init(counters, counters + kCounters);
}

} // namespace
