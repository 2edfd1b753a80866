#!/usr/bin/env bash
# Installs floxide-edge as a systemd service, or removes it. Idempotent: running it again upgrades the binary and the
# unit and keeps the configuration, the password file and the state.
#
#   sudo deploy/install.sh [install] [--binary PATH] [--no-start]
#   sudo deploy/install.sh uninstall [--purge]      # --purge also removes /etc/floxide-edge, the state and the user
#
# PATH defaults to the NativeAOT build for this machine from deploy/publish.sh (deploy/out/linux-<arch>-aot/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
user=floxide-edge
unit_path=/etc/systemd/system/floxide-edge.service

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

command="install"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then command="$1"; shift; fi
binary="" start=yes purge=no
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --no-start) start=no; shift ;;
    --purge) purge=yes; shift ;;
    *) die "unknown option $1 (see the comment at the top of $0)" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 $command)"
have_systemd() { [ -d /run/systemd/system ]; }

install_gateway() {
  if [ -z "$binary" ]; then
    case "$(uname -m)" in
      aarch64|arm64) rid=linux-arm64 ;;
      x86_64) rid=linux-x64 ;;
      *) die "no build for $(uname -m); pass --binary PATH" ;;
    esac
    binary="$here/out/$rid-aot/floxide-edge"
    [ -x "$binary" ] || binary="$here/out/$rid-r2r/floxide-edge"
  fi
  [ -x "$binary" ] || die "no executable at $binary; run deploy/publish.sh first or pass --binary PATH"
  "$binary" --version >/dev/null || die "$binary does not run on this machine"

  for group in i2c gpio; do
    getent group "$group" >/dev/null || { groupadd --system "$group"; say "created group $group"; }
  done
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/floxide-edge --no-create-home --shell /usr/sbin/nologin "$user"
    say "created user $user"
  fi
  usermod -a -G i2c,gpio "$user"

  install -D -m 0755 "$binary" /usr/bin/floxide-edge
  # Native libraries a build may ship next to the executable (none for the NativeAOT build of today).
  for library in "$(dirname "$binary")"/*.so; do
    [ -e "$library" ] && install -D -m 0644 "$library" "/usr/lib/floxide-edge/$(basename "$library")"
  done
  install -d -m 0755 /etc/floxide-edge
  if [ ! -e /etc/floxide-edge/gateway.json ]; then
    install -m 0644 "$here/gateway.json" /etc/floxide-edge/gateway.json
    say "installed the default /etc/floxide-edge/gateway.json"
  fi
  if [ ! -e /etc/floxide-edge/mqtt-password ]; then
    # Empty means "no password"; LoadCredential= needs the file to exist.
    install -m 0600 /dev/null /etc/floxide-edge/mqtt-password
  fi
  install -d -m 0750 -o "$user" -g "$user" /var/lib/floxide-edge
  install -D -m 0644 "$here/floxide-edge.service" "$unit_path"
  install -D -m 0644 "$here/README.md" /usr/share/doc/floxide-edge/README.md

  /usr/bin/floxide-edge validate --config /etc/floxide-edge/gateway.json || die "the configuration is invalid; fix it and run again"
  if have_systemd; then
    systemctl daemon-reload
    systemctl enable floxide-edge.service >/dev/null
    if [ "$start" = yes ]; then
      systemctl restart floxide-edge.service
      say "started: systemctl status floxide-edge; journalctl -u floxide-edge -f"
    fi
  else
    say "installed; systemd is not running here, so the service was not enabled"
  fi
  say "installed $(/usr/bin/floxide-edge --version)"
}

uninstall_gateway() {
  if have_systemd && systemctl list-unit-files floxide-edge.service >/dev/null 2>&1; then
    systemctl disable --now floxide-edge.service >/dev/null 2>&1 || true
  fi
  rm -f "$unit_path" /usr/bin/floxide-edge
  rm -rf /usr/lib/floxide-edge /usr/share/doc/floxide-edge
  have_systemd && systemctl daemon-reload
  if [ "$purge" = yes ]; then
    rm -rf /etc/floxide-edge /var/lib/floxide-edge
    id "$user" >/dev/null 2>&1 && userdel "$user"
    say "removed floxide-edge, its configuration, state and user"
  else
    say "removed floxide-edge; kept /etc/floxide-edge, /var/lib/floxide-edge and the user (--purge removes them)"
  fi
}

case "$command" in
  install) install_gateway ;;
  uninstall) uninstall_gateway ;;
  *) die "unknown command $command: use install or uninstall" ;;
esac
