#!/usr/bin/env bash
# Builds the Linux one-folder app (build/pkg/dist/jsd-desk/) with PyInstaller and smoke-runs it.
#
#   packaging/build-linux.sh            build, then smoke-test the bundle
#   packaging/build-linux.sh --no-smoke build only
#   packaging/build-linux.sh --deb      build, smoke-test, then make the .deb (packaging/build-deb.sh)
#
# Steps: the project's wheel is built and installed (no dependencies) into a staging folder, so
# the bundle carries exactly the wheel's files (migrations, compiled catalogs, resources) and its
# metadata; PyInstaller then freezes it with the dependencies of the venv. The smoke test runs the
# frozen `jsd-desk` itself: --version, a fresh data folder (init, demo, minutes, card, bundle
# export) and `self-test` (the main window offscreen with every page, minutes, a bundle exported
# and imported), then checks that the Qt plugins, Qt's French translation and the catalogs are in.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PY:-$REPO/.venv/bin/python}
OUT=${JSD_PKG_OUT:-$REPO/build/pkg}
smoke=1 deb=0
for arg in "$@"; do
  case $arg in
    --no-smoke) smoke=0 ;;
    --deb) deb=1 ;;
    *) echo "usage: $0 [--no-smoke] [--deb]" >&2; exit 2 ;;
  esac
done

rm -rf "$OUT/wheel" "$OUT/stage" "$OUT/src"
mkdir -p "$OUT/wheel"
# The wheel from a copy of the sources: the working tree gets no build products.
mkdir -p "$OUT/src"
for name in pyproject.toml setup.py README.md src migrations locales resources; do
  cp -r "$REPO/$name" "$OUT/src/"
done
find "$OUT/src" \( -name __pycache__ -o -name '*.egg-info' -o -name '*.mo' \) -prune -exec rm -rf {} +
"$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$OUT/wheel" "$OUT/src" >/dev/null
"$PY" -m pip install -q --no-deps --no-compile --target "$OUT/stage" "$OUT"/wheel/jsd_desk-*.whl

echo "build-linux: PyInstaller (a few minutes)" >&2
JSD_STAGE="$OUT/stage" "$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" "$REPO/packaging/jsd-desk.spec"
APP="$OUT/dist/jsd-desk"
echo "build-linux: $APP ($(du -sh "$APP" | cut -f1))" >&2

if [ "$smoke" = 1 ]; then
  "$REPO/packaging/smoke-test.sh" "$APP"
fi
if [ "$deb" = 1 ]; then
  "$REPO/packaging/build-deb.sh" "$APP" "$OUT"
fi
