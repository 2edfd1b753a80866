#!/usr/bin/env bash
# Builds floxide-edge_<version>_<arch>.deb from a published executable, with dpkg-deb:
#
#   deploy/build-deb.sh linux-arm64    # after deploy/publish.sh linux-arm64; writes deploy/out/floxide-edge_<v>_arm64.deb
#   sudo apt install ./deploy/out/floxide-edge_0.1.0_arm64.deb
#
# The package installs the binary, the hardened unit (enabled and started), the default configuration as a conffile,
# and creates the floxide-edge user in the i2c and gpio groups. apt remove stops it; apt purge also removes the
# configuration, the state and the user.
#   deploy/build-deb.sh [--binary PATH] [--out DIR] linux-arm64|linux-x64   # another executable, another folder
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage() { echo "usage: deploy/build-deb.sh [--binary PATH] [--out DIR] linux-arm64|linux-x64" >&2; exit 64; }
rid=linux-arm64 binary="" out="$here/out"
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || usage; binary="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; out="$2"; shift 2 ;;
    linux-arm64|linux-x64) rid="$1"; shift ;;
    *) usage ;;
  esac
done
case "$rid" in
  linux-arm64) arch=arm64 ;;
  linux-x64) arch=amd64 ;;
esac
if [ -z "$binary" ]; then
  binary="$here/out/$rid-aot/floxide-edge"
  [ -x "$binary" ] || binary="$here/out/$rid-r2r/floxide-edge"
fi
[ -x "$binary" ] || { echo "build-deb.sh: no published binary for $rid at $binary; run deploy/publish.sh $rid" >&2; exit 66; }
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$here/../Directory.Build.props" | head -n 1)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"   # mktemp's 0700 would become the package root's mode

install -D -m 0755 "$binary" "$stage/usr/bin/floxide-edge"
install -D -m 0644 "$here/floxide-edge.service" "$stage/lib/systemd/system/floxide-edge.service"
install -D -m 0644 "$here/gateway.json" "$stage/etc/floxide-edge/gateway.json"
install -D -m 0644 "$here/README.md" "$stage/usr/share/doc/floxide-edge/README.md"
mkdir -p "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: floxide-edge
Version: $version
Architecture: $arch
Maintainer: Floxide.Edge maintainers <floxide-edge@localhost>
Depends: libc6 (>= 2.31), adduser
Recommends: mosquitto-clients
Section: net
Priority: optional
Installed-Size: $(du -k -s "$stage" --exclude=DEBIAN | cut -f1)
Homepage: https://example.invalid/floxide-edge
Description: IoT edge gateway for temperature and humidity sensors
 Reads I2C/GPIO sensors and MQTT sensor fleets, classifies every reading, raises
 and clears alerts and publishes them over MQTT. Runs as a hardened systemd
 service (Type=notify) with a watchdog fed only while the gateway is healthy.
CONTROL
echo "/etc/floxide-edge/gateway.json" > "$stage/DEBIAN/conffiles"
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  for group in i2c gpio; do getent group "$group" >/dev/null || addgroup --system "$group"; done
  id floxide-edge >/dev/null 2>&1 || adduser --system --group --home /var/lib/floxide-edge --no-create-home --shell /usr/sbin/nologin floxide-edge
  adduser floxide-edge i2c >/dev/null
  adduser floxide-edge gpio >/dev/null
  [ -e /etc/floxide-edge/mqtt-password ] || install -m 0600 /dev/null /etc/floxide-edge/mqtt-password
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable floxide-edge.service >/dev/null
    systemctl restart floxide-edge.service || echo "floxide-edge: see journalctl -u floxide-edge" >&2
  fi
fi
POSTINST
cat > "$stage/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
  systemctl disable --now floxide-edge.service >/dev/null 2>&1 || true
fi
PRERM
cat > "$stage/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
[ -d /run/systemd/system ] && systemctl daemon-reload || true
if [ "$1" = purge ]; then
  rm -rf /etc/floxide-edge /var/lib/floxide-edge
  id floxide-edge >/dev/null 2>&1 && deluser --system floxide-edge >/dev/null || true
fi
POSTRM
chmod 0755 "$stage/DEBIAN/postinst" "$stage/DEBIAN/prerm" "$stage/DEBIAN/postrm"
package="$out/floxide-edge_${version}_${arch}.deb"
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
echo "build-deb.sh: $package ($(du -h "$package" | cut -f1))"
