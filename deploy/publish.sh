#!/usr/bin/env bash
# Publishes floxide-edge for the Raspberry Pi (linux-arm64, Raspberry Pi OS 64-bit) and linux-x64.
#
#   deploy/publish.sh [--aot | --r2r] [linux-arm64] [linux-x64]
#
# --aot (the default): NativeAOT, one self-contained executable, no .NET runtime on the target. Needs clang and lld
#   (apt-get install clang lld), and for linux-arm64 on an x64 machine the arm64 cross toolchain and libc
#   (apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross).
# --r2r: the fallback where NativeAOT cannot serve: self-contained, ReadyToRun-compiled, single file.
# Output: deploy/out/<rid>-<aot|r2r>/floxide-edge, and a line per build with its size.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=aot
rids=()
for argument in "$@"; do
  case "$argument" in
    --aot) mode=aot ;;
    --r2r) mode=r2r ;;
    linux-arm64|linux-x64) rids+=("$argument") ;;
    *) echo "usage: deploy/publish.sh [--aot|--r2r] [linux-arm64] [linux-x64]" >&2; exit 64 ;;
  esac
done
[ "${#rids[@]}" -gt 0 ] || rids=(linux-arm64 linux-x64)

host_arch="$(uname -m)"
for rid in "${rids[@]}"; do
  out="deploy/out/$rid-$mode"
  rm -rf "$out"
  args=(-c Release -r "$rid" -o "$out" -p:DebugType=none -p:GenerateDocumentationFile=false)
  if [ "$mode" = aot ]; then
    args+=(-p:PublishAot=true -p:StripSymbols=true)
    command -v clang >/dev/null || { echo "publish.sh: NativeAOT needs clang and lld: apt-get install clang lld" >&2; exit 69; }
    if [ "$rid" = linux-arm64 ] && [ "$host_arch" != aarch64 ]; then
      [ -d /usr/aarch64-linux-gnu/lib ] || { echo "publish.sh: cross-linking for arm64 needs apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross" >&2; exit 69; }
      # clang targets aarch64 with Debian's cross libc as the sysroot and links with lld; objcopy strips the symbols.
      # (the sysroot is / because the cross libc.so linker script names absolute /usr/aarch64-linux-gnu/lib paths).
      args+=(-p:SysRoot=/ -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy)
    fi
  else
    args+=(--self-contained -p:PublishReadyToRun=true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true)
  fi
  echo "publish.sh: $rid ($mode)"
  dotnet publish src/Floxide.Edge.Gateway "${args[@]}" -nologo -v quiet
  size=$(du -b "$out/floxide-edge" | cut -f1)
  echo "publish.sh: $out/floxide-edge $((size / 1024 / 1024)) MiB ($size bytes)"
done
