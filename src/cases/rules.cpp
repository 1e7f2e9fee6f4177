#include "cases/rules.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace vikno::cases {

namespace {

using calendar::Calendar;

struct Transition {
  Status from;
  MoveKind move;
  Status to;
};

// The whole graph of a case in one table (docs/cases.md draws it).
constexpr std::array kTransitions{
    Transition{Status::registered, MoveKind::hand_over, Status::handed_over},
    Transition{Status::registered, MoveKind::withdraw, Status::withdrawn},
    Transition{Status::handed_over, MoveKind::accept, Status::in_review},
    Transition{Status::handed_over, MoveKind::return_unreviewed, Status::returned_without_review},
    Transition{Status::handed_over, MoveKind::withdraw, Status::withdrawn},
    Transition{Status::in_review, MoveKind::finish_stage, Status::in_review},
    Transition{Status::in_review, MoveKind::suspend, Status::suspended},
    Transition{Status::in_review, MoveKind::extend, Status::in_review},
    Transition{Status::in_review, MoveKind::decide_ready, Status::result_ready},
    Transition{Status::in_review, MoveKind::refuse, Status::refused},
    Transition{Status::in_review, MoveKind::return_unreviewed, Status::returned_without_review},
    Transition{Status::in_review, MoveKind::withdraw, Status::withdrawn},
    Transition{Status::suspended, MoveKind::resume, Status::in_review},
    Transition{Status::suspended, MoveKind::extend, Status::suspended},
    Transition{Status::suspended, MoveKind::return_unreviewed, Status::returned_without_review},
    Transition{Status::suspended, MoveKind::withdraw, Status::withdrawn},
    Transition{Status::result_ready, MoveKind::receive_result, Status::at_center},
    Transition{Status::refused, MoveKind::receive_result, Status::at_center},
    Transition{Status::at_center, MoveKind::issue, Status::issued},
    Transition{Status::at_center, MoveKind::mark_unclaimed, Status::unclaimed},
    Transition{Status::unclaimed, MoveKind::issue, Status::issued},
    Transition{Status::unclaimed, MoveKind::return_to_provider, Status::returned_to_provider},
};

const std::vector<RefusalGround> kGrounds{
    {"incomplete_documents", "Подано неповний пакет документів", "The package of documents is incomplete"},
    {"invalid_documents", "Документи містять недостовірні відомості", "The documents hold untrue information"},
    {"not_entitled", "Заявник не має права на отримання послуги", "The applicant is not entitled to the service"},
    {"legal_grounds", "Інші підстави, визначені законом", "Other grounds set by law"},
};

Date parse_stored(const std::string& iso) {
  auto d = calendar::parse_iso_date(iso);
  if (!d) {
    throw std::invalid_argument("a stored date is not YYYY-MM-DD: " + iso);
  }
  return *d;
}

int days_between(Date a, Date b) {
  return static_cast<int>((std::chrono::sys_days(b) - std::chrono::sys_days(a)).count());
}

Error needs(std::string field, std::string code, std::string problem) {
  std::string message = "field '" + field + "': " + problem;
  return Error::invalid(std::move(code), std::move(message), {{std::move(field), std::move(problem), 0}});
}

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; });
}

// The day the last suspension began (the on_date of the latest suspend move).
std::optional<Date> suspended_since(const Case& c) {
  for (auto it = c.moves.rbegin(); it != c.moves.rend(); ++it) {
    if (it->kind == MoveKind::suspend) {
      return parse_stored(it->on_date);
    }
  }
  return std::nullopt;
}

} // namespace

Side side_of(MoveKind move) {
  switch (move) {
  case MoveKind::accept:
  case MoveKind::finish_stage:
  case MoveKind::suspend:
  case MoveKind::resume:
  case MoveKind::extend:
  case MoveKind::decide_ready:
  case MoveKind::refuse:
  case MoveKind::return_unreviewed:
    return Side::provider;
  default:
    return Side::front_office;
  }
}

