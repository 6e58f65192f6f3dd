#!/usr/bin/env bash
# Puts the station's data folder on an encrypted volume (gocryptfs), so a stolen SD card gives
# away nothing of the village's records. See docs/deployment.md "Encrypted data folder" and
# docs/security.md. Run once, as root, on the station (Raspberry Pi OS / Debian 12+):
#
#   sudo bash scripts/setup-encrypted-data.sh --key otp [--write-otp]
#   sudo bash scripts/setup-encrypted-data.sh --key file:/media/hs-key/station.key
#
# --data DIR, --user NAME: another data folder or service user (tests). --lib DIR: where the key
# helper goes (default /usr/local/lib/health-station). --no-systemd: set up the volume and move
# the data in, but write no units and start nothing (tests, image building).
#
# Where the key lives decides what happens at boot:
#   otp        The Pi's one-time-programmable private key (rpi-otp-private-key; Pi 4, 400, CM4,
#              5 with current firmware). Boots unattended and offline. Protects against a stolen
#              SD card, NOT against a stolen whole Pi. --write-otp programs a fresh random key
#              when none is set: irreversible, the OTP can be written only once.
#   file:PATH  A key file on removable media (a USB stick the doctor keeps). Boots unattended
#              only while the stick is in; without it the station does not start, and nothing
#              is written to the unencrypted card.
# A key file on the SD card itself would protect nothing, so it is refused.
set -euo pipefail

DATA=/var/lib/health-station
SVC_USER=health-station
KEY=""
WRITE_OTP=0
CIPHER=auto
LIB=/usr/local/lib/health-station
SYSTEMD=1

while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA="$2"; shift 2 ;;
    --user) SVC_USER="$2"; shift 2 ;;
    --key) KEY="$2"; shift 2 ;;
    --write-otp) WRITE_OTP=1; shift ;;
    --cipher) CIPHER="$2"; shift 2 ;;
    --lib) LIB="$2"; shift 2 ;;
    --no-systemd) SYSTEMD=0; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

die() { echo "setup-encrypted-data: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root"
[ -n "$KEY" ] || die "--key otp or --key file:PATH is required"
DATA="${DATA%/}"
CIPHER_DIR="$DATA.enc"
KEY_HELPER="$LIB/data-key"

if ! command -v gocryptfs >/dev/null || ! command -v fusermount3 >/dev/null; then
  apt-get install -y gocryptfs fuse3
fi
id "$SVC_USER" >/dev/null 2>&1 || die "no user $SVC_USER (create the service user first, docs/deployment.md)"
[ -e "$CIPHER_DIR/gocryptfs.conf" ] && die "$CIPHER_DIR is already set up"

# --- the key helper: prints the 64-hex-digit key on stdout, for gocryptfs -extpass ------------
mkdir -p "$LIB"
case "$KEY" in
  otp)
    command -v rpi-otp-private-key >/dev/null || die "rpi-otp-private-key not found (apt install rpi-eeprom; needs a Pi 4/400/CM4/5)"
    current="$(rpi-otp-private-key)" || die "cannot read the OTP private key on this board"
    if [ -z "$current" ] || [ "$current" = "$(printf '0%.0s' $(seq 64))" ]; then
      [ "$WRITE_OTP" -eq 1 ] || die "this Pi has no OTP private key yet; re-run with --write-otp to program one (irreversible)"
      rpi-otp-private-key -y -w "$(openssl rand -hex 32)"
    fi
    cat >"$KEY_HELPER" <<'EOF'
#!/bin/sh
# Prints this Pi's OTP private key (never stored on the SD card).
exec rpi-otp-private-key
EOF
    ;;
  file:*)
    path="${KEY#file:}"
    case "$(findmnt -n -o SOURCE --target "$(dirname "$path")" 2>/dev/null)" in
      "$(findmnt -n -o SOURCE /)") die "$path is on the system card: a key beside the data protects nothing" ;;
    esac
    if [ ! -s "$path" ]; then
      (umask 077 && openssl rand -hex 32 >"$path")
      echo "made a new key in $path: keep a second copy somewhere safe, away from the station"
    fi
    cat >"$KEY_HELPER" <<EOF
