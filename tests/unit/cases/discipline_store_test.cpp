// The discipline report's SQL on SQLite and PostgreSQL: rows inserted by hand into the tables of
// migration 0007, the report read back for a set of centers as of 2026-12-21 (Monday; due soon
// through Wed 23).
#include "cases/discipline_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "testing/test_db.hpp"

namespace vikno::cases::discipline {
namespace {

using storage::Connection;
using storage::Value;

class DisciplineStoreTest : public storage::testing::DbTest {
protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    db().transact([&](Connection& c) {
      for (std::int64_t center : {1, 2}) {
        c.execute("INSERT INTO centers (id, name_uk, created_at_ms) VALUES (?, ?, 0)",
                  {center, "ЦНАП " + std::to_string(center)});
      }
      c.execute("INSERT INTO providers (id, code, name_uk, kind, created_at_ms) VALUES "
                "(5, 'dmsu', 'Державна міграційна служба', 'state', 0), "
                "(7, 'gk', 'Головне управління Держгеокадастру', 'state', 0)",
                {});
      c.execute(
          "INSERT INTO service_groups (id, code, name_uk, ticket_letter, created_at_ms) VALUES (1, 'g', 'Г', 'А', 0)",
          {});
      for (auto [service, provider, title] :
           {std::tuple{12, 5, "Паспорт громадянина України"}, std::tuple{13, 5, "Реєстрація місця проживання"},
            std::tuple{20, 7, "Витяг з Державного земельного кадастру"}}) {
        c.execute("INSERT INTO services (id, identifier, created_at_ms) VALUES (?, ?, 0)",
                  {std::int64_t{service}, "s" + std::to_string(service)});
        c.execute("INSERT INTO service_versions (id, service_id, seq, effective_from, group_id, provider_id, title_uk, "
                  "term_days, term_unit, created_at_ms) VALUES (?, ?, 1, '2020-01-01', 1, ?, ?, 10, 'working_days', 0)",
                  {std::int64_t{service * 10}, std::int64_t{service}, std::int64_t{provider}, std::string(title)});
      }
      c.execute("INSERT INTO case_applications (id, center_id, channel, applicant_kind, applicant_sealed, "
                "applicant_initials, registered_at_ms, registered_by) VALUES ('app', 1, 'in_person', 'person', '', "
                "'Т. Ш.', 0, 'user:1')",
                {});
    });
  }

  void add_case(std::int64_t center, std::int64_t service, const std::string& registered, const std::string& due,
                const std::string& decided = "", const std::string& closed = "",
                const std::string& status = "in_review") {
    const std::int64_t provider = service == 20 ? 7 : 5;
    const std::string n = std::to_string(++count_);
    auto opt = [](const std::string& v) { return v.empty() ? Value{nullptr} : Value{v}; };
    db().transact([&](Connection& c) {
      c.execute("INSERT INTO cases (id, application_id, center_id, number, public_token, service_id, "
                "service_version_id, provider_id, status, registered_on, registered_at_ms, hand_over_due, due_on, "
                "decided_on, closed_on, term_days, term_unit, clock_stops, storage_days, updated_at_ms) "
                "VALUES (?, 'app', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 10, 'working_days', 1, 30, 0)",
                {"case-" + n, center, "cnap-2026-" + n, "tok" + n, service, service * 10, provider, status, registered,
                 registered, due, opt(decided), opt(closed)});
    });
  }

  std::vector<Fact> facts(std::vector<std::int64_t> centers, const char* as_of = "2026-12-21") {
    return db().read([&](Connection& c) { return read_facts(c, centers, *calendar::parse_iso_date(as_of)); });
  }

