#!/usr/bin/env bash
# Debian packages the test suite uses: the age tool (bundle interop), poppler (PDF checks),
# gettext, PostgreSQL (the ministry hub), Xvfb and the libraries Qt needs to draw offscreen
# (what PySide6's libQt6Core/Gui and the offscreen platform plugin link against).
# Installs only what is missing, so a second run is quick and needs no network.
set -euo pipefail
PKGS=(make age poppler-utils gettext postgresql xvfb
      libglib2.0-0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
      libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 fonts-dejavu-core)
# Debian's python3 makes virtual environments only with python3-venv (ensurepip); a python3
# from elsewhere (pyenv, a CI image) brings its own.
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then PKGS+=(python3-venv); fi

SUDO=()
if [ "$(id -u)" != 0 ]; then SUDO=(sudo); fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-system: installing ${missing[*]}" >&2
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi
