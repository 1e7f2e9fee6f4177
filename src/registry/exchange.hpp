// Import and export of the registry (обмін даними): centers and the service catalog as one JSON
// document (a "bundle") or as CSV tables, and the catalog as CPSV-AP 3.2.0 JSON-LD.
//
// An import is validated whole before anything is written: every problem is listed with its
// record path and, for CSV, its line; a file with any problem writes nothing. Records are matched
// by their outside identifiers (codes, service identifiers), so importing the same file twice
// changes nothing the second time: a record equal to the stored one is left alone (no new
// version, no audit entry). Export produces the same shapes, so export -> import is a no-op.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>

#include "registry/registry.hpp"

namespace vikno::registry {

enum class CsvTable { services, centers };

struct ImportReport {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
};

// The bundle: {"providers": [...], "groups": [...], "services": [...], "life_situations": [...],
// "centers": [...]}, each section optional; references by code / identifier.
Result<ImportReport> import_json(Registry& registry, const Actor& actor, std::string_view text);
// One CSV table with a header line (see export_csv for the columns), read by common/csv; lists
// inside a cell are separated by " | ".
Result<ImportReport> import_csv(Registry& registry, const Actor& actor, CsvTable table, std::string_view text);
// Imports an already parsed bundle (the demo uses this).
Result<ImportReport> import_bundle(Registry& registry, const Actor& actor, const boost::json::object& bundle);

boost::json::object export_json(const Registry& registry);
std::string export_csv(const Registry& registry, CsvTable table);

// The catalog as CPSV-AP 3.2.0 JSON-LD: PublicService (identifier, title, description,
// hasCompetentAuthority, processingTime, hasCost, hasChannel, hasInput, produces,
// hasLegalResource, isGroupedBy), PublicOrganisation (prefLabel, spatial), Channel, Cost, Event.
// `base` prefixes the @id of every node ("https://cnap.example.ua").
boost::json::object export_cpsv(const Registry& registry, const std::string& base);

} // namespace vikno::registry
