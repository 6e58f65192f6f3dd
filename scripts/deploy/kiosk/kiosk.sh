#!/bin/sh
# The kiosk browser, started by the desktop user's labwc autostart (install.sh adds the line).
# Raspberry Pi OS's current desktop is Wayland with the labwc compositor.
URL="${HEALTH_STATION_URL:-http://127.0.0.1:8080/}"
HERE=$(dirname "$(readlink -f "$0")")
PROFILE="${XDG_CONFIG_HOME:-$HOME/.config}/health-station-kiosk"

# No screen blanking: the desktop blanks through swayidle, started from the session's autostart.
pkill -x swayidle 2>/dev/null || true
# Sound for the voice prompts: unmute the default output (PipeWire on Raspberry Pi OS 12+).
if command -v wpctl >/dev/null; then
  wpctl set-mute @DEFAULT_AUDIO_SINK@ 0 2>/dev/null || true
  wpctl set-volume @DEFAULT_AUDIO_SINK@ 0.9 2>/dev/null || true
fi

mkdir -p "$PROFILE/Default"
while true; do
  # A power cut leaves Chromium's "restore pages?" bubble: mark the last exit as clean.
  if [ -f "$PROFILE/Default/Preferences" ]; then
    sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"[^"]*"/"exit_type":"Normal"/' \
      "$PROFILE/Default/Preferences"
  fi
  chromium --kiosk --ozone-platform=wayland --user-data-dir="$PROFILE" \
    --noerrdialogs --disable-infobars --disable-session-crashed-bubble --no-first-run \
    --disable-pinch --overscroll-history-navigation=0 --disable-features=TranslateUI,OverscrollHistoryNavigation \
    --autoplay-policy=no-user-gesture-required --password-store=basic \
    --disable-background-networking --disable-component-update --disable-sync \
    --check-for-update-interval=31536000 \
    "file://$HERE/starting.html?url=$URL"
  # Chromium quit or crashed: start it again (the station's own restarts need nothing here,
  # the page reconnects by itself).
  sleep 2
done
