#!/usr/bin/env bash
# Builds a .deb from the one-folder app: packaging/build-deb.sh APP_DIR OUT_DIR
# (APP_DIR = build/pkg/dist/jsd-desk from packaging/build-linux.sh). Writes
# OUT_DIR/jsd-desk_VERSION_ARCH.deb, which installs:
#   /opt/jsd-desk/                the bundle        /usr/bin/jsd-desk  a link to its executable
#   /usr/share/applications/jsd-desk.desktop     /usr/share/icons/hicolor/*/apps/jsd-desk.png
#   /usr/share/metainfo/org.jsddesk.JsdDesk.metainfo.xml
# Depends: the `run` packages of scripts/system-packages.txt (what Qt's xcb plugin links).
# No maintainer scripts: removing the package never touches a user's data folder.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
APP=$(cd "$1" && pwd)
OUT=$(mkdir -p "$2" && cd "$2" && pwd)
version=$("$APP/jsd-desk" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
ROOT="$OUT/deb-root"
rm -rf "$ROOT"
mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" \
         "$ROOT/usr/share/metainfo" "$ROOT/usr/share/doc/jsd-desk"
cp -a "$APP" "$ROOT/opt/jsd-desk"
ln -s /opt/jsd-desk/jsd-desk "$ROOT/usr/bin/jsd-desk"
cp packaging/linux/jsd-desk.desktop "$ROOT/usr/share/applications/"
cp packaging/linux/org.jsddesk.JsdDesk.metainfo.xml "$ROOT/usr/share/metainfo/"
for png in resources/icons/hicolor/*/apps/jsd-desk.png; do
  size=$(basename "$(dirname "$(dirname "$png")")")
  install -D -m 0644 "$png" "$ROOT/usr/share/icons/hicolor/$size/apps/jsd-desk.png"
done
install -D -m 0644 resources/icons/jsd-desk.svg "$ROOT/usr/share/icons/hicolor/scalable/apps/jsd-desk.svg"
cat > "$ROOT/usr/share/doc/jsd-desk/copyright" <<COPYRIGHT
JSD Desk $version — Apache-2.0. The third-party licences of everything bundled in
/opt/jsd-desk are listed in the app (Help → About JSD Desk) from the bundled metadata.
COPYRIGHT
depends=$(awk '!/^#/ && $2 == "run" {print $1}' scripts/system-packages.txt | paste -sd, | sed 's/,/, /g')
size=$(du -sk "$ROOT" | cut -f1)
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: jsd-desk
Version: $version
Architecture: $arch
Maintainer: JSD Desk team <jsd-desk@localhost>
Installed-Size: $size
Depends: $depends
Section: misc
Priority: optional
Homepage: https://github.com/
Description: offline-first desktop app for community–police dialogue
 JSD Desk keeps the record of the Justice and Security Dialogue: dialogue sessions,
 citizens' complaints and the commitments made, encrypted at rest and synced by file
 between devices. Minutes are printed in French or English.
CONTROL
sed -i '/^Homepage:/d' "$ROOT/DEBIAN/control"
deb="$OUT/jsd-desk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z1 --build "$ROOT" "$deb" >/dev/null
rm -rf "$ROOT"
echo "build-deb: $deb ($(du -h "$deb" | cut -f1))"
