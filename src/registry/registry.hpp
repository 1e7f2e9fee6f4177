// Registry: the use cases of the registry of centers and services (реєстр ЦНАП і послуг). Each
// change is one transaction that checks the record's version, writes, and appends an audit entry;
// input is validated (registry/validation) before anything is written, and references to other
// records are resolved inside the transaction, so bad input leaves nothing behind.
//
// Concurrency: a center is one aggregate (profile, hours, exceptions, windows, offered services)
// versioned by centers.version; providers, groups, services and life situations carry their own
// version; a staff member's skills in a center are versioned by user_centers.skills_version. A
// writer sends the version it read; a stale one gets 409 version_conflict.
//
// Services are versioned by date: an edit inserts a new service version with the date it takes
// effect; a case stores the version id it used (version_on), so later edits never change it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/accounts.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "registry/codec.hpp"
#include "registry/model.hpp"
#include "storage/db.hpp"

namespace vikno::registry {

using auth::Actor;

// The civil date in Kyiv (YYYY-MM-DD) at a UTC instant: EET/EEST with the EU switch rule, which
// Ukraine follows. Kept here rather than pulling a tz database for one zone.
std::string kyiv_date(Millis t);
// The same instant as a civil date, ISO weekday (1 = Monday) and minute of the day in Kyiv.
struct KyivTime {
  std::string date;
  int weekday = 1;
  MinuteOfDay minute = 0;
};
KyivTime kyiv_time(Millis t);
// When a center closes on that day (its last interval, or the day's exception); nullopt when it
// does not open that day.
std::optional<MinuteOfDay> closing_time(const CenterProfile& profile, const KyivTime& local);

// The records matched by an outside code (a service by its identifier, the others by `code`). Each
// kind maps to constant statements in registry.cpp: no table name is ever passed into SQL.
enum class RecordKind { center, provider, service_group, service, life_situation };

struct ServiceVersionInfo {
  std::int64_t id = 0;
  int seq = 0;
  std::string effective_from;
  Millis created_at = 0;
  std::string created_by;
};

class Registry {
public:
  Registry(storage::Db& db, Clock clock);

  // Access points. Creation is for a system admin; the center aggregate is edited by its head.
  Result<Center> create_center(const Actor& actor, const CenterProfile& profile, const CenterRefs& refs);
  Result<Center> update_center(const Actor& actor, std::int64_t id, std::int64_t version, const CenterProfile& profile,
                               const CenterRefs& refs);
  Result<Center> set_windows(const Actor& actor, std::int64_t center_id, std::int64_t version,
                             const std::vector<Window>& windows);
  Result<Center> set_center_services(const Actor& actor, std::int64_t center_id, std::int64_t version,
                                     const std::vector<Ref>& services);
  [[nodiscard]] Result<Center> get_center(std::int64_t id) const;
  [[nodiscard]] std::vector<Center> list_centers() const;
  [[nodiscard]] bool has_centers() const;
  [[nodiscard]] std::optional<std::int64_t> center_by_code(const std::string& code) const;

  Result<Provider> create_provider(const Actor& actor, const ProviderData& data);
  Result<Provider> update_provider(const Actor& actor, std::int64_t id, std::int64_t version, const ProviderData& data);
  [[nodiscard]] Result<Provider> get_provider(std::int64_t id) const;
  [[nodiscard]] std::vector<Provider> list_providers() const;

  Result<ServiceGroup> create_group(const Actor& actor, const GroupData& data);
  Result<ServiceGroup> update_group(const Actor& actor, std::int64_t id, std::int64_t version, const GroupData& data);
  [[nodiscard]] Result<ServiceGroup> get_group(std::int64_t id) const;
  [[nodiscard]] std::vector<ServiceGroup> list_groups() const;

  // effective_from: YYYY-MM-DD; empty means today (Kyiv).
  Result<Service> create_service(const Actor& actor, const std::string& identifier, const std::string& effective_from,
                                 const ServiceCard& card, const CardRefs& refs);
  Result<Service> update_service(const Actor& actor, std::int64_t id, std::int64_t version,
                                 const std::string& effective_from, const ServiceCard& card, const CardRefs& refs);
  // The version in force on `date` (YYYY-MM-DD; empty: today), or the first one when none is yet.
  [[nodiscard]] Result<Service> get_service(std::int64_t id, const std::string& date = {}) const;
  // The most recent version by sequence (what an editor edits).
  [[nodiscard]] Result<Service> latest_service(std::int64_t id) const;
  [[nodiscard]] Result<Service> service_version(std::int64_t version_id) const;
  [[nodiscard]] std::vector<ServiceVersionInfo> service_versions(std::int64_t id) const;
  [[nodiscard]] std::optional<std::int64_t> service_by_identifier(const std::string& identifier) const;
  // Every service with the version in force today (for export).
  [[nodiscard]] std::vector<Service> list_services(const std::string& date = {}) const;

  Result<LifeSituation> create_life_situation(const Actor& actor, const LifeSituationData& data,
                                              const std::vector<Ref>& services);
  Result<LifeSituation> update_life_situation(const Actor& actor, std::int64_t id, std::int64_t version,
                                              const LifeSituationData& data, const std::vector<Ref>* services);
  [[nodiscard]] Result<LifeSituation> get_life_situation(std::int64_t id) const;
  [[nodiscard]] std::vector<LifeSituation> list_life_situations() const;

  [[nodiscard]] std::vector<StaffSkills> staff_skills(std::int64_t center_id) const;
  Result<StaffSkills> set_skills(const Actor& actor, std::int64_t center_id, std::int64_t user_id, std::int64_t version,
                                 const std::vector<SkillRef>& skills);

  // The public catalog search (пошук у каталозі послуг).
  [[nodiscard]] SearchPage search(const SearchQuery& query) const;

  [[nodiscard]] std::string today() const { return kyiv_date(clock_()); }

  // Runs several use cases as one transaction (an import: a file with any error writes nothing).
  // Calls to this Registry from fn, on this thread, join the transaction instead of opening their
  // own; fn's error rolls everything back.
  Result<void> batch(const std::function<Result<void>()>& fn);

  // The id of a record of `kind` by its outside code.
  [[nodiscard]] std::optional<std::int64_t> id_by_code(RecordKind kind, const std::string& code) const;

private:
  template <class F> auto write(F&& fn) const -> std::invoke_result_t<F, storage::Connection&>;
  template <class F> auto read(F&& fn) const -> std::invoke_result_t<F, storage::Connection&>;

  storage::Db& db_;
  Clock clock_;
};

} // namespace vikno::registry
