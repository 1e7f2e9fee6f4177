// Metrics: request counts by route and status and a latency histogram, rendered in the Prometheus
// text format at /metrics. Thread-safe; the server records every request once.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace vikno::http {

class Metrics {
public:
  // route: the route pattern ("/api/v1/users/{id}"), or "unmatched" for 404s.
  void record(const std::string& method, const std::string& route, unsigned status, double seconds);
  // Extra gauges appended to the output (database pool use, live subscribers...).
  void add_gauge_source(std::function<std::string()> source);
  [[nodiscard]] std::string render() const;

private:
  static constexpr std::array<double, 11> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                   0.05,   0.1,   0.25,   0.5,   1.0};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::vector<std::function<std::string()>> gauge_sources_;
};

} // namespace vikno::http
