#!/usr/bin/python3
"""Push latency of newswatchd's WebSub subscriber (issue #16): publication to alert.

    /usr/bin/python3 bench/websub/push_latency.py [--bin build/bin] [--feeds 100] [--window 120] [--quick]
                                                  [--json]

One process plays every other party on 127.0.0.1, with the Python standard library only:
the feed server (each feed names the hub with <atom:link rel="hub">), a WebSub hub that
follows the W3C Recommendation (202 to the subscription request, then verification of
intent with a challenge; distribution signed with X-Hub-Signature: sha256=HMAC), and the
webhook receiver the alerts go to. newswatchd polls every feed once (interval 1h), so
every alert measured came by push.

Once every feed's subscription is verified, each feed gets one matching item published at
a random moment within --window seconds; the time from just before the hub's POST to the
callback until the webhook receiver has the alert is one trial. Prints the number of
trials, p50, p99 and max in milliseconds (--json: one JSON object with the same figures in
seconds, which bench/run's websub step reads). --quick: 20 feeds within 10 s (a smoke run).
"""
import argparse
import hashlib
import hmac
import http.server
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss(base, n, items):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
           '<channel><title>Feed %d</title><link>https://news.example/%d</link>' % (n, n),
           '<atom:link rel="hub" href="%s/hub"/><atom:link rel="self" href="%s/feed/%d.xml"/>' % (base, base, n)]
    for guid, title in items:
        out.append('<item><guid isPermaLink="false">%s</guid><title>%s</title><link>https://news.example/%s</link>'
                   '<description>x</description></item>' % (guid, title, guid))
    out.append('</channel></rss>\n')
    return "".join(out).encode()


class world:
    def __init__(self, feeds):
        self.lock = threading.Lock()
        self.items = {n: [("old-%d" % n, "Nothing to see %d" % n)] for n in range(feeds)}
        self.subs = {}          # topic -> {callback, secret, verified}
        self.received = {}      # item id -> monotonic time the alert arrived
        self.base = None


def make_handler(w):
    class handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", ctype="text/plain"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.startswith("/feed/"):
                n = int(self.path[len("/feed/"):].split(".")[0])
                with w.lock:
                    body = rss(w.base, n, w.items[n])
                return self.reply(200, body, "application/rss+xml")
            self.reply(404)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/hub":
                form = dict(urllib.parse.parse_qsl(body.decode()))
                topic, callback = form.get("hub.topic"), form.get("hub.callback")
                if form.get("hub.mode") != "subscribe" or not topic or not callback:
                    return self.reply(400)
                with w.lock:
                    w.subs[topic] = {"callback": callback, "secret": form.get("hub.secret", ""), "verified": False}
                self.reply(202)
                threading.Thread(target=verify, args=(w, topic, callback), daemon=True).start()
                return None
            if self.path == "/webhook":
                now = time.monotonic()
                alert = json.loads(body)
                with w.lock:
                    w.received.setdefault(alert["item"]["id"], now)
                return self.reply(200)
            return self.reply(404)

    return handler


def verify(w, topic, callback):
    challenge = secrets.token_hex(8)
    query = urllib.parse.urlencode({"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": challenge,
                                    "hub.lease_seconds": "86400"})
    try:
        with urllib.request.urlopen(callback + "?" + query, timeout=10) as r:
            ok = r.status == 200 and r.read().decode() == challenge
    except OSError:
        ok = False
    with w.lock:
        if ok and w.subs.get(topic, {}).get("callback") == callback:
            w.subs[topic]["verified"] = True


def publish(w, n, sent):
    topic = "%s/feed/%d.xml" % (w.base, n)
    guid = "pushed-%d" % n
    with w.lock:
        w.items[n].append((guid, "Pushed news %d" % n))
        body = rss(w.base, n, w.items[n])
        sub = w.subs[topic]
    signature = "sha256=" + hmac.new(sub["secret"].encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(sub["callback"], data=body, method="POST",
                                     headers={"Content-Type": "application/rss+xml", "X-Hub-Signature": signature})
    sent[guid] = time.monotonic()
    with urllib.request.urlopen(request, timeout=10) as r:
        r.read()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(__file__), "..", "..", "build", "bin"))
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--window", type=float, default=120.0)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object (seconds)")
    args = ap.parse_args()
    if args.quick:
        args.feeds, args.window = 20, 10.0
    w = world(args.feeds)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(w))
    w.base = "http://127.0.0.1:%d" % server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work = tempfile.mkdtemp(prefix="websub-bench-")
    port = free_port()
    config = os.path.join(work, "newswatch.toml")
    with open(config, "w") as f:
        f.write('[daemon]\nstate_dir = "%s/state"\ninterval = "1h"\nmetrics = ""\nstorm_threshold = 0\nfeed_storm_threshold = 0\ndefault_sinks = ["hook"]\n'
                'allow_private_addresses = ["127.0.0.1"]\nwebsub_listen = "127.0.0.1:%d"\n'
                'websub_callback = "http://127.0.0.1:%d/websub"\n' % (work, port, port))
        for n in range(args.feeds):
            f.write('[[feed]]\nurl = "%s/feed/%d.xml"\n' % (w.base, n))
        f.write("[[watch]]\nname = \"pushed\"\nquery = 'pushed'\n"
                '[[sink]]\nname = "hook"\ntype = "webhook"\nurl = "%s/webhook"\n' % w.base)
    log = open(os.path.join(work, "daemon.log"), "w")
    daemon = subprocess.Popen([os.path.join(args.bin, "newswatchd"), "--config", config, "--log-level", "warn"],
                              stderr=log)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with w.lock:
                verified = sum(1 for s in w.subs.values() if s["verified"])
            if verified == args.feeds:
                break
            time.sleep(0.1)
        else:
            sys.exit("only %d of %d subscriptions verified (log: %s)" % (verified, args.feeds, log.name))
        rng = random.Random(args.seed)
        schedule = sorted((rng.uniform(0, args.window), n) for n in range(args.feeds))
        sent = {}
        start = time.monotonic()
        threads = []
        for at, n in schedule:
            time.sleep(max(0.0, start + at - time.monotonic()))
            t = threading.Thread(target=publish, args=(w, n, sent))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with w.lock:
                if all(g in w.received for g in sent):
                    break
            time.sleep(0.05)
        with w.lock:
            latencies = sorted((w.received[g] - sent[g]) * 1000 for g in sent if g in w.received)
        missing = len(sent) - len(latencies)

        def pct(p):
            if not latencies:
                return None
            return latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))]

        if args.json:
            print(json.dumps({"feeds": args.feeds, "window_s": args.window, "trials": len(latencies),
                              "missing": missing, "p50_s": pct(50) / 1000 if latencies else None,
                              "p99_s": pct(99) / 1000 if latencies else None,
                              "max_s": latencies[-1] / 1000 if latencies else None}), flush=True)
        elif latencies:
            print("trials %d  missing %d  p50 %.1f ms  p99 %.1f ms  max %.1f ms" %
                  (len(latencies), missing, pct(50), pct(99), latencies[-1]))
        else:
            print("trials 0  missing %d" % missing)
        sys.exit(1 if missing or not latencies else 0)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        server.shutdown()
        if sys.exc_info()[0] is SystemExit and sys.exc_info()[1].code == 0:
            shutil.rmtree(work, ignore_errors=True)  # the daemon's log stays only after a failure


if __name__ == "__main__":
    main()
