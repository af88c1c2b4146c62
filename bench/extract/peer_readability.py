#!/usr/bin/python3
"""Runs python3-readability (Debian package python3-readability, the readability-lxml port of
arc90's Readability) over CASES_DIR/<case>/source.html and writes its article HTML to
OUT_DIR/<case>.html, for extract_f1 --peer. Prints its own throughput on stderr."""
import os
import sys
import time

from readability import Document


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: peer_readability.py CASES_DIR OUT_DIR")
    cases, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    total_bytes, seconds, failed = 0, 0.0, 0
    for case in sorted(os.listdir(cases)):
        path = os.path.join(cases, case, "source.html")
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            html = f.read()
        start = time.perf_counter()
        try:
            summary = Document(html, url="http://fakehost/test/page.html").summary(html_partial=True)
        except Exception as e:  # the peer fails on some pages: counted as F1 0 by extract_f1
            print(f"{case}: python3-readability failed: {e}", file=sys.stderr)
            failed += 1
            continue
        seconds += time.perf_counter() - start
        total_bytes += len(html)
        with open(os.path.join(out, case + ".html"), "w", encoding="utf-8") as f:
            f.write("<html><body>" + summary + "</body></html>")
    print(f"python3-readability: {total_bytes / 1e6:.1f} MB in {seconds:.2f} s, "
          f"{total_bytes / 1e6 / seconds:.2f} MB/s, {failed} failures", file=sys.stderr)


if __name__ == "__main__":
    main()
