#include "network/geo.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace vikno::network {
namespace {

TEST(Haversine, KyivToLvivIsAbout468Km) {
  const GeoPoint kyiv{50.4501, 30.5234};
  const GeoPoint lviv{49.8397, 24.0297};
  EXPECT_NEAR(haversine_km(kyiv, lviv), 468.0, 2.0);
  EXPECT_DOUBLE_EQ(haversine_km(kyiv, lviv), haversine_km(lviv, kyiv));
  EXPECT_DOUBLE_EQ(haversine_km(kyiv, kyiv), 0.0);
}

TEST(Haversine, OneDegreeOfLatitudeIs111Km) { EXPECT_NEAR(haversine_km({48.0, 30.0}, {49.0, 30.0}), 111.19, 0.01); }

std::vector<GeoPoint> random_points(std::mt19937_64& rng, int n) {
  // Ukraine's bounding box, roughly.
  std::uniform_real_distribution<double> lat(44.4, 52.4), lon(22.1, 40.2);
  std::vector<GeoPoint> out;
  for (int i = 0; i < n; ++i)
    out.push_back({lat(rng), lon(rng)});
  return out;
}

TEST(GridIndex, NearestMatchesAFullScan) {
  std::mt19937_64 rng(7);
  const auto points = random_points(rng, 300);
  const GridIndex grid(points, 10.0);
  for (const GeoPoint& q : random_points(rng, 500)) {
    double best = 1e18;
    for (const GeoPoint& p : points)
      best = std::min(best, haversine_km(q, p));
    EXPECT_DOUBLE_EQ(grid.nearest(q).km, best);
  }
}

TEST(GridIndex, WithinMatchesAFullScan) {
  std::mt19937_64 rng(11);
  const auto points = random_points(rng, 2000);
  const GridIndex grid(points, 10.0);
  std::vector<Neighbor> found;
  for (const GeoPoint& q : random_points(rng, 200)) {
    grid.within(q, 30.0, found);
    std::vector<int> expected;
    for (int j = 0; j < static_cast<int>(points.size()); ++j)
      if (haversine_km(q, points[static_cast<std::size_t>(j)]) <= 30.0)
        expected.push_back(j);
    std::vector<int> got;
    for (const Neighbor& n : found)
      got.push_back(n.site);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, expected);
    EXPECT_TRUE(std::is_sorted(found.begin(), found.end(), [](auto& a, auto& b) { return a.km < b.km; }));
  }
}

TEST(GridIndex, EmptyIndexHasNoNearest) {
  const GridIndex grid(std::vector<GeoPoint>{});
  EXPECT_EQ(grid.nearest({50, 30}).site, -1);
}

} // namespace
} // namespace vikno::network
