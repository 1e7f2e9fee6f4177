// The reference checks: public instances with known answers (../shared/data/reference/README.md)
// solved by Vikno's models, each figure next to its expected value. CI runs them through
// `vikno network reference DIR` (scripts/reference-check.sh); a user's clone may not have the data,
// so the unit tests never depend on them.
#pragma once

#include "common/error.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vikno::network {

struct ReferenceFigure {
  std::string name;     // "SF MCLP p=4 covered population"
  std::string got;      // as printed
  std::string expected; // as the README gives it
  std::string method;   // which method produced the figure, and whether GLPK confirmed it
  bool ok = false;
};

struct ReferenceOptions {
  bool exact = true; // confirm with GLPK where the instance is small enough
  int restarts = 32; // extra local searches from random sets (p-center needs 16+ on SF p=4)
  std::uint64_t seed = 20210714;
};

// Reads the instances in `dir` and returns every figure; an Error only when a file is missing or bad.
Result<std::vector<ReferenceFigure>> run_reference_checks(const std::filesystem::path& dir,
                                                          const ReferenceOptions& options = {});

} // namespace vikno::network
