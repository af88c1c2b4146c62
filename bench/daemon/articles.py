#!/usr/bin/env python3
"""The cost of full-article fetching (issue #15) per item, end to end in newswatchd --once.

A local threaded HTTP server serves one RSS feed of N items, each linking its own page (real
news pages from ../shared/data/article-pages/readability/*/source.html, cycled; a small
generated page where ../shared is absent). newswatchd --once runs the same feed twice from a
fresh state directory: without fetch_article, then with it; the difference of wall time and
of CPU time (user + system of the daemon), divided by N, is the overhead per item of fetching
the page, extracting its main text, caching it and matching it. A third run with a second
feed linking the same pages shows the cache (no request).

    bench/daemon/articles.py BUILD_DIR [N] [MAX_PER_HOST]

All pages are on one host, so the per-host cap (default 2, as [daemon] max_per_host) bounds
the wall time; CPU time is what the daemon spends.
"""
import http.server
import os
import pathlib
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
per_host = int(sys.argv[3]) if len(sys.argv) > 3 else 2
daemon = build / "bin" / "newswatchd"
corpus = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data" / "article-pages" / "readability"

pages = [p.read_bytes() for p in sorted(corpus.glob("*/source.html"))] if corpus.is_dir() else []
if not pages:
    body = "".join(f"<p>Paragraph {i} of a news story about NATO and Ukraine, long enough to score.</p>" for i in range(30))
    pages = [f"<html><body><article><h1>Story</h1>{body}</article></body></html>".encode()]
page_bytes = sum(len(pages[i % len(pages)]) for i in range(count))

port_holder = {}
requests = {"pages": 0}


class handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.startswith("/feed"):
            feed = self.path.split(".")[0][1:]
            items = "".join(
                f"<item><guid>{feed}-{i}</guid><title>Item {i}</title>"
                f"<link>http://127.0.0.1:{port_holder['port']}/page/{i}.html</link>"
                f"<description>A short summary {i}.</description></item>"
                for i in range(count))
            body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{feed}</title>{items}</channel></rss>".encode()
            ctype = "application/rss+xml"
        else:
            requests["pages"] += 1
            i = int(self.path.rsplit("/", 1)[1].split(".")[0])
            body = pages[i % len(pages)]
            ctype = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
port_holder["port"] = server.server_address[1]
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{port_holder['port']}"


def run(feeds, fetch, state):
    work = pathlib.Path(tempfile.mkdtemp())
    conf = work / "c.toml"
    text = (f'[daemon]\nstate_dir = "{state}"\nmetrics = ""\ndedup_window = "0s"\nmax_per_host = {per_host}\n'
            f'max_articles_per_fetch = {count}\n')
    for f in feeds:
        text += f'[[feed]]\nurl = "{base}/{f}.xml"\n' + ("fetch_article = true\n" if fetch else "")
    text += ("[[watch]]\nname = \"w\"\nquery = 'NATO OR Ukraine OR Russia OR government'\nsinks = [\"out\"]\n"
             f'[[sink]]\nname = "out"\ntype = "file"\npath = "{work}/out.jsonl"\n')
    conf.write_text(text)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    r = subprocess.run([str(daemon), "--config", str(conf), "--once", "--log-level", "warn"],
                       capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        sys.exit(f"newswatchd exited {r.returncode}: {r.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    alerts = sum(1 for _ in open(work / "out.jsonl")) if (work / "out.jsonl").exists() else 0
    used = 0
    if (work / "out.jsonl").exists():
        used = sum('"article":"used"' in line for line in open(work / "out.jsonl"))
    shutil.rmtree(work)
    return wall, cpu, alerts, used


states = pathlib.Path(tempfile.mkdtemp())
plain = run(["feed-a"], False, states / "plain")
requests["pages"] = 0
fetched = run(["feed-a"], True, states / "fetch")
fetched_requests = requests["pages"]
requests["pages"] = 0
cached = run(["feed-b"], True, states / "fetch")  # the same pages, another feed: from the cache
cached_requests = requests["pages"]
shutil.rmtree(states)
server.shutdown()

print(f"items: {count}, pages: {len(pages)} distinct, {page_bytes / count / 1024:.1f} KiB of HTML per page on average, "
      f"max_per_host {per_host}")
print(f"without fetch_article: wall {plain[0]:.2f} s, cpu {plain[1]:.2f} s, alerts {plain[2]}")
print(f"with fetch_article:    wall {fetched[0]:.2f} s, cpu {fetched[1]:.2f} s, alerts {fetched[2]} "
      f"(article used in {fetched[3]}), page requests {fetched_requests}")
print(f"from the cache:        wall {cached[0]:.2f} s, cpu {cached[1]:.2f} s, alerts {cached[2]} "
      f"(article used in {cached[3]}), page requests {cached_requests}")
print(f"overhead per item: wall {(fetched[0] - plain[0]) / count * 1000:.2f} ms, "
      f"cpu {(fetched[1] - plain[1]) / count * 1000:.2f} ms; from the cache: wall "
      f"{(cached[0] - plain[0]) / count * 1000:.2f} ms, cpu {(cached[1] - plain[1]) / count * 1000:.2f} ms")