std::optional<Status> next_status(Status from, MoveKind move) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.move == move) {
      return t.to;
    }
  }
  return std::nullopt;
}

std::vector<MoveKind> moves_from(Status from) {
  std::vector<MoveKind> out;
  for (const auto& t : kTransitions) {
    if (t.from == from) {
      out.push_back(t.move);
    }
  }
  return out;
}

Date first_deadline(const Calendar& cal, Date registered_on, const TermSnapshot& term) {
  return cal.deadline(registered_on, std::max(term.days, 0), term.unit);
}

Date hand_over_due(const Calendar& cal, Date registered_on) { return cal.add_working_days(registered_on, 1); }

Date deadline_after_suspension(const Calendar& cal, Date due, Date suspended_on, Date resumed_on,
                               const TermSnapshot& term) {
  if (!term.clock_stops_when_suspended || std::chrono::sys_days(resumed_on) <= std::chrono::sys_days(suspended_on)) {
    return due;
  }
  if (term.unit == TermUnit::calendar_days) {
    return cal.next_working_day(calendar::add_calendar_days(due, days_between(suspended_on, resumed_on)));
  }
  int stopped = 0;
  for (Date d = calendar::add_calendar_days(suspended_on, 1);
       std::chrono::sys_days(d) <= std::chrono::sys_days(resumed_on); d = calendar::add_calendar_days(d, 1)) {
    if (cal.is_working_day(d)) {
      ++stopped;
    }
  }
  return cal.add_working_days(due, stopped);
}

std::vector<Date> plan_stages(const Calendar& cal, Date start, const std::vector<StageTerm>& terms) {
  std::vector<Date> out;
  Date at = start;
  for (const auto& t : terms) {
    at = cal.deadline(at, std::max(t.days, 0), t.unit);
    out.push_back(at);
  }
  return out;
}

std::string_view to_string(DueState v) {
  switch (v) {
  case DueState::on_track:
    return "on_track";
  case DueState::due_soon:
    return "due_soon";
  case DueState::overdue:
    return "overdue";
  case DueState::done:
    return "done";
  }
  return "on_track";
}

DueView due_view(const Calendar& cal, const Case& c, Date today, int due_soon_days) {
  DueView v;
  if (!c.decided_on.empty() || is_decided(c.status) || c.due_on.empty()) {
    v.state = DueState::done;
    return v;
  }
  Date due = parse_stored(c.due_on);
  auto t = std::chrono::sys_days(today);
  auto d = std::chrono::sys_days(due);
  if (t > d) {
    v.state = DueState::overdue;
    v.days_overdue = days_between(due, today);
    return v;
  }
  constexpr int kLongestCount = 800; // a term longer than about three years is not counted day by day
  for (Date x = calendar::add_calendar_days(today, 1);
       std::chrono::sys_days(x) <= d && v.working_days_left < kLongestCount; x = calendar::add_calendar_days(x, 1)) {
    if (cal.is_working_day(x)) {
      ++v.working_days_left;
    }
  }
  v.state =
      d <= std::chrono::sys_days(cal.add_working_days(today, due_soon_days)) ? DueState::due_soon : DueState::on_track;
  return v;
}

const std::vector<RefusalGround>& refusal_grounds() { return kGrounds; }

