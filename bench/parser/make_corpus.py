#!/usr/bin/env python3
"""Writes a deterministic corpus of realistic news feeds for the parser benchmark.

make_corpus.py DIR [COUNT]
RSS 2.0 (UTF-8 and windows-1251), Atom 1.0 and RSS 1.0 feeds of 20-100 items each with
HTML descriptions (paragraphs, links, images, entities, CDATA), dates, categories, authors,
enclosures; English, Ukrainian, Russian and Polish text. About 50 KB per feed on average.
"""
import os
import random
import sys

WORDS = {
    "en": "the alliance ministers said on tuesday that support for ukraine would continue as leaders met in "
          "washington to discuss air defence sanctions energy security and the summit agenda while officials "
          "warned of further attacks on infrastructure".split(),
    "uk": "міністри альянсу заявили у вівторок що підтримка україни триватиме поки лідери зустрічаються у "
          "вашингтоні для обговорення протиповітряної оборони санкцій енергетичної безпеки та порядку денного "
          "саміту".split(),
    "ru": "министры альянса заявили во вторник что поддержка украины продолжится пока лидеры встречаются в "
          "вашингтоне чтобы обсудить противовоздушную оборону санкции энергетическую безопасность".split(),
    "pl": "ministrowie sojuszu powiedzieli we wtorek że wsparcie dla ukrainy będzie kontynuowane podczas gdy "
          "przywódcy spotykają się w waszyngtonie aby omówić obronę powietrzną sankcje bezpieczeństwo".split(),
}
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def sentence(rng, lang, n):
    w = [rng.choice(WORDS[lang]) for _ in range(n)]
    w[0] = w[0].capitalize()
    return " ".join(w)


def html_body(rng, lang):
    parts = []
    for _ in range(rng.randint(1, 3)):
        s = sentence(rng, lang, rng.randint(10, 24))
        if rng.random() < 0.5:
            s += ' <a href="https://news.example.org/tag/%d?ref=rss&amp;utm=feed">%s</a>' % (
                rng.randint(1, 9999), sentence(rng, lang, 3))
        if rng.random() < 0.3:
            s += " &quot;%s&quot; &#8212; %s&nbsp;&#8230;" % (sentence(rng, lang, 4), sentence(rng, lang, 3))
        parts.append("<p>%s.</p>" % s)
    if rng.random() < 0.4:
        parts.insert(0, '<img src="https://cdn.example.org/img/%d.jpg" alt="photo" width="640" height="360"/>'
                     % rng.randint(1, 99999))
    return "".join(parts)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rfc822(rng):
    return "%s, %02d %s 2024 %02d:%02d:%02d %s" % (rng.choice(DAYS), rng.randint(1, 28), rng.choice(MONTHS),
                                                   rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                                                   rng.choice(["+0000", "GMT", "+0300", "EST", "+0200"]))


def iso(rng):
    return "2024-%02d-%02dT%02d:%02d:%02d+03:00" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                                                    rng.randint(0, 59), rng.randint(0, 59))


def rss20(rng, lang, n, encoding):
    out = ['<?xml version="1.0" encoding="%s"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom" '
           'xmlns:media="http://search.yahoo.com/mrss/">\n<channel>\n' % encoding]
    out.append("<title>%s</title>\n<link>https://news.example.org/</link>\n<description>%s</description>\n"
               "<language>%s</language>\n<lastBuildDate>%s</lastBuildDate>\n<ttl>15</ttl>\n"
               '<atom:link href="https://news.example.org/rss" rel="self" type="application/rss+xml"/>\n'
               % (esc(sentence(rng, lang, 4)), esc(sentence(rng, lang, 8)), lang, rfc822(rng)))
    for i in range(n):
        body = html_body(rng, lang)
        desc = "<![CDATA[%s]]>" % body if rng.random() < 0.5 else esc(body)
        out.append("<item>\n<title>%s</title>\n<link>https://news.example.org/%d/%d.html</link>\n"
                   '<guid isPermaLink="false">news-%d-%d</guid>\n<pubDate>%s</pubDate>\n'
                   "<dc:creator>%s</dc:creator>\n<category>%s</category>\n<category>%s</category>\n"
                   "<description>%s</description>\n" % (
                       esc(sentence(rng, lang, rng.randint(6, 14))), rng.randint(1, 999), i, rng.randint(1, 10**6), i,
                       rfc822(rng), esc(sentence(rng, lang, 2)), rng.choice(WORDS[lang]), rng.choice(WORDS[lang]), desc))
        if rng.random() < 0.3:
            out.append("<content:encoded><![CDATA[%s]]></content:encoded>\n" % html_body(rng, lang))
        if rng.random() < 0.4:
            out.append('<enclosure url="https://cdn.example.org/img/%d.jpg" length="%d" type="image/jpeg"/>\n'
                       % (rng.randint(1, 10**6), rng.randint(1000, 10**6)))
        out.append("</item>\n")
    out.append("</channel>\n</rss>\n")
    return "".join(out)


