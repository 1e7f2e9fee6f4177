// CaseService: the use cases of applications and cases (звернення, справи). Each write is one
// transaction holding the case rows, the move, the audit entry (and the applicant's notification
// in the outbox, notify/), so nothing is half-written. cases/rules decides; this file checks who
// may act, persists and reads back.
//
// Who: the front office (administrators and the head of the center) registers, hands over,
// receives results back and issues them; a provider employee acts only on her provider's cases
// (403 not_your_provider otherwise). Every staff read of the applicant's personal data appends an
// audit entry ("case.read_personal"). Personal data is sealed (seal::Keyring) before it is
// written; the phone is findable by its keyed hash only.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"
#include "calendar/calendar.hpp"
#include "cases/discipline_store.hpp"
#include "cases/model.hpp"
#include "cases/rules.hpp"
#include "cases/store.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "registry/registry.hpp"
#include "seal/seal.hpp"
#include "storage/db.hpp"

namespace vikno::cases {

using auth::Actor;

struct CaseOptions {
  int due_soon_days = 2;   // cases.due_soon_working_days
  int retention_years = 5; // cases.retention_years: personal data kept, then anonymized
  std::string public_url;  // the base of the tracking link printed on the receipt
};

// What the front office fills in for one service of an application.
struct ServiceRequest {
  std::int64_t service_id = 0;
  bool fee_paid = false;
  std::vector<InventoryLine> inventory;
};

struct Registration {
  std::optional<std::int64_t> ticket_id;
  Channel channel = Channel::in_person;
  std::optional<std::int64_t> life_situation_id;
  Applicant applicant;
  std::vector<ServiceRequest> services;
};

struct Registered {
  std::string application_id;
  std::vector<Case> cases;
  bool replayed = false; // the same Idempotency-Key came again: the first answer
};

// What a registration form starts from: the card in force today for each service.
struct IntakeService {
  registry::Service service;
  std::string provider_name;
  std::string due_on; // if registered today
};
struct Intake {
  std::optional<registry::LifeSituation> life_situation;
  std::vector<IntakeService> services;
};

// A case as a member of staff sees it: with what she may do now, and the applicant when asked.
struct CaseRead {
  Case k;
  std::vector<MoveKind> allowed;
  std::optional<Applicant> applicant;
};

// What the applicant sees on /c/{token}.
struct Tracking {
  Case k;
  std::string needed_from_applicant;
  std::optional<registry::Center> center; // where to collect, once the result is at the center
};

// The printed forms (cases/forms.hpp).
enum class Form { application, receipt, cover_letter };

struct ListRequest {
  std::optional<std::int64_t> provider_id;
  std::optional<std::int64_t> service_id;
  std::optional<Status> status;
  std::string number;
  std::string phone;     // typed by staff; compared by its keyed hash
  std::string due;       // "", "soon", "overdue"
  bool worklist = false; // a provider employee's open cases by deadline
  int limit = 50;
  int offset = 0;
};

class CaseService {
public:
  CaseService(storage::Db& db, registry::Registry& registry, const seal::Keyring& keys, Clock clock,
              CaseOptions options);

  [[nodiscard]] const calendar::Calendar& calendar() const { return calendar_; }
  [[nodiscard]] const CaseOptions& options() const { return options_; }
  // Before serving: the address the printed tracking links point at (app, once the port is known).
  void set_public_url(std::string url) { options_.public_url = std::move(url); }
  [[nodiscard]] calendar::Date today() const;
  // The applicant's page of a case, as printed on the receipt: <public_url>/c/<token>.
  [[nodiscard]] std::string tracking_url(const Case& k) const;

  Result<Intake> intake(std::int64_t center_id, std::optional<std::int64_t> service_id,
                        std::optional<std::int64_t> life_situation_id) const;
  Result<Registered> register_application(const Actor& actor, std::int64_t center_id, const Registration& r,
                                          const std::string& idempotency_key);
  // One case; with_applicant opens the sealed personal data and audits that read.
  Result<CaseRead> read(const Actor& actor, std::int64_t center_id, const std::string& case_id, bool with_applicant);
  Result<store::Page> list(const Actor& actor, std::int64_t center_id, const ListRequest& r) const;
  Result<CaseRead> move(const Actor& actor, std::int64_t center_id, const std::string& case_id,
                        std::optional<std::int64_t> version, const MoveRequest& request,
                        const std::string& idempotency_key);
  // A printed form as PDF bytes. The application and the receipt hold the applicant's personal
  // data: printing them is an audited read like `read`.
  Result<std::string> print(const Actor& actor, std::int64_t center_id, const std::string& case_id, Form form);
  // The public page: 404 case_not_found for an unknown token.
  Result<Tracking> track(const std::string& token) const;
  // Personal data of applications registered more than retention_years ago is replaced by an
  // empty record; the cases and their dates stay for the reports. Returns how many.
  int anonymize(std::optional<Millis> before = std::nullopt);

  // The moves `principal` may make on `k` now (the page's buttons).
  [[nodiscard]] std::vector<MoveKind> allowed_moves(const auth::Principal& principal, const Case& k) const;

  // The executive discipline report of `centers` (counts only, no personal data), and the cases
  // behind one of its counts.
  [[nodiscard]] discipline::Report discipline_report(const std::vector<std::int64_t>& centers,
                                                     const discipline::Options& options) const;
  [[nodiscard]] std::vector<discipline::CaseRef>
  discipline_cases(const std::vector<std::int64_t>& centers, const discipline::Options& options,
                   std::int64_t provider_id, std::optional<std::int64_t> service_id, discipline::Kind kind) const;

  // Every center's id (a system admin's regional report).
  [[nodiscard]] std::vector<std::int64_t> all_centers() const;

  // Runs several use cases as one transaction (the demo's hundreds of cases in one commit): calls
  // to this CaseService from fn, on this thread, join it; fn's error rolls everything back.
  Result<void> batch(const std::function<Result<void>()>& fn);

private:
  template <class F> auto read(F&& fn) const -> std::invoke_result_t<F, storage::Connection&>;
  template <class F> auto write(F&& fn) const -> std::invoke_result_t<F, storage::Connection&>;
  Result<void> may_see(const auth::Principal& p, const Case& k) const;

  storage::Db& db_;
  registry::Registry& registry_;
  const seal::Keyring& keys_;
  Clock clock_;
  CaseOptions options_;
  calendar::Calendar calendar_;
};

} // namespace vikno::cases
