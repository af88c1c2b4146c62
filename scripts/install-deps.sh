#!/bin/sh
# Installs every Debian 12 package newswatch needs to build, test and benchmark.
# Run as root (or with sudo). Safe to run again. (prometheus: its promtool checks the
# metrics endpoint's output in the tests; python3-aiosmtpd: the SMTP receiver of the smtp
# sink tests; nats-server: the nats sink's tests run a real one; libhowardhinnant-date-dev
# and tzdata: the time zones of digests and quiet hours; apprise: the apprise sink runs it.)
set -eu
PACKAGES="build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libcurl4-openssl-dev libpugixml-dev libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev libsystemd-dev
  libtomlplusplus-dev libutf8proc-dev libssl-dev libstemmer-dev libgumbo-dev zlib1g-dev libbrotli-dev libjemalloc-dev
  sqlite3 curl ca-certificates openssl nghttp2-server prometheus pandoc dpkg-dev stress-ng
  python3-aiosmtpd libnats-dev nats-server libhowardhinnant-date-dev tzdata apprise"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
