#!/usr/bin/env bash
# Throwaway county CA and broker certificate for tests and the demo. NEVER for a real county:
# the CA key sits unprotected next to the certificates.
#   scripts/certs-dev.sh <dir>   →  <dir>/ca.crt ca.key server.crt server.key
# The server certificate is valid for 127.0.0.1 and localhost (CN and subjectAltName).
set -euo pipefail
dir=${1:?usage: scripts/certs-dev.sh <dir>}
mkdir -p "$dir"
cd "$dir"
command -v openssl >/dev/null || { echo "certs-dev: openssl missing: run scripts/install-test-deps.sh" >&2; exit 1; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/CN=health-station dev county CA" -keyout ca.key -out ca.crt 2>/dev/null

cat > server.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
  -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 \
  -extfile server.ext -out server.crt 2>/dev/null
rm -f server.csr server.ext ca.srl
chmod 600 ca.key server.key
echo "certs-dev: wrote $dir/{ca.crt,ca.key,server.crt,server.key}"
