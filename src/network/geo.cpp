#include "network/geo.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace vikno::network {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;
constexpr double kKmPerDegLat = kEarthRadiusKm * kDegToRad;
// A grid that would need more cells than this gets coarser cells instead (points spread over the globe).
constexpr double kMaxCells = 4.0e6;

} // namespace

double haversine_km(GeoPoint a, GeoPoint b) {
  const double lat1 = a.lat_deg * kDegToRad;
  const double lat2 = b.lat_deg * kDegToRad;
  const double dlat = lat2 - lat1;
  const double dlon = (b.lon_deg - a.lon_deg) * kDegToRad;
  const double s = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(s)));
}

GridIndex::GridIndex(std::span<const GeoPoint> points, double cell_km) : points_(points.begin(), points.end()) {
  if (points_.empty())
    return;
  double max_lat = points_[0].lat_deg, max_lon = points_[0].lon_deg;
  min_lat_ = max_lat;
  min_lon_ = max_lon;
  for (const GeoPoint& p : points_) {
    min_lat_ = std::min(min_lat_, p.lat_deg);
    max_lat = std::max(max_lat, p.lat_deg);
    min_lon_ = std::min(min_lon_, p.lon_deg);
    max_lon = std::max(max_lon, p.lon_deg);
  }
  // Longitude cells sized at the latitude nearest the equator, so no cell is wider than cell_km.
  const double widest_lat = (min_lat_ <= 0 && max_lat >= 0) ? 0.0 : std::min(std::abs(min_lat_), std::abs(max_lat));
  cell_lat_deg_ = cell_km / kKmPerDegLat;
  cell_lon_deg_ = cell_km / (kKmPerDegLat * std::max(0.01, std::cos(widest_lat * kDegToRad)));
  for (;;) {
    rows_ = static_cast<int>((max_lat - min_lat_) / cell_lat_deg_) + 1;
    cols_ = static_cast<int>((max_lon - min_lon_) / cell_lon_deg_) + 1;
    if (static_cast<double>(rows_) * cols_ <= kMaxCells)
      break;
    cell_lat_deg_ *= 2;
    cell_lon_deg_ *= 2;
  }
  auto cell_of = [&](const GeoPoint& p) {
    const int r = std::min(rows_ - 1, static_cast<int>((p.lat_deg - min_lat_) / cell_lat_deg_));
    const int c = std::min(cols_ - 1, static_cast<int>((p.lon_deg - min_lon_) / cell_lon_deg_));
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(c);
  };
  cell_start_.assign(static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_) + 1, 0);
  for (const GeoPoint& p : points_)
    ++cell_start_[cell_of(p) + 1];
  for (std::size_t c = 1; c < cell_start_.size(); ++c)
    cell_start_[c] += cell_start_[c - 1];
  order_.resize(points_.size());
  std::vector<std::uint32_t> fill(cell_start_.begin(), cell_start_.end() - 1);
  for (std::uint32_t i = 0; i < points_.size(); ++i)
    order_[fill[cell_of(points_[i])]++] = i;
}

template <class Visit> void GridIndex::visit_box(GeoPoint from, double radius_km, Visit&& visit) const {
  const double dlat = radius_km / kKmPerDegLat;
  const double lat_lo = from.lat_deg - dlat, lat_hi = from.lat_deg + dlat;
  // The box of a spherical cap: dlon = asin(sin(r) / cos(lat)); near a pole the cap takes every longitude.
  const double angular = radius_km / kEarthRadiusKm;
  const double cos_lat = std::cos(from.lat_deg * kDegToRad);
  const bool all_lon = lat_hi >= 90 || lat_lo <= -90 || angular >= std::numbers::pi / 2 || std::sin(angular) >= cos_lat;
  const double dlon = all_lon ? 360.0 : std::asin(std::sin(angular) / cos_lat) / kDegToRad;
  const int r0 = std::max(0, static_cast<int>(std::floor((lat_lo - min_lat_) / cell_lat_deg_)));
  const int r1 = std::min(rows_ - 1, static_cast<int>(std::floor((lat_hi - min_lat_) / cell_lat_deg_)));
  if (r0 > r1)
    return;
  // Longitudes do not wrap at the antimeridian here: the grid serves one country at a time.
  const int c0 =
      all_lon ? 0 : std::max(0, static_cast<int>(std::floor((from.lon_deg - dlon - min_lon_) / cell_lon_deg_)));
  const int c1 =
      all_lon ? cols_ - 1
              : std::min(cols_ - 1, static_cast<int>(std::floor((from.lon_deg + dlon - min_lon_) / cell_lon_deg_)));
  if (c0 > c1)
    return;
  for (int r = r0; r <= r1; ++r) {
    // Cells of one row are contiguous in the CSR layout, so columns c0..c1 are one range.
    const std::size_t row = static_cast<std::size_t>(r) * static_cast<std::size_t>(cols_);
    const std::size_t end = cell_start_[row + static_cast<std::size_t>(c1) + 1];
    for (std::size_t k = cell_start_[row + static_cast<std::size_t>(c0)]; k < end; ++k)
      visit(order_[k]);
  }
}

Neighbor GridIndex::nearest(GeoPoint from) const {
  Neighbor best;
  if (points_.empty())
    return best;
  // Doubling search: once some point lies within the radius, the nearest one is within it too,
  // and the box of that radius holds every such point.
  const double cell_km = cell_lat_deg_ * kKmPerDegLat;
  for (double radius = cell_km;; radius *= 2) {
    visit_box(from, radius, [&](std::uint32_t i) {
      const double km = haversine_km(from, points_[i]);
      if (km <= radius && (km < best.km || (km == best.km && static_cast<int>(i) < best.site)))
        best = {static_cast<int>(i), km};
    });
    if (best.site >= 0)
      return best;
    if (radius > std::numbers::pi * kEarthRadiusKm)
      break;
  }
  for (std::uint32_t i = 0; i < points_.size(); ++i) {
    const double km = haversine_km(from, points_[i]);
    if (km < best.km)
      best = {static_cast<int>(i), km};
  }
  return best;
}

void GridIndex::within(GeoPoint from, double radius_km, std::vector<Neighbor>& out) const {
  out.clear();
  if (points_.empty())
    return;
  visit_box(from, radius_km, [&](std::uint32_t i) {
    const double km = haversine_km(from, points_[i]);
    if (km <= radius_km)
      out.push_back({static_cast<int>(i), km});
  });
  std::sort(out.begin(), out.end(),
            [](const Neighbor& a, const Neighbor& b) { return a.km < b.km || (a.km == b.km && a.site < b.site); });
}

} // namespace vikno::network
