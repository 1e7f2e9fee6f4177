// The legal working-day calendar of Ukraine (робочі, святкові та неробочі дні) and the deadline
// arithmetic of a case (строки розгляду звернення).
//
// A case's term is counted in working or calendar days from the day after it starts, and a
// deadline that falls on a non-working day moves to the next working day (Civil Code Arts.
// 253-254). Which days are working changes with the law: holidays come and go (Jan 7 -> Dec 25,
// May 9 -> May 8, ...), the weekend-transfer rule (Labour Code Art. 67 part 3) is suspended by
// martial law, the Cabinet swaps single days in some years. So every rule is data valid over a
// date range: a case from 2021 keeps the calendar of 2021. The Ukrainian data lives in one table
// (ukraine_rules() in calendar.cpp): a change of law is one line there.
//
// Pure: no IO, no clock, no time zones. A Date is a civil date as seen in Kyiv; the caller turns a
// UTC timestamp into it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace vikno::calendar {

using Date = std::chrono::year_month_day;

// A date from its parts; the caller guarantees it exists (a bug otherwise: use parse_iso_date
// for outside input).
Date make_date(int year, unsigned month, unsigned day);

// Strict ISO 8601 calendar date "YYYY-MM-DD" (a real day: 2023-02-29 fails). `field` names the
// input in the error (400 invalid_field).
Result<Date> parse_iso_date(std::string_view text, std::string_view field = "date");
std::string format_iso_date(Date date);

Date add_calendar_days(Date date, int days);

// Short weekday names for listings: "пн".."нд", "Mon".."Sun".
std::string_view weekday_uk(Date date);
std::string_view weekday_en(Date date);

// Orthodox Easter Sunday (Великдень) as a Gregorian date: the Julian computus shifted by the
// Julian-Gregorian gap of that century (13 days for 1900-2099).
Date orthodox_easter(int year);

// Inclusive range of dates; an absent end is open ("until further notice", "since ever").
struct DateRange {
  std::optional<Date> from;
  std::optional<Date> until;

  bool contains(Date date) const;
};

// A holiday of Labour Code Art. 73: a fixed day of the year or an offset from Orthodox Easter,
// valid while the law listed it.
struct HolidayRule {
  enum class Kind { fixed_date, after_easter };

  Kind kind = Kind::fixed_date;
  unsigned month = 0;        // fixed_date
  unsigned day = 0;          // fixed_date
  int days_after_easter = 0; // after_easter
  std::string name_uk;
  std::string name_en;
  DateRange valid;

  static HolidayRule fixed(unsigned month, unsigned day, std::string name_uk, std::string name_en,
                           DateRange valid = {});
  static HolidayRule after_easter(int days, std::string name_uk, std::string name_en, DateRange valid = {});

  // The holiday's date in that year, if the rule is in force on it.
  std::optional<Date> date_in(int year) const;
};

// A one-off Cabinet order (розпорядження КМУ "Про перенесення робочих днів"): a weekday becomes a
// day off and a Saturday is worked instead.
struct GovernmentSwap {
  Date day_off;
  Date day_worked;
  std::string source; // the order, for people checking the data
};

// Everything that decides the legal calendar. Calendar::ukraine() uses ukraine_rules(); tests and
// a future config can build their own.
struct CalendarRules {
  std::vector<HolidayRule> holidays;
  // When a holiday on Saturday or Sunday gives a day off on the next working day (Art. 67 part 3).
  std::vector<DateRange> weekend_transfer;
  // Periods of martial law (Law 2136-IX): holidays are ordinary working days, nothing transfers.
  std::vector<DateRange> martial_law;
  std::vector<GovernmentSwap> swaps;
};

CalendarRules ukraine_rules();

// A center's own closed days (sanitary day, power outage, ...) on top of the legal calendar. The
// center's opening hours (working Saturdays and so on) are a separate concept: deadlines follow
// the legal calendar.
struct CenterDays {
  std::map<Date, std::string> closed; // date -> why, shown to people

  void close(Date date, std::string reason = {}) { closed.insert_or_assign(date, std::move(reason)); }
  bool is_closed(Date date) const { return closed.contains(date); }
};

enum class DayOffReason { weekend, holiday, transferred_holiday, government_swap, center_closed };
std::string_view to_string(DayOffReason reason); // "weekend", "holiday", ...

struct NonWorkingDay {
  Date date;
  DayOffReason reason = DayOffReason::weekend;
  std::string name_uk; // holiday name(s) or the center's reason; empty for a weekend
  std::string name_en;
  // transferred_holiday: the holiday it was moved from; government_swap: the Saturday worked instead.
  std::optional<Date> related;
};

// One line for people: "свято: Новий рік", "holiday: New Year's Day", ...
std::string describe_uk(const NonWorkingDay& day);
std::string describe_en(const NonWorkingDay& day);

// A holiday as it fell in a given year, also when martial law made it a working day.
struct Holiday {
  Date date;
  std::string name_uk;
  std::string name_en;
  bool day_off = true; // false under martial law
};

enum class TermUnit { calendar_days, working_days };
// "working" / "working_days" / "calendar" / "calendar_days".
Result<TermUnit> parse_term_unit(std::string_view text, std::string_view field = "unit");

class Calendar {
public:
  explicit Calendar(CalendarRules rules);

  // The built-in Ukrainian rules.
  static Calendar ukraine();

  bool is_working_day(Date date, const CenterDays* center = nullptr) const;
  // Why the day is not a working day; nullopt for a working day.
  std::optional<NonWorkingDay> day_off(Date date, const CenterDays* center = nullptr) const;
  // The date itself if it is a working day, else the first working day after it.
  Date next_working_day(Date date, const CenterDays* center = nullptr) const;
  // The n-th working day after `date` (before it for negative n); `date` itself for 0.
  Date add_working_days(Date date, int n, const CenterDays* center = nullptr) const;

  // The last day of a term of n units started on `start`: counting from the next day, moved off a
  // non-working day. n must be >= 0 (checked by whoever reads it from outside; a negative n
  // throws std::invalid_argument as a bug).
  Date deadline(Date start, int n, TermUnit unit, const CenterDays* center = nullptr) const;

  std::vector<NonWorkingDay> non_working_days(int year, const CenterDays* center = nullptr) const;
  // Saturdays and Sundays made working by a government swap.
  std::vector<Date> working_weekend_days(int year) const;
  std::vector<Holiday> holidays(int year) const;
  bool under_martial_law(Date date) const;

  const CalendarRules& rules() const { return rules_; }

private:
  // The legal exceptions of one year: days off other than plain weekends, and worked weekends.
  struct YearTable {
    std::map<Date, NonWorkingDay> off;
    std::vector<Date> worked; // sorted
    std::vector<Holiday> holidays;
  };

  YearTable build_year(int year) const;
  // Years in the cache are precomputed at construction so a shared Calendar is read-only and safe
  // across threads; other years are built on each call.
  const YearTable* cached_year(int year) const;

  CalendarRules rules_;
  int first_cached_year_ = 0;
  std::vector<YearTable> cache_;
};

} // namespace vikno::calendar
