#!/usr/bin/env bash
# Installs the Debian packages minivm builds with (skipped when they are all present).
set -euo pipefail
packages=(cmake ninja-build g++ pkg-config libboost-context-dev libmimalloc-dev doctest-dev
          libreadline-dev libgmp-dev python3)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" > /dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
