#!/usr/bin/env bash
# The README's second Quick start command: installs whatever the tests need on a fresh machine
# and runs the whole suite (typecheck, lint, format, unit, integration, end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh
# npm ci: the committed lockfile is the install, so a lock that npm ci rejects fails CI here.
npm ci --no-audit --no-fund
npm run build
npm run check
mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
node scripts/test-summary.mjs test-results/vitest.json || status=1
exit $status