#!/bin/sh
# Prints the data-folder key from removable media; fails (the station stays down) without it.
exec head -c 64 '$path'
EOF
    ;;
  *) die "--key must be otp or file:PATH" ;;
esac
chmod 0700 "$KEY_HELPER"
"$KEY_HELPER" | grep -Eq '^[0-9a-fA-F]{64}$' || die "the key helper does not print a 64-hex-digit key"

# --- the volume ----------------------------------------------------------------------------------
# A Pi 4 has no AES instructions: XChaCha20-Poly1305 is faster there (docs/benchmarks.md).
if [ "$CIPHER" = auto ]; then
  if grep -qwE 'aes' /proc/cpuinfo; then CIPHER=aes; else CIPHER=xchacha; fi
fi
init_flags=(-q)
[ "$CIPHER" = xchacha ] && init_flags+=(-xchacha)
mkdir -m 0700 "$CIPHER_DIR"
echo "Creating the encrypted volume in $CIPHER_DIR ($CIPHER). gocryptfs prints a master key:"
echo "write it down for the county's key escrow (it recovers the data if this Pi or its key is lost);"
echo "never keep it with the station."
gocryptfs -init "${init_flags[@]}" -extpass "$KEY_HELPER" "$CIPHER_DIR"

# --- move existing data in ----------------------------------------------------------------------
if [ -d "$DATA" ] && [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
  [ "$SYSTEMD" -eq 1 ] && { systemctl stop health-station.service 2>/dev/null || true; }
  tmp="$(mktemp -d)"
  gocryptfs -q -extpass "$KEY_HELPER" "$CIPHER_DIR" "$tmp"
  cp -a "$DATA/." "$tmp/"
  before="$(find "$DATA" -type f | wc -l)"
  after="$(find "$tmp" -type f | wc -l)"
  fusermount3 -u "$tmp"
  rmdir "$tmp"
  [ "$before" = "$after" ] || die "copied $after of $before files; the old folder is untouched"
  mv "$DATA" "$DATA.plain-old"
  echo "old clear-text folder kept as $DATA.plain-old: check the station, then delete it."
  echo "Deleted blocks may remain readable on flash: re-image the card if it ever held real data."
fi
mkdir -p "$DATA"
chown "$SVC_USER:$SVC_USER" "$DATA"
chmod 0700 "$DATA"
# While nothing is mounted, the station cannot write clear text into the empty mount point.
chattr +i "$DATA" 2>/dev/null || echo "note: chattr +i not supported here; the unit order still guards $DATA"

if [ "$SYSTEMD" -eq 0 ]; then
  echo "done: volume in $CIPHER_DIR, key helper $KEY_HELPER; no units written (--no-systemd)"
  exit 0
fi

# --- systemd: mount before the station; the station goes down with the mount -----------------
cat >/etc/systemd/system/health-station-data.service <<EOF
[Unit]
Description=Health station encrypted data folder ($DATA)
Before=health-station.service
After=local-fs.target

[Service]
Type=simple
ExecStart=/usr/bin/gocryptfs -fg -q -allow_other -extpass $KEY_HELPER $CIPHER_DIR $DATA
ExecStartPost=/bin/sh -c 'for i in \$(seq 100); do mountpoint -q $DATA && exit 0; sleep 0.1; done; exit 1'
ExecStop=/usr/bin/fusermount3 -u $DATA
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
EOF
mkdir -p /etc/systemd/system/health-station.service.d
cat >/etc/systemd/system/health-station.service.d/encrypted-data.conf <<EOF
[Unit]
Requires=health-station-data.service
After=health-station-data.service
BindsTo=health-station-data.service
EOF
systemctl daemon-reload
systemctl enable --now health-station-data.service
chown "$SVC_USER:$SVC_USER" "$DATA" 2>/dev/null || true
chmod 0700 "$DATA"
systemctl start health-station.service 2>/dev/null || true
echo "done: $DATA is $(findmnt -n -o FSTYPE "$DATA") on $CIPHER_DIR; back up $CIPHER_DIR (encrypted) with the key escrow."
