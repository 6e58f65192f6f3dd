#!/usr/bin/env bash
# Installs (or upgrades) this station release on Raspberry Pi OS (Debian 12/13, arm64).
#
#   sudo ./install.sh --config station.json [--kiosk-user pi]
#
# --config FILE      the county's settings for this station (required on the first install;
#                    an upgrade keeps /etc/health-station/station.json). Checked before anything
#                    is changed: an invalid file stops the install with every error listed.
# --kiosk-user USER  the desktop user whose labwc session starts the kiosk browser
# --root DIR         install into DIR instead of / (tests and image building): no apt, no
#                    systemctl, and users only where DIR/etc/passwd exists
# --no-apt           do not install Debian packages
# --no-systemd       write the unit but do not reload, enable or start anything
#
# Safe to run again: every step checks what is there first, and the release switch is one
# atomic symlink rename. An upgrade whose service does not come up rolls back to the previous
# release.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=""
CONFIG=""
KIOSK_USER=""
APT=1
SYSTEMD=1
while (($#)); do
  case "$1" in
    --config) CONFIG="$2"; shift 2 ;;
    --kiosk-user) KIOSK_USER="$2"; shift 2 ;;
    --root) ROOT=$(realpath -m "$2"); APT=0; SYSTEMD=0; shift 2 ;;
    --no-apt) APT=0; shift ;;
    --no-systemd) SYSTEMD=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "install: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "install: $*"; }
die() { echo "install: $*" >&2; exit "${2:-1}"; }

[[ -n "$ROOT" || $(id -u) -eq 0 ]] || die "run as root (sudo ./install.sh …)"
USER_NAME=health-station
OPT="$ROOT/opt/health-station"
DATA="$ROOT/var/lib/health-station"
ETC="$ROOT/etc/health-station"
SYSTEM_CONFIG="$ETC/station.json"

# 1. Debian packages: Node.js for the station; Chromium and CJK fonts for the kiosk screen.
if ((APT)); then
  pkgs=(nodejs chromium fonts-noto-cjk systemd udev)
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
command -v node >/dev/null || die "node is not installed (apt install nodejs)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node.js $(node -v) is too old: the station needs 20.19 or newer"

VERSION=$(node -p 'require(process.argv[1]).version' "$HERE/package.json")
CLI="$HERE/dist/station/cli/main.js"

