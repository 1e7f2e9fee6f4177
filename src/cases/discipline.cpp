#include "cases/discipline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "common/csv.hpp"

namespace vikno::cases::discipline {

namespace {

std::optional<Date> date_of(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  auto parsed = calendar::parse_iso_date(text);
  if (!parsed) {
    return std::nullopt;
  }
  return *parsed;
}

int days_between(Date from, Date to) {
  return static_cast<int>((std::chrono::sys_days{to} - std::chrono::sys_days{from}).count());
}

double round2(double v) { return std::round(v * 100.0) / 100.0; }

void add(Counts& c, const Standing& s) {
  c.in_work += s.in_work ? 1 : 0;
  c.due_soon += s.due_soon ? 1 : 0;
  if (s.overdue) {
    c.overdue += 1;
    c.overdue_days_max = std::max(c.overdue_days_max, s.days_overdue);
    c.overdue_days_sum += s.days_overdue;
  }
  c.finished_on_time += s.finished_on_time ? 1 : 0;
  c.finished_late += s.finished_late ? 1 : 0;
}

void add(Counts& c, const Counts& other) {
  c.in_work += other.in_work;
  c.due_soon += other.due_soon;
  c.overdue += other.overdue;
  c.overdue_days_max = std::max(c.overdue_days_max, other.overdue_days_max);
  c.overdue_days_sum += other.overdue_days_sum;
  c.finished_on_time += other.finished_on_time;
  c.finished_late += other.finished_late;
}

void finish(Counts& c) {
  const int finished = c.finished_on_time + c.finished_late;
  c.late_share = finished == 0 ? 0.0 : round2(100.0 * c.finished_late / finished);
}

bool anything(const Standing& s) { return s.in_work || s.finished_on_time || s.finished_late; }

// The rank of a Cyrillic code point in the Ukrainian alphabet (lower and upper case alike), or -1.
int uk_rank(char32_t cp) {
  static constexpr std::u32string_view kLower = U"абвгґдеєжзиіїйклмнопрстуфхцчшщьюя";
  static constexpr std::u32string_view kUpper = U"АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ";
  if (auto i = kLower.find(cp); i != std::u32string_view::npos) {
    return static_cast<int>(i);
  }
  if (auto i = kUpper.find(cp); i != std::u32string_view::npos) {
    return static_cast<int>(i);
  }
  return -1;
}

// Decodes one UTF-8 code point at text[i] and advances i (a broken byte is taken as itself).
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  int extra = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC0 ? 1 : 0;
  if (i + static_cast<std::size_t>(extra) >= text.size()) {
    extra = 0; // cut short: the byte as itself
  }
  char32_t cp = extra == 0 ? b0 : (b0 & (0x3F >> extra));
  for (int k = 1; k <= extra; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0x3F);
  }
  i += 1 + static_cast<std::size_t>(extra);
  return cp;
}

// A sort key per code point: letters of the alphabet before everything else that is not ASCII,
// ASCII (digits, Latin, punctuation) first of all.
std::int64_t sort_key(char32_t cp) {
  if (cp < 0x80) {
    return static_cast<std::int64_t>(cp);
  }
  if (int r = uk_rank(cp); r >= 0) {
    return 0x80 + r;
  }
  return 0x1000 + static_cast<std::int64_t>(cp);
}

std::string format_share(double v) {
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.2f", v);
  return buf.data();
}

} // namespace

Date month_start(Date date) { return Date{date.year(), date.month(), std::chrono::day{1}}; }

Date default_as_of(Date today) {
  if (static_cast<unsigned>(today.day()) >= 21) {
    return Date{today.year(), today.month(), std::chrono::day{21}};
  }
  return today;
}

std::string_view to_string(Kind kind) {
  switch (kind) {
  case Kind::in_work:
    return "in_work";
  case Kind::due_soon:
    return "due_soon";
  case Kind::overdue:
    return "overdue";
  case Kind::finished_on_time:
    return "finished_on_time";
  case Kind::finished_late:
    return "finished_late";
  }
  return "in_work";
}

std::optional<Kind> kind_from(std::string_view text) {
  for (Kind k : {Kind::in_work, Kind::due_soon, Kind::overdue, Kind::finished_on_time, Kind::finished_late}) {
    if (to_string(k) == text) {
      return k;
    }
  }
  return std::nullopt;
}