Result<void> apply_move(const Calendar& cal, Case& c, const MoveRequest& r, Date today) {
  auto to = next_status(c.status, r.kind);
  if (!to) {
    return fail(
        Error{ErrorKind::conflict,
              "move_not_allowed",
              "a case " + std::string(to_string(c.status)) + " cannot be moved by " + std::string(to_string(r.kind)),
              {{"status", std::string(to_string(c.status)), 0}, {"move", std::string(to_string(r.kind)), 0}}});
  }
  const std::string today_iso = calendar::format_iso_date(today);
  CaseMove m;
  m.kind = r.kind;
  m.from = c.status;
  m.to = *to;
  m.on_date = today_iso;
  m.reason = r.reason;
  m.legal_basis = r.legal_basis;

  switch (r.kind) {
  case MoveKind::accept: {
    std::vector<StageTerm> terms;
    terms.reserve(c.stages.size());
    for (const auto& s : c.stages) {
      terms.push_back({s.term_days, s.term_unit});
    }
    auto planned = plan_stages(cal, today, terms);
    for (std::size_t i = 0; i < planned.size(); ++i) {
      c.stages[i].planned_on = calendar::format_iso_date(planned[i]);
    }
    c.current_stage = c.stages.empty() ? 0 : 1;
    break;
  }
  case MoveKind::finish_stage: {
    if (c.current_stage < 1 || c.current_stage > static_cast<int>(c.stages.size())) {
      return fail(Error::conflict("no_open_stage", "every stage of this case is finished: decide it"));
    }
    auto& s = c.stages[static_cast<std::size_t>(c.current_stage - 1)];
    s.finished_on = today_iso;
    m.detail = s.name;
    ++c.current_stage;
    break;
  }
  case MoveKind::suspend:
    if (blank(r.reason)) {
      return fail(needs("reason", "reason_required", "say which documents are needed from the applicant"));
    }
    break;
  case MoveKind::resume: {
    auto since = suspended_since(c);
    if (since && !c.due_on.empty()) {
      c.due_on =
          calendar::format_iso_date(deadline_after_suspension(cal, parse_stored(c.due_on), *since, today, c.term));
    }
    break;
  }
  case MoveKind::extend: {
    if (blank(r.legal_basis)) {
      return fail(needs("legal_basis", "legal_basis_required", "an extension needs its legal reason"));
    }
    if (r.new_deadline.empty()) {
      return fail(needs("new_deadline", "new_deadline_required", "give the new deadline (YYYY-MM-DD)"));
    }
    auto nd = calendar::parse_iso_date(r.new_deadline, "new_deadline");
    if (!nd) {
      return fail(nd.error());
    }
    if (!c.due_on.empty() && std::chrono::sys_days(*nd) <= std::chrono::sys_days(parse_stored(c.due_on))) {
      return fail(needs("new_deadline", "new_deadline_not_later", "the new deadline must be after " + c.due_on));
    }
    c.due_on = calendar::format_iso_date(*nd);
    m.new_deadline = c.due_on;
    break;
  }
  case MoveKind::decide_ready:
    c.decided_on = today_iso;
    break;
  case MoveKind::refuse: {
    auto ground = std::find_if(kGrounds.begin(), kGrounds.end(),
                               [&](const RefusalGround& g) { return g.code == r.refusal_ground; });
    if (ground == kGrounds.end()) {
      return fail(needs("refusal_ground", "unknown_refusal_ground", "choose a ground from the list"));
    }
    if (blank(r.legal_basis)) {
      return fail(needs("legal_basis", "legal_basis_required", "a refusal needs its legal basis"));
    }
    if (blank(r.reason)) {
      return fail(needs("reason", "reason_required", "explain the refusal to the applicant"));
    }
    m.detail = std::string(ground->code);
    c.decided_on = today_iso;
    break;
  }
  case MoveKind::receive_result:
    c.pickup_until = calendar::format_iso_date(calendar::add_calendar_days(today, std::max(c.term.storage_days, 1)));
    break;
  case MoveKind::issue:
    if (!r.issue_method) {
      return fail(needs("issue_method", "issue_method_required", "in_person, post or electronic"));
    }
    if (*r.issue_method == IssueMethod::in_person && !r.identity_checked) {
      return fail(needs("identity_checked", "identity_not_checked", "check the identity of who collects the result"));
    }
    m.detail = std::string(to_string(*r.issue_method));
    c.closed_on = today_iso;
    break;
  case MoveKind::mark_unclaimed:
    if (!c.pickup_until.empty() &&
        std::chrono::sys_days(today) <= std::chrono::sys_days(parse_stored(c.pickup_until))) {
      return fail(Error::conflict("storage_term_not_over", "the result is kept until " + c.pickup_until));
    }
    break;
  case MoveKind::return_to_provider:
    c.closed_on = today_iso;
    break;
  case MoveKind::withdraw:
  case MoveKind::return_unreviewed:
    if (blank(r.reason)) {
      return fail(needs("reason", "reason_required", "say why"));
    }
    c.closed_on = today_iso;
    break;
  case MoveKind::hand_over:
  case MoveKind::registered:
    break;
  }
  c.status = *to;
  c.moves.push_back(std::move(m));
  return {};
}

