// Executive discipline report benchmark: prints its figure next to an anchor measured in the same
// run, on the same file.
//  - a region of 100 centers and 5,000,000 cases (VIKNO_BENCH_CASES to change) in one SQLite file
//    under TMPDIR, generated in one transaction of prepared inserts: five years of cases
//    (2022-2026), ~27 a day per center, 10 providers, 50 services; most decided around their
//    deadline (some late), 1.5% withdrawn, 0.3% stuck open long past the deadline, the last weeks'
//    cases still open;
//  - the report for all 100 centers as of 2026-12-21 (read_report: the SQL and the counting),
//    median of 5 runs after one warm-up, next to the anchor: a plain `SELECT count(*) FROM cases`
//    on the same database, median of 5 runs after one warm-up. Target: the report < 1 s.
// The file is deleted at the end. Fixed seed; no timed assertions. Usage: discipline_bench
#include "cases/discipline_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "storage/migrations.hpp"

using namespace vikno;
using namespace vikno::cases::discipline;

namespace {

using Steady = std::chrono::steady_clock;

constexpr int kCenters = 100;
constexpr int kProviders = 10;
constexpr int kServices = 50;

template <class F> double median_ms(F&& fn) {
  fn(); // warm-up
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    auto t0 = Steady::now();
    fn();
    ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[2];
}

struct TempFile {
  std::filesystem::path folder;
  ~TempFile() {
    if (std::getenv("VIKNO_BENCH_KEEP") != nullptr) {
      std::fprintf(stderr, "kept %s (VIKNO_BENCH_KEEP)\n", folder.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
  }
};

std::string iso(std::chrono::sys_days day) { return calendar::format_iso_date(Date{day}); }

void generate(storage::Db& db, long total, const calendar::Calendar& cal) {
  db.transact([&](storage::Connection& c) {
    c.execute_script("PRAGMA cache_size=-400000");
    for (int i = 1; i <= kCenters; ++i) {
      c.execute("INSERT INTO centers (id, name_uk, created_at_ms) VALUES (?, ?, 0)",
                {std::int64_t{i}, "ЦНАП " + std::to_string(i)});
      c.execute("INSERT INTO case_applications (id, center_id, channel, applicant_kind, applicant_sealed, "
                "applicant_initials, registered_at_ms, registered_by) VALUES (?, ?, 'in_person', 'person', '', "
                "'Т. Ш.', 0, 'user:1')",
                {"app-" + std::to_string(i), std::int64_t{i}});
    }
    for (int p = 1; p <= kProviders; ++p) {
      c.execute("INSERT INTO providers (id, code, name_uk, kind, created_at_ms) VALUES (?, ?, ?, 'state', 0)",
                {std::int64_t{p}, "p" + std::to_string(p), "Суб'єкт надання " + std::to_string(p)});
    }
    c.execute(
        "INSERT INTO service_groups (id, code, name_uk, ticket_letter, created_at_ms) VALUES (1, 'g', 'Г', 'А', 0)",
        {});
    for (int s = 1; s <= kServices; ++s) {
      c.execute("INSERT INTO services (id, identifier, created_at_ms) VALUES (?, ?, 0)",
                {std::int64_t{s}, "s" + std::to_string(s)});
      c.execute(
          "INSERT INTO service_versions (id, service_id, seq, effective_from, group_id, provider_id, title_uk, "
          "term_days, term_unit, created_at_ms) VALUES (?, ?, 1, '2020-01-01', 1, ?, ?, 10, 'working_days', 0)",
          {std::int64_t{s}, std::int64_t{s}, std::int64_t{(s - 1) % kProviders + 1}, "Послуга " + std::to_string(s)});
    }
    std::mt19937_64 rng(20261221);
    const std::chrono::sys_days first{std::chrono::year{2022} / 1 / 1};
    const std::chrono::sys_days last{std::chrono::year{2026} / 12 / 21};
    const long days = (last - first).count() + 1;
    std::uniform_int_distribution<int> pct(0, 999);
    std::uniform_int_distribution<int> service_of(1, kServices);
    const std::string insert =
        "INSERT INTO cases (id, application_id, center_id, number, public_token, service_id, service_version_id, "
        "provider_id, status, registered_on, registered_at_ms, hand_over_due, due_on, decided_on, closed_on, "
        "term_days, term_unit, clock_stops, storage_days, updated_at_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 10, 'working_days', 1, 30, 0)";
    char id[32];
    for (long n = 0; n < total; ++n) {
      const std::chrono::sys_days registered = first + std::chrono::days{n * days / total};
      const std::int64_t center = n % kCenters + 1;
      const std::int64_t service = service_of(rng);
      const std::chrono::sys_days due{cal.deadline(Date{registered}, 10, calendar::TermUnit::working_days)};
      const int roll = pct(rng);
      storage::Value decided{nullptr};
      storage::Value closed{nullptr};
      std::string status = "in_review";
      if (roll < 15) { // withdrawn within a few days
        closed = iso(registered + std::chrono::days{1 + roll % 5});
        status = "withdrawn";
      } else if (roll >= 18) { // decided: mostly on time, 1 in 100 late by a few days
        const std::chrono::sys_days on =
            roll < 28 ? due + std::chrono::days{1 + roll % 6} : due - std::chrono::days{roll % 8};
        decided = iso(std::max(on, registered + std::chrono::days{1}));
        status = "issued";
      } // else (0.3%) stuck open since registration
      if (!std::holds_alternative<std::nullptr_t>(decided) && std::get<std::string>(decided) > iso(last)) {
        decided = nullptr; // the last weeks: still open on the report's date
        status = "in_review";
      }
      std::snprintf(id, sizeof id, "%016lx", static_cast<unsigned long>(n));
      const std::string day = iso(registered);
      c.execute(insert,
                {std::string(id), "app-" + std::to_string(center), center, "n" + std::string(id), "t" + std::string(id),
                 service, service, (service - 1) % kProviders + 1, status, day, day, iso(due), decided, closed});
    }
  });
}

} // namespace

int main() {
  const char* env = std::getenv("VIKNO_BENCH_CASES");
  const long total = env != nullptr ? std::strtol(env, nullptr, 10) : 5'000'000;
  if (total <= 0) {
    std::fprintf(stderr, "VIKNO_BENCH_CASES must be a positive number\n");
    return 2;
  }
  TempFile tmp{std::filesystem::temp_directory_path() / ("vikno-discipline-bench-" + std::to_string(::getpid()))};
  std::filesystem::create_directories(tmp.folder);
  const calendar::Calendar cal = calendar::Calendar::ukraine();
  storage::SqliteOptions options;
  options.path = (tmp.folder / "region.db").string();
  options.synchronous = "NORMAL";
  options.readers = 1;
  auto db = storage::open_sqlite(options);
  storage::migrate(*db);

  std::printf("=== executive discipline report: %d centers, %ld cases, SQLite ===\n", kCenters, total);
  auto t0 = Steady::now();
  generate(*db, total, cal);
  std::printf("  generated in %.1f s (one transaction of prepared inserts)\n",
              std::chrono::duration<double>(Steady::now() - t0).count());
  db->transact([](storage::Connection& c) { c.execute_script("ANALYZE"); });
  // Closed and opened again, as a server's database is between checkpoints: the last connection to
  // close checkpoints the write-ahead log (here all of the generated file) into the database.
  db->close();
  db.reset();
  db = storage::open_sqlite(options);

  std::vector<std::int64_t> centers;
  for (int i = 1; i <= kCenters; ++i) {
    centers.push_back(i);
  }
  const Options report_options{calendar::make_date(2026, 12, 21), 2};
  for (const std::string& line : db->read([&](storage::Connection& c) {
         return facts_plan(c, storage::Dialect::sqlite, centers, report_options.as_of);
       })) {
    std::printf("  plan: %s\n", line.c_str());
  }

  const std::size_t facts =
      db->read([&](storage::Connection& c) { return read_facts(c, centers, report_options.as_of); }).size();
  Report report;
  const double only_report_ms = median_ms([&] { report = read_report(*db, centers, report_options, cal); });
  std::vector<Fact> read;
  const double read_ms = median_ms(
      [&] { read = db->read([&](storage::Connection& c) { return read_facts(c, centers, report_options.as_of); }); });
  const double build_ms = median_ms([&] { report = build(read, report_options, cal); });
  std::int64_t count = 0;
  const double count_ms = median_ms([&] {
    count = db->read([](storage::Connection& c) { return c.query_one("SELECT count(*) FROM cases", {})->int64(0); });
  });
  std::printf("  report as of 2026-12-21 (%zu rows read, %d in work, %d overdue, %d finished, late %.2f%%)\n", facts,
              report.total.in_work, report.total.overdue, report.total.finished_on_time + report.total.finished_late,
              report.total.late_share);
  std::printf("  %-44s %10.1f ms   target < 1000 ms: %s\n", "discipline report, 100 centers (median of 5)",
              only_report_ms, only_report_ms < 1000 ? "ok" : "ABOVE");
  std::printf("  %-44s %10.1f ms\n", "  of which the SQL (read_facts)", read_ms);
  std::printf("  %-44s %10.1f ms\n", "  and the counting (build)", build_ms);
  std::printf("  %-44s %10.1f ms   (%lld rows)\n", "anchor: SELECT count(*) FROM cases (median)", count_ms,
              static_cast<long long>(count));
  std::printf("  report / anchor: %.2f\n", count_ms > 0 ? only_report_ms / count_ms : 0.0);
  return 0;
}
