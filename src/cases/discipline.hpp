// The executive discipline report (звіт про стан виконавської дисципліни): as of a date, per
// provider (суб'єкт надання) and service, how many cases are in work, how many reach their deadline
// within the next N working days, how many are overdue and by how many days, and how many were
// finished this month on time and late. A center's staff draw it up as of the 21st of each month;
// the share finished late is a KPI (Kryvyi Rih: 0.75% -> 0.45%).
//
// Everything is counted from the dates stored with each case, never from its current status, so
// the report as of a past date can be drawn up again and gives the same figures (as long as the
// dates were not corrected since). Definitions, for a report as of the date A (the end of that day):
//  - in work: registered_on <= A, and not decided by A (decided_on empty or > A), and not closed
//    without a decision by A (closed_on empty or > A: withdrawn, returned without review);
//  - overdue: in work and due_on < A; its days overdue are the calendar days from due_on to A
//    (due yesterday: 1);
//  - due soon: in work, due_on >= A and due_on <= the N-th working day after A
//    (calendar::Calendar::add_working_days, so weekends and holidays are skipped, and a holiday
//    that martial law made a working day counts as one);
//  - finished this month: decided_on from the first day of A's month through A (a decision
//    includes a refusal); on time when decided_on <= due_on, late otherwise;
//  - late_share = late / (on time + late) * 100, rounded to 2 decimals; 0 when nothing finished.
// A case counts in "in work" and in at most one of "overdue" / "due soon".
//
// Pure: no IO, no clock. The facts come from discipline_store.hpp; the views (JSON, CSV, the XLSX
// sheets) are below.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "calendar/calendar.hpp"
#include "documents/xlsx.hpp"

namespace vikno::cases::discipline {

using calendar::Date;

// What the report needs to know of one case. Dates are "YYYY-MM-DD"; "" when not yet.
struct Fact {
  std::string id;
  std::string number;
  std::int64_t center_id = 0;
  std::int64_t provider_id = 0;
  std::string provider_name;
  std::int64_t service_id = 0;
  std::string service_title;
  std::string status; // the current status, as text (not used for counting: see above)
  std::string registered_on;
  std::string due_on;
  std::string decided_on;
  std::string closed_on;
};

struct Options {
  Date as_of;
  int within = 2; // working days ahead for "due soon"; >= 0 (the caller checks outside input)
};

// The default report date: the 21st of today's month, or today when earlier in the month.
Date default_as_of(Date today);
// The first day of the month of `date`.
Date month_start(Date date);

// Which counts one case belongs to.
enum class Kind { in_work, due_soon, overdue, finished_on_time, finished_late };
std::string_view to_string(Kind kind); // "in_work", "due_soon", "overdue", "finished_on_time", "finished_late"
std::optional<Kind> kind_from(std::string_view text);

struct Standing {
  bool in_work = false;
  bool due_soon = false;
  bool overdue = false;
  int days_overdue = 0; // when overdue
  bool finished_on_time = false;
  bool finished_late = false;

  [[nodiscard]] bool is(Kind kind) const;
};

// The standing of one case as of options.as_of. A fact with a date that does not parse counts
// nowhere (the store writes only valid dates).
Standing standing_of(const Fact& fact, const Options& options, const calendar::Calendar& calendar);

struct Counts {
  int in_work = 0;
  int due_soon = 0;
  int overdue = 0;
  int overdue_days_max = 0;
  std::int64_t overdue_days_sum = 0;
  int finished_on_time = 0;
  int finished_late = 0;
  double late_share = 0; // percent, 2 decimals

  bool operator==(const Counts&) const = default;
};

struct ServiceLine {
  std::int64_t service_id = 0;
  std::string service_title;
  Counts counts;
};

struct ProviderLine {
  std::int64_t provider_id = 0;
  std::string provider_name;
  Counts counts;
  std::vector<ServiceLine> services; // by title (Ukrainian alphabet), then id
};

struct Report {
  Date as_of;
  int within = 2;
  Date month_from;                     // the first day of as_of's month
  Date due_soon_until;                 // the within-th working day after as_of
  std::vector<ProviderLine> providers; // by name (Ukrainian alphabet), then id
  Counts total;
};

// Counts every fact. Providers and services with nothing to count (every figure 0) are left out.
Report build(const std::vector<Fact>& facts, const Options& options, const calendar::Calendar& calendar);

// Orders text by the Ukrainian alphabet (а б в г ґ д е є ж з и і ї й ...), other characters by
// code point: "Ґ" after "Г", "Є" after "Е", "І", "Ї" after "И". Case-insensitive for Cyrillic.
bool uk_less(std::string_view a, std::string_view b);

// --- Views -------------------------------------------------------------------------------------

// {"as_of","within","month_from","due_soon_until","providers":[{provider_id, provider_name,
//  ...counts, "services":[{service_id, service_title, ...counts}]}],"total":{...counts}}; counts are
// in_work, due_soon, overdue, overdue_days_max, overdue_days_sum, finished_on_time, finished_late,
// late_share.
boost::json::object to_json(const Report& report);
boost::json::object counts_json(const Counts& counts);

// One table, Ukrainian column titles in the first row: a row per provider (its service column
// "Усього"), then a row per service of it; the last row the total. Through common/csv (formulas
// neutralised).
std::string to_csv(const Report& report);

// The XLSX view, written with documents/xlsx.hpp's Sheet and Cell (another module): the cells are
// built here, in a shape-neutral grid, and copied into whatever Sheet type has the fields
//   struct Cell { std::variant<std::monostate, std::string, double, std::int64_t> value; bool bold; };
//   struct Sheet { std::string name; std::vector<std::string> header; std::vector<double> widths;
//                  std::vector<std::vector<Cell>> rows; };
// One sheet "Виконавська дисципліна": providers bold, their services below them, the total bold.
struct GridCell {
  std::variant<std::monostate, std::string, double, std::int64_t> value;
  bool bold = false;
};
struct Grid {
  std::string name;
  std::vector<std::string> header;
  std::vector<double> widths;
  std::vector<std::vector<GridCell>> rows;
};
std::vector<Grid> to_grids(const Report& report);

template <class Sheet> std::vector<Sheet> to_sheets_as(const Report& report) {
  std::vector<Sheet> out;
  for (Grid& grid : to_grids(report)) {
    Sheet sheet;
    sheet.name = std::move(grid.name);
    sheet.header = std::move(grid.header);
    sheet.widths = std::move(grid.widths);
    for (auto& row : grid.rows) {
      auto& into = sheet.rows.emplace_back();
      for (auto& cell : row) {
        auto& c = into.emplace_back();
        c.value = std::move(cell.value);
        c.bold = cell.bold;
      }
    }
    out.push_back(std::move(sheet));
  }
  return out;
}

} // namespace vikno::cases::discipline

// The XLSX view (documents::render_xlsx writes it).
namespace vikno::cases::discipline {
inline std::vector<documents::Sheet> to_sheets(const Report& report) { return to_sheets_as<documents::Sheet>(report); }
} // namespace vikno::cases::discipline
