#include "calendar/calendar.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <utility>

namespace vikno::calendar {

namespace chr = std::chrono;

namespace {

// The cache covers every year a case or a report of this system can plausibly touch; other years
// still work, only slower.
constexpr int kFirstCachedYear = 1990;
constexpr int kLastCachedYear = 2100;

bool is_weekend(Date date) {
  const chr::weekday wd{chr::sys_days{date}};
  return wd == chr::Saturday || wd == chr::Sunday;
}

Date next_day(Date date) { return add_calendar_days(date, 1); }

int year_of(Date date) { return static_cast<int>(date.year()); }

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) {
    value = value * 10 + (c - '0');
  }
  return value;
}

DateRange since(int y, unsigned m, unsigned d) { return {make_date(y, m, d), std::nullopt}; }
DateRange until(int y, unsigned m, unsigned d) { return {std::nullopt, make_date(y, m, d)}; }
DateRange between(Date from, Date to) { return {from, to}; }

} // namespace

Date make_date(int year, unsigned month, unsigned day) {
  return Date{chr::year{year}, chr::month{month}, chr::day{day}};
}

Result<Date> parse_iso_date(std::string_view text, std::string_view field) {
  const std::string name{field};
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' && all_digits(text.substr(0, 4)) &&
                      all_digits(text.substr(5, 2)) && all_digits(text.substr(8, 2));
  if (!shaped) {
    return fail(Error::field(name, "expected a date YYYY-MM-DD, got '" + std::string{text} + "'"));
  }
  const Date date = make_date(to_int(text.substr(0, 4)), static_cast<unsigned>(to_int(text.substr(5, 2))),
                              static_cast<unsigned>(to_int(text.substr(8, 2))));
  if (!date.ok()) {
    return fail(Error::field(name, "no such day: " + std::string{text}));
  }
  return date;
}

std::string format_iso_date(Date date) {
  std::array<char, 16> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer.data();
}

Date add_calendar_days(Date date, int days) { return Date{chr::sys_days{date} + chr::days{days}}; }

std::string_view weekday_uk(Date date) {
  static constexpr std::array<std::string_view, 7> kNames{"нд", "пн", "вт", "ср", "чт", "пт", "сб"};
  return kNames[chr::weekday{chr::sys_days{date}}.c_encoding()];
}

std::string_view weekday_en(Date date) {
  static constexpr std::array<std::string_view, 7> kNames{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  return kNames[chr::weekday{chr::sys_days{date}}.c_encoding()];
}

Date orthodox_easter(int year) {
  // Meeus' Julian algorithm gives Easter in the Julian calendar...
  const int a = year % 4;
  const int b = year % 7;
  const int c = year % 19;
  const int d = (19 * c + 15) % 30;
  const int e = (2 * a + 4 * b - d + 34) % 7;
  const int month = (d + e + 114) / 31;
  const int day = (d + e + 114) % 31 + 1;
  // ...and the same day-of-month numbers read as Gregorian are behind by the century gap (13 days
  // in 1900-2099). Easter is always after February, so a century's missing Feb 29 is already in it.
  const int gap = year / 100 - year / 400 - 2;
  return add_calendar_days(make_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day)), gap);
}

bool DateRange::contains(Date date) const { return (!from || *from <= date) && (!until || date <= *until); }

HolidayRule HolidayRule::fixed(unsigned month, unsigned day, std::string name_uk, std::string name_en,
                               DateRange valid) {
  return {Kind::fixed_date, month, day, 0, std::move(name_uk), std::move(name_en), valid};
}

HolidayRule HolidayRule::after_easter(int days, std::string name_uk, std::string name_en, DateRange valid) {
  return {Kind::after_easter, 0, 0, days, std::move(name_uk), std::move(name_en), valid};
}

std::optional<Date> HolidayRule::date_in(int year) const {
  const Date date = kind == Kind::fixed_date ? make_date(year, month, day)
                                             : add_calendar_days(orthodox_easter(year), days_after_easter);
  if (!date.ok() || year_of(date) != year || !valid.contains(date)) {
    return std::nullopt;
  }
  return date;
}

