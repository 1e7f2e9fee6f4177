#include "registry/validation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/text.hpp"
#include "common/url.hpp"

namespace vikno::registry {

namespace {

void add(Problems& out, const std::string& prefix, std::string_view field, std::string problem) {
  out.push_back({prefix + std::string(field), std::move(problem), 0});
}

std::string at(std::string_view list, std::size_t i) { return std::string(list) + "[" + std::to_string(i) + "]"; }

// Length in characters (UTF-8 code points), for limits people understand.
std::size_t chars(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A name or label (one line) or, with `kind` paragraphs, a description that may hold line breaks.
void check_text(Problems& out, const std::string& prefix, std::string_view field, std::string_view value,
                std::size_t max, bool required, text::Kind kind = text::Kind::line) {
  if (required && value.empty()) {
    add(out, prefix, field, "is required");
  } else if (auto bad = text::problem(value, kind)) {
    add(out, prefix, field, *bad);
  } else if (chars(value) > max) {
    add(out, prefix, field, "must be at most " + std::to_string(max) + " characters");
  }
}

void check_paragraphs(Problems& out, const std::string& prefix, std::string_view field, std::string_view value,
                      std::size_t max) {
  check_text(out, prefix, field, value, max, false, text::Kind::paragraphs);
}

// A link shown on the public pages: http or https only (no javascript:, data:, vbscript:).
void check_link(Problems& out, const std::string& prefix, std::string_view field, std::string_view value,
                std::size_t max) {
  if (value.empty()) {
    return;
  }
  if (!is_web_url(value)) {
    add(out, prefix, field, "must be an http:// or https:// address");
  } else {
    check_text(out, prefix, field, value, max, false);
  }
}

void check_term(Problems& out, const std::string& prefix, std::string_view field, const Term& term) {
  if (term.days < 0 || term.days > 3650) {
    add(out, prefix, std::string(field) + ".days", "must be 0 to 3650");
  }
}

} // namespace

bool valid_katottg(std::string_view code) {
  if (code.size() != 19 || code[0] != 'U' || code[1] != 'A') {
    return false;
  }
  return std::all_of(code.begin() + 2, code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool plausible_time_zone(std::string_view zone) {
  if (zone == "UTC") {
    return true;
  }
  auto slash = zone.find('/');
  if (zone.empty() || zone.size() > 64 || slash == std::string_view::npos || slash == 0 || zone.back() == '/') {
    return false;
  }
  return std::all_of(zone.begin(), zone.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
           c == '-' || c == '+';
  });
}

std::optional<MinuteOfDay> parse_hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') {
    return std::nullopt;
  }
  auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) {
    return std::nullopt;
  }
  int h = (text[0] - '0') * 10 + (text[1] - '0');
  int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) {
    return std::nullopt;
  }
  return h * 60 + m;
}

std::string format_hhmm(MinuteOfDay minutes) {
  const int m = std::clamp(minutes, 0, 24 * 60);
  std::string out = "00:00";
  out[0] = static_cast<char>('0' + m / 600);
  out[1] = static_cast<char>('0' + (m / 60) % 10);
  out[3] = static_cast<char>('0' + (m % 60) / 10);
  out[4] = static_cast<char>('0' + m % 10);
  return out;
}

bool valid_code(std::string_view code) {
  if (code.empty() || code.size() > 100) {
    return false;
  }
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

void check_hours(const std::vector<OpeningInterval>& hours, const std::string& prefix, Problems& out) {
  std::map<int, std::vector<std::size_t>> by_day;
  for (std::size_t i = 0; i < hours.size(); ++i) {
    const auto& h = hours[i];
    if (h.weekday < 1 || h.weekday > 7) {
      add(out, prefix, at("hours", i) + ".weekday", "must be 1 (Monday) to 7 (Sunday)");
      continue;
    }
    if (h.closes <= h.opens) {
      add(out, prefix, at("hours", i) + ".closes", "must be after opens");
      continue;
    }
    by_day[h.weekday].push_back(i);
  }
  for (auto& [day, indexes] : by_day) {
    std::sort(indexes.begin(), indexes.end(),
              [&](std::size_t a, std::size_t b) { return hours[a].opens < hours[b].opens; });
    for (std::size_t k = 1; k < indexes.size(); ++k) {
      if (hours[indexes[k]].opens < hours[indexes[k - 1]].closes) {
        add(out, prefix, at("hours", std::max(indexes[k], indexes[k - 1])),
            "overlaps " + at("hours", std::min(indexes[k], indexes[k - 1])) + " on the same weekday");
      }
    }
  }
}

void check_exceptions(const std::vector<HoursException>& exceptions, const std::string& prefix, Problems& out) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < exceptions.size(); ++i) {
    const auto& e = exceptions[i];
    if (!calendar::parse_iso_date(e.day)) {
      add(out, prefix, at("exceptions", i) + ".date", "must be a date YYYY-MM-DD");
    } else if (!seen.insert(e.day).second) {
      add(out, prefix, at("exceptions", i) + ".date", "is listed twice");
    }
    if (!e.closed && e.closes <= e.opens) {
      add(out, prefix, at("exceptions", i) + ".closes", "must be after opens");
    }
    check_text(out, prefix, at("exceptions", i) + ".reason", e.reason, 300, false);
  }
}

