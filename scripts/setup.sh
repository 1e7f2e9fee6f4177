#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/debian-packages.txt that are missing, and the
# front end's npm packages when web/ has a lockfile. Idempotent: prints what it installs and does
# nothing when everything is present. Uses sudo when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

mapfile -t wanted < <(grep -v '^\s*#' scripts/debian-packages.txt | sed 's/\s.*//' | grep -v '^$')
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [ "$status" != "install ok installed" ]; then
    missing+=("$pkg")
  fi
done

# Node.js from the machine may already be newer than Debian's; keep it when `node` and `npm` run.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for pkg in "${missing[@]}"; do
    case "$pkg" in nodejs | npm) ;; *) filtered+=("$pkg") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

if [ -f web/package-lock.json ]; then
  # Vite 8, Vitest 4 and playwright-core want Node.js 20.19 or newer (Debian bookworm's own nodejs
  # is 18: a machine that has only that needs a newer Node.js first).
  if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
    echo "setup: the web front end needs Node.js 20.19 or newer; this machine has $(node --version)" >&2
    exit 1
  fi
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    echo "setup: installing npm packages for web/ (npm ci)"
    (cd web && npm ci --no-audit --no-fund)
  else
    echo "setup: npm packages present"
  fi
fi
