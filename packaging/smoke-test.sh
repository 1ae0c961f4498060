#!/usr/bin/env bash
# Smoke test of a built one-folder app: packaging/smoke-test.sh build/pkg/dist/jsd-desk
# Runs the frozen executable offscreen on a fresh data folder; exits non-zero on the first failure.
set -euo pipefail
APP=$(cd "$1" && pwd)
EXE="$APP/jsd-desk"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export QT_QPA_PLATFORM=offscreen JSD_DESK_PASSPHRASE="smoke test passphrase"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/share" LANG=C.UTF-8
mkdir -p "$HOME"
fail() { echo "smoke-test: $*" >&2; exit 1; }

# What must be inside: Qt's platform plugins and translations, the catalogs, the migrations, fonts.
INT="$APP/_internal"
for f in PySide6/Qt/plugins/platforms/libqxcb.so PySide6/Qt/plugins/platforms/libqoffscreen.so \
         PySide6/Qt/translations/qtbase_fr.qm jsd_desk/locales/fr/LC_MESSAGES/jsd_desk.mo \
         jsd_desk/migrations/versions/0001_initial_schema.py jsd_desk/resources/fonts/DejaVuSans.ttf \
         jsd_desk/resources/icons/hicolor/256x256/apps/jsd-desk.png; do
  [ -e "$INT/$f" ] || fail "missing from the bundle: $f"
done
for m in QtWebEngineCore QtQml QtQuick Qt3DCore QtMultimedia; do
  ! ls "$INT"/PySide6/"$m".* >/dev/null 2>&1 || fail "unneeded Qt module bundled: $m"
done

version=$("$EXE" --version)
echo "smoke-test: $version"
[[ $version =~ ^jsd-desk\ [0-9] ]] || fail "unexpected --version: $version"

D="$WORK/data"
"$EXE" --data-dir "$D" init --device-name "Smoke" --role facilitator >/dev/null
"$EXE" --data-dir "$D" demo --seed 3 --sessions 3 >/dev/null
session=$("$EXE" --data-dir "$D" dump | python3 -c \
  'import json, sys; print(json.load(sys.stdin)["records"]["session"][0]["id"])')
LANGUAGE=fr "$EXE" --data-dir "$D" minutes "$session" --lang fr --out "$WORK/minutes.pdf" >/dev/null
head -c 5 "$WORK/minutes.pdf" | grep -q '%PDF-' || fail "the minutes are not a PDF"
# A second device (the ministry's): cards both ways, a bundle from one to the other.
M="$WORK/ministry"
"$EXE" --data-dir "$M" init --device-name "Smoke ministry" --role analyst >/dev/null
"$EXE" --data-dir "$D" card --out "$WORK/facilitator.card" >/dev/null
"$EXE" --data-dir "$M" card --out "$WORK/ministry.card" >/dev/null
"$EXE" --data-dir "$D" peer add "$WORK/ministry.card" >/dev/null
"$EXE" --data-dir "$M" peer add "$WORK/facilitator.card" >/dev/null
"$EXE" --data-dir "$D" bundle export --all --out "$WORK/all.bundle" >/dev/null
[ -s "$WORK/all.bundle" ] || fail "no bundle written"
"$EXE" --data-dir "$M" bundle import "$WORK/all.bundle"
"$EXE" --data-dir "$M" verify >/dev/null
"$EXE" --data-dir "$D" verify >/dev/null
# The window with every page (offscreen), minutes in both languages, a bundle between two devices.
"$EXE" self-test --sessions 2
# A refused input still gives one sentence and status 3, in French when asked.
set +e
err=$(LANGUAGE=fr "$EXE" --data-dir "$D" bundle import "$WORK/ministry.card" 2>&1 >/dev/null)
status=$?
set -e
[ "$status" = 3 ] || fail "bundle import of a card: status $status ($err)"
echo "smoke-test: refused as expected: $err"
echo "smoke-test: OK"