  static std::vector<std::string> deadlines(const std::vector<Fact>& facts) {
    std::vector<std::string> out;
    for (const Fact& f : facts) {
      out.push_back(f.due_on);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  const calendar::Calendar calendar_ = calendar::Calendar::ukraine();
  const Options options_{calendar::make_date(2026, 12, 21), 2};
  int count_ = 0;
};

TEST_P(DisciplineStoreTest, ReadsOnlyWhatCanCountAsOfTheDate) {
  // Each case has its own deadline, to tell them apart (the report's read leaves out ids).
  add_case(1, 12, "2026-12-01", "2026-12-18");                                       // in work, overdue
  add_case(1, 12, "2026-11-02", "2026-11-16", "2026-11-30", "2026-12-02", "issued"); // decided last month
  add_case(1, 12, "2026-12-22", "2027-01-05");                                       // registered later
  add_case(1, 13, "2026-12-01", "2026-12-14", "", "2026-12-04", "withdrawn");        // withdrawn before
  add_case(1, 13, "2026-12-01", "2026-12-15", "", "2026-12-22", "withdrawn");        // withdrawn after: in work
  add_case(1, 20, "2026-11-20", "2026-12-04", "2026-12-03");                         // decided this month
  add_case(1, 20, "2026-11-20", "2026-12-07", "2026-12-28", "", "result_ready");     // decided later: in work
  add_case(2, 12, "2026-12-01", "2026-12-17");                                       // another center
  using V = std::vector<std::string>;
  EXPECT_EQ(deadlines(facts({1})), (V{"2026-12-04", "2026-12-07", "2026-12-15", "2026-12-18"}));
  EXPECT_EQ(deadlines(facts({1, 2})), (V{"2026-12-04", "2026-12-07", "2026-12-15", "2026-12-17", "2026-12-18"}));
  EXPECT_TRUE(facts({}).empty());
  // As of Nov 30 the case decided that day counts (finished), and the ones registered later do not.
  EXPECT_EQ(deadlines(facts({1}, "2026-11-30")), (V{"2026-11-16", "2026-12-04", "2026-12-07"}));
  for (const Fact& f : facts({1})) {
    if (f.due_on == "2026-12-18") {
      EXPECT_EQ(f.provider_name, "Державна міграційна служба");
      EXPECT_EQ(f.service_title, "Паспорт громадянина України");
      EXPECT_EQ(f.decided_on, "");
      EXPECT_EQ(f.registered_on, "2026-12-01");
    }
    if (f.due_on == "2026-12-07") {
      EXPECT_EQ(f.decided_on, "2026-12-28");
      EXPECT_EQ(f.provider_name, "Головне управління Держгеокадастру");
    }
  }
}

TEST_P(DisciplineStoreTest, TheReportCountsTheStoredCases) {
  add_case(1, 12, "2026-12-01", "2026-12-18");               // overdue 3 days
  add_case(1, 12, "2026-12-10", "2026-12-23");               // due soon
  add_case(1, 12, "2026-11-25", "2026-12-09", "2026-12-11"); // late
  add_case(1, 13, "2026-11-20", "2026-12-10");               // overdue 11 days
  add_case(1, 20, "2026-12-01", "2026-12-15", "2026-12-14"); // on time
  Report r = read_report(db(), {1}, options_, calendar_);
  ASSERT_EQ(r.providers.size(), 2U);
  EXPECT_EQ(r.providers[0].provider_name, "Головне управління Держгеокадастру"); // Г before Д
  EXPECT_EQ(r.providers[0].counts.finished_on_time, 1);
  const ProviderLine& p = r.providers[1];
  EXPECT_EQ(p.counts.in_work, 3);
  EXPECT_EQ(p.counts.overdue, 2);
  EXPECT_EQ(p.counts.overdue_days_max, 11);
  EXPECT_EQ(p.counts.overdue_days_sum, 14);
  EXPECT_EQ(p.counts.due_soon, 1);
  EXPECT_EQ(p.counts.finished_late, 1);
  EXPECT_DOUBLE_EQ(p.counts.late_share, 100.0);
  EXPECT_DOUBLE_EQ(r.total.late_share, 50.0);
}

TEST_P(DisciplineStoreTest, DrillDownListsTheCasesBehindACount) {
  add_case(1, 12, "2026-12-01", "2026-12-18");               // case-1: overdue 3
  add_case(1, 12, "2026-11-20", "2026-12-10");               // case-2: overdue 11
  add_case(1, 12, "2026-12-10", "2026-12-23");               // case-3: due soon
  add_case(1, 13, "2026-11-20", "2026-12-01");               // case-4: overdue, another service
  add_case(2, 12, "2026-11-20", "2026-12-01");               // case-5: overdue, another center
  add_case(1, 12, "2026-11-25", "2026-12-09", "2026-12-11"); // case-6: late
  auto list = [&](std::optional<std::int64_t> service, Kind kind, std::vector<std::int64_t> centers = {1}) {
    return db().read([&](Connection& c) { return cases_for(c, centers, options_, calendar_, 5, service, kind); });
  };
  auto overdue = list(12, Kind::overdue);
  ASSERT_EQ(overdue.size(), 2U);
  EXPECT_EQ(overdue[0].number, "cnap-2026-2"); // most overdue first
  EXPECT_EQ(overdue[0].days_overdue, 11);
  EXPECT_EQ(overdue[0].due_on, "2026-12-10");
  EXPECT_EQ(overdue[1].id, "case-1");
  EXPECT_EQ(overdue[1].days_overdue, 3);
  EXPECT_EQ(list(std::nullopt, Kind::overdue).size(), 3U);
  EXPECT_EQ(list(std::nullopt, Kind::overdue, {1, 2}).size(), 4U);
  auto soon = list(12, Kind::due_soon);
  ASSERT_EQ(soon.size(), 1U);
  EXPECT_EQ(soon[0].id, "case-3");
  auto late = list(12, Kind::finished_late);
  ASSERT_EQ(late.size(), 1U);
  EXPECT_EQ(late[0].decided_on, "2026-12-11");
  EXPECT_EQ(list(12, Kind::in_work).size(), 3U);
  // The drill-down and the report agree.
  Report r = read_report(db(), {1}, options_, calendar_);
  EXPECT_EQ(r.providers.back().counts.overdue, 3);
}

TEST_P(DisciplineStoreTest, TheQueryUsesTheReportIndexesNotAScan) {
  if (dialect() != storage::Dialect::sqlite) {
    GTEST_SKIP() << "PostgreSQL's plan on a handful of rows is a sequential scan by design";
  }
  auto plan = db().read([&](Connection& c) { return facts_plan(c, dialect(), {1, 2}, options_.as_of); });
  std::string all;
  for (const auto& line : plan) {
    all += line + "\n";
  }
  EXPECT_NE(all.find("cases_center_undecided"), std::string::npos) << all;
  EXPECT_NE(all.find("cases_center_decided"), std::string::npos) << all;
  EXPECT_EQ(all.find("SCAN c"), std::string::npos) << all;
  // The undecided cases, scattered over the years, are read from the index alone.
  EXPECT_NE(all.find("COVERING INDEX cases_center_undecided"), std::string::npos) << all;
}

VIKNO_INSTANTIATE_DB_TEST(DisciplineStoreTest);

} // namespace
} // namespace vikno::cases::discipline
