// Reading the executive discipline report's facts (discipline.hpp) from the cases tables
// (migrations 0007_cases.sql, 0009_cases_report.sql), for a set of centers as of a date.
//
// Only what can count is read: cases registered by the date that are undecided (open now, or
// closed without a decision after the date), or decided from the first day of the date's month
// (a decision after the date leaves the case in work as of it). Three index ranges per center
// (cases_center_undecided twice, cases_center_decided once), so the cost follows the cases in
// work and decided this month, not the years of history. Counting itself is discipline::build.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/discipline.hpp"
#include "storage/db.hpp"

namespace vikno::cases::discipline {

// The facts of the centers' cases that can count as of `as_of`, without id, number and status
// (the counts do not need them; cases_for reads them). No centers: none.
std::vector<Fact> read_facts(storage::Connection& c, const std::vector<std::int64_t>& center_ids, Date as_of);

// The database's plan for read_facts (SQLite: EXPLAIN QUERY PLAN, one line per step; PostgreSQL:
// EXPLAIN), for tests and the benchmark to check that the indexes are used.
std::vector<std::string> facts_plan(storage::Connection& c, storage::Dialect dialect,
                                    const std::vector<std::int64_t>& center_ids, Date as_of);

// read_facts + build, on a reader connection.
Report read_report(storage::Db& db, const std::vector<std::int64_t>& center_ids, const Options& options,
                   const calendar::Calendar& calendar);

// One case behind a count of the report (the drill-down).
struct CaseRef {
  std::string id;
  std::string number;
  std::int64_t center_id = 0;
  std::string status;
  std::string registered_on;
  std::string due_on;
  std::string decided_on; // "" when not decided by the report's date
  int days_overdue = 0;   // when overdue
};

// The cases of one provider (and one service, when given) that make up one kind of count, most
// overdue first (by due_on, then number): exactly those build() counted.
std::vector<CaseRef> cases_for(storage::Connection& c, const std::vector<std::int64_t>& center_ids,
                               const Options& options, const calendar::Calendar& calendar, std::int64_t provider_id,
                               std::optional<std::int64_t> service_id, Kind kind);

} // namespace vikno::cases::discipline