void check_center(const CenterProfile& c, const std::string& prefix, Problems& out) {
  if (!c.code.empty() && !valid_code(c.code)) {
    add(out, prefix, "code", "may hold only letters a-z, digits, '-', '_' and '.' (1 to 100)");
  }
  check_text(out, prefix, "name_uk", c.name_uk, 300, true);
  check_text(out, prefix, "name_en", c.name_en, 300, false);
  if (!c.katottg.empty() && !valid_katottg(c.katottg)) {
    add(out, prefix, "katottg", "must be UA followed by 17 digits (КАТОТТГ)");
  }
  if (c.kind == CenterKind::center && c.parent_id) {
    add(out, prefix, "parent_id", "a center has no parent; branches and workplaces do");
  }
  if (c.kind != CenterKind::center && !c.parent_id) {
    add(out, prefix, "parent_id", "is required for this kind of access point");
  }
  check_text(out, prefix, "address", c.address, 500, false);
  check_text(out, prefix, "founding_body_name", c.founding_body_name, 300, false);
  if (c.latitude && (!std::isfinite(*c.latitude) || *c.latitude < -90 || *c.latitude > 90)) {
    add(out, prefix, "latitude", "must be -90 to 90");
  }
  if (c.longitude && (!std::isfinite(*c.longitude) || *c.longitude < -180 || *c.longitude > 180)) {
    add(out, prefix, "longitude", "must be -180 to 180");
  }
  if (c.latitude.has_value() != c.longitude.has_value()) {
    add(out, prefix, c.latitude ? "longitude" : "latitude", "is required with the other coordinate");
  }
  if (!plausible_time_zone(c.time_zone)) {
    add(out, prefix, "time_zone", "must be an IANA time zone such as Europe/Kyiv");
  }
  if (c.floor_area_m2 && (!std::isfinite(*c.floor_area_m2) || *c.floor_area_m2 < 0 || *c.floor_area_m2 > 1e6)) {
    add(out, prefix, "floor_area_m2", "must be 0 to 1000000");
  }
  if (c.technical_condition && (*c.technical_condition < 1 || *c.technical_condition > 5)) {
    add(out, prefix, "technical_condition", "must be 1 to 5");
  }
  if (c.population_served && (*c.population_served < 0 || *c.population_served > 100'000'000)) {
    add(out, prefix, "population_served", "must be 0 to 100000000");
  }
  check_text(out, prefix, "phone", c.phone, 100, false);
  check_text(out, prefix, "email", c.email, 200, false);
  if (!c.email.empty() && c.email.find('@') == std::string::npos) {
    add(out, prefix, "email", "must be an e-mail address");
  }
  check_link(out, prefix, "website", c.website, 300);
  check_hours(c.hours, prefix, out);
  check_exceptions(c.exceptions, prefix, out);
}

void check_windows(const std::vector<Window>& windows, const std::string& prefix, Problems& out) {
  std::map<int, std::size_t> seen;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    if (w.number < 1 || w.number > 9999) {
      add(out, prefix, at("windows", i) + ".number", "must be 1 to 9999");
    } else if (auto [it, fresh] = seen.emplace(w.number, i); !fresh) {
      add(out, prefix, at("windows", i) + ".number",
          "window " + std::to_string(w.number) + " is already " + at("windows", it->second));
    }
    check_text(out, prefix, at("windows", i) + ".label", w.label, 100, false);
  }
}

void check_provider(const ProviderData& p, const std::string& prefix, Problems& out) {
  if (!valid_code(p.code)) {
    add(out, prefix, "code", "is required: letters a-z, digits, '-', '_' and '.' (1 to 100)");
  }
  check_text(out, prefix, "name_uk", p.name_uk, 300, true);
  check_text(out, prefix, "name_en", p.name_en, 300, false);
  check_text(out, prefix, "address", p.address, 500, false);
  check_text(out, prefix, "phone", p.phone, 100, false);
  check_text(out, prefix, "email", p.email, 200, false);
  check_link(out, prefix, "website", p.website, 300);
}

