#!/usr/bin/env python3
"""Generates a corpus of news-like feeds for the fetcher benchmark.

gen_corpus.py DIR COUNT  ->  DIR/feeds/fNNNNN.xml (+ .xml.gz for nginx gzip_static) and
DIR/urls-template.txt (one path per line). Deterministic (seeded by feed number): 20-100
items per feed, HTML descriptions, about 50 KB per feed; every 10th feed is windows-1251
(Russian), every 5th is Atom 1.0, the rest RSS 2.0. Some items mention NATO and Ukraine so
that a full daemon round has matches to make.
"""
import gzip
import os
import random
import sys
from email.utils import formatdate

WORDS_EN = ("the government said on tuesday that talks would continue after officials met in brussels "
            "markets rose as investors weighed new data on inflation and energy prices while ministers "
            "announced a package of measures for farmers and small businesses across the region "
            "weather service warned of storms football club signed a striker museum opened exhibition").split()
WORDS_RU = ("правительство заявило во вторник что переговоры продолжатся после встречи в брюсселе "
            "рынки выросли инвесторы оценивают новые данные об инфляции и ценах на энергоносители "
            "министры объявили пакет мер для фермеров и малого бизнеса в регионе").split()
TOPICAL_EN = "NATO allies pledged further air defence support for Ukraine at the summit"
TOPICAL_RU = "НАТО обещает Украине новую помощь в сфере противовоздушной обороны"


def sentence(rng, words, n):
    s = " ".join(rng.choice(words) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def html_description(rng, words, size, topical):
    parts = []
    if topical:
        parts.append("<p><strong>%s</strong></p>" % topical)
    while sum(len(p) for p in parts) < size:
        parts.append('<p>%s <a href="https://news.example/%d">%s</a> %s</p>' % (
            sentence(rng, words, 12), rng.randrange(10**6), rng.choice(words), sentence(rng, words, 10)))
    return "".join(parts)


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(i, rng, cyrillic):
    words, topical = (WORDS_RU, TOPICAL_RU) if cyrillic else (WORDS_EN, TOPICAL_EN)
    n = rng.randint(20, 100)
    per_item = max(200, 50000 // n - 250)
    base = 1720000000 - i * 37
    out = ['<?xml version="1.0" encoding="%s"?>\n' % ("windows-1251" if cyrillic else "utf-8"),
           '<rss version="2.0"><channel><title>Feed %d</title><link>https://news.example/%d/</link>'
           '<description>Generated feed %d</description><ttl>15</ttl>\n' % (i, i, i)]
    for k in range(n):
        topical_item = topical if rng.random() < 0.03 else None
        out.append("<item><title>%s</title><link>https://news.example/%d/%d</link>"
                   '<guid isPermaLink="false">feed-%d-item-%d</guid><pubDate>%s</pubDate>'
                   "<description>%s</description></item>\n" % (
                       sentence(rng, words, 8), i, k, i, k, formatdate(base - k * 3600, usegmt=True),
                       cdata(html_description(rng, words, per_item, topical_item))))
    out.append("</channel></rss>\n")
    return "".join(out).encode("cp1251" if cyrillic else "utf-8")


def atom(i, rng):
    n = rng.randint(20, 100)
    per_item = max(200, 50000 // n - 300)
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
           "<title>Feed %d</title><id>urn:feed:%d</id><updated>2024-07-03T10:00:00Z</updated>"
           '<link href="https://news.example/%d/"/>\n' % (i, i, i)]
    for k in range(n):
        topical_item = TOPICAL_EN if rng.random() < 0.03 else None
        body = html_description(rng, WORDS_EN, per_item, topical_item)
        body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append('<entry><title>%s</title><id>urn:feed:%d:%d</id><link href="https://news.example/%d/%d"/>'
                   "<updated>2024-07-%02dT%02d:00:00Z</updated><summary type=\"html\">%s</summary></entry>\n" % (
                       sentence(rng, WORDS_EN, 8), i, k, i, k, 1 + k % 28, k % 24, body))
    out.append("</feed>\n")
    return "".join(out).encode("utf-8")


def main():
    root, count = sys.argv[1], int(sys.argv[2])
    feeds = os.path.join(root, "feeds")
    os.makedirs(feeds, exist_ok=True)
    paths = []
    for i in range(1, count + 1):
        name = "f%05d.xml" % i
        path = os.path.join(feeds, name)
        paths.append("/feeds/" + name)
        if os.path.exists(path + ".gz"):
            continue
        rng = random.Random(i)
        data = rss(i, rng, True) if i % 10 == 0 else atom(i, rng) if i % 5 == 0 else rss(i, rng, False)
        with open(path, "wb") as f:
            f.write(data)
        with open(path + ".gz", "wb") as f:
            f.write(gzip.compress(data, 6, mtime=0))
        os.utime(path + ".gz", (1700000000, 1700000000))
        os.utime(path, (1700000000, 1700000000))
    with open(os.path.join(root, "paths-%d.txt" % count), "w") as f:
        f.write("\n".join(paths) + "\n")


if __name__ == "__main__":
    main()
