#!/usr/bin/env bash
# Runs the network-planning reference checks (../shared/data/reference, see its README.md) with
# the `vikno` binary (build/release/src/cli/vikno).
# Exits non-zero on any figure that differs from its expected value.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/../shared/data/reference}"
shift || true

if [[ ! -d "$dir" ]]; then
  echo "reference-check: $dir does not exist; skipping (the reference data is not part of the clone)"
  exit 0
fi

for bin in "$root/build/release/vikno" "$root/build/release/src/cli/vikno"; do
  if [[ -x "$bin" ]]; then
    echo "reference-check: $bin network reference $dir $*"
    exec "$bin" network reference "$dir" "$@"
  fi
done
echo "reference-check: no binary found; build with: cmake --build --preset release --target vikno" >&2
exit 2
