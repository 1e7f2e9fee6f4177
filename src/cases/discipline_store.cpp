#include "cases/discipline_store.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace vikno::cases::discipline {

namespace {

// The three ranges of discipline_store.hpp, each for the same centers and the same extra filter.
// Only placeholders are put together here; every value is a parameter. The report's columns are
// all in cases_center_undecided (0009), so the undecided cases, scattered over the years, are read
// from that small index alone; the decided ones are this month's, close together in the table.
// The drill-down (`full`) also reads the id, number and status of each case.
std::string facts_sql(std::size_t centers, bool full, bool by_provider, bool by_service) {
  std::string in;
  for (std::size_t i = 0; i < centers; ++i) {
    in += i == 0 ? "?" : ", ?";
  }
  // An undecided case's decided_on is NULL: said as such, so the index alone answers.
  auto head = [&](std::string_view decided) {
    return std::string("SELECT c.center_id, c.provider_id, c.service_id, c.service_version_id, c.registered_on, "
                       "c.due_on, ") +
           std::string(decided) + ", c.closed_on" + (full ? ", c.id, c.number, c.status" : "") +
           " FROM cases c WHERE c.center_id IN (" + in + ")";
  };
  std::string filter;
  if (by_provider) {
    filter += " AND c.provider_id = ?";
  }
  if (by_service) {
    filter += " AND c.service_id = ?";
  }
  return head("NULL") + " AND c.decided_on IS NULL AND c.closed_on IS NULL AND c.registered_on <= ?" + filter +
         " UNION ALL " + head("NULL") + " AND c.decided_on IS NULL AND c.closed_on > ? AND c.registered_on <= ?" +
         filter + " UNION ALL " + head("c.decided_on") + " AND c.decided_on >= ? AND c.registered_on <= ?" + filter;
}

std::vector<storage::Value> facts_params(const std::vector<std::int64_t>& center_ids, Date as_of,
                                         std::optional<std::int64_t> provider_id,
                                         std::optional<std::int64_t> service_id) {
  const std::string day = calendar::format_iso_date(as_of);
  const std::string month_from = calendar::format_iso_date(month_start(as_of));
  std::vector<storage::Value> params;
  auto branch = [&](std::initializer_list<std::string> dates) {
    for (std::int64_t id : center_ids) {
      params.emplace_back(id);
    }
    for (const std::string& d : dates) {
      params.emplace_back(d);
    }
    if (provider_id) {
      params.emplace_back(*provider_id);
    }
    if (service_id) {
      params.emplace_back(*service_id);
    }
  };
  branch({day});
  branch({day, day});
  branch({month_from, day});
  return params;
}

// id -> name of the given ids of a small table, read in chunks of at most 500 placeholders.
enum class Names { providers, service_titles };

std::map<std::int64_t, std::string> names_of(storage::Connection& c, Names which, const std::set<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  std::vector<storage::Value> chunk;
  auto flush = [&] {
    if (chunk.empty()) {
      return;
    }
    std::string sql = which == Names::providers ? "SELECT id, name_uk FROM providers WHERE id IN ("
                                                : "SELECT id, title_uk FROM service_versions WHERE id IN (";
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      sql += i == 0 ? "?" : ", ?";
    }
    sql += ")";
    for (const storage::Row& row : c.query(sql, chunk)) {
      out.emplace(row.int64(0), row.text(1));
    }
    chunk.clear();
  };
  for (std::int64_t id : ids) {
    chunk.emplace_back(id);
    if (chunk.size() == 500) {
      flush();
    }
  }
  flush();
  return out;
}