bool Standing::is(Kind kind) const {
  switch (kind) {
  case Kind::in_work:
    return in_work;
  case Kind::due_soon:
    return due_soon;
  case Kind::overdue:
    return overdue;
  case Kind::finished_on_time:
    return finished_on_time;
  case Kind::finished_late:
    return finished_late;
  }
  return false;
}

Standing standing_of(const Fact& fact, const Options& options, const calendar::Calendar& calendar) {
  Standing s;
  const auto registered = date_of(fact.registered_on);
  const auto due = date_of(fact.due_on);
  if (!registered || !due) {
    return s;
  }
  const auto decided = date_of(fact.decided_on);
  const auto closed = date_of(fact.closed_on);
  const Date as_of = options.as_of;
  if (*registered > as_of) {
    return s;
  }
  const bool decided_by = decided && *decided <= as_of;
  const bool closed_by = closed && *closed <= as_of;
  if (!decided_by && !closed_by) {
    s.in_work = true;
    if (*due < as_of) {
      s.overdue = true;
      s.days_overdue = days_between(*due, as_of);
    } else if (*due <= calendar.add_working_days(as_of, options.within)) {
      s.due_soon = true;
    }
  }
  if (decided_by && *decided >= month_start(as_of)) {
    (*decided <= *due ? s.finished_on_time : s.finished_late) = true;
  }
  return s;
}

Report build(const std::vector<Fact>& facts, const Options& options, const calendar::Calendar& calendar) {
  Report report;
  report.as_of = options.as_of;
  report.within = options.within;
  report.month_from = month_start(options.as_of);
  report.due_soon_until = calendar.add_working_days(options.as_of, options.within);

  struct ProviderAcc {
    std::string name;
    std::map<std::int64_t, ServiceLine> services;
  };
  std::map<std::int64_t, ProviderAcc> providers;
  for (const Fact& fact : facts) {
    const Standing s = standing_of(fact, options, calendar);
    if (!anything(s)) {
      continue;
    }
    ProviderAcc& p = providers[fact.provider_id];
    if (p.name.empty()) {
      p.name = fact.provider_name;
    }
    ServiceLine& line = p.services[fact.service_id];
    line.service_id = fact.service_id;
    if (line.service_title.empty()) {
      line.service_title = fact.service_title;
    }
    add(line.counts, s);
  }

  for (auto& [id, acc] : providers) {
    ProviderLine& p = report.providers.emplace_back();
    p.provider_id = id;
    p.provider_name = acc.name;
    for (auto& [service_id, line] : acc.services) {
      add(p.counts, line.counts);
      finish(line.counts);
      p.services.push_back(std::move(line));
    }
    std::sort(p.services.begin(), p.services.end(), [](const ServiceLine& a, const ServiceLine& b) {
      if (a.service_title != b.service_title) {
        return uk_less(a.service_title, b.service_title);
      }
      return a.service_id < b.service_id;
    });
    add(report.total, p.counts);
    finish(p.counts);
  }
  finish(report.total);
  std::sort(report.providers.begin(), report.providers.end(), [](const ProviderLine& a, const ProviderLine& b) {
    if (a.provider_name != b.provider_name) {
      return uk_less(a.provider_name, b.provider_name);
    }
    return a.provider_id < b.provider_id;
  });
  return report;
}

bool uk_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const auto ka = sort_key(next_code_point(a, i));
    const auto kb = sort_key(next_code_point(b, j));
    if (ka != kb) {
      return ka < kb;
    }
  }
  if ((i < a.size()) != (j < b.size())) {
    return j < b.size(); // the shorter one first
  }
  return a < b; // equal up to case: a stable tie-break
}

// --- Views -------------------------------------------------------------------------------------

boost::json::object counts_json(const Counts& c) {
  return {{"in_work", c.in_work},
          {"due_soon", c.due_soon},
          {"overdue", c.overdue},
          {"overdue_days_max", c.overdue_days_max},
          {"overdue_days_sum", c.overdue_days_sum},
          {"finished_on_time", c.finished_on_time},
          {"finished_late", c.finished_late},
          {"late_share", c.late_share}};
}

