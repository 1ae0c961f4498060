#!/usr/bin/env bash
# Debian packages the test suite uses: the age tool (bundle interop), poppler (PDF checks),
# gettext, PostgreSQL (the ministry hub), Xvfb and the libraries Qt needs to draw offscreen.
set -euo pipefail
PKGS=(age poppler-utils gettext postgresql xvfb libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0
      libfontconfig1 libdbus-1-3 libxcb-cursor0 fonts-dejavu-core)
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
