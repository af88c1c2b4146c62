"""bench/run's report: results.json -> results.md (one table, every figure beside the peers',
ratios from the same run) and the PNG plots (gnuplot; skipped with a note if it is missing).

    bench/run --report OUT/results.json
"""
import os
import shutil
import subprocess


def fmt(v, digits=2):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if abs(v) >= 100:
        return "{:,.0f}".format(v)
    return "%.*f" % (digits, v)


def mb(v):
    return None if v is None else v / 1e6


def ratio(ours, peer, higher_is_better=False):
    if not ours or not peer:
        return "—"
    r = ours / peer if higher_is_better else peer / ours
    return "%.0f×" % r if r >= 10 else "%.1f×" % r


def table(results):
    s = results["steps"]
    rows = ["| area | measure | newswatch | peer | peer's figure | newswatch vs peer |", "|---|---|---|---|---|---|"]
    parse = s.get("parse")
    if parse:
        t = parse["tools"]
        ours = t.get("newswatch library", {})
        cli = t.get("newswatch parse --json", {})
        note = "%d feeds, %.1f MB" % (parse["files"], parse["bytes"] / 1e6)
        for peer in ("python3-feedparser", "sfeed", "pugixml load (bare)"):
            p = t.get(peer)
            if not p:
                continue
            rows.append("| parse (%s) | MB/s, CPU, one core: library / `parse --json` | %s / %s | %s | %s | %s / %s |" % (
                note, fmt(ours.get("mb_per_s"), 1), fmt(cli.get("mb_per_s"), 1), peer, fmt(p["mb_per_s"], 1),
                ratio(ours.get("mb_per_s"), p["mb_per_s"], True), ratio(cli.get("mb_per_s"), p["mb_per_s"], True)))
        rows.append("| parse | items/s, library / `parse --json` | %s / %s | python3-feedparser | %s | |" % (
            fmt(ours.get("items_per_s")), fmt(cli.get("items_per_s")),
            fmt(t.get("python3-feedparser", {}).get("items_per_s"))))
    for n, tools in sorted(s.get("poll", {}).items(), key=lambda kv: int(kv[0])):
        nw = tools.get("newswatchd", {})
        for kind in ("cold", "warm"):
            ours = nw.get(kind)
            if not ours:
                continue
            label = "poll round, %s feeds, %s" % ("{:,}".format(int(n)), "cold (200)" if kind == "cold" else "warm (304)")
            base = "wall %s s, CPU %s s, %s MB RSS, %s req/s, %s MB sent" % (
                fmt(ours["wall_s"]), fmt(ours["cpu_s"]), fmt(ours.get("peak_rss_mb"), 0), fmt(ours.get("requests_per_s"), 0),
                fmt(mb(ours.get("bytes_sent")), 1))
            peers = [(p, tools[p][kind]) for p in ("newsboat", "r2e", "sfeed_update") if kind in tools.get(p, {})]
            if not peers:
                rows.append("| %s | wall, CPU, RSS, requests/s, wire | %s | — | — | — |" % (label, base))
            for p, row in peers:
                if row.get("rounds") and row["rounds"] < ours.get("rounds", 0):
                    p = "%s (%d round%s)" % (p, row["rounds"], "" if row["rounds"] == 1 else "s")
                rows.append("| %s | wall / CPU s | %s | %s | wall %s s, CPU %s s, %s MB RSS, %s req/s, %s MB sent | "
                            "%s wall, %s CPU |" % (
                                label, base, p, fmt(row["wall_s"]), fmt(row["cpu_s"]), fmt(row.get("peak_rss_mb"), 0),
                                fmt(row.get("requests_per_s"), 0), fmt(mb(row.get("bytes_sent")), 1),
                                ratio(ours["wall_s"], row["wall_s"]), ratio(ours["cpu_s"], row["cpu_s"])))
                base = "″"
    lat = s.get("latency")
    if lat:
        rows.append("| latency, polling every %d s (%d feeds, publications within %d s) | p50 / p99 s (target p99 ≤ %s s) "
                    "| %s / %s (%d of %d delivered) | — | — | — |" % (
                        lat["interval_s"], lat["feeds"], lat["window_s"], fmt(lat["target_p99_s"], 0), fmt(lat["p50_s"]),
                        fmt(lat["p99_s"]), lat["delivered"], lat["feeds"]))
    ws = s.get("websub")
    if ws:
        rows.append("| latency, WebSub push (%d feeds, publications within %d s) | p50 / p99 s (target p99 ≤ 1 s) "
                    "| %s / %s (%d of %d delivered) | — | — | — |" % (
                        ws["feeds"], ws["window_s"], fmt(ws["p50_s"], 3), fmt(ws["p99_s"], 3), ws["trials"],
                        ws["feeds"]))
    idle = s.get("idle")
    if idle:
        rows.append("| idle, %s feeds at a 15 min interval | CPU %% of one core / wake-ups per min | %s %% / %s | — | — | — |" % (
            "{:,}".format(idle["idle_feeds"]), fmt(idle["idle_cpu_percent"], 3), fmt(idle["wakeups_per_min"], 0)))
        rows.append("| memory held per feed (%s feeds) | KiB per feed beyond a %s MB base | %s | — | — | — |" % (
            " / ".join("{:,}: {:.0f} MB".format(r["feeds"], r["rss_mb"]) for r in idle["hold"]), fmt(idle["base_mb"], 0),
            fmt(idle["kib_per_feed"], 1)))
    sc = s.get("scaling")
    if sc:
        rows.append("| %s-feed cold round by watches | CPU s at %s watches | %s | — | — | — |" % (
            "{:,}".format(sc["feeds"]), " / ".join(str(w["watches"]) for w in sc["watches"]),
            " / ".join(fmt(w["cpu_s"]) for w in sc["watches"])))
        for r in sc.get("by_feeds", []):
            rows.append("| scaling, %s feeds | `--once` cold / warm wall s (CPU s), cold peak RSS | %s / %s (%s / %s), %s MB "
                        "| — | — | — |" % ("{:,}".format(r["feeds"]), fmt(r["cold_wall_s"]), fmt(r["warm_wall_s"]),
                                          fmt(r["cold_cpu_s"]), fmt(r["warm_cpu_s"]), fmt(r["cold_peak_rss_mb"], 0)))
    return "\n".join(rows) + "\n"


