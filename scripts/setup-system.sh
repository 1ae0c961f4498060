#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages of scripts/system-packages.txt that are missing.
#   scripts/setup-system.sh         all of them (make test, CI): the app's and the test suite's
#   scripts/setup-system.sh --run   only what the desktop app needs to draw its window (make run)
# Installs only what is missing, so a second run is quick and needs no network. Where it cannot
# install (not Debian, or neither root nor sudo) it names what is missing in one sentence and
# goes on: the app then says itself what it lacks.
set -euo pipefail
cd "$(dirname "$0")"
want=all
case "${1:-}" in
  "") ;;
  --run) want=run ;;
  *) echo "usage: $0 [--run]" >&2; exit 2 ;;
esac
PKGS=()
while read -r name who _rest; do
  case "$name" in ''|'#'*) continue ;; esac
  if [ "$want" = all ] || [ "$who" = run ]; then PKGS+=("$name"); fi
done < system-packages.txt
# Debian's python3 makes virtual environments only with python3-venv (ensurepip); a python3
# from elsewhere (pyenv, a CI image) brings its own.
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then PKGS+=(python3-venv); fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "setup-system: not a Debian system; JSD Desk's window needs the X11/xcb libraries of Qt 6" \
       "(xcb-cursor, xcb-icccm, xcb-image, xcb-keysyms, xcb-randr, xcb-render-util, xcb-shape," \
       "xcb-xkb, xkbcommon-x11, EGL/GL, fontconfig, dbus): install them with your package manager." >&2
  exit 0
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
SUDO=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "setup-system: JSD Desk needs these Debian packages, which only root can install:" \
         "sudo apt-get install ${missing[*]}" >&2
    exit 0
  fi
fi
echo "setup-system: installing ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
