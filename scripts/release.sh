#!/usr/bin/env bash
# npm run release: a self-contained station release for Raspberry Pi OS (linux-arm64).
#   release/health-station-<version>/            compiled code, the built UI, production
#                                                 dependencies only, deploy files, install.sh
#   release/health-station-<version>-linux-arm64.tar.gz
# The Pi runs none of the development toolchain (TypeScript, Vite, vitest, Playwright).
#   --arch arm64|x64   target CPU for optional platform packages (default arm64; tests use x64
#                      to run the release on this machine)
#   --out DIR          where to put the release (default release/)
#   --no-build         package the existing dist/ and ui/dist/ (the test suite has just built them)
set -euo pipefail
cd "$(dirname "$0")/.."

ARCH=arm64
DEST=release
BUILD=1
while (($#)); do
  case "$1" in
    --arch) ARCH="$2"; shift 2 ;;
    --out) DEST="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "release: unknown option $1" >&2; exit 2 ;;
  esac
done

VERSION=$(node -p 'require("./package.json").version')
NAME="health-station-${VERSION}"
OUT="${DEST}/${NAME}"
TARBALL="${DEST}/${NAME}-linux-${ARCH}.tar.gz"

if ((BUILD)); then npm run build >/dev/null; fi
[[ -f dist/station/main.js && -f ui/dist/index.html ]] || { echo "release: nothing built; run npm run build" >&2; exit 1; }
rm -rf "$OUT" "$TARBALL"
mkdir -p "$OUT"

# What the station reads at run time: compiled code, the UI, the demo roster, the sample policy pack.
cp -r dist bin package.json package-lock.json README.md "$OUT/"
mkdir -p "$OUT/ui" "$OUT/station/data" "$OUT/station/assessment" "$OUT/docs"
cp -r ui/dist "$OUT/ui/dist"
cp station/data/demo-roster.json "$OUT/station/data/"
cp -r station/assessment/policy "$OUT/station/assessment/policy"
cp docs/deployment.md "$OUT/docs/"
cp -r docs/schemas "$OUT/docs/schemas" # the embedded archive validates messages against them
cp -r scripts/deploy "$OUT/deploy"
cp scripts/deploy/install.sh "$OUT/install.sh"
git rev-parse HEAD >"$OUT/COMMIT" 2>/dev/null || echo unknown >"$OUT/COMMIT"

# The committed lockfile is the install: npm ci fails rather than drift. Install scripts stay
# blocked (npm 11's default); check-native.mjs proves nothing needs them on the target.
(cd "$OUT" && npm ci --omit=dev --no-audit --no-fund --os=linux --cpu="$ARCH" --loglevel=error)
node scripts/check-native.mjs "$OUT/node_modules" "linux-${ARCH}" | tee "$OUT/NATIVE-CHECK.txt"

tar -C "$DEST" -czf "$TARBALL" "$NAME"
echo "release: $TARBALL ($(du -sh "$TARBALL" | cut -f1))"
