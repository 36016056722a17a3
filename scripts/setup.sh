#!/usr/bin/env bash
# Brings a machine to the point where Tandem can start or be tested: Debian packages, npm
# dependencies, generated Prisma clients and (unless --no-build) a production build of the UI.
# Each step is skipped when already done, so repeated runs take a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-up}"   # up | test

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# --- Debian packages --------------------------------------------------------------------------
need=()
command -v qemu-storage-daemon >/dev/null || need+=(qemu-system-common)
command -v qemu-img >/dev/null || need+=(qemu-utils)
command -v nbdinfo >/dev/null || need+=(libnbd-bin)
command -v qemu-io >/dev/null || need+=(qemu-utils)
# The agent aborts dead replication connections with `ss`; the partition tests use `ip`.
command -v ss >/dev/null && command -v ip >/dev/null || need+=(iproute2)
if [ "$MODE" = test ]; then
  command -v chromium >/dev/null || need+=(chromium)
  dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Tandem needs these Debian packages: ${need[*]}" >&2
    echo "Install them as root: apt-get update && apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  log "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- npm dependencies -------------------------------------------------------------------------
lock_hash="$(sha256sum package-lock.json | cut -c1-64)"
if [ ! -f node_modules/.tandem-lock-hash ] || [ "$(cat node_modules/.tandem-lock-hash)" != "$lock_hash" ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.tandem-lock-hash
fi

# --- Prisma clients ---------------------------------------------------------------------------
node --import tsx scripts/db.ts generate

# --- UI build ---------------------------------------------------------------------------------
if [ "${2:-}" != "--no-build" ]; then
  src_hash="$( (find app components lib server packages -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' \) -print0 | sort -z | xargs -0 sha256sum; sha256sum next.config.ts postcss.config.mjs package-lock.json tsconfig.json) | sha256sum | cut -c1-64)"
  if [ ! -f .next/BUILD_ID ] || [ ! -f .next/.tandem-src-hash ] || [ "$(cat .next/.tandem-src-hash)" != "$src_hash" ]; then
    log "building the console UI (next build)"
    NEXT_TELEMETRY_DISABLED=1 npx next build >/tmp/tandem-next-build.$$.log 2>&1 || { cat /tmp/tandem-next-build.$$.log >&2; rm -f /tmp/tandem-next-build.$$.log; exit 1; }
    rm -f /tmp/tandem-next-build.$$.log
    echo "$src_hash" > .next/.tandem-src-hash
  fi
fi
