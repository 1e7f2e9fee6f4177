#include "network/parse.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace vikno::network {
namespace {

std::vector<int> lines_of(const Error& e) {
  std::vector<int> out;
  for (const FieldProblem& p : e.problems)
    out.push_back(p.line);
  return out;
}

TEST(ParseSettlements, ReadsQuotedFieldsAndGroups) {
  std::istringstream in("id,name,population,lat,lon,hromada\n"
                        "UA1,\"Вишневе, село\",120,50.1,30.2,Бучанська\n"
                        "UA2,Town,15000,50.2,30.4,\n");
  const auto r = parse_settlements(in);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "Вишневе, село");
  EXPECT_EQ((*r)[0].hromada, "Бучанська");
  EXPECT_DOUBLE_EQ((*r)[1].population, 15000);
  EXPECT_DOUBLE_EQ((*r)[1].location.lon_deg, 30.4);
}

TEST(ParseSettlements, EveryBadLineIsReportedWithItsNumber) {
  std::istringstream in("id,name,population,lat,lon\n"
                        "UA1,ok,10,50,30\n"
                        "UA2,no coordinates,10,,\n"
                        "UA3,negative,-5,50,30\n"
                        "\n"
                        "UA4,bad number,12x,50,30\n"
                        "UA1,duplicate,1,50,30\n"
                        "UA6,off the map,1,95,30\n");
  const auto r = parse_settlements(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "invalid_settlements");
  EXPECT_EQ(lines_of(r.error()), (std::vector<int>{3, 4, 6, 7, 8}));
  EXPECT_EQ(r.error().problems[0].problem, "settlement without coordinates");
  EXPECT_EQ(r.error().problems[1].problem, "negative population");
}

TEST(ParseSettlements, MissingColumnIsAnError) {
  std::istringstream in("id,population,lat\nUA1,5,50\n");
  const auto r = parse_settlements(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().problems.at(0).field, "lon");
}

TEST(ParseAccessPoints, WindowsDefaultToOne) {
  std::istringstream in("id,lat,lon,windows\nc1,50,30,6\nc2,50.5,30.5,\n");
  const auto r = parse_access_points(in);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ((*r)[0].windows, 6);
  EXPECT_DOUBLE_EQ((*r)[1].windows, 1);
}

TEST(ParseDistanceMatrix, UnparseableLinesAreListed) {
  std::istringstream in("origin,destination,distance\r\n"
                        "a,x,1.5\r\n"
                        "a,y,abc\r\n"
                        "b,x\r\n"
                        "b,y,-2\r\n"
                        "a,x,1.6\r\n");
  const auto r = parse_distance_matrix(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(lines_of(r.error()), (std::vector<int>{3, 4, 5, 6}));
}

TEST(ParseDistanceMatrix, BuildsTheDenseProblem) {
  std::istringstream in("origin,destination,distance\na,x,1.5\nb,y,2\n");
  const auto records = parse_distance_matrix(in);
  ASSERT_TRUE(records);
  const auto p = problem_from_matrix(*records, {"a", "b"}, {10, 20}, {{"x", true}, {"y", false}});
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->d(0, 0), 1.5);
  EXPECT_EQ(p->d(0, 1), kUnreachable);
  EXPECT_TRUE(p->fixed[0]);
  const auto unknown = problem_from_matrix(*records, {"a"}, {10}, {{"x", false}, {"y", false}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().problems.at(0).line, 3);
}

TEST(ParseOrLib, LastDuplicateEdgeWinsThenShortestPaths) {
  std::istringstream in("4 4 2\n 1 2 10\n 2 3 5\n 1 2 3\n 3 4 1\n");
  const auto r = parse_orlib_pmed(in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->p, 2);
  const LocationProblem& p = r->problem;
  EXPECT_DOUBLE_EQ(p.d(0, 1), 3); // the later "1 2 3" replaced "1 2 10"
  EXPECT_DOUBLE_EQ(p.d(0, 3), 9); // 3 + 5 + 1
  EXPECT_DOUBLE_EQ(p.d(3, 0), 9);
}

TEST(ParseOrLib, BadLinesAreNumbered) {
  std::istringstream in("3 2 1\n1 2 x\n1 9 4\n");
  const auto r = parse_orlib_pmed(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(lines_of(r.error()), (std::vector<int>{2, 3}));
}

// The shipped settlements (data/geo/ua-settlements.csv) must stay readable by the default column
// mapping: "settlements": "builtin" and the benchmark depend on it.
TEST(ShippedSettlements, ParseWithTheDefaultColumns) {
  std::ifstream in(std::string(VIKNO_DATA_DIR) + "/geo/ua-settlements.csv", std::ios::binary);
  ASSERT_TRUE(in) << "data/geo/ua-settlements.csv is missing";
  const auto r = parse_settlements(in);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_GT(r->size(), 2500u);
  std::set<std::string> oblasts;
  double population = 0;
  const Settlement* kyiv = nullptr;
  for (const Settlement& s : *r) {
    // Inside Ukraine's bounding box, with an oblast to group by.
    EXPECT_TRUE(s.location.lat_deg > 44.3 && s.location.lat_deg < 52.4 && s.location.lon_deg > 22.1 &&
                s.location.lon_deg < 40.3)
        << s.id << " " << s.name;
    EXPECT_FALSE(s.oblast.empty()) << s.id;
    oblasts.insert(s.oblast);
    population += s.population;
    if (s.name == "Київ")
      kyiv = &s;
  }
  EXPECT_EQ(oblasts.size(), 27u); // 24 oblasts, Crimea, Kyiv, Sevastopol
  EXPECT_GT(population, 25e6);
  ASSERT_NE(kyiv, nullptr);
  EXPECT_GT(kyiv->population, 2e6);
  EXPECT_NEAR(kyiv->location.lat_deg, 50.45, 0.05);
  EXPECT_NEAR(kyiv->location.lon_deg, 30.52, 0.05);
}

} // namespace
} // namespace vikno::network
