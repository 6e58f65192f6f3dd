#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, on a fresh Debian 12/13 or Raspberry Pi OS:
#   chromium + fonts-noto-cjk  end-to-end UI tests (playwright-core drives Debian's Chromium)
#   socat                      real pseudo-terminals for the serial-device integration tests
#   mosquitto                  the real broker the MQTT integration and fault tests start
#   postgresql                 the real archive database the county-receiver tests start
#   openssl                    throwaway CA and server certificates for the TLS tests
#   python3                    a stand-in for systemd's notify socket in the watchdog test
#   systemd                    systemd-notify, which the station runs to talk to systemd
#   faketime                   libfaketime, to jump the station's clock in the soak test
#   opus-tools + sox           decode and measure the recorded voice clips (tests/voice)
#   espeak-ng                  only to regenerate those clips (npm run voice); the station needs none
#   gocryptfs + fuse3          the encrypted data folder: its test and benchmark
# Idempotent: skips apt entirely when everything is present.
set -euo pipefail

PKGS=(chromium fonts-noto-cjk socat mosquitto mosquitto-clients postgresql openssl python3 systemd faketime opus-tools sox espeak-ng gocryptfs fuse3)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-test-deps: all present (${PKGS[*]})"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-test-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-deps: done"
