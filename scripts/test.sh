#!/usr/bin/env bash
# `npm test`: every test against a fresh state — static checks, unit and integration tests
# (real agents, QSD, SQLite and PostgreSQL), migrations against the schema, then Playwright in
# Debian's Chromium. Prints one closing line with the totals.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test || exit 1

export NEXT_TELEMETRY_DISABLED=1
REPORTS="$(mktemp -d /tmp/tandem-test-reports.XXXXXX)"
status=0
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
# After each phase: report processes its tests left running (and stop them in CI).
leftovers() { bash scripts/leftovers.sh $([ "${CI:-}" = true ] && echo --kill); }

step "type check and lint"
npx tsc --noEmit -p . || status=1
npx eslint . || status=1

step "unit and integration tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest.json" || status=1
leftovers

step "integration suite again on PostgreSQL"
TANDEM_TEST_DATABASE=postgresql npx vitest run server/console server/services server/realtime server/workflows \
  --reporter=default --reporter=json --outputFile.json="$REPORTS/vitest-pg.json" || status=1
leftovers

step "migrations match the schema (SQLite and PostgreSQL)"
node --import tsx scripts/db.ts check || status=1

step "browser tests (Playwright, Chromium)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/playwright.json" npx playwright test --reporter=list,json || status=1
leftovers

node --import tsx scripts/test-summary.ts "$REPORTS" || status=1
rm -rf "$REPORTS"
exit $status