// The Ukrainian calendar as data. Sources: Labour Code (КЗпП) Art. 73 (holidays) and Art. 67 part 3
// (weekend transfer) with their amendments, Law 2136-IX (martial law), Cabinet orders on day swaps.
// Entries marked "verify" come from memory of the law and secondary sources, not its text.
// Years before 1992 are not modeled.
CalendarRules ukraine_rules() {
  using H = HolidayRule;
  CalendarRules rules;
  rules.holidays = {
      H::fixed(1, 1, "Новий рік", "New Year's Day"),
      // 2023 amendments moved Christmas to Dec 25 only (Jan 7, 2024 is a working day).
      H::fixed(1, 7, "Різдво Христове (7 січня)", "Orthodox Christmas (7 January)", until(2023, 12, 31)),
      H::fixed(3, 8, "Міжнародний жіночий день", "International Women's Day"),
      // Both fall on a Sunday, so before martial law they always gave a Monday off by transfer.
      H::after_easter(0, "Великдень (Пасха)", "Orthodox Easter"),
      H::after_easter(49, "Трійця", "Holy Trinity"),
      // Labour Day was two days (May 1-2) until the 2017 amendment (Law 2211-VIII) that also added
      // Dec 25; Dec 25, 2017 was already a day off, May 2, 2018 was not.
      H::fixed(5, 1, "День міжнародної солідарності трудящих", "International Workers' Solidarity Day",
               until(2017, 12, 31)),
      H::fixed(5, 2, "День міжнародної солідарності трудящих", "International Workers' Solidarity Day",
               until(2017, 12, 31)),
      H::fixed(5, 1, "День праці", "Labour Day", since(2018, 1, 1)),
      H::fixed(5, 9, "День перемоги над нацизмом у Другій світовій війні", "Victory Day over Nazism in World War II",
               until(2023, 12, 31)),
      H::fixed(5, 8, "День пам'яті та перемоги над нацизмом у Другій світовій війні 1939-1945 років",
               "Day of Remembrance and Victory over Nazism in World War II 1939-1945", since(2024, 1, 1)),
      H::fixed(6, 28, "День Конституції України", "Constitution Day", since(1997, 1, 1)),
      // First a day off in 2022 (verify: Jul 28, 2021 was a working day).
      H::fixed(7, 28, "День Української Державності", "Ukrainian Statehood Day",
               between(make_date(2022, 1, 1), make_date(2023, 12, 31))),
      H::fixed(7, 15, "День Української Державності", "Ukrainian Statehood Day", since(2024, 1, 1)),
      H::fixed(8, 24, "День незалежності України", "Independence Day", since(1992, 1, 1)),
      // Named "День захисника України" until 2021; a day off since 2015.
      H::fixed(10, 14, "День захисників і захисниць України", "Defenders Day",
               between(make_date(2015, 1, 1), make_date(2022, 12, 31))),
      H::fixed(10, 1, "День захисників і захисниць України", "Defenders Day", since(2023, 1, 1)),
      H::fixed(11, 7, "Річниця Великої Жовтневої соціалістичної революції", "October Revolution anniversary",
               until(1999, 12, 31)),
      H::fixed(11, 8, "Річниця Великої Жовтневої соціалістичної революції", "October Revolution anniversary",
               until(1999, 12, 31)),
      H::fixed(12, 25, "Різдво Христове", "Christmas Day", since(2017, 1, 1)),
  };
  // Art. 67 part 3 came in 1995, was repealed in 1998 and restored in 1999 (verify the exact days).
  rules.weekend_transfer = {between(make_date(1995, 1, 27), make_date(1998, 1, 9)), since(1999, 4, 23)};
  // Law 2136-IX in force from 2022-03-24 (martial law itself from 2022-02-24: Mar 8, 2022 was still
  // a day off). Open-ended: when it is lifted, set `until` here.
  rules.martial_law = {since(2022, 3, 24)};
  // Earlier years' swaps are not modeled (cases from before 2021 are not expected).
  rules.swaps = {
      {make_date(2021, 1, 8), make_date(2021, 1, 16), "розпорядження КМУ № 1191-р (2020)"},
      {make_date(2021, 8, 23), make_date(2021, 8, 28), "розпорядження КМУ № 1191-р (2020)"},
      {make_date(2021, 10, 15), make_date(2021, 10, 23), "розпорядження КМУ № 1191-р (2020)"},
      {make_date(2022, 3, 7), make_date(2022, 3, 12), "розпорядження КМУ № 1004-р від 26.08.2021"},
      // The same order's Jun 27 -> Jul 2, 2022 swap is left out: it fell under martial law, when
      // Jun 28 was a working day, and was not applied (verify).
  };
  return rules;
}

std::string_view to_string(DayOffReason reason) {
  switch (reason) {
  case DayOffReason::weekend:
    return "weekend";
  case DayOffReason::holiday:
    return "holiday";
  case DayOffReason::transferred_holiday:
    return "transferred_holiday";
  case DayOffReason::government_swap:
    return "government_swap";
  case DayOffReason::center_closed:
    return "center_closed";
  }
  return "unknown";
}