def plots(results, out):
    """PNG curves through gnuplot; returns the files written."""
    gnuplot = shutil.which("gnuplot")
    s = results["steps"]
    written = []
    if not gnuplot:
        return written
    series = []
    if s.get("scaling"):
        series.append(("scaling-watches", "watches (log)", "CPU s of a %d-feed cold round" % s["scaling"]["feeds"],
                       [(w["watches"], w["cpu_s"]) for w in s["scaling"]["watches"]], True))
    if s.get("idle"):
        series.append(("scaling-feeds-memory", "feeds held", "resident MB",
                       [(r["feeds"], r["rss_mb"]) for r in s["idle"]["hold"]], False))

    if s.get("scaling", {}).get("by_feeds"):
        f = s["scaling"]["by_feeds"]
        series.append(("scaling-feeds-cold", "feeds", "newswatchd --once cold round, wall s",
                       [(r["feeds"], r["cold_wall_s"]) for r in f], False))
        series.append(("scaling-feeds-warm", "feeds", "newswatchd --once warm (304) round, wall s",
                       [(r["feeds"], r["warm_wall_s"]) for r in f], False))
    for name, xlabel, ylabel, points, logx in series:
        data = os.path.join(out, name + ".dat")
        with open(data, "w") as f:
            f.writelines("%s %s\n" % p for p in points)
        png = os.path.join(out, name + ".png")
        script = ("set terminal png size 640,400\nset output '%s'\nset xlabel '%s'\nset ylabel '%s'\n%s"
                  "set grid\nset yrange [0:*]\nplot '%s' using 1:2 with linespoints lw 2 pt 7 title 'newswatch'\n" % (
                      png, xlabel, ylabel, "set logscale x\n" if logx else "", data))
        if subprocess.run([gnuplot], input=script.encode(), stderr=subprocess.DEVNULL).returncode == 0:
            written.append(os.path.basename(png))
        os.remove(data)
    return written


def write(results, out):
    pngs = plots(results, out)
    m = results.get("machine", {})
    text = ["# newswatch benchmark results", "",
            "Run %s – %s on %s CPUs (%s), %s GiB; load average %s before, %s after. Build: `%s`. %s" % (
                results.get("started"), results.get("finished"), m.get("cpus"), m.get("cpu"), m.get("mem_gib"),
                " / ".join("%.2f" % x for x in results.get("load_before", [])),
                " / ".join("%.2f" % x for x in results.get("load_after", [])), results.get("build"),
                "Peers: " + "; ".join(m.get("peers", {}).values()) + "."),
            "", table(results)]
    if results.get("notes"):
        text.append("Notes: " + "; ".join(results["notes"]) + ".\n")
    if results.get("skipped"):
        text.append("Skipped: " + "; ".join(results["skipped"]) + "\n")
    if results.get("step_seconds"):
        text.append("Duration of each step: " + ", ".join(
            "%s %.0f s" % (k, v) for k, v in results["step_seconds"].items()) + ".\n")
    for p in pngs:
        text.append("![%s](%s)\n" % (p[:-4], p))
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write("\n".join(text))
