// QueueService: the electronic queue's use cases over storage. One CenterQueue (the pure engine)
// per center lives in memory behind that center's mutex, so commands of one center run one at a
// time: two administrators pressing "next" at the same instant never get the same ticket.
//
// Each command is one write: the ticket row (the visit record), a visit event, an audit entry and,
// when the request carried an Idempotency-Key, the answer (a retry gets the stored answer instead
// of acting twice). Writes go through the database's group commit (storage/group_commit.hpp):
// the command holds the center's mutex only while it changes the engine and lists its rows; the
// database's writer writes them after, in the order of the commands, and the commit, shared with
// the commands that arrived together (one fsync for all), comes after that; the answer only after
// that commit. New tickets and events get their ids from the process (refill_ids). The engine is a cache of the open
// tickets: it is rebuilt from the database when a center is first used, after a restart, after a failed command and
// after a failed group commit. Live events (calls, queue lengths) go to the LiveHub after the commit, in commit order,
// with the visit event's id, so a display that reconnects resumes from the last id it saw.
//
// One process serves a center's queue (the center's mutex is in memory); several instances on one
// PostgreSQL must route a center to one instance.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alerts.hpp"
#include "auth/accounts.hpp"
#include "common/deferred.hpp"
#include "common/error.hpp"
#include "common/time.hpp"
#include "live/hub.hpp"
#include "queue/engine.hpp"
#include "queue/store.hpp"
#include "registry/registry.hpp"
#include "storage/db.hpp"

namespace vikno::queue {

struct CenterState;
struct Ctx;
class RowIds;

// Who runs a command, where, and the request's Idempotency-Key ("" for none).
struct Command {
  std::int64_t center_id = 0;
  const auth::Actor& actor;
  std::string idempotency_key;
  // The caller sends the answer only once answer.committed settles (the HTTP routes do, with no
  // thread waiting); otherwise the command returns once its rows are committed.
  bool answer_later = false;
};

// A command's answer: what the API returns, kept as text so a retried request gets the same bytes.
struct Answer {
  unsigned status = 200;
  std::string body;
  bool replayed = false; // the stored answer to an earlier request with the same key
  // Settles with the commit of the command's rows (null when it wrote nothing): the answer may be
  // given only then, and if it failed, the failure is the answer.
  std::shared_ptr<Deferred> committed;
};

struct IssueRequest {
  std::int64_t group_id = 0;
  Purpose purpose = Purpose::consultation;
  std::optional<std::int64_t> service_id;
  std::string priority; // one of the center's priority categories, or ""
  Source source = Source::kiosk;
  std::optional<Millis> booked_for;
};

class QueueService {
public:
  QueueService(storage::Db& db, registry::Registry& registry, Clock clock, live::LiveHub& hub,
               std::string public_url = {});
  ~QueueService();
  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  // --- Kiosk and public --------------------------------------------------------------------------
  // What a kiosk offers: the center's groups (with letters), purposes and priority categories.
  Result<boost::json::object> menu(std::int64_t center_id);
  Result<Answer> issue(const Command& cmd, const IssueRequest& request);
  // A ticket's state by its tracking token; 404 ticket_not_found for any unknown token.
  Result<boost::json::object> track(const std::string& token);
  // The citizen withdraws their own waiting ticket.
  Result<Answer> cancel_by_token(const auth::Actor& actor, const std::string& token);
  // Center load (завантаженість): per group, how many wait and the expected wait of a new ticket.
  Result<boost::json::object> load(std::int64_t center_id);
  boost::json::array load_all();

  // --- Administrator at a window -----------------------------------------------------------------
  Result<Answer> sign_in(const Command& cmd, std::int64_t window_id);
  Result<Answer> pause(const Command& cmd, const std::string& reason);
  Result<Answer> resume(const Command& cmd);
  Result<Answer> sign_out(const Command& cmd);
  Result<Answer> next(const Command& cmd);
  Result<Answer> recall(const Command& cmd, std::int64_t ticket_id);
  Result<Answer> start(const Command& cmd, std::int64_t ticket_id);
  Result<Answer> finish(const Command& cmd, std::int64_t ticket_id, Outcome outcome,
                        std::optional<std::int64_t> service_id);
  Result<Answer> no_show(const Command& cmd, std::int64_t ticket_id);
  // A wrong outcome corrected by the administrator who finished the visit, within 5 minutes
  // (CenterQueue::kOutcomeCorrectionMs); the visit record keeps the finish and the correction.
  Result<Answer> correct_outcome(const Command& cmd, std::int64_t ticket_id, Outcome outcome,
                                 std::optional<std::int64_t> service_id);
  Result<Answer> transfer(const Command& cmd, std::int64_t ticket_id, std::int64_t to_group,
                          std::optional<std::int64_t> to_user);
  Result<Answer> cancel(const Command& cmd, std::int64_t ticket_id, const std::string& reason);
  // The administrator's own screen: status, window, current ticket, their groups, today's count.
  Result<boost::json::object> desk(std::int64_t center_id, std::int64_t user_id);