std::string describe_uk(const NonWorkingDay& day) {
  const std::string related = day.related ? format_iso_date(*day.related) : std::string{};
  switch (day.reason) {
  case DayOffReason::weekend:
    return "вихідний";
  case DayOffReason::holiday:
    return "свято: " + day.name_uk;
  case DayOffReason::transferred_holiday:
    return "вихідний за свято «" + day.name_uk + "» (" + related + ")";
  case DayOffReason::government_swap:
    return "вихідний за розпорядженням КМУ (робочий день перенесено на " + related + ")";
  case DayOffReason::center_closed:
    return day.name_uk.empty() ? "ЦНАП зачинено" : "ЦНАП зачинено: " + day.name_uk;
  }
  return {};
}

std::string describe_en(const NonWorkingDay& day) {
  const std::string related = day.related ? format_iso_date(*day.related) : std::string{};
  switch (day.reason) {
  case DayOffReason::weekend:
    return "weekend";
  case DayOffReason::holiday:
    return "holiday: " + day.name_en;
  case DayOffReason::transferred_holiday:
    return "day off for " + day.name_en + " (" + related + ")";
  case DayOffReason::government_swap:
    return "day off by Cabinet order (worked on " + related + " instead)";
  case DayOffReason::center_closed:
    return day.name_en.empty() ? "center closed" : "center closed: " + day.name_en;
  }
  return {};
}

Result<TermUnit> parse_term_unit(std::string_view text, std::string_view field) {
  if (text == "working" || text == "working_days") {
    return TermUnit::working_days;
  }
  if (text == "calendar" || text == "calendar_days") {
    return TermUnit::calendar_days;
  }
  return fail(Error::field(std::string{field}, "expected 'working' or 'calendar', got '" + std::string{text} + "'"));
}

Calendar::Calendar(CalendarRules rules) : rules_(std::move(rules)) {
  cache_.reserve(kLastCachedYear - kFirstCachedYear + 1);
  for (int year = kFirstCachedYear; year <= kLastCachedYear; ++year) {
    cache_.push_back(build_year(year));
  }
  first_cached_year_ = kFirstCachedYear;
}

Calendar Calendar::ukraine() { return Calendar{ukraine_rules()}; }

bool Calendar::under_martial_law(Date date) const {
  return std::any_of(rules_.martial_law.begin(), rules_.martial_law.end(),
                     [&](const DateRange& period) { return period.contains(date); });
}

Calendar::YearTable Calendar::build_year(int year) const {
  // Holidays of the previous year too: a late-December weekend holiday could move into January.
  struct Occurrence {
    Date date;
    const HolidayRule* rule;
  };
  std::vector<Occurrence> occurrences;
  for (int y = year - 1; y <= year; ++y) {
    for (const HolidayRule& rule : rules_.holidays) {
      if (auto date = rule.date_in(y)) {
        occurrences.push_back({*date, &rule});
      }
    }
  }
  std::stable_sort(occurrences.begin(), occurrences.end(),
                   [](const Occurrence& l, const Occurrence& r) { return l.date < r.date; });

  YearTable table;
  std::map<Date, NonWorkingDay> holidays_off; // both years, names of same-day holidays joined
  for (const Occurrence& occurrence : occurrences) {
    const bool day_off = !under_martial_law(occurrence.date);
    if (year_of(occurrence.date) == year) {
      table.holidays.push_back({occurrence.date, occurrence.rule->name_uk, occurrence.rule->name_en, day_off});
    }
    if (!day_off) {
      continue;
    }
    auto [it, inserted] = holidays_off.try_emplace(
        occurrence.date,
        NonWorkingDay{occurrence.date, DayOffReason::holiday, occurrence.rule->name_uk, occurrence.rule->name_en, {}});
    if (!inserted) {
      it->second.name_uk += "; " + occurrence.rule->name_uk;
      it->second.name_en += "; " + occurrence.rule->name_en;
    }
  }

  std::set<Date> swap_off;
  for (const GovernmentSwap& swap : rules_.swaps) {
    swap_off.insert(swap.day_off);
  }

  // Art. 67 part 3 moves the weekend day off, not the holiday: two holidays on one Sunday (Easter
  // and May 1, 2016) give one transferred day. Chronological order gives the earlier holiday the
  // earlier Monday (May 1 and 2, 2021 -> May 3 and 4).
  std::map<Date, NonWorkingDay> transferred;
  for (const auto& [holiday_date, holiday] : holidays_off) {
    const Date date = holiday_date; // a structured binding cannot be captured by a lambda in C++20
    const bool transfers =
        is_weekend(date) && std::any_of(rules_.weekend_transfer.begin(), rules_.weekend_transfer.end(),
                                        [&](const DateRange& r) { return r.contains(date); });
    if (!transfers) {
      continue;
    }
    Date target = next_day(date);
    while (is_weekend(target) || holidays_off.contains(target) || transferred.contains(target) ||
           swap_off.contains(target)) {
      target = next_day(target);
    }
    transferred.emplace(
        target, NonWorkingDay{target, DayOffReason::transferred_holiday, holiday.name_uk, holiday.name_en, date});
  }

  // A holiday wins over anything else on the same day: it names the day best.
  auto keep_this_year = [&](const std::map<Date, NonWorkingDay>& days) {
    for (const auto& [date, day] : days) {
      if (year_of(date) == year) {
        table.off.try_emplace(date, day);
      }
    }
  };
  keep_this_year(holidays_off);
  keep_this_year(transferred);
  for (const GovernmentSwap& swap : rules_.swaps) {
    if (year_of(swap.day_off) == year) {
      table.off.try_emplace(swap.day_off, NonWorkingDay{swap.day_off, DayOffReason::government_swap, swap.source,
                                                        swap.source, swap.day_worked});
    }
    if (year_of(swap.day_worked) == year) {
      table.worked.push_back(swap.day_worked);
    }
  }
  std::sort(table.worked.begin(), table.worked.end());
  return table;
}

