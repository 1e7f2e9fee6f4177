// Exact solutions of the location models through GLPK's branch and cut, for instances small
// enough (a few hundred clients x sites). They confirm the heuristics in the tests and the
// reference checks; the planner uses them when an answer must be proven optimal.
//
// p-center is solved as a sequence of set-covering problems: the optimum is the smallest
// client-site distance r at which k new sites can cover every client within r (binary search over
// the sorted distinct distances), which GLPK proves far faster than the min-max formulation.
#pragma once

#include "common/error.hpp"
#include "network/location.hpp"
#include "network/model.hpp"

namespace vikno::network {

struct ExactOptions {
  double time_limit_s = 120; // per MIP; exceeding it is an `unavailable` error, never a guess
};

Result<Solution> exact_p_median(const LocationProblem& problem, int k, const ExactOptions& options = {});
Result<Solution> exact_mclp(const LocationProblem& problem, int k, double radius, const ExactOptions& options = {});
Result<Solution> exact_p_center(const LocationProblem& problem, int k, const ExactOptions& options = {});
Result<CoverResult> exact_lscp(const LocationProblem& problem, const CoverOptions& cover,
                               const ExactOptions& options = {});

} // namespace vikno::network
