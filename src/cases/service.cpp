#include "cases/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

#include "audit/audit.hpp"
#include "auth/secrets.hpp"
#include "cases/forms.hpp"
#include "cases/views.hpp"
#include "common/text.hpp"

namespace vikno::cases {

namespace bj = boost::json;
using storage::Connection;

namespace {

constexpr std::size_t kMaxName = 300;
constexpr std::size_t kMaxText = 2000;
constexpr std::size_t kMaxServices = 20;
constexpr std::string_view kKeyPrefix = "case:";

calendar::Date date_of(const std::string& iso) {
  auto d = calendar::parse_iso_date(iso);
  if (!d) {
    throw std::invalid_argument("not a date: " + iso);
  }
  return *d;
}

int year_of(calendar::Date d) { return static_cast<int>(d.year()); }

std::string applicant_json(const Applicant& a) { return bj::serialize(applicant_json_view(a)); }

Applicant applicant_from_json(const std::string& text) {
  Applicant a;
  auto v = bj::parse(text);
  const auto& o = v.as_object();
  auto str = [&](std::string_view f) -> std::string {
    const auto* x = o.if_contains(f);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  a.kind = applicant_kind_from(str("kind")).value_or(ApplicantKind::person);
  a.name = str("name");
  a.tax_id = str("tax_id");
  a.address = str("address");
  a.phone = str("phone");
  a.email = str("email");
  a.representative_name = str("representative_name");
  a.representative_document = str("representative_document");
  if (const auto* c = o.if_contains("consent"); c && c->is_array()) {
    for (const auto& ch : c->as_array()) {
      if (ch.is_string()) {
        if (auto n = notify_channel_from(std::string(ch.as_string()))) {
          a.consent.push_back(*n);
        }
      }
    }
  }
  return a;
}

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void check_text(std::vector<FieldProblem>& out, const std::string& field, const std::string& value,
                std::size_t max_bytes, bool required) {
  if (required && text::trim_blanks(value).empty()) {
    out.push_back({field, "required", 0});
    return;
  }
  if (value.size() > max_bytes) {
    out.push_back({field, "too long", 0});
    return;
  }
  if (auto p = text::problem(value)) {
    out.push_back({field, *p, 0});
  }
}

// The applicant as typed, normalized (the phone to +380...), or every problem with its field.
Result<Applicant> checked_applicant(Applicant a) {
  std::vector<FieldProblem> problems;
  std::string code = "invalid_field";
  check_text(problems, "applicant.name", a.name, kMaxName, true);
  check_text(problems, "applicant.address", a.address, kMaxText, false);
  check_text(problems, "applicant.representative_name", a.representative_name, kMaxName, false);
  check_text(problems, "applicant.representative_document", a.representative_document, kMaxName, false);
  if (!a.representative_name.empty() && text::trim_blanks(a.representative_document).empty()) {
    problems.push_back({"applicant.representative_document", "a representative needs the power of attorney", 0});
  }
  if (!a.tax_id.empty()) {
    std::size_t want = a.kind == ApplicantKind::person ? 10 : 8;
    if (a.tax_id.size() != want || !all_digits(a.tax_id)) {
      problems.push_back(
          {"applicant.tax_id", a.kind == ApplicantKind::person ? "РНОКПП is 10 digits" : "ЄДРПОУ is 8 digits", 0});
    }
  }
  if (!a.phone.empty()) {
    if (auto p = normalize_phone(a.phone)) {
      a.phone = *p;
    } else {
      problems.push_back({"applicant.phone", "a Ukrainian number: +380XXXXXXXXX", 0});
      code = "invalid_phone";
    }
  }
  if (!a.email.empty() && !valid_email(a.email)) {
    problems.push_back({"applicant.email", "not an e-mail address", 0});
    if (code == "invalid_field") {
      code = "invalid_email";
    }
  }
  for (auto ch : a.consent) {
    bool needs_phone = ch == NotifyChannel::sms || ch == NotifyChannel::viber;
    if ((needs_phone && a.phone.empty()) || (ch == NotifyChannel::email && a.email.empty())) {
      problems.push_back({"applicant.consent", "a channel needs its contact: " + std::string(to_string(ch)), 0});
    }
  }
  if (!problems.empty()) {
    std::string message = "field '" + problems.front().field + "': " + problems.front().problem;
    return fail(Error::invalid(code, std::move(message), std::move(problems)));
  }
  return a;
}

Error not_found() { return Error::not_found("case_not_found", "no such case in this center"); }

std::string audit_details(const Case& k) {
  return bj::serialize(bj::object{{"number", k.number}, {"center_id", k.center_id}});
}

// The name of a member of staff for the history of a case.
std::string staff_name(Connection& c, const auth::Principal& p) {
  if (p.kind != auth::PrincipalKind::user) {
    return p.login;
  }
  auto row = c.query_one("SELECT name FROM users WHERE id = ?", {p.id});
  return row ? row->text(0) : p.login;
}

std::optional<std::string> stored_answer(Connection& c, const std::string& actor, const std::string& key) {
  auto row = c.query_one("SELECT body FROM idempotency_keys WHERE actor = ? AND key = ?", {actor, key});
  if (!row) {
    return std::nullopt;
  }
  return row->text(0);
}

void store_answer(Connection& c, const std::string& actor, const std::string& key, const std::string& body,
                  Millis now) {
  c.execute("INSERT INTO idempotency_keys (actor, key, created_at_ms, status, body) VALUES (?, ?, ?, ?, ?)",
            {actor, key, now, std::int64_t{200}, body});
}

} // namespace

CaseService::CaseService(storage::Db& db, registry::Registry& registry, const seal::Keyring& keys, Clock clock,
                         CaseOptions options)
    : db_(db), registry_(registry), keys_(keys), clock_(std::move(clock)), options_(std::move(options)),
      calendar_(calendar::Calendar::ukraine()) {}

namespace {
// The connection of the batch running on this thread (CaseService::batch), if any.
thread_local storage::Connection* batch_connection = nullptr;
} // namespace

template <class F> auto CaseService::read(F&& fn) const -> std::invoke_result_t<F, storage::Connection&> {
  if (batch_connection != nullptr) {
    return fn(*batch_connection);
  }
  return db_.read(std::forward<F>(fn));
}

// In a batch each use case runs in a savepoint of the batch's transaction, so a refused one
// leaves nothing behind there either.
template <class F> auto CaseService::write(F&& fn) const -> std::invoke_result_t<F, storage::Connection&> {
  if (batch_connection == nullptr) {
    return db_.transact(std::forward<F>(fn));
  }
  storage::Connection& c = *batch_connection;
  c.execute("SAVEPOINT case_use", {});
  auto out = fn(c);
  bool failed = false;
  if constexpr (IsResult<decltype(out)>::value) {
    failed = !out.has_value();
  }
  if (failed) {
    c.execute("ROLLBACK TO SAVEPOINT case_use", {});
  }
  c.execute("RELEASE SAVEPOINT case_use", {});
  return out;
}

Result<void> CaseService::batch(const std::function<Result<void>()>& fn) {
  return db_.transact([&](storage::Connection& c) -> Result<void> {
    struct Joined {
      explicit Joined(storage::Connection& c) { batch_connection = &c; }
      ~Joined() { batch_connection = nullptr; }
      Joined(const Joined&) = delete;
      Joined& operator=(const Joined&) = delete;
    } joined(c);
    return fn();
  });
}

std::string CaseService::tracking_url(const Case& k) const {
  std::string base = options_.public_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  return base + "/c/" + k.public_token;
}

calendar::Date CaseService::today() const { return date_of(registry::kyiv_date(clock_())); }

Result<Intake> CaseService::intake(std::int64_t center_id, std::optional<std::int64_t> service_id,
                                   std::optional<std::int64_t> life_situation_id) const {
  VIKNO_TRY(center, registry_.get_center(center_id));
  Intake out;
  std::vector<std::int64_t> ids;
  if (life_situation_id) {
    auto ls = registry_.get_life_situation(*life_situation_id);
    if (!ls) {
      return fail(Error::invalid("unknown_life_situation", "no life situation has this id",
                                 {{"life_situation_id", "unknown", 0}}));
    }
    ids = ls->data.service_ids;
    out.life_situation = *ls;
  } else if (service_id) {
    ids.push_back(*service_id);
  } else {
    return fail(
        Error::invalid("service_required", "give service_id or life_situation_id", {{"service_id", "required", 0}}));
  }
  const std::string today_iso = calendar::format_iso_date(today());
  for (auto id : ids) {
    auto s = registry_.get_service(id, today_iso);
    if (!s) {
      return fail(Error::invalid("unknown_service", "no service has this id", {{"service_id", "unknown", 0}}));
    }
    IntakeService is;
    is.service = *s;
    if (auto p = registry_.get_provider(s->current.card.provider_id)) {
      is.provider_name = p->data.name_uk;
    }
    TermSnapshot term{s->current.card.term.days, s->current.card.term.unit, true, 30};
    is.due_on = calendar::format_iso_date(first_deadline(calendar_, today(), term));
    out.services.push_back(std::move(is));
  }
  (void)center;
  return out;
}

Result<Registered> CaseService::register_application(const Actor& actor, std::int64_t center_id, const Registration& r,
                                                     const std::string& idempotency_key) {
  const std::string who = actor.principal.actor();
  const std::string key = idempotency_key.empty() ? std::string() : std::string(kKeyPrefix) + idempotency_key;
  if (!key.empty()) {
    auto earlier = read([&](Connection& c) { return stored_answer(c, who, key); });
    if (earlier) {
      Registered again;
      again.application_id = *earlier;
      again.cases = read([&](Connection& c) { return store::cases_of_application(c, *earlier); });
      again.replayed = true;
      return again;
    }
  }
  VIKNO_TRY(applicant, checked_applicant(r.applicant));
  if (r.services.empty() || r.services.size() > kMaxServices) {
    return fail(
        Error::invalid("service_required", "an application asks for 1 to 20 services", {{"services", "empty", 0}}));
  }
  VIKNO_TRY(center, registry_.get_center(center_id));
  std::optional<registry::LifeSituation> situation;
  if (r.life_situation_id) {
    auto ls = registry_.get_life_situation(*r.life_situation_id);
    if (!ls) {
      return fail(Error::invalid("unknown_life_situation", "no life situation has this id",
                                 {{"life_situation_id", "unknown", 0}}));
    }
    situation = *ls;
  }
  const Millis now = clock_();
  const calendar::Date day = today();
  const std::string day_iso = calendar::format_iso_date(day);

  // Every service checked against its card in force today, before anything is written.
  std::vector<Case> cases;
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < r.services.size(); ++i) {
    const auto& sr = r.services[i];
    const std::string at = "services[" + std::to_string(i) + "]";
    auto s = registry_.get_service(sr.service_id, day_iso);
    if (!s) {
      return fail(Error::invalid("unknown_service", "no service has this id", {{at + ".service_id", "unknown", 0}}));
    }
    if (!seen.insert(sr.service_id).second) {
      return fail(Error::invalid("duplicate_service", "a service appears twice", {{at + ".service_id", "twice", 0}}));
    }
    const auto& offered = center.service_ids;
    if (std::find(offered.begin(), offered.end(), sr.service_id) == offered.end()) {
      return fail(Error::invalid("service_not_offered", "this center does not offer the service",
                                 {{at + ".service_id", "not offered here", 0}}));
    }
    if (situation && std::find(situation->data.service_ids.begin(), situation->data.service_ids.end(), sr.service_id) ==
                         situation->data.service_ids.end()) {
      return fail(Error::invalid("service_not_in_life_situation", "the life situation does not include the service",
                                 {{at + ".service_id", "not in the life situation", 0}}));
    }
    const auto& card = s->current.card;
    std::vector<std::string> documents;
    documents.reserve(card.documents.size());
    for (const auto& d : card.documents) {
      documents.push_back(d.name);
    }
    for (std::size_t j = 0; j < sr.inventory.size(); ++j) {
      const std::string line_at = at + ".inventory[" + std::to_string(j) + "]";
      std::vector<FieldProblem> problems;
      check_text(problems, line_at + ".name", sr.inventory[j].name, kMaxName, false);
      check_text(problems, line_at + ".missing_reason", sr.inventory[j].missing_reason, kMaxText, false);
      if (!problems.empty()) {
        std::string message = problems.front().field + ": " + problems.front().problem;
        return fail(Error::invalid("invalid_field", std::move(message), std::move(problems)));
      }
    }
    VIKNO_TRY(lines, check_inventory(documents, sr.inventory, at + ".inventory"));
    Case k;
    k.center_id = center_id;
    k.service_id = s->id;
    k.service_version_id = s->current.id;
    k.provider_id = card.provider_id;
    k.service_title = card.title_uk;
    k.channel = r.channel;
    k.ticket_id = r.ticket_id;
    k.registered_on = day_iso;
    k.registered_at = now;
    k.term = {card.term.days, card.term.unit, card.clock_stops_when_suspended, card.storage_days};
    k.hand_over_due = calendar::format_iso_date(hand_over_due(calendar_, day));
    k.due_on = calendar::format_iso_date(first_deadline(calendar_, day, k.term));
    k.fee_kopiykas = card.fee_kopiykas;
    k.fee_paid = card.fee_kopiykas == 0 || sr.fee_paid;
    k.inventory = std::move(lines);
    int pos = 0;
    for (const auto& st : card.stages) {
      CaseStage cs;
      cs.position = ++pos;
      cs.name = st.name;
      cs.responsible = st.responsible;
      cs.term_days = st.term.days;
      cs.term_unit = st.term.unit;
      k.stages.push_back(std::move(cs));
    }
    cases.push_back(std::move(k));
  }

