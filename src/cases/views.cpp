#include "cases/views.hpp"

#include "common/json.hpp"

namespace vikno::cases {

namespace bj = boost::json;

namespace {

constexpr std::size_t kMaxField = 2000;

bj::object term_json(const TermSnapshot& t) {
  return {{"days", t.days},
          {"unit", term_unit_name(t.unit)},
          {"clock_stops_when_suspended", t.clock_stops_when_suspended},
          {"storage_days", t.storage_days}};
}

Result<std::string> text_field(const bj::object& o, std::string_view field, const std::string& path) {
  auto v = json::optional_string(o, field);
  if (!v) {
    return fail(Error::field(path, "must be a string"));
  }
  if (v->value_or("").size() > kMaxField) {
    return fail(Error::field(path, "too long"));
  }
  return v->value_or("");
}

template <class E, class F>
Result<E> enum_field(const bj::object& o, std::string_view field, const std::string& path, F from, E fallback,
                     std::string_view choices) {
  VIKNO_TRY(text, text_field(o, field, path));
  if (text.empty()) {
    return fallback;
  }
  auto v = from(text);
  if (!v) {
    return fail(Error::field(path, "one of " + std::string(choices)));
  }
  return *v;
}

Result<std::optional<std::int64_t>> positive_id(const bj::object& o, std::string_view field, const std::string& path) {
  auto v = json::optional_int(o, field);
  if (!v) {
    return fail(Error::field(path, "must be a whole number"));
  }
  if (*v && **v <= 0) {
    return fail(Error::field(path, "must be a positive id"));
  }
  return *v;
}

Result<bool> flag(const bj::object& o, std::string_view field, const std::string& path, bool fallback) {
  auto v = json::optional_bool(o, field);
  if (!v) {
    return fail(Error::field(path, "must be true or false"));
  }
  return v->value_or(fallback);
}

Result<InventoryLine> parse_line(const bj::value& v, const std::string& at) {
  if (!v.is_object()) {
    return fail(Error::field(at, "must be an object"));
  }
  const auto& o = v.as_object();
  InventoryLine l;
  VIKNO_TRY(name, text_field(o, "name", at + ".name"));
  l.name = std::move(name);
  VIKNO_TRY(from_card, flag(o, "from_card", at + ".from_card", true));
  l.from_card = from_card;
  VIKNO_TRY(form, enum_field(o, "form", at + ".form", document_form_from, DocumentForm::original, "original, copy"));
  l.form = form;
  VIKNO_TRY(medium,
            enum_field(o, "medium", at + ".medium", document_medium_from, DocumentMedium::paper, "paper, electronic"));
  l.medium = medium;
  auto pages = json::optional_int(o, "pages");
  if (!pages) {
    return fail(Error::field(at + ".pages", "must be a whole number"));
  }
  l.pages = static_cast<int>(std::clamp<std::int64_t>(pages->value_or(0), -1, 100000));
  VIKNO_TRY(received, flag(o, "received", at + ".received", true));
  l.received = received;
  VIKNO_TRY(reason, text_field(o, "missing_reason", at + ".missing_reason"));
  l.missing_reason = std::move(reason);
  return l;
}

} // namespace

std::string iso_instant(Millis t) { return format_iso8601(t); }

bj::object case_json(const Case& k, const std::vector<MoveKind>& allowed, const CaseService& service, bool detail) {
  auto due = due_view(service.calendar(), k, service.today(), service.options().due_soon_days);
  bj::array moves_allowed;
  for (auto m : allowed) {
    moves_allowed.emplace_back(to_string(m));
  }
  bj::object o{{"id", k.id},
               {"application_id", k.application_id},
               {"center_id", k.center_id},
               {"number", k.number},
               {"public_token", k.public_token},
               {"tracking_url", service.tracking_url(k)},
               {"service_id", k.service_id},
               {"service_version_id", k.service_version_id},
               {"service_title", k.service_title},
               {"provider_id", k.provider_id},
               {"provider_name", k.provider_name},
               {"status", to_string(k.status)},
               {"status_uk", status_uk(k.status)},
               {"status_en", status_en(k.status)},
               {"current_stage", k.current_stage},
               {"channel", to_string(k.channel)},
               {"ticket_id", k.ticket_id ? bj::value(*k.ticket_id) : bj::value(nullptr)},
               {"registered_on", k.registered_on},
               {"registered_at", iso_instant(k.registered_at)},
               {"hand_over_due", k.hand_over_due},
               {"due_on", k.due_on},
               {"decided_on", k.decided_on},
               {"closed_on", k.closed_on},
               {"pickup_until", k.pickup_until},
               {"due_state", to_string(due.state)},
               {"days_overdue", due.days_overdue},
               {"working_days_left", due.working_days_left},
               {"term", term_json(k.term)},
               {"fee_kopiykas", k.fee_kopiykas},
               {"fee_paid", k.fee_paid},
               {"applicant_initials", k.applicant_initials},
               {"allowed_moves", std::move(moves_allowed)},
               {"version", k.version}};
  if (!detail) {
    return o;
  }
  bj::array lines;
  for (const auto& l : k.inventory) {
    lines.push_back(bj::object{{"position", l.position},
                               {"name", l.name},
                               {"from_card", l.from_card},
                               {"form", to_string(l.form)},
                               {"medium", to_string(l.medium)},
                               {"pages", l.pages},
                               {"received", l.received},
                               {"missing_reason", l.missing_reason}});
  }
  bj::array stages;
  for (const auto& s : k.stages) {
    stages.push_back(bj::object{{"position", s.position},
                                {"name", s.name},
                                {"responsible", s.responsible},
                                {"term", bj::object{{"days", s.term_days}, {"unit", term_unit_name(s.term_unit)}}},
                                {"planned_on", s.planned_on},
                                {"finished_on", s.finished_on}});
  }
  bj::array moves;
  for (const auto& m : k.moves) {
    moves.push_back(bj::object{{"id", m.id},
                               {"kind", to_string(m.kind)},
                               {"kind_uk", move_uk(m.kind)},
                               {"from", to_string(m.from)},
                               {"to", to_string(m.to)},
                               {"at", iso_instant(m.at)},
                               {"on_date", m.on_date},
                               {"actor", m.actor},
                               {"actor_name", m.actor_name},
                               {"reason", m.reason},
                               {"legal_basis", m.legal_basis},
                               {"new_deadline", m.new_deadline},
                               {"detail", m.detail}});
  }
  o["inventory"] = std::move(lines);
  o["stages"] = std::move(stages);
  o["moves"] = std::move(moves);
  o["messages"] = bj::array{};
  return o;
}

bj::object applicant_json_view(const Applicant& a) {
  bj::array consent;
  for (auto c : a.consent) {
    consent.emplace_back(to_string(c));
  }
  return {{"kind", to_string(a.kind)},
          {"name", a.name},
          {"tax_id", a.tax_id},
          {"address", a.address},
          {"phone", a.phone},
          {"email", a.email},
          {"representative_name", a.representative_name},
          {"representative_document", a.representative_document},
          {"consent", std::move(consent)}};
}

bj::object tracking_json(const Tracking& t, const CaseService& service) {
  const Case& k = t.k;
  auto due = due_view(service.calendar(), k, service.today(), service.options().due_soon_days);
  bj::array stages;
  for (const auto& s : k.stages) {
    stages.push_back(bj::object{{"name", s.name}, {"planned_on", s.planned_on}, {"finished_on", s.finished_on}});
  }
  bj::array history;
  for (const auto& m : k.moves) {
    bj::object h{{"kind", to_string(m.kind)}, {"text_uk", move_uk(m.kind)}, {"on_date", m.on_date}};
    if (m.kind == MoveKind::finish_stage) {
      h["stage"] = m.detail;
    }
    if (m.kind == MoveKind::extend) {
      h["new_deadline"] = m.new_deadline;
    }
    history.push_back(std::move(h));
  }
  bj::object o{{"number", k.number},
               {"service_title", k.service_title},
               {"provider_name", k.provider_name},
               {"status", to_string(k.status)},
               {"status_uk", status_uk(k.status)},
               {"status_en", status_en(k.status)},
               {"registered_on", k.registered_on},
               {"due_on", k.due_on},
               {"due_state", to_string(due.state)},
               {"decided_on", k.decided_on},
               {"applicant_initials", k.applicant_initials},
               {"stages", std::move(stages)},
               {"history", std::move(history)},
               {"needed_from_applicant", t.needed_from_applicant},
               {"pickup", nullptr}};
  if (t.center) {
    const auto& p = t.center->profile;
    const auto& moves = k.moves;
    std::string from;
    for (auto it = moves.rbegin(); it != moves.rend(); ++it) {
      if (it->kind == MoveKind::receive_result) {
        from = it->on_date;
        break;
      }
    }
    o["pickup"] = bj::object{{"center_name", p.name_uk},
                             {"address", p.address},
                             {"phone", p.phone},
                             {"from", from},
                             {"until", k.pickup_until}};
  }
  return o;
}

bj::object intake_json(const Intake& intake) {
  bj::array services;
  for (const auto& s : intake.services) {
    const auto& card = s.service.current.card;
    bj::array docs;
    for (const auto& d : card.documents) {
      docs.push_back(bj::object{{"name", d.name}, {"note", d.note}});
    }
    services.push_back(
        bj::object{{"service_id", s.service.id},
                   {"service_version_id", s.service.current.id},
                   {"title_uk", card.title_uk},
                   {"title_en", card.title_en},
                   {"provider_id", card.provider_id},
                   {"provider_name", s.provider_name},
                   {"fee_kopiykas", card.fee_kopiykas},
                   {"term", bj::object{{"days", card.term.days}, {"unit", term_unit_name(card.term.unit)}}},
                   {"due_on", s.due_on},
                   {"documents", std::move(docs)}});
  }
  bj::value situation = nullptr;
  if (intake.life_situation) {
    situation = bj::object{{"id", intake.life_situation->id},
                           {"name_uk", intake.life_situation->data.name_uk},
                           {"name_en", intake.life_situation->data.name_en}};
  }
  return {{"life_situation", situation}, {"services", std::move(services)}};
}

bj::object refusal_grounds_json() {
  bj::array out;
  for (const auto& g : refusal_grounds()) {
    out.push_back(bj::object{{"code", g.code}, {"uk", g.uk}, {"en", g.en}});
  }
  return {{"grounds", std::move(out)}};
}

Result<Registration> parse_registration(const bj::object& body) {
  Registration r;
  VIKNO_TRY(ticket, positive_id(body, "ticket_id", "ticket_id"));
  r.ticket_id = ticket;
  VIKNO_TRY(channel, enum_field(body, "channel", "channel", channel_from, Channel::in_person,
                                "in_person, post, online, mobile_office"));
  r.channel = channel;
  VIKNO_TRY(situation, positive_id(body, "life_situation_id", "life_situation_id"));
  r.life_situation_id = situation;
  const auto* applicant = body.if_contains("applicant");
  if (!applicant || !applicant->is_object()) {
    return fail(Error::field("applicant", "required: who applies"));
  }
  const auto& a = applicant->as_object();
  VIKNO_TRY(kind, enum_field(a, "kind", "applicant.kind", applicant_kind_from, ApplicantKind::person,
                             "person, legal_entity"));
  r.applicant.kind = kind;
  for (auto [field, target] :
       {std::pair{"name", &r.applicant.name}, std::pair{"tax_id", &r.applicant.tax_id},
        std::pair{"address", &r.applicant.address}, std::pair{"phone", &r.applicant.phone},
        std::pair{"email", &r.applicant.email}, std::pair{"representative_name", &r.applicant.representative_name},
        std::pair{"representative_document", &r.applicant.representative_document}}) {
    VIKNO_TRY(v, text_field(a, field, std::string("applicant.") + field));
    *target = std::move(v);
  }
  if (const auto* consent = a.if_contains("consent")) {
    if (!consent->is_array() || consent->as_array().size() > 3) {
      return fail(Error::field("applicant.consent", "a list of email, sms, viber"));
    }
    for (const auto& c : consent->as_array()) {
      auto ch = c.is_string() ? notify_channel_from(std::string(c.as_string())) : std::nullopt;
      if (!ch) {
        return fail(Error::field("applicant.consent", "a list of email, sms, viber"));
      }
      if (std::find(r.applicant.consent.begin(), r.applicant.consent.end(), *ch) == r.applicant.consent.end()) {
        r.applicant.consent.push_back(*ch);
      }
    }
  }
  const auto* services = body.if_contains("services");
  if (!services || !services->is_array() || services->as_array().empty()) {
    return fail(Error::invalid("service_required", "name at least one service", {{"services", "required", 0}}));
  }
  constexpr std::size_t kMaxServices = 20;
  constexpr std::size_t kMaxLines = 200;
  if (services->as_array().size() > kMaxServices) {
    return fail(Error::field("services", "at most 20 services"));
  }
  std::size_t i = 0;
  for (const auto& sv : services->as_array()) {
    const std::string at = "services[" + std::to_string(i++) + "]";
    if (!sv.is_object()) {
      return fail(Error::field(at, "must be an object"));
    }
    const auto& so = sv.as_object();
    ServiceRequest sr;
    VIKNO_TRY(id, positive_id(so, "service_id", at + ".service_id"));
    if (!id) {
      return fail(Error::invalid("unknown_service", "name the service", {{at + ".service_id", "required", 0}}));
    }
    sr.service_id = *id;
    VIKNO_TRY(paid, flag(so, "fee_paid", at + ".fee_paid", false));
    sr.fee_paid = paid;
    if (const auto* inv = so.if_contains("inventory")) {
      if (!inv->is_array() || inv->as_array().size() > kMaxLines) {
        return fail(Error::field(at + ".inventory", "a list of at most 200 lines"));
      }
      std::size_t j = 0;
      for (const auto& line : inv->as_array()) {
        VIKNO_TRY(l, parse_line(line, at + ".inventory[" + std::to_string(j++) + "]"));
        sr.inventory.push_back(std::move(l));
      }
    }
    r.services.push_back(std::move(sr));
  }
  return r;
}

Result<MoveBody> parse_move(const bj::object& body) {
  MoveBody out;
  VIKNO_TRY(move, text_field(body, "move", "move"));
  auto kind = move_kind_from(move);
  if (!kind || *kind == MoveKind::registered) {
    return fail(Error::invalid("unknown_move",
                               "move is one of hand_over, accept, finish_stage, suspend, resume, "
                               "extend, decide_ready, refuse, receive_result, issue, mark_unclaimed, "
                               "return_to_provider, withdraw, return_unreviewed",
                               {{"move", "unknown move", 0}}));
  }
  out.request.kind = *kind;
  VIKNO_TRY(version, positive_id(body, "version", "version"));
  out.version = version;
  VIKNO_TRY(reason, text_field(body, "reason", "reason"));
  VIKNO_TRY(needed, text_field(body, "needed_documents", "needed_documents"));
  out.request.reason = reason.empty() ? needed : reason;
  VIKNO_TRY(basis, text_field(body, "legal_basis", "legal_basis"));
  out.request.legal_basis = std::move(basis);
  VIKNO_TRY(deadline, text_field(body, "new_deadline", "new_deadline"));
  out.request.new_deadline = std::move(deadline);
  VIKNO_TRY(ground, text_field(body, "refusal_ground", "refusal_ground"));
  out.request.refusal_ground = std::move(ground);
  VIKNO_TRY(method, text_field(body, "issue_method", "issue_method"));
  if (!method.empty()) {
    auto m = issue_method_from(method);
    if (!m) {
      return fail(Error::field("issue_method", "one of in_person, post, electronic"));
    }
    out.request.issue_method = m;
  }
  VIKNO_TRY(checked, flag(body, "identity_checked", "identity_checked", false));
  out.request.identity_checked = checked;
  return out;
}

} // namespace vikno::cases