def atom(rng, lang, n):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="%s">\n'
           '<title>%s</title>\n<link rel="alternate" type="text/html" href="https://blog.example.org/"/>\n'
           '<link rel="self" href="https://blog.example.org/atom.xml"/>\n<id>tag:blog.example.org,2024:feed</id>\n'
           "<updated>%s</updated>\n" % (lang, esc(sentence(rng, lang, 4)), iso(rng))]
    for i in range(n):
        out.append('<entry>\n<id>tag:blog.example.org,2024:%d</id>\n<title type="html">%s</title>\n'
                   '<link rel="alternate" type="text/html" href="https://blog.example.org/posts/%d"/>\n'
                   "<published>%s</published>\n<updated>%s</updated>\n<author><name>%s</name></author>\n"
                   '<category term="%s"/>\n<summary type="html">%s</summary>\n<content type="html">%s</content>\n'
                   "</entry>\n" % (i, esc(sentence(rng, lang, 9)), i, iso(rng), iso(rng), sentence(rng, lang, 2),
                                   rng.choice(WORDS[lang]), esc(sentence(rng, lang, 16)),
                                   esc(html_body(rng, lang))))
    out.append("</feed>\n")
    return "".join(out)


def rdf(rng, lang, n):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
           '<channel rdf:about="https://rdf.example.org/"><title>%s</title><link>https://rdf.example.org/</link>'
           "<description>%s</description></channel>\n" % (esc(sentence(rng, lang, 3)), esc(sentence(rng, lang, 6)))]
    for i in range(n):
        out.append('<item rdf:about="https://rdf.example.org/a/%d"><title>%s</title><link>https://rdf.example.org/a/%d'
                   "</link><description>%s</description><dc:date>%s</dc:date><dc:creator>%s</dc:creator>"
                   "<dc:subject>%s</dc:subject></item>\n" % (i, esc(sentence(rng, lang, 10)), i,
                                                             esc(html_body(rng, lang)), iso(rng),
                                                             sentence(rng, lang, 2), rng.choice(WORDS[lang])))
    out.append("</rdf:RDF>\n")
    return "".join(out)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    target = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    os.makedirs(target, exist_ok=True)
    rng = random.Random(20240709)
    total = 0
    for k in range(count):
        lang = rng.choice(["en", "en", "uk", "ru", "pl"])
        n = rng.randint(20, 100)
        r = rng.random()
        if r < 0.15 and lang in ("uk", "ru"):
            data = rss20(rng, lang, n, "windows-1251").encode("cp1251")
            name = "feed%03d_rss20_cp1251.xml" % k
        elif r < 0.60:
            data = rss20(rng, lang, n, "utf-8").encode()
            name = "feed%03d_rss20.xml" % k
        elif r < 0.85:
            data = atom(rng, lang, n).encode()
            name = "feed%03d_atom.xml" % k
        else:
            data = rdf(rng, lang, n).encode()
            name = "feed%03d_rdf.xml" % k
        with open(os.path.join(target, name), "wb") as f:
            f.write(data)
        total += len(data)
    print("%d feeds, %.1f MB, %.1f KB average" % (count, total / 1e6, total / count / 1e3))


if __name__ == "__main__":
    main()
