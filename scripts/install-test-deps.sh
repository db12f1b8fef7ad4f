#!/usr/bin/env bash
# Installs the Debian packages the tests drive (real clients, a real browser). Idempotent: a
# no-op when everything is there; otherwise installs only what is missing (Debian 12, as root).
set -euo pipefail

# command the tests run -> the Debian packages that provide it (weechat-headless reads commands
# through the FIFO plugin, which is in weechat-plugins)
declare -A NEEDED=(
  [chromium]=chromium
  [ii]=ii
  [ngircd]=ngircd
  [irssi]=irssi
  [tmux]=tmux
  [weechat-headless]="weechat-headless weechat-plugins"
)

missing=()
for cmd in "${!NEEDED[@]}"; do
  # shellcheck disable=SC2206 # split on purpose: one command may need several packages
  command -v "$cmd" >/dev/null 2>&1 || missing+=(${NEEDED[$cmd]})
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: missing ${missing[*]}; run this script as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