# 2. The county's settings, checked with this release's own schema before anything changes.
if [[ -n "$CONFIG" ]]; then
  [[ -f "$CONFIG" ]] || die "config file $CONFIG not found"
  node "$CLI" config check --config "$CONFIG" || die "the config is not valid: nothing was changed" 78
  DATA_DIR=$(node --input-type=module -e '
    const { loadConfig, resolvePath } = await import(process.argv[1]);
    const l = loadConfig(process.argv[2]);
    console.log(resolvePath(l.baseDir, l.config.dataDir));' "$HERE/dist/station/config/load.js" "$CONFIG")
  [[ "$DATA_DIR" == /var/lib/health-station || "$DATA_DIR" == /var/lib/health-station/* ]] ||
    die "dataDir must be /var/lib/health-station (the service may write only there); it is $DATA_DIR" 78
elif [[ ! -f "$SYSTEM_CONFIG" ]]; then
  die "first install: give the county's settings with --config FILE" 2
fi

# 3. The service user, in the groups that reach the devices (those that exist on this system).
if [[ -z "$ROOT" || -f "$ROOT/etc/passwd" ]]; then
  R=(); [[ -n "$ROOT" ]] && R=(--root "$ROOT")
  if ! grep -q "^${USER_NAME}:" "$ROOT/etc/passwd"; then
    useradd "${R[@]}" --system --user-group --home-dir /var/lib/health-station --no-create-home \
      --shell /usr/sbin/nologin "$USER_NAME"
    say "made the service user $USER_NAME"
  fi
  for g in dialout gpio bluetooth; do
    line=$(grep "^${g}:" "$ROOT/etc/group" || true)
    if [[ -n "$line" ]] && ! [[ ",${line##*:}," == *",$USER_NAME,"* ]]; then
      usermod "${R[@]}" -aG "$g" "$USER_NAME"
    fi
  done
  # Numeric ids from the target's own files: with --root the host's names mean nothing.
  SUID=$(grep "^${USER_NAME}:" "$ROOT/etc/passwd" | cut -d: -f3)
  SGID=$(grep "^${USER_NAME}:" "$ROOT/etc/group" | cut -d: -f3)
  OWNER="$SUID:$SGID"
  ETC_OWNER="0:$SGID"
else
  say "no $ROOT/etc/passwd: files stay owned by $(id -un)"
  OWNER=""
  ETC_OWNER=""
fi
own() { [[ -n "$1" ]] && chown "$1" "${@:2}" || true; }

# 4. Folders: personal data is the service's alone.
install -d -m 0755 "$OPT" "$OPT/releases"
install -d -m 0700 "$DATA"
own "$OWNER" "$DATA"
install -d -m 0750 "$ETC"
own "$ETC_OWNER" "$ETC"
if [[ -n "$CONFIG" ]] && ! cmp -s "$CONFIG" "$SYSTEM_CONFIG"; then
  install -m 0640 "$CONFIG" "$SYSTEM_CONFIG.tmp"
  own "$ETC_OWNER" "$SYSTEM_CONFIG.tmp"
  mv -f "$SYSTEM_CONFIG.tmp" "$SYSTEM_CONFIG"
  say "settings written to /etc/health-station/station.json"
fi

# 5. The release itself, copied whole, then switched to with one atomic rename.
REL="$OPT/releases/$VERSION"
if [[ "$(realpath "$HERE")" != "$(realpath -m "$REL")" ]]; then
  if [[ ! -f "$REL/COMMIT" ]] || ! cmp -s "$HERE/COMMIT" "$REL/COMMIT"; then
    rm -rf "$REL.tmp"
    cp -a "$HERE" "$REL.tmp"
    rm -rf "$REL"
    mv "$REL.tmp" "$REL"
    say "release $VERSION copied to /opt/health-station/releases/$VERSION"
  fi
fi
PREVIOUS=$(readlink "$OPT/current" 2>/dev/null || true)
if [[ "$PREVIOUS" != "releases/$VERSION" ]]; then
  ln -sfn "releases/$VERSION" "$OPT/current.tmp"
  mv -T "$OPT/current.tmp" "$OPT/current"
  say "current release: $VERSION${PREVIOUS:+ (was ${PREVIOUS#releases/})}"
fi

# 6. systemd unit, journald limits, udev rules.
put() { # put SRC DEST MODE: replace DEST only when it differs
  install -d "$(dirname "$2")"
  if ! cmp -s "$1" "$2"; then
    install -m "$3" "$1" "$2.tmp" && mv -f "$2.tmp" "$2"
    CHANGED=1
  fi
}
CHANGED=0
put "$HERE/deploy/systemd/health-station.service" "$ROOT/etc/systemd/system/health-station.service" 0644

CHANGED=0
put "$HERE/deploy/systemd/journald-health-station.conf" "$ROOT/etc/systemd/journald.conf.d/health-station.conf" 0644
JOURNAL_CHANGED=$CHANGED
RULES=$(mktemp)
node "$CLI" udev-rules --config "$SYSTEM_CONFIG" >"$RULES"
CHANGED=0
put "$RULES" "$ROOT/etc/udev/rules.d/70-health-station.rules" 0644
UDEV_CHANGED=$CHANGED
rm -f "$RULES"

# 7. Kiosk: labwc autostart for the desktop user, with an invisible pointer (touch only).
if [[ -n "$KIOSK_USER" ]]; then
  if [[ -n "$ROOT" ]]; then KHOME="$ROOT/home/$KIOSK_USER"; else KHOME=$(getent passwd "$KIOSK_USER" | cut -d: -f6); fi
  [[ -n "$KHOME" && -d "$KHOME" ]] || die "kiosk user $KIOSK_USER has no home folder"
  block() { # block FILE TEXT: keep exactly one marked block with TEXT in FILE
    install -d "$(dirname "$1")"
    touch "$1"
    local tmp
    tmp=$(mktemp)
    sed '/^# >>> health-station >>>$/,/^# <<< health-station <<<$/d' "$1" >"$tmp"
    printf '# >>> health-station >>>\n%s\n# <<< health-station <<<\n' "$2" >>"$tmp"
    cmp -s "$tmp" "$1" || cat "$tmp" >"$1"
    rm -f "$tmp"
  }
  block "$KHOME/.config/labwc/autostart" "/opt/health-station/current/deploy/kiosk/kiosk.sh &"
  block "$KHOME/.config/labwc/environment" "XCURSOR_THEME=health-station-invisible"
  install -d "$KHOME/.local/share/icons"
  rm -rf "$KHOME/.local/share/icons/health-station-invisible"
  cp -a "$HERE/deploy/kiosk/cursor-theme" "$KHOME/.local/share/icons/health-station-invisible"
  if [[ -z "$ROOT" ]]; then
    chown -R "$KIOSK_USER:" "$KHOME/.config/labwc" "$KHOME/.local/share/icons/health-station-invisible"
  fi
fi

# 8. Start it, and roll back if the new release does not come up.
if ((SYSTEMD)); then
  systemctl daemon-reload
  ((JOURNAL_CHANGED)) && systemctl restart systemd-journald
  if ((UDEV_CHANGED)); then udevadm control --reload && udevadm trigger --subsystem-match=tty || true; fi
  systemctl enable health-station >/dev/null
  systemctl restart health-station
  ok=0
  for _ in $(seq 60); do
    if systemctl is-active --quiet health-station; then ok=1; break; fi
    sleep 1
  done
  if ((!ok)); then
    if [[ -n "$PREVIOUS" && "$PREVIOUS" != "releases/$VERSION" ]]; then
      ln -sfn "$PREVIOUS" "$OPT/current.tmp" && mv -T "$OPT/current.tmp" "$OPT/current"
      systemctl restart health-station || true
      die "release $VERSION did not start; rolled back to ${PREVIOUS#releases/} (journalctl -u health-station)"
    fi
    die "the station did not start (journalctl -u health-station)"
  fi
  say "health-station is running"
fi
say "done: release $VERSION"
