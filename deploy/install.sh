#!/usr/bin/env bash
# Installs floxide-edge as a systemd service, or removes it. Idempotent: running it again upgrades the binary and the
# unit and keeps the configuration, the password file and the state.
#
#   sudo deploy/install.sh [install] [--binary PATH] [--no-start]
#   sudo deploy/install.sh uninstall [--purge]      # --purge also removes /etc/floxide-edge, the state and the user
#   deploy/install.sh [install|uninstall] --root DIR ...   # stage the files below DIR (like DESTDIR): no root needed,
#                                                   # no user, groups or systemctl (they belong to the machine)
#
# PATH defaults to the NativeAOT build for this machine from deploy/publish.sh (deploy/out/linux-<arch>-aot/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
user=floxide-edge

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

command="install"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then command="$1"; shift; fi
binary="" start=yes purge=no root=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --root) root="$(realpath -m "$2")"; shift 2 ;;
    --no-start) start=no; shift ;;
    --purge) purge=yes; shift ;;
    *) die "unknown option $1 (see the comment at the top of $0)" ;;
  esac
done
[ -n "$root" ] || [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 $command)"
unit_path="$root/etc/systemd/system/floxide-edge.service"
# A staged install (--root) touches only files below the root: the machine's users and services are not its own.
on_machine() { [ -z "$root" ]; }
have_systemd() { on_machine && [ -d /run/systemd/system ]; }

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

  if on_machine; then
    for group in i2c gpio; do
      getent group "$group" >/dev/null || { groupadd --system "$group"; say "created group $group"; }
    done
    if ! id "$user" >/dev/null 2>&1; then
      useradd --system --user-group --home-dir /var/lib/floxide-edge --no-create-home --shell /usr/sbin/nologin "$user"
      say "created user $user"
    fi
    usermod -a -G i2c,gpio "$user"
  fi

  install -D -m 0755 "$binary" "$root/usr/bin/floxide-edge"
  # Native libraries a build may ship next to the executable (none for the NativeAOT build of today).
  for library in "$(dirname "$binary")"/*.so; do
    [ -e "$library" ] && install -D -m 0644 "$library" "$root/usr/lib/floxide-edge/$(basename "$library")"
  done
  install -d -m 0755 "$root/etc/floxide-edge"
  if [ ! -e "$root/etc/floxide-edge/gateway.json" ]; then
    install -m 0644 "$here/gateway.json" "$root/etc/floxide-edge/gateway.json"
    say "installed the default $root/etc/floxide-edge/gateway.json"
  fi
  if [ ! -e "$root/etc/floxide-edge/mqtt-password" ]; then
    # Empty means "no password"; LoadCredential= needs the file to exist.
    install -m 0600 /dev/null "$root/etc/floxide-edge/mqtt-password"
  fi
  if on_machine; then
    install -d -m 0750 -o "$user" -g "$user" /var/lib/floxide-edge
  else
    install -d -m 0750 "$root/var/lib/floxide-edge"
  fi
  install -D -m 0644 "$here/floxide-edge.service" "$unit_path"
  install -D -m 0644 "$here/README.md" "$root/usr/share/doc/floxide-edge/README.md"

  # The binary it was installed from: the same bytes (a single-file build), and it also runs where a staged copy cannot.
  "$binary" validate --config "$root/etc/floxide-edge/gateway.json" || die "the configuration is invalid; fix it and run again"
  if have_systemd; then
    systemctl daemon-reload
    systemctl enable floxide-edge.service >/dev/null
    if [ "$start" = yes ]; then
      systemctl restart floxide-edge.service
      say "started: systemctl status floxide-edge; journalctl -u floxide-edge -f"
    fi
  elif on_machine; then
    say "installed; systemd is not running here, so the service was not enabled"
  fi
  say "installed $("$binary" --version)${root:+ below $root}"
}

uninstall_gateway() {
  if have_systemd && systemctl list-unit-files floxide-edge.service >/dev/null 2>&1; then
    systemctl disable --now floxide-edge.service >/dev/null 2>&1 || true
  fi
  rm -f "$unit_path" "$root/usr/bin/floxide-edge"
  rm -rf "$root/usr/lib/floxide-edge" "$root/usr/share/doc/floxide-edge"
  if have_systemd; then systemctl daemon-reload; fi
  if [ "$purge" = yes ]; then
    rm -rf "$root/etc/floxide-edge" "$root/var/lib/floxide-edge"
    if on_machine && id "$user" >/dev/null 2>&1; then userdel "$user"; fi
    say "removed floxide-edge, its configuration, state and user"
  else
    say "removed floxide-edge; kept $root/etc/floxide-edge, $root/var/lib/floxide-edge and the user (--purge removes them)"
  fi
}

case "$command" in
  install) install_gateway ;;
  uninstall) uninstall_gateway ;;
  *) die "unknown command $command: use install or uninstall" ;;
esac