boost::json::object to_json(const Report& report) {
  boost::json::array providers;
  for (const ProviderLine& p : report.providers) {
    boost::json::object po = counts_json(p.counts);
    po["provider_id"] = p.provider_id;
    po["provider_name"] = p.provider_name;
    boost::json::array services;
    for (const ServiceLine& s : p.services) {
      boost::json::object so = counts_json(s.counts);
      so["service_id"] = s.service_id;
      so["service_title"] = s.service_title;
      services.push_back(std::move(so));
    }
    po["services"] = std::move(services);
    providers.push_back(std::move(po));
  }
  return {{"as_of", calendar::format_iso_date(report.as_of)},
          {"within", report.within},
          {"month_from", calendar::format_iso_date(report.month_from)},
          {"due_soon_until", calendar::format_iso_date(report.due_soon_until)},
          {"providers", std::move(providers)},
          {"total", counts_json(report.total)}};
}

namespace {

std::vector<std::string> column_titles(const Report& report) {
  return {"Суб'єкт надання",
          "Послуга",
          "У роботі",
          "Строк спливає протягом " + std::to_string(report.within) + " роб. дн.",
          "Прострочено",
          "Днів прострочення, найбільше",
          "Днів прострочення, разом",
          "Виконано вчасно",
          "Виконано з порушенням строку",
          "Частка з порушенням строку, %"};
}

std::vector<std::string> count_cells(const Counts& c) {
  return {std::to_string(c.in_work),          std::to_string(c.due_soon),         std::to_string(c.overdue),
          std::to_string(c.overdue_days_max), std::to_string(c.overdue_days_sum), std::to_string(c.finished_on_time),
          std::to_string(c.finished_late),    format_share(c.late_share)};
}

constexpr std::string_view kAllServices = "Усього";
constexpr std::string_view kTotal = "Усього по ЦНАП";

} // namespace

std::string to_csv(const Report& report) {
  std::string out = csv::line(column_titles(report));
  auto row = [&](std::string_view a, std::string_view b, const Counts& c) {
    std::vector<std::string> cells{std::string(a), std::string(b)};
    for (auto& v : count_cells(c)) {
      cells.push_back(std::move(v));
    }
    out += csv::line(cells);
  };
  for (const ProviderLine& p : report.providers) {
    row(p.provider_name, kAllServices, p.counts);
    for (const ServiceLine& s : p.services) {
      row(p.provider_name, s.service_title, s.counts);
    }
  }
  row(kTotal, "", report.total);
  return out;
}

std::vector<Grid> to_grids(const Report& report) {
  Grid grid;
  grid.name = "Виконавська дисципліна";
  grid.header = column_titles(report);
  grid.widths = {40, 50, 10, 14, 12, 14, 14, 12, 14, 14};
  auto row = [&](std::string a, std::string b, const Counts& c, bool bold) {
    std::vector<GridCell> cells;
    auto put = [&](auto value) {
      GridCell& cell = cells.emplace_back();
      cell.value.emplace<decltype(value)>(std::move(value));
      cell.bold = bold;
    };
    put(std::move(a));
    put(std::move(b));
    for (std::int64_t v :
         {std::int64_t{c.in_work}, std::int64_t{c.due_soon}, std::int64_t{c.overdue}, std::int64_t{c.overdue_days_max},
          c.overdue_days_sum, std::int64_t{c.finished_on_time}, std::int64_t{c.finished_late}}) {
      put(v);
    }
    put(c.late_share);
    grid.rows.push_back(std::move(cells));
  };
  for (const ProviderLine& p : report.providers) {
    row(p.provider_name, std::string(kAllServices), p.counts, true);
    for (const ServiceLine& s : p.services) {
      row("", s.service_title, s.counts, false);
    }
  }
  row(std::string(kTotal), "", report.total, true);
  // A second small sheet: what the report is as of, so a printed or forwarded file says it.
  Grid about;
  about.name = "Параметри";
  about.header = {"Параметр", "Значення"};
  about.widths = {40, 20};
  about.rows = {{{std::string("Станом на"), false}, {calendar::format_iso_date(report.as_of), false}},
                {{std::string("Виконано з"), false}, {calendar::format_iso_date(report.month_from), false}},
                {{std::string("Строк спливає до"), false}, {calendar::format_iso_date(report.due_soon_until), false}},
                {{std::string("Робочих днів наперед"), false}, {std::int64_t{report.within}, false}}};
  return {std::move(grid), std::move(about)};
}

} // namespace vikno::cases::discipline
