#!/usr/bin/env python3
"""Full-article stance as relatedness (issue #15 item 3), through the real classify path.

The shared article pages (../shared/data/article-pages/readability/<case>/, Readability.js's
text in expected.html, its title in expected-metadata.json) are not about any claim of ours,
so they measure relatedness: each page's own title as the claim against its text should be
related (agree/discuss/disagree); the title of another page (the page half the list away,
deterministic) should be unrelated. With --fnc DIR (dev_bodies.csv + dev_stances.csv written
by `newswatch stance-train --holdout ... --write-split DIR`), the same on FNC-1 dev pairs with
full bodies. Runs `newswatch stance` on FNC-format CSV files it writes to a temporary
directory and prints related/unrelated accuracy and the label distribution as Markdown.

  bench/stance/article_relatedness.py --newswatch build/bin/newswatch [--model PATH]
      [--pages DIR] [--fnc DIR [--fnc-model PATH]]

Skips the pages (with a message) where ../shared is absent.
"""
import argparse
import collections
import csv
import html.parser
import json
import os
import subprocess
import sys
import tempfile

LABELS = ["agree", "disagree", "discuss", "unrelated"]


class TextOf(html.parser.HTMLParser):
    """Text of Readability's HTML, one line per block element."""

    BLOCKS = {"p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr",
              "blockquote", "pre", "figcaption", "table", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)


def load_pages(root):
    pages = []
    for case in sorted(os.listdir(root)):
        d = os.path.join(root, case)
        try:
            with open(os.path.join(d, "expected-metadata.json"), encoding="utf-8") as f:
                title = (json.load(f).get("title") or "").strip()
            with open(os.path.join(d, "expected.html"), encoding="utf-8") as f:
                parser = TextOf()
                parser.feed(f.read())
                text = parser.text()
        except (OSError, ValueError):
            continue
        if title and text:
            pages.append((case, title, text))
    return pages


def run_stance(newswatch, model, bodies, pairs, tmp, tag):
    """bodies: {id: text}; pairs: [(headline, body id)] -> predicted labels, in order."""
    bpath, ppath, opath = (os.path.join(tmp, f"{tag}-{n}.csv") for n in ("bodies", "pairs", "pred"))
    with open(bpath, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Body ID", "articleBody"])
        for k, v in bodies.items():
            w.writerow([k, v])
    with open(ppath, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Headline", "Body ID"])
        w.writerows(pairs)
    cmd = [newswatch, "stance", "--bodies", bpath, "--pairs", ppath, "--out", opath]
    if model:
        cmd[2:2] = ["--model", model]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"newswatch stance failed: {run.stderr}")
    sys.stderr.write(run.stderr)
    with open(opath, encoding="utf-8", newline="") as f:
        return [row["Stance"] for row in csv.DictReader(f)]


def report(name, gold_related, predicted):
    right = sum((p != "unrelated") == g for g, p in zip(gold_related, predicted))
    for want in (True, False):
        sub = [p for g, p in zip(gold_related, predicted) if g == want]
        if not sub:
            continue
        ok = sum((p != "unrelated") == want for p in sub)
        dist = collections.Counter(sub)
        print(f"| {name} | {'related' if want else 'unrelated'} | {len(sub)} | {ok / len(sub):.1%} | "
              + " | ".join(str(dist.get(label, 0)) for label in LABELS) + " |")
    print(f"| {name} | all | {len(predicted)} | {right / len(predicted):.1%} | | | | |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--newswatch", required=True)
    ap.add_argument("--model")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--pages", default=os.path.join(here, "..", "..", "..", "shared", "data", "article-pages",
                                                    "readability"))
    ap.add_argument("--fnc")
    ap.add_argument("--fnc-model")
    args = ap.parse_args()
    print("| set | gold | pairs | accuracy (related vs unrelated) | agree | disagree | discuss | unrelated |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        if os.path.isdir(args.pages):
            pages = load_pages(args.pages)
            bodies = {case: text for case, _, text in pages}
            pairs, gold = [], []
            n = len(pages)
            for i, (case, title, _) in enumerate(pages):
                pairs.append((title, case))
                gold.append(True)
                other = pages[(i + n // 2) % n][1]
                if other != title:
                    pairs.append((other, case))
                    gold.append(False)
            report(f"article pages ({n}), full text", gold, run_stance(args.newswatch, args.model, bodies, pairs,
                                                                        tmp, "pages"))
        else:
            print(f"(article pages skipped: {args.pages} is absent)", file=sys.stderr)
        if args.fnc:
            with open(os.path.join(args.fnc, "dev_bodies.csv"), encoding="utf-8", newline="") as f:
                bodies = {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}
            with open(os.path.join(args.fnc, "dev_stances.csv"), encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            pairs = [(r["Headline"], r["Body ID"]) for r in rows]
            gold = [r["Stance"].lower() != "unrelated" for r in rows]
            report("FNC-1 dev, full bodies", gold,
                   run_stance(args.newswatch, args.fnc_model or args.model, bodies, pairs, tmp, "fnc"))


if __name__ == "__main__":
    main()
