#!/bin/sh
# The Debian package end to end (issue #14 item 2). Root only: it installs the package on
# this machine, and purges it again whatever happens (trap). Packs the dev build (CPack
# installs it with prefix /usr, stripped), then: dpkg -i; the installed tool accepts the installed config; systemd-analyze verify
# accepts the installed unit; the service user can run the daemon on its state directory
# and a member of group newswatch can read it; dpkg -r removes the programs and keeps the
# state; dpkg -P removes the config (and the state).
set -eu
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "test-package: needs root (it installs the package); skipped" >&2
  exit 0
fi
if dpkg-query -W -f='${Status}' newswatch 2>/dev/null | grep -q "install ok installed"; then
  echo "test-package: a newswatch package is already installed here; refusing to touch it" >&2
  exit 1
fi

scripts/build.sh dev
rm -f build/newswatch_*_amd64.deb
(cd build && cpack -G DEB >/dev/null)
DEB="$(ls build/newswatch_*_amd64.deb)"
echo "== $DEB: $(du -k "$DEB" | cut -f1) KiB"
dpkg-deb --field "$DEB" Depends

WORK="$(mktemp -d)"
cleanup() {
  if [ -n "${HTTP_PID:-}" ]; then kill "$HTTP_PID" 2>/dev/null || true; fi
  dpkg -P newswatch >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

fail() { echo "test-package: FAILED: $*" >&2; exit 1; }

dpkg -i "$DEB" > "$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; fail "dpkg -i"; }
grep -q "systemctl enable --now newswatch" "$WORK/install.log" || fail "the postinst does not say how to enable the unit"
getent passwd newswatch >/dev/null || fail "no newswatch user"
[ -f /etc/newswatch/newswatch.toml ] || fail "no /etc/newswatch/newswatch.toml"
dpkg-query --showformat='${Conffiles}\n' --show newswatch | grep -q /etc/newswatch/newswatch.toml \
  || fail "/etc/newswatch/newswatch.toml is not a conffile"
[ -f /usr/share/man/man8/newswatchd.8.gz ] || fail "no newswatchd(8)"
UNIT=/lib/systemd/system/newswatch.service
grep -q "^ExecStart=/usr/bin/newswatchd --config /etc/newswatch/newswatch.toml$" "$UNIT" || fail "ExecStart in $UNIT"
if [ -d /etc/systemd/system/multi-user.target.wants ] && [ -e /etc/systemd/system/multi-user.target.wants/newswatch.service ]; then
  fail "the unit was enabled by the package"
fi

newswatch check --config /etc/newswatch/newswatch.toml || fail "newswatch check on the installed config"
systemd-analyze verify "$UNIT" || fail "systemd-analyze verify $UNIT"
SCORE="$(systemd-analyze security --offline=yes --no-pager "$UNIT" | sed -n 's/.*Overall exposure level for newswatch.service: \([0-9.]*\).*/\1/p')"
echo "== exposure: $SCORE"
awk "BEGIN { exit !($SCORE <= 1.5) }" || fail "exposure $SCORE above 1.5"

# The service user runs the daemon once on its state directory, leaving state behind: one
# feed served on 127.0.0.1 and one that refuses connections (the run fails that fetch and
# still exits 0: a --once run fails only when no feed at all could be fetched).
mkdir -p "$WORK/www"
printf '%s\n' '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>' \
  '<item><guid>w-1</guid><title>Weather</title><link>https://news.example/w-1</link></item>' \
  '</channel></rss>' > "$WORK/www/feed.xml"
/usr/bin/python3 -u -m http.server --bind 127.0.0.1 --directory "$WORK/www" 0 > "$WORK/http.log" 2>&1 &
HTTP_PID=$!
PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n 's/.* port \([0-9][0-9]*\).*/\1/p' "$WORK/http.log" | head -n 1)"
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$WORK/http.log"; fail "the local feed server did not start"; }
cat > "$WORK/once.toml" <<TOML
[daemon]
allow_private_addresses = ["127.0.0.1/32"]
[[feed]]
url = "http://127.0.0.1:$PORT/feed.xml"
[[feed]]
url = "http://127.0.0.1:9/feed.xml"
[[watch]]
name = "any"
query = 'NATO'
TOML
chmod 0644 "$WORK/once.toml"; chmod 0755 "$WORK"
setpriv --reuid=newswatch --regid=newswatch --init-groups \
  newswatchd --config "$WORK/once.toml" --state-dir /var/lib/newswatch --once --log-level warn \
  || fail "newswatchd --once as the service user"
kill "$HTTP_PID" 2>/dev/null || true
[ -f /var/lib/newswatch/state.db ] || fail "no state.db"
# A member of group newswatch (here: nobody with that group) reads the stopped daemon's state.
setpriv --reuid=nobody --regid=newswatch --clear-groups newswatch status --state-dir /var/lib/newswatch \
  > "$WORK/status.txt" || { cat "$WORK/status.txt"; fail "newswatch status as a group member"; }
grep -q "1 failing" "$WORK/status.txt" || { cat "$WORK/status.txt"; fail "status output"; }

dpkg -r newswatch >/dev/null || fail "dpkg -r"
[ ! -e /usr/bin/newswatchd ] || fail "dpkg -r left /usr/bin/newswatchd"
[ -f /var/lib/newswatch/state.db ] || fail "dpkg -r removed the state"
[ -f /etc/newswatch/newswatch.toml ] || fail "dpkg -r removed the config"
dpkg -P newswatch >/dev/null || fail "dpkg -P"
[ ! -e /etc/newswatch/newswatch.toml ] || fail "dpkg -P left the config"
[ ! -e /var/lib/newswatch ] || fail "dpkg -P left the state"
echo "== package test passed"
