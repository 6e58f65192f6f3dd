#!/usr/bin/env bash
# Writes a Mosquitto password file from "user password" lines on stdin (hashed by mosquitto_passwd):
#   printf 'county-archive s3cret\nst-0001 other\n' | scripts/mosquitto-passwd.sh <file>
# Station usernames are station ids (the ACL's %u). Existing entries for the same user are replaced.
set -euo pipefail
file=${1:?usage: scripts/mosquitto-passwd.sh <file>  (reads "user password" lines on stdin)}
command -v mosquitto_passwd >/dev/null || { echo "mosquitto-passwd: mosquitto missing: run scripts/install-test-deps.sh" >&2; exit 1; }
touch "$file"
chmod 600 "$file"
while read -r user pass; do
  [[ -z ${user:-} ]] && continue
  mosquitto_passwd -b "$file" "$user" "$pass"
done