  Registered out;
  out.application_id = seal::new_id(now);
  const std::string initials = initials_of(applicant);
  store::ApplicationRow app;
  app.id = out.application_id;
  app.center_id = center_id;
  app.life_situation_id = r.life_situation_id;
  app.channel = r.channel;
  app.ticket_id = r.ticket_id;
  app.applicant_kind = applicant.kind;
  app.applicant_sealed = keys_.seal(applicant_json(applicant));
  app.applicant_initials = initials;
  app.phone_hash = applicant.phone.empty() ? std::string() : keys_.lookup_hash(applicant.phone);
  app.registered_at = now;
  app.registered_by = who;
  const std::string code = center.profile.code.empty() ? "c" + std::to_string(center_id) : center.profile.code;

  auto written = write([&](Connection& c) -> Result<void> {
    if (r.ticket_id &&
        !c.query_one("SELECT id FROM queue_tickets WHERE id = ? AND center_id = ?", {*r.ticket_id, center_id})) {
      return fail(Error::not_found("ticket_not_found", "no such ticket in this center"));
    }
    store::insert_application(c, app);
    const std::string name = staff_name(c, actor.principal);
    for (auto& k : cases) {
      k.id = seal::new_id(now);
      k.application_id = app.id;
      k.number = case_number(code, year_of(day), store::next_number(c, center_id, year_of(day)));
      k.public_token = auth::random_token();
      k.applicant_initials = initials;
      CaseMove m;
      m.id = seal::new_id(now);
      m.kind = MoveKind::registered;
      m.from = m.to = Status::registered;
      m.at = now;
      m.on_date = day_iso;
      m.actor = who;
      m.actor_name = name;
      k.moves.push_back(std::move(m));
      store::insert_case(c, k, now);
      audit::append(c, audit::Entry{now, who, "case.register", "case", k.id, "", "status=registered", actor.address,
                                    audit_details(k)});
    }
    if (!key.empty()) {
      store_answer(c, who, key, app.id, now);
    }
    return {};
  });
  if (!written) {
    return fail(written.error());
  }
  for (auto& k : cases) {
    if (auto p = registry_.get_provider(k.provider_id)) {
      k.provider_name = p->data.name_uk;
    }
  }
  out.cases = std::move(cases);
  return out;
}

Result<void> CaseService::may_see(const auth::Principal& p, const Case& k) const {
  if (p.role == auth::Role::provider_employee && p.provider != k.provider_id) {
    return fail(Error{ErrorKind::forbidden, "not_your_provider", "this case is for another provider", {}});
  }
  return {};
}

std::vector<MoveKind> CaseService::allowed_moves(const auth::Principal& p, const Case& k) const {
  std::vector<MoveKind> out;
  bool front = p.role == auth::Role::administrator || p.role == auth::Role::center_head;
  bool provider = p.role == auth::Role::provider_employee && p.provider == k.provider_id;
  for (auto m : moves_from(k.status)) {
    Side side = side_of(m);
    if ((side == Side::front_office && front) || (side == Side::provider && provider)) {
      if (m == MoveKind::finish_stage && (k.current_stage < 1 || k.current_stage > static_cast<int>(k.stages.size()))) {
        continue;
      }
      out.push_back(m);
    }
  }
  return out;
}

Result<CaseRead> CaseService::read(const Actor& actor, std::int64_t center_id, const std::string& case_id,
                                   bool with_applicant) {
  auto loaded = read([&](Connection& c) { return store::load_case(c, case_id); });
  if (!loaded || loaded->center_id != center_id) {
    return fail(not_found());
  }
  VIKNO_CHECK(may_see(actor.principal, *loaded));
  CaseRead out;
  out.k = std::move(*loaded);
  out.allowed = allowed_moves(actor.principal, out.k);
  if (with_applicant) {
    const Millis now = clock_();
    auto sealed = write([&](Connection& c) -> std::optional<std::string> {
      auto app = store::load_application(c, out.k.application_id);
      if (!app) {
        return std::nullopt;
      }
      // Every staff read of personal data is audited, in the transaction that hands it out.
      audit::append(c, audit::Entry{now, actor.principal.actor(), "case.read_personal", "case", out.k.id, "", "",
                                    actor.address, audit_details(out.k)});
      return app->applicant_sealed;
    });
    if (sealed && !sealed->empty()) {
      VIKNO_TRY(plain, keys_.open(*sealed));
      out.applicant = applicant_from_json(plain);
    }
  }
  return out;
}

discipline::Report CaseService::discipline_report(const std::vector<std::int64_t>& centers,
                                                  const discipline::Options& options) const {
  return discipline::read_report(db_, centers, options, calendar_);
}

std::vector<discipline::CaseRef> CaseService::discipline_cases(const std::vector<std::int64_t>& centers,
                                                               const discipline::Options& options,
                                                               std::int64_t provider_id,
                                                               std::optional<std::int64_t> service_id,
                                                               discipline::Kind kind) const {
  return read([&](Connection& c) {
    return discipline::cases_for(c, centers, options, calendar_, provider_id, service_id, kind);
  });
}

std::vector<std::int64_t> CaseService::all_centers() const {
  std::vector<std::int64_t> out;
  for (const auto& c : registry_.list_centers()) {
    out.push_back(c.id);
  }
  return out;
}

Result<std::string> CaseService::print(const Actor& actor, std::int64_t center_id, const std::string& case_id,
                                       Form form) {
  VIKNO_TRY(read_case, read(actor, center_id, case_id, form != Form::cover_letter));
  const Case& k = read_case.k;
  FormContext context;
  if (auto center = registry_.get_center(center_id)) {
    context.center_name = center->profile.name_uk;
    context.center_address = center->profile.address;
    context.center_phone = center->profile.phone;
  }
  if (auto provider = registry_.get_provider(k.provider_id)) {
    context.provider_name = provider->data.name_uk;
    context.provider_address = provider->data.address;
  }
  context.tracking_url = tracking_url(k);
  context.registered_by = k.moves.empty() ? std::string() : k.moves.front().actor_name;
  context.today = calendar::format_iso_date(today());
  const Applicant applicant = read_case.applicant.value_or(Applicant{});
  switch (form) {
  case Form::application:
    return documents::render_pdf(application_form(k, applicant, context));
  case Form::receipt:
    return documents::render_pdf(inventory_receipt(k, applicant, context));
  case Form::cover_letter:
    return documents::render_pdf(cover_letter(k, context));
  }
  return fail(Error::not_found("unknown_form", "no such form"));
}

Result<store::Page> CaseService::list(const Actor& actor, std::int64_t center_id, const ListRequest& r) const {
  store::Query q;
  q.center_id = center_id;
  q.provider_id = r.provider_id;
  q.service_id = r.service_id;
  q.status = r.status;
  q.number = r.number;
  q.limit = std::clamp(r.limit, 1, 200);
  q.offset = std::max(r.offset, 0);
  if (!r.phone.empty()) {
    auto phone = normalize_phone(r.phone);
    if (!phone) {
      return fail(Error::invalid("invalid_phone", "a Ukrainian number: +380XXXXXXXXX", {{"phone", "not a phone", 0}}));
    }
    q.phone_hash = keys_.lookup_hash(*phone);
  }
  if (actor.principal.role == auth::Role::provider_employee) {
    if (!actor.principal.provider) {
      return fail(Error{ErrorKind::forbidden, "not_your_provider", "your account names no provider", {}});
    }
    if (q.provider_id && *q.provider_id != *actor.principal.provider) {
      return fail(Error{ErrorKind::forbidden, "not_your_provider", "these cases are another provider's", {}});
    }
    q.provider_id = actor.principal.provider;
  }
  const calendar::Date day = today();
  if (r.due == "overdue") {
    q.open_only = true;
    q.due_before = calendar::format_iso_date(day);
  } else if (r.due == "soon") {
    q.open_only = true;
    q.due_from = calendar::format_iso_date(day);
    q.due_through = calendar::format_iso_date(calendar_.add_working_days(day, options_.due_soon_days));
  } else if (!r.due.empty()) {
    return fail(Error::invalid("invalid_field", "due is soon or overdue", {{"due", "soon or overdue", 0}}));
  }
  if (r.worklist) {
    q.open_only = true;
    q.by_deadline = true;
  }
  return read([&](Connection& c) { return store::list(c, q); });
}

Result<CaseRead> CaseService::move(const Actor& actor, std::int64_t center_id, const std::string& case_id,
                                   std::optional<std::int64_t> version, const MoveRequest& request,
                                   const std::string& idempotency_key) {
  const std::string who = actor.principal.actor();
  const std::string key = idempotency_key.empty() ? std::string() : std::string(kKeyPrefix) + idempotency_key;
  const Millis now = clock_();
  const calendar::Date day = today();
  for (const auto* t : {&request.reason, &request.legal_basis}) {
    std::vector<FieldProblem> problems;
    check_text(problems, t == &request.reason ? "reason" : "legal_basis", *t, kMaxText, false);
    if (!problems.empty()) {
      std::string message = problems.front().field + ": " + problems.front().problem;
      return fail(Error::invalid("invalid_field", std::move(message), std::move(problems)));
    }
  }
  auto moved = write([&](Connection& c) -> Result<Case> {
    if (!key.empty() && stored_answer(c, who, key)) {
      auto again = store::load_case(c, case_id);
      if (!again) {
        return fail(not_found());
      }
      return *again;
    }
    auto k = store::load_case(c, case_id);
    if (!k || k->center_id != center_id) {
      return fail(not_found());
    }
    VIKNO_CHECK(may_see(actor.principal, *k));
    Side side = side_of(request.kind);
    const auto& p = actor.principal;
    bool front = p.role == auth::Role::administrator || p.role == auth::Role::center_head;
    if (side == Side::provider && p.role != auth::Role::provider_employee) {
      return fail(Error::forbidden("only the provider's employee makes this move"));
    }
    if (side == Side::front_office && !front) {
      return fail(Error::forbidden("only the center's front office makes this move"));
    }
    if (version && *version != k->version) {
      return fail(Error::conflict("version_conflict", "the case changed since you read it: reload it"));
    }
    const std::int64_t read_version = k->version;
    const std::string before = "status=" + std::string(to_string(k->status));
    VIKNO_CHECK(apply_move(calendar_, *k, request, day));
    CaseMove& m = k->moves.back();
    m.id = seal::new_id(now);
    m.at = now;
    m.actor = who;
    m.actor_name = staff_name(c, p);
    if (!store::update_case(c, *k, read_version, now)) {
      return fail(Error::conflict("version_conflict", "the case changed since you read it: reload it"));
    }
    ++k->version;
    audit::append(c, audit::Entry{now, who, "case." + std::string(to_string(request.kind)), "case", k->id, before,
                                  "status=" + std::string(to_string(k->status)), actor.address, audit_details(*k)});
    if (!key.empty()) {
      store_answer(c, who, key, k->id, now);
    }
    return *k;
  });
  if (!moved) {
    return fail(moved.error());
  }
  CaseRead out;
  out.k = std::move(*moved);
  out.allowed = allowed_moves(actor.principal, out.k);
  return out;
}

Result<Tracking> CaseService::track(const std::string& token) const {
  if (token.empty() || token.size() > 64) {
    return fail(Error::not_found("case_not_found", "no case has this link"));
  }
  auto loaded = read([&](Connection& c) { return store::load_by_token(c, token); });
  if (!loaded) {
    return fail(Error::not_found("case_not_found", "no case has this link"));
  }
  Tracking t;
  t.k = std::move(*loaded);
  if (t.k.status == Status::suspended) {
    for (auto it = t.k.moves.rbegin(); it != t.k.moves.rend(); ++it) {
      if (it->kind == MoveKind::suspend) {
        t.needed_from_applicant = it->reason;
        break;
      }
    }
  }
  if (t.k.status == Status::at_center || t.k.status == Status::unclaimed) {
    if (auto c = registry_.get_center(t.k.center_id)) {
      t.center = *c;
    }
  }
  return t;
}

int CaseService::anonymize(std::optional<Millis> before) {
  constexpr Millis kYear = 365LL * 24 * 3600 * 1000;
  const Millis now = clock_();
  const Millis cutoff = before.value_or(now - options_.retention_years * kYear);
  const std::string empty = keys_.seal(applicant_json(Applicant{}));
  int done = 0;
  constexpr int kBatch = 500;
  for (;;) {
    int n = write([&](Connection& c) {
      auto ids = store::applications_to_anonymize(c, cutoff, kBatch);
      for (const auto& id : ids) {
        store::anonymize_application(c, id, empty, now);
      }
      if (!ids.empty()) {
        audit::append(c,
                      audit::Entry{now, "system", "case.anonymize", "application", ids.front(), "", "", "scheduler",
                                   bj::serialize(bj::object{{"applications", static_cast<std::int64_t>(ids.size())}})});
      }
      return static_cast<int>(ids.size());
    });
    done += n;
    if (n < kBatch) {
      return done;
    }
  }
}

} // namespace vikno::cases
