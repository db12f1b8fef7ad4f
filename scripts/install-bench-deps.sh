#!/bin/sh
# Installs what `npm run bench` needs beyond Node: the peer IRC servers it measures against
# (ngircd, InspIRCd), taskset (util-linux) to pin processes to cores, rsvg-convert for the
# chart, and PostgreSQL and nats-server for the private engines of --cluster. Idempotent: installs only what is missing; says what to do when it cannot. The bench
# (src/bench/main.ts) runs it once it has read its options, so --help or a mistyped option
# installs nothing (an npm pre-script would run whatever the arguments).
set -eu
missing=""
[ -x /usr/sbin/ngircd ] || missing="$missing ngircd"
[ -x /usr/sbin/inspircd ] || missing="$missing inspircd"
command -v taskset >/dev/null 2>&1 || missing="$missing util-linux"
command -v rsvg-convert >/dev/null 2>&1 || missing="$missing librsvg2-bin"
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$missing postgresql"
[ -x /usr/sbin/nats-server ] || command -v nats-server >/dev/null 2>&1 || missing="$missing nats-server"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "bench: please install:$missing (Debian/Ubuntu: sudo apt-get install$missing); continuing without them" >&2
  exit 0
fi
echo "bench: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends $missing >/dev/null; }