std::optional<std::string> normalize_phone(std::string_view text) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch >= '0' && ch <= '9') {
      digits += ch;
    } else if (ch == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (ch != ' ' && ch != '-' && ch != '(' && ch != ')') {
      return std::nullopt;
    }
  }
  if (digits.size() == 10 && digits[0] == '0' && !plus) {
    digits = "38" + digits;
  }
  if (digits.size() != 12 || digits.compare(0, 3, "380") != 0) {
    return std::nullopt;
  }
  return "+" + digits;
}

bool valid_email(std::string_view text) {
  if (text.size() < 3 || text.size() > 254) {
    return false;
  }
  auto at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  auto domain = text.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') {
    return false;
  }
  return std::none_of(text.begin(), text.end(), [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '<' || ch == '>' || ch == ',' || ch == ';';
  });
}

Result<std::vector<InventoryLine>> check_inventory(const std::vector<std::string>& card_documents,
                                                   std::vector<InventoryLine> lines, const std::string& prefix) {
  constexpr int kMaxPages = 2000;
  constexpr std::size_t kMaxLines = 200;
  std::vector<FieldProblem> problems;
  if (lines.size() > kMaxLines) {
    return fail(
        Error::invalid("too_many_lines", "an inventory holds at most 200 lines", {{prefix, "too many lines", 0}}));
  }
  std::vector<std::string> from_card;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto& l = lines[i];
    std::string at = prefix + "[" + std::to_string(i) + "]";
    l.position = static_cast<int>(i) + 1;
    if (blank(l.name)) {
      problems.push_back({at + ".name", "name the document", 0});
    }
    if (l.pages < 0 || l.pages > kMaxPages) {
      problems.push_back({at + ".pages", "0 to 2000 pages", 0});
    }
    if (l.from_card) {
      from_card.push_back(l.name);
      if (!l.received && blank(l.missing_reason)) {
        problems.push_back({at + ".missing_reason", "a required document not received needs a reason", 0});
      }
    }
  }
  if (from_card != card_documents) {
    std::string want;
    for (const auto& d : card_documents) {
      want += (want.empty() ? "" : "; ") + d;
    }
    return fail(Error::invalid("inventory_mismatch",
                               "the lines from the card must be the card's documents in its order: " + want,
                               {{prefix, "does not match the service card's list of documents", 0}}));
  }
  if (!problems.empty()) {
    bool missing = std::any_of(problems.begin(), problems.end(), [](const FieldProblem& p) {
      return p.field.size() >= 15 && p.field.compare(p.field.size() - 15, 15, ".missing_reason") == 0;
    });
    std::string message = "field '" + problems.front().field + "': " + problems.front().problem;
    return fail(Error::invalid(missing ? "missing_reason_required" : "invalid_inventory", std::move(message),
                               std::move(problems)));
  }
  return lines;
}

std::string case_number(std::string_view center_code, int year, std::int64_t seq) {
  char tail[32];
  std::snprintf(tail, sizeof tail, "-%d-%06lld", year, static_cast<long long>(seq));
  return std::string(center_code) + tail;
}

} // namespace vikno::cases
