// libFuzzer target: the registry import (POST /api/v1/registry/import), JSON and CSV. Each input
// goes to import_json and, as CSV, to import_csv for the services and for the centers table,
// against a database that already holds a small registry (so inputs can match, update and refer to
// stored records), and must
//  - never throw (an exception is what the HTTP layer answers with 500) and never fail with an
//    internal error;
//  - on failure name a line (>= 1) in every problem of a CSV file;
//  - on success leave the database so that importing the same input again changes nothing.
// Each input runs inside a batch that is rolled back (an import inside it joins it), so every input
// meets the same database.
//
// Build and run: scripts/fuzz.sh fuzz_registry_import (tests/fuzz/CMakeLists.txt builds it with
// clang-14, ASan+UBSan and coverage on vikno_registry and the common CSV reader).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "auth/accounts.hpp"
#include "registry/exchange.hpp"
#include "registry/registry.hpp"
#include "storage/db.hpp"
#include "storage/migrations.hpp"

namespace {

using namespace vikno;

[[noreturn]] void violated(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

// What an import starts from: a provider, a group, a service, a life situation, a center with a
// window and a remote workplace under it.
constexpr std::string_view kStored = R"({
  "providers": [{"code": "dracs", "name_uk": "Відділ ДРАЦС", "kind": "registrar"}],
  "groups": [{"code": "civil", "name_uk": "Цивільний стан", "ticket_letter": "Ц"}],
  "services": [{"identifier": "birth", "group": "civil", "provider": "dracs", "title_uk": "Реєстрація народження",
                "term": {"days": 1, "unit": "working_days"}, "purposes": ["receive_result"]}],
  "life_situations": [{"code": "child", "name_uk": "Народження дитини", "services": ["birth"]}],
  "centers": [{"code": "c", "name_uk": "ЦНАП", "windows": [{"number": 1}], "services": ["birth"]},
              {"code": "r", "name_uk": "ВРМ", "kind": "remote_workplace", "parent": "c"}]
})";

struct World {
  std::filesystem::path folder;
  std::unique_ptr<storage::Db> db;
  std::unique_ptr<registry::Registry> registry;
  auth::Principal system = auth::Principal::system();
  registry::Actor actor{system, "fuzz"};
};

World& world() {
  static World* w = [] {
    auto* out = new World; // lives for the whole run, like the server's
    char name[] = "/tmp/vikno-fuzz-registry-XXXXXX";
    if (mkdtemp(name) == nullptr) {
      violated("cannot create a temporary folder");
    }
    out->folder = name;
    // synchronous=OFF: a fuzz run's database is thrown away; each input only rolls back anyway.
    out->db = storage::open_sqlite({.path = (out->folder / "fuzz.db").string(), .synchronous = "OFF", .readers = 1});
    storage::migrate(*out->db);
    out->registry = std::make_unique<registry::Registry>(*out->db, [] { return Millis{1773136800000}; });
    if (auto r = registry::import_json(*out->registry, out->actor, kStored); !r) {
      violated("the stored registry does not import:", r.error().message);
    }
    return out;
  }();
  return *w;
}

const Error kRollBack{ErrorKind::invalid_input, "fuzz_roll_back", "undo this input", {}};

// One import of `text`, rolled back afterwards; checks the promises above.
template <class Import> void check(const char* what, bool csv, Import&& import) {
  World& w = world();
  auto outer = w.registry->batch([&]() -> Result<void> {
    Result<registry::ImportReport> first = fail(kRollBack);
    try {
      first = import();
    } catch (const std::exception& e) {
      violated(what, std::string("threw (a 500): ") + e.what());
    }
    if (!first) {
      if (first.error().kind == ErrorKind::internal) {
        violated(what, "failed with an internal error: " + first.error().message);
      }
      if (csv) {
        for (const auto& p : first.error().problems) {
          if (p.line < 1) {
            violated(what, "a problem of a CSV file without its line: " + p.problem);
          }
        }
      }
      return fail(kRollBack);
    }
    Result<registry::ImportReport> second = fail(kRollBack);
    try {
      second = import();
    } catch (const std::exception& e) {
      violated(what, std::string("threw on the second import (a 500): ") + e.what());
    }
    if (!second) {
      violated(what, "imported once, refused the second time: " + second.error().message);
    }
    if (second->created + second->updated != 0) {
      violated(what, "the same input imported twice changed something the second time");
    }
    return fail(kRollBack);
  });
  if (outer || outer.error().code != kRollBack.code) {
    violated(what, "the batch did not roll back");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  World& w = world();
  check("import_json", false, [&] { return registry::import_json(*w.registry, w.actor, text); });
  check("import_csv services", true,
        [&] { return registry::import_csv(*w.registry, w.actor, registry::CsvTable::services, text); });
  check("import_csv centers", true,
        [&] { return registry::import_csv(*w.registry, w.actor, registry::CsvTable::centers, text); });
  return 0;
}
