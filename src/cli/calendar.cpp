// `vikno calendar YEAR`: the year's non-working days (date, weekday, why) for people checking the
// calendar against the law; `vikno calendar deadline START N working|calendar`: a term's last day.
// `--json` for scripts, `--closed DATE` (repeatable) adds a center's own closed days.
#include "cli/commands.hpp"

#include <boost/json.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "calendar/calendar.hpp"

namespace vikno::cli {

namespace {

namespace cal = vikno::calendar;
namespace bj = boost::json;

struct CalendarOptions {
  int year = 0;
  bool json = false;
  std::vector<std::string> closed;
  std::string start;
  int n = 0;
  std::string unit;
};

[[noreturn]] void exit_with(const Error& error) {
  std::cerr << "vikno calendar: " << error.message << "\n";
  throw CLI::RuntimeError(2);
}

cal::CenterDays center_days(const std::vector<std::string>& dates) {
  cal::CenterDays center;
  for (const std::string& text : dates) {
    auto date = cal::parse_iso_date(text, "--closed");
    if (!date) {
      exit_with(date.error());
    }
    center.close(*date);
  }
  return center;
}

bj::value optional_date(const std::optional<cal::Date>& date) {
  return date ? bj::value(cal::format_iso_date(*date)) : bj::value(nullptr);
}

void print_year(const CalendarOptions& options) {
  const cal::Calendar calendar = cal::Calendar::ukraine();
  const cal::CenterDays center = center_days(options.closed);
  const auto days = calendar.non_working_days(options.year, &center);
  if (!options.json) {
    for (const cal::NonWorkingDay& day : days) {
      std::cout << cal::format_iso_date(day.date) << "  " << cal::weekday_uk(day.date) << " "
                << cal::weekday_en(day.date) << "  " << cal::describe_uk(day) << " | " << cal::describe_en(day) << "\n";
    }
    return;
  }
  bj::array listed;
  for (const cal::NonWorkingDay& day : days) {
    listed.push_back(bj::object{
        {"date", cal::format_iso_date(day.date)},
        {"weekday", cal::weekday_en(day.date)},
        {"reason", cal::to_string(day.reason)},
        {"name_uk", day.name_uk},
        {"name_en", day.name_en},
        {"related", optional_date(day.related)},
        {"description_uk", cal::describe_uk(day)},
        {"description_en", cal::describe_en(day)},
    });
  }
  bj::array worked;
  for (cal::Date date : calendar.working_weekend_days(options.year)) {
    worked.push_back(bj::value(cal::format_iso_date(date)));
  }
  // Holidays that martial law turned into working days are listed here, so the output explains
  // why a holiday is missing from non_working_days.
  bj::array holidays;
  for (const cal::Holiday& holiday : calendar.holidays(options.year)) {
    holidays.push_back(bj::object{
        {"date", cal::format_iso_date(holiday.date)},
        {"name_uk", holiday.name_uk},
        {"name_en", holiday.name_en},
        {"day_off", holiday.day_off},
    });
  }
  std::cout << bj::serialize(bj::object{{"year", options.year},
                                        {"non_working_days", std::move(listed)},
                                        {"working_weekend_days", std::move(worked)},
                                        {"holidays", std::move(holidays)}})
            << "\n";
}

void print_deadline(const CalendarOptions& options) {
  auto start = cal::parse_iso_date(options.start, "START");
  if (!start) {
    exit_with(start.error());
  }
  auto unit = cal::parse_term_unit(options.unit, "UNIT");
  if (!unit) {
    exit_with(unit.error());
  }
  const cal::CenterDays center = center_days(options.closed);
  const cal::Date deadline = cal::Calendar::ukraine().deadline(*start, options.n, *unit, &center);
  if (!options.json) {
    std::cout << cal::format_iso_date(deadline) << "\n";
    return;
  }
  std::cout << bj::serialize(bj::object{
                   {"start", cal::format_iso_date(*start)},
                   {"n", options.n},
                   {"unit", *unit == cal::TermUnit::working_days ? "working_days" : "calendar_days"},
                   {"deadline", cal::format_iso_date(deadline)},
                   {"weekday", cal::weekday_en(deadline)},
               })
            << "\n";
}

} // namespace

void add_calendar_command(CLI::App& app) {
  // Shared by the two callbacks, which outlive this function inside `app`.
  auto options = std::make_shared<CalendarOptions>();

  CLI::App* calendar = app.add_subcommand("calendar", "Ukrainian working-day calendar: non-working days, deadlines");
  calendar->add_option("year", options->year, "List this year's non-working days")->check(CLI::Range(1900, 2200));
  calendar->add_flag("--json", options->json, "Print JSON");
  calendar->add_option("--closed", options->closed, "A day the center is closed, YYYY-MM-DD (repeatable)");
  calendar->require_subcommand(0, 1);

  CLI::App* deadline = calendar->add_subcommand(
      "deadline", "Last day of a term started on START: counted from the next day, moved off non-working days");
  deadline->add_option("start", options->start, "Start date YYYY-MM-DD")->required();
  deadline->add_option("n", options->n, "Length of the term")->required()->check(CLI::Range(0, 3650));
  deadline->add_option("unit", options->unit, "working or calendar")->required();
  // `--json` and `--closed` after the dates belong to the parent.
  deadline->fallthrough();

  deadline->callback([options] { print_deadline(*options); });
  calendar->callback([options, calendar, deadline] {
    if (deadline->parsed()) {
      return;
    }
    if (calendar->count("year") == 0) {
      std::cerr << "vikno calendar: give a YEAR or `deadline START N working|calendar`\n";
      throw CLI::RuntimeError(2);
    }
    print_year(*options);
  });
}

} // namespace vikno::cli
