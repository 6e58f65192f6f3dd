#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL for the archive tests (see scripts/pg-test-server.ts).
#   eval "$(scripts/postgres-test.sh start)"   # sets PGURL and PGDIR
#   scripts/postgres-test.sh stop "$PGDIR"
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  start) exec npx tsx scripts/pg-test-server.ts start ;;
  stop) exec npx tsx scripts/pg-test-server.ts stop "${2:?usage: postgres-test.sh stop <PGDIR>}" ;;
  *) echo "usage: $0 start | stop <PGDIR>" >&2; exit 2 ;;
esac
