#!/usr/bin/env bash
# The one entry point behind `npm start`, `npm test` and `npm run bench` (and the pnpm
# equivalents). On a fresh Debian machine with Node 20 it installs what it needs first:
# pnpm, the workspace's packages and, for tests, the system programs the suites run for
# real (PostgreSQL, nginx, Chromium, OpenSSL). Every step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-setup}"

ensure_pnpm() {
  if ! command -v pnpm >/dev/null 2>&1; then
    echo "[ecp] installing pnpm (npm install -g pnpm@10)" >&2
    npm install -g pnpm@10 >&2
  fi
}

ensure_node_modules() {
  # pnpm is fast when nothing changed; --frozen-lockfile keeps CI on the committed lock.
  pnpm install --frozen-lockfile --reporter=silent >&2
}

ensure_system_programs() {
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "[ecp] installing system packages: ${missing[*]}" >&2
    if [ "$(id -u)" -ne 0 ]; then
      echo "[ecp] need root (or sudo) to apt-get install ${missing[*]}" >&2
      exit 1
    fi
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

case "$mode" in
  setup) ensure_pnpm; ensure_node_modules ;;
  start) ensure_pnpm; ensure_node_modules; exec pnpm --filter @ecp/example-app start ;;
  test)  ensure_system_programs; ensure_pnpm; ensure_node_modules; exec node scripts/run-tests.mjs "${@:2}" ;;
  bench) ensure_system_programs; ensure_pnpm; ensure_node_modules; exec node --conditions=source --import tsx scripts/bench.ts "${@:2}" ;;
  *) echo "usage: scripts/bootstrap.sh [setup|start|test|bench]" >&2; exit 2 ;;
esac