std::vector<Fact> query_facts(storage::Connection& c, const std::vector<std::int64_t>& center_ids, Date as_of,
                              bool full, std::optional<std::int64_t> provider_id,
                              std::optional<std::int64_t> service_id) {
  std::vector<Fact> facts;
  if (center_ids.empty()) {
    return facts;
  }
  const std::string sql = facts_sql(center_ids.size(), full, provider_id.has_value(), service_id.has_value());
  const std::vector<storage::Value> params = facts_params(center_ids, as_of, provider_id, service_id);
  storage::Rows rows = c.query(sql, params);
  facts.reserve(rows.size());
  std::set<std::int64_t> providers;
  std::set<std::int64_t> versions;
  std::vector<std::int64_t> version_of;
  version_of.reserve(rows.size());
  for (const storage::Row& row : rows) {
    Fact& f = facts.emplace_back();
    f.center_id = row.int64(0);
    f.provider_id = row.int64(1);
    f.service_id = row.int64(2);
    version_of.push_back(row.int64(3));
    f.registered_on = row.text(4);
    f.due_on = row.text(5);
    f.decided_on = row.opt_text(6).value_or("");
    f.closed_on = row.opt_text(7).value_or("");
    if (full) {
      f.id = row.text(8);
      f.number = row.text(9);
      f.status = row.text(10);
    }
    providers.insert(f.provider_id);
    versions.insert(version_of.back());
  }
  const auto provider_names = names_of(c, Names::providers, providers);
  const auto titles = names_of(c, Names::service_titles, versions);
  for (std::size_t i = 0; i < facts.size(); ++i) {
    if (auto it = provider_names.find(facts[i].provider_id); it != provider_names.end()) {
      facts[i].provider_name = it->second;
    }
    if (auto it = titles.find(version_of[i]); it != titles.end()) {
      facts[i].service_title = it->second;
    }
  }
  return facts;
}

} // namespace

std::vector<Fact> read_facts(storage::Connection& c, const std::vector<std::int64_t>& center_ids, Date as_of) {
  return query_facts(c, center_ids, as_of, false, std::nullopt, std::nullopt);
}

std::vector<std::string> facts_plan(storage::Connection& c, storage::Dialect dialect,
                                    const std::vector<std::int64_t>& center_ids, Date as_of) {
  const bool sqlite = dialect == storage::Dialect::sqlite;
  const std::string sql =
      (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + facts_sql(center_ids.size(), false, false, false);
  const std::vector<storage::Value> params = facts_params(center_ids, as_of, std::nullopt, std::nullopt);
  std::vector<std::string> lines;
  for (const storage::Row& row : c.query(sql, params)) {
    lines.push_back(row.text(sqlite ? 3 : 0));
  }
  return lines;
}

Report read_report(storage::Db& db, const std::vector<std::int64_t>& center_ids, const Options& options,
                   const calendar::Calendar& calendar) {
  std::vector<Fact> facts = db.read([&](storage::Connection& c) { return read_facts(c, center_ids, options.as_of); });
  return build(facts, options, calendar);
}

std::vector<CaseRef> cases_for(storage::Connection& c, const std::vector<std::int64_t>& center_ids,
                               const Options& options, const calendar::Calendar& calendar, std::int64_t provider_id,
                               std::optional<std::int64_t> service_id, Kind kind) {
  std::vector<CaseRef> out;
  for (Fact& f : query_facts(c, center_ids, options.as_of, true, provider_id, service_id)) {
    const Standing s = standing_of(f, options, calendar);
    if (!s.is(kind)) {
      continue;
    }
    CaseRef& ref = out.emplace_back();
    ref.id = std::move(f.id);
    ref.number = std::move(f.number);
    ref.center_id = f.center_id;
    ref.status = std::move(f.status);
    ref.registered_on = std::move(f.registered_on);
    ref.due_on = std::move(f.due_on);
    ref.decided_on = f.decided_on <= calendar::format_iso_date(options.as_of) ? std::move(f.decided_on) : "";
    ref.days_overdue = s.overdue ? s.days_overdue : 0;
  }
  std::sort(out.begin(), out.end(), [](const CaseRef& a, const CaseRef& b) {
    return a.due_on != b.due_on ? a.due_on < b.due_on : a.number < b.number;
  });
  return out;
}

} // namespace vikno::cases::discipline