  // --- Head of center ----------------------------------------------------------------------------
  Result<Answer> reassign(const Command& cmd, std::int64_t ticket_id, std::int64_t to_group,
                          std::optional<std::int64_t> to_user);
  // Closes every ticket still waiting or called today (the center has closed); returns the count.
  Result<Answer> close_day(const Command& cmd);
  Result<boost::json::object> state(std::int64_t center_id);
  Result<boost::json::object> visit(std::int64_t center_id, std::int64_t ticket_id);
  Result<boost::json::object> settings(std::int64_t center_id);
  Result<boost::json::object> set_settings(const Command& cmd, const Settings& settings);

  // --- Display board -----------------------------------------------------------------------------
  Result<boost::json::object> display(std::int64_t center_id);
  // The live stream of a center / of one ticket (a fresh state first, then changes).
  Result<std::shared_ptr<live::EventChannel>> subscribe_center(std::int64_t center_id,
                                                               std::optional<std::uint64_t> last_event_id);
  Result<std::shared_ptr<live::EventChannel>> subscribe_ticket(const std::string& token);

  // Where citizens' phones reach the server (set once, before serving).
  void set_public_url(std::string url) { public_url_ = std::move(url); }
  // Whether a center has a kiosk (set once, before serving): the head is warned when its tickets'
  // tracking links point at a loopback address no phone can open.
  void set_kiosk_lookup(std::function<bool(std::int64_t)> lookup) { has_kiosk_ = std::move(lookup); }
  // The board the head's state shows the center's open alerts from, and kiosk floods are raised
  // on (set once, before serving; without one the state lists none).
  void set_alerts(alerts::Board& board) { alerts_ = &board; }
  // A kiosk (device `device`) issued beyond its limit and was refused: raises kiosk_rate_limited
  // for its center's head, logged (warn) when the alert is new.
  void kiosk_limited(const auth::Principal& device, std::int64_t center_id);
  // The tracking links of this center's tickets cannot be opened from a phone.
  bool tracking_unreachable(std::int64_t center_id) const;
  // The end of the day by the clock: in every center whose opening hours today ended more than
  // kClosingGrace ago, today's tickets still waiting or called are closed (reason center_closed)
  // and counted, as by the head's close-day. The server runs it every minute; returns how many.
  int close_after_hours();
  static constexpr Millis kClosingGraceMs = 10LL * 60 * 1000;

  // Loads every center's queue now (at start), so the first command does not pay for it.
  void warm_up();

private:
  using CommandBody = std::function<Result<Answer>(Ctx&)>;

  CenterState& center(std::int64_t center_id);
  Result<std::uint64_t> refresh(CenterState& s, std::int64_t center_id, Millis now, storage::WriteIntent& intent);
  void reload(CenterState& s, std::int64_t center_id, storage::Connection& c, Millis now);
  Result<void> ready(CenterState& s, std::int64_t center_id, std::unique_lock<std::mutex>& lock);
  void roll_day(Ctx& ctx);
  // The command pipeline (service.cpp): `body` changes the engine and lists the rows.
  Result<Answer> command(const Command& cmd, const CommandBody& body);
  // The answer as the caller wants it: now, to send once committed; or once committed.
  static Result<Answer> when_committed(const Command& cmd, Answer answer);
  template <class Step, class Details>
  Result<Answer> ticket_step(const Command& cmd, std::int64_t ticket_id, const std::string& type, Step step,
                             Details details);
  template <class Step>
  Result<Answer> administrator_step(const Command& cmd, const std::string& type, boost::json::object details,
                                    Step step);
  // What the command changed, as live events, sent after its commit (publications.cpp).
  void prepare_publications(Ctx& ctx);
  std::string tracking_url(const std::string& token) const;

  storage::Db& db_;
  registry::Registry& registry_;
  Clock clock_;
  live::LiveHub& hub_;
  std::string public_url_;
  std::function<bool(std::int64_t)> has_kiosk_;
  alerts::Board* alerts_ = nullptr;
  std::mutex centers_mutex_;
  std::map<std::int64_t, std::unique_ptr<CenterState>> centers_;
  std::unique_ptr<RowIds> ids_;
  std::mutex tokens_mutex_;
  std::map<std::string, std::int64_t, std::less<>> token_centers_; // open tickets: token -> center
};

} // namespace vikno::queue
