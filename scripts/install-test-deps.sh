#!/usr/bin/env bash
# Installs the Debian packages the tests drive (real clients, a real browser, the cluster's
# PostgreSQL and nats-server: the tests start their own instances of these, never a service,
# unless DATABASE_URL / NATS_URL name running ones).
# Idempotent: a no-op when everything is there; otherwise installs only what is missing (Debian 12, as root).
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
  [nats-server]=nats-server
  [postgres]=postgresql
)

# PostgreSQL's server programs are not on the PATH: Debian puts them in /usr/lib/postgresql/N/bin.
has() {
  if [ "$1" = postgres ]; then compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; else command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; fi
}

missing=()
for cmd in "${!NEEDED[@]}"; do
  # shellcheck disable=SC2206 # split on purpose: one command may need several packages
  has "$cmd" || missing+=(${NEEDED[$cmd]})
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: missing ${missing[*]}; run this script as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-test-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The tests make their own PostgreSQL clusters: no default cluster, no service started by the package.
if [[ " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
  mkdir -p /etc/postgresql-common
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