const Calendar::YearTable* Calendar::cached_year(int year) const {
  const int index = year - first_cached_year_;
  if (index < 0 || index >= static_cast<int>(cache_.size())) {
    return nullptr;
  }
  return &cache_[static_cast<std::size_t>(index)];
}

std::optional<NonWorkingDay> Calendar::day_off(Date date, const CenterDays* center) const {
  YearTable built;
  const YearTable* table = cached_year(year_of(date));
  if (table == nullptr) {
    built = build_year(year_of(date));
    table = &built;
  }
  if (auto it = table->off.find(date); it != table->off.end()) {
    return it->second;
  }
  const bool worked = std::binary_search(table->worked.begin(), table->worked.end(), date);
  if (is_weekend(date) && !worked) {
    return NonWorkingDay{date, DayOffReason::weekend, {}, {}, {}};
  }
  if (center != nullptr) {
    if (auto it = center->closed.find(date); it != center->closed.end()) {
      return NonWorkingDay{date, DayOffReason::center_closed, it->second, it->second, {}};
    }
  }
  return std::nullopt;
}

bool Calendar::is_working_day(Date date, const CenterDays* center) const { return !day_off(date, center); }

Date Calendar::next_working_day(Date date, const CenterDays* center) const {
  while (!is_working_day(date, center)) {
    date = next_day(date);
  }
  return date;
}

Date Calendar::add_working_days(Date date, int n, const CenterDays* center) const {
  const int step = n < 0 ? -1 : 1;
  for (int left = n < 0 ? -n : n; left > 0;) {
    date = add_calendar_days(date, step);
    if (is_working_day(date, center)) {
      --left;
    }
  }
  return date;
}

Date Calendar::deadline(Date start, int n, TermUnit unit, const CenterDays* center) const {
  if (n < 0) {
    throw std::invalid_argument("calendar::deadline: negative term");
  }
  // Working days: the n-th working day after start is itself a working day. Calendar days: the
  // day n days after start, moved off a non-working day (Civil Code Art. 254 part 5).
  if (unit == TermUnit::working_days && n > 0) {
    return add_working_days(start, n, center);
  }
  return next_working_day(add_calendar_days(start, n), center);
}

std::vector<NonWorkingDay> Calendar::non_working_days(int year, const CenterDays* center) const {
  std::vector<NonWorkingDay> days;
  const Date last = make_date(year, 12, 31);
  for (Date date = make_date(year, 1, 1); date <= last; date = next_day(date)) {
    if (auto off = day_off(date, center)) {
      days.push_back(std::move(*off));
    }
  }
  return days;
}

std::vector<Date> Calendar::working_weekend_days(int year) const {
  if (const YearTable* table = cached_year(year)) {
    return table->worked;
  }
  return build_year(year).worked;
}

std::vector<Holiday> Calendar::holidays(int year) const {
  if (const YearTable* table = cached_year(year)) {
    return table->holidays;
  }
  return build_year(year).holidays;
}

} // namespace vikno::calendar