void check_group(const GroupData& g, const std::string& prefix, Problems& out) {
  if (!valid_code(g.code)) {
    add(out, prefix, "code", "is required: letters a-z, digits, '-', '_' and '.' (1 to 100)");
  }
  check_text(out, prefix, "name_uk", g.name_uk, 200, true);
  check_text(out, prefix, "name_en", g.name_en, 200, false);
  // One letter, any script: the ticket reads "А-015" or "A-015".
  if (chars(g.ticket_letter) != 1 || g.ticket_letter == " ") {
    add(out, prefix, "ticket_letter", "must be one letter");
  }
}

void check_service_card(const ServiceCard& card, const std::string& prefix, Problems& out) {
  check_text(out, prefix, "title_uk", card.title_uk, 500, true);
  check_text(out, prefix, "title_en", card.title_en, 500, false);
  check_paragraphs(out, prefix, "description", card.description, 5000);
  check_paragraphs(out, prefix, "result", card.result, 1000);
  check_paragraphs(out, prefix, "result_delivery", card.result_delivery, 1000);
  check_text(out, prefix, "keywords", card.keywords, 1000, false);
  if (card.fee_kopiykas < 0) {
    add(out, prefix, "fee.kopiykas", "must not be negative");
  } else if (card.fee_kopiykas > 100'000'000'000) {
    add(out, prefix, "fee.kopiykas", "is implausibly large");
  }
  check_paragraphs(out, prefix, "fee.payment_details", card.payment_details, 2000);
  check_term(out, prefix, "term", card.term);
  if (card.storage_days < 1 || card.storage_days > 366) {
    add(out, prefix, "case_rules.storage_days", "must be 1 to 366 days");
  }
  if (card.typical_minutes < 1 || card.typical_minutes > 480) {
    add(out, prefix, "typical_minutes", "must be 1 to 480");
  }
  for (std::size_t i = 0; i < card.documents.size(); ++i) {
    check_text(out, prefix, at("documents", i) + ".name", card.documents[i].name, 500, true);
    check_paragraphs(out, prefix, at("documents", i) + ".note", card.documents[i].note, 1000);
  }
  for (std::size_t i = 0; i < card.legal_basis.size(); ++i) {
    check_text(out, prefix, at("legal_basis", i) + ".title", card.legal_basis[i].title, 500, true);
    check_link(out, prefix, at("legal_basis", i) + ".url", card.legal_basis[i].url, 1000);
  }
  std::set<Channel> channels;
  for (std::size_t i = 0; i < card.channels.size(); ++i) {
    if (!channels.insert(card.channels[i].channel).second) {
      add(out, prefix, at("channels", i) + ".channel", "is listed twice");
    }
    check_text(out, prefix, at("channels", i) + ".note", card.channels[i].note, 1000, false);
  }
  std::set<Purpose> purposes;
  for (std::size_t i = 0; i < card.purposes.size(); ++i) {
    if (!purposes.insert(card.purposes[i]).second) {
      add(out, prefix, at("purposes", i), "is listed twice");
    }
  }
  for (std::size_t i = 0; i < card.stages.size(); ++i) {
    check_text(out, prefix, at("stages", i) + ".name", card.stages[i].name, 500, true);
    check_text(out, prefix, at("stages", i) + ".responsible", card.stages[i].responsible, 300, false);
    check_term(out, prefix, at("stages", i) + ".term", card.stages[i].term);
  }
}

void check_life_situation(const LifeSituationData& s, const std::string& prefix, Problems& out) {
  if (!valid_code(s.code)) {
    add(out, prefix, "code", "is required: letters a-z, digits, '-', '_' and '.' (1 to 100)");
  }
  check_text(out, prefix, "name_uk", s.name_uk, 300, true);
  check_text(out, prefix, "name_en", s.name_en, 300, false);
  check_paragraphs(out, prefix, "description", s.description, 5000);
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < s.service_ids.size(); ++i) {
    if (!seen.insert(s.service_ids[i]).second) {
      add(out, prefix, at("services", i), "is listed twice");
    }
  }
}

void check_skills(const std::vector<Skill>& skills, const std::string& prefix, Problems& out) {
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < skills.size(); ++i) {
    if (!seen.insert(skills[i].group_id).second) {
      add(out, prefix, at("skills", i) + ".group_id", "is listed twice");
    }
  }
}

} // namespace vikno::registry
