#include "http/metrics.hpp"

#include <fmt/format.h>

namespace vikno::http {

namespace {
std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
    }
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}
} // namespace

void Metrics::record(const std::string& method, const std::string& route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
    }
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::add_gauge_source(std::function<std::string()> source) {
  std::lock_guard lock(mutex_);
  gauge_sources_.push_back(std::move(source));
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP vikno_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE vikno_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("vikno_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n", method,
                       escape_label(route), status, count);
  }
  out += "# HELP vikno_http_request_duration_seconds Time from the request read to the response written.\n";
  out += "# TYPE vikno_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const auto& [method, route] = key;
    std::string labels = fmt::format("method=\"{}\",route=\"{}\"", method, escape_label(route));
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("vikno_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels, kBuckets[i],
                         h.buckets[i]);
    }
    out += fmt::format("vikno_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, h.count);
    out += fmt::format("vikno_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("vikno_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  for (const auto& source : gauge_sources_) {
    out += source();
  }
  return out;
}

} // namespace vikno::http
