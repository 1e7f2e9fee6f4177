// Great-circle geometry and a uniform grid over access points, so that "the nearest access point"
// and "every point within 30 km" for tens of thousands of settlements take milliseconds, not the
// settlements x points scan.
#pragma once

#include "network/model.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace vikno::network {

inline constexpr double kEarthRadiusKm = 6371.0088; // IUGG mean radius

// Great-circle distance in km (haversine formula).
double haversine_km(GeoPoint a, GeoPoint b);

struct Neighbor {
  int site = -1;
  double km = kUnreachable;
};

// Points bucketed by latitude/longitude cells of about `cell_km`. Queries return great-circle km;
// the caller applies its detour factor.
class GridIndex {
public:
  explicit GridIndex(std::span<const GeoPoint> points, double cell_km = 10.0);

  // The nearest point, or site -1 when the index is empty.
  Neighbor nearest(GeoPoint from) const;
  // Every point within `radius_km` (inclusive), sorted by distance, appended to `out` after clearing.
  void within(GeoPoint from, double radius_km, std::vector<Neighbor>& out) const;

  std::size_t size() const { return points_.size(); }

private:
  // Visits every point whose cell intersects the box around `from` that holds the circle of `radius_km`.
  template <class Visit> void visit_box(GeoPoint from, double radius_km, Visit&& visit) const;

  std::vector<GeoPoint> points_;
  double min_lat_ = 0, min_lon_ = 0;
  double cell_lat_deg_ = 1, cell_lon_deg_ = 1;
  int rows_ = 0, cols_ = 0;
  std::vector<std::uint32_t> cell_start_; // CSR: points of cell c are order_[cell_start_[c] .. cell_start_[c+1])
  std::vector<std::uint32_t> order_;
};

} // namespace vikno::network
