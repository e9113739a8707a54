#!/usr/bin/env python3
"""Turns one benchmark run (tests/bench/run.sh's work folder) into the Markdown of results.md:
the machine, one table per case with medians and every figure as a ratio to the peers timed in
the same run, peak memory, and the README's speed targets each marked met or missed.

usage: report.py WORK_DIR     (reads sample.json, long.json, batch.json from hyperfine, and
                               rss.tsv, machine.tsv, inputs.tsv written by run.sh)
"""
import json
import os
import sys

PEERS = ["pandoc docx", "pandoc epub3", "typst pdf"]
ALL = "briefpress pdf+docx+epub"
PY = "python3 + import typst"
# The README's speed targets (Performance).
SUM_TARGET = 20.0      # sample, all three formats: x faster than the three peers summed
FASTEST_TARGET = 3.0   # ... and than the fastest single peer
GROWTH_TARGET = 10.0   # 10x article: time grows at most 10x
SCALING_TARGET = 1.8   # batch: 2 threads at least 1.8x faster than 1
RSS_SAMPLE_MB = 50.0   # peak RSS, MB (10^6 bytes)
RSS_BATCH_MB = 150.0


def load(work, name):
    with open(os.path.join(work, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def tsv(work, name):
    with open(os.path.join(work, name)) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def ms(seconds):
    v = seconds * 1000
    return "%.0f ms" % v if v >= 100 else "%.1f ms" % v


def ratio(x):
    return "%.1f×" % x if x < 100 else "%.0f×" % x


def verdict(ok):
    return "**met**" if ok else "**missed**"


def case_table(res, title, base=None):
    """Rows of one article case; `base` (the sample's results) adds a growth column."""
    med = {k: r["median"] for k, r in res.items()}
    peers_sum = sum(med[p] for p in PEERS)
    head = ["command", "median", "min", "max", "CPU", "× pandoc docx", "× pandoc epub3", "× Typst",
            "× peers summed"]
    if base:
        head.append("growth vs sample")
    out = ["### " + title, "",
           "Ratios are the peer's median divided by this row's median: above 1 means this row "
           "is that many times faster. CPU is the mean user + system time per run.", "",
           "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, r in res.items():
        row = [name, ms(r["median"]), ms(r["min"]), ms(r["max"]), ms(r["user"] + r["system"])]
        row += [ratio(med[p] / r["median"]) for p in PEERS]
        row.append(ratio(peers_sum / r["median"]))
        if base:
            row.append("%.2f×" % (r["median"] / base[name]["median"]) if name in base else "")
        out.append("| " + " | ".join(row) + " |")
    out.append("| peers summed (docx + epub3 + Typst) | %s | | | | | | | |%s" %
               (ms(peers_sum), " |" if base else ""))
    return out


def main(work):
    machine = dict(tsv(work, "machine.tsv"))
    inputs = {(c, k): v for c, k, v in tsv(work, "inputs.tsv")}
    rss = {(c, k): int(v) for c, k, v in tsv(work, "rss.tsv")}
    sample, long_, batch = load(work, "sample"), load(work, "long"), load(work, "batch")

    out = ["# briefpress benchmark", "",
           "Written by `tests/bench/run.sh` (whole processes timed with hyperfine; medians). "
           "Rerun it to replace this file.", "",
           "| machine | |", "|---|---|"]
    for k in ("cpu", "cores", "ram", "os", "briefpress", "rustc", "pandoc", "typst", "hyperfine",
              "load", "runs"):
        out.append("| %s | %s |" % (k, machine.get(k, "")))
    out += ["",
            "Articles: the sample (`source/us-colombia-ties-edited.md`, %s words, photo; "
            "briefpress sets it on %s pages, Typst on %s) and the same body ten times over under "
            "numbered section headings (%s words; %s and %s pages). Peers get the same article: "
            "pandoc reads a Markdown copy with its own metadata keys and the photo as a figure; "
            "Typst (PyPI `typst`, run from a 10-line Python wrapper) gets a document on the same "
            "page (A4, margins 25/30 mm, Noto Serif 11 pt on 15.4 pt, justified, hyphenated, "
            "photo, running header, folio). The row `python3 + import typst` is the wrapper "
            "doing nothing: the interpreter's share of the Typst figure."
            % (inputs.get(("sample", "words")), inputs.get(("sample", "briefpress pages")),
               inputs.get(("sample", "typst pages")), inputs.get(("long", "words")),
               inputs.get(("long", "briefpress pages")), inputs.get(("long", "typst pages"))),
            ""]
    out += case_table(sample, "Sample article") + [""]
    out += case_table(long_, "Ten times as long", base=sample) + [""]
    # The image cases, when this run has them.
    for name, title in (("pngphoto", "The sample with a PNG photo"),
                        ("charts", "The sample with three PNG charts and its JPEG photo"),
                        ("plain", "The sample without images")):
        if os.path.exists(os.path.join(work, name + ".json")):
            out += case_table(load(work, name), title, base=sample) + [""]

    n = int(machine.get("batch", "100"))
    one = batch["batch, RAYON_NUM_THREADS=1"]["median"]
    peers_sum = sum(sample[p]["median"] for p in PEERS)
    out += ["### Batch: `briefpress build` with %d sources (PDF + DOCX + EPUB each)" % n, "",
            "`× peers summed` divides %d times the sample's peers summed (the peers were not run "
            "%d times; a derived figure) by the batch's median." % (n, n), "",
            "| command | median | min | max | CPU | per brief | speed-up vs 1 thread | × peers summed |",
            "|---|---|---|---|---|---|---|---|"]
    for name, r in batch.items():
        out.append("| %s | %s | %s | %s | %s | %s | %.2f× | %s |" % (
            name, ms(r["median"]), ms(r["min"]), ms(r["max"]), ms(r["user"] + r["system"]),
            ms(r["median"] / n),
            one / r["median"], ratio(n * peers_sum / r["median"])))
    out += ["", "### Peak memory (maximum resident set size, `/usr/bin/time -v`, largest of 3)", "",
            "| case | command | peak RSS |", "|---|---|---|"]
    for (case, name), kb in rss.items():
        out.append("| %s | %s | %.1f MB |" % (case, name, kb * 1024 / 1e6))

    # Targets: judged on wall-clock medians, as the README states them; the same ratios on CPU time
    # (user + system, means) are shown beside them because they move less with the machine's load.
    def cpu(r):
        return r["user"] + r["system"]

    all_s = sample[ALL]["median"]
    fastest_name = min(PEERS, key=lambda p: sample[p]["median"])
    fastest = sample[fastest_name]["median"]
    typst_net = sample["typst pdf"]["median"] - sample[PY]["median"]
    net_sum = sample["pandoc docx"]["median"] + sample["pandoc epub3"]["median"] + typst_net
    cpu_sum = sum(cpu(sample[p]) for p in PEERS)
    cpu_fastest = min(cpu(sample[p]) for p in PEERS)
    growth = long_[ALL]["median"] / all_s
    two = batch["batch, RAYON_NUM_THREADS=2"]["median"]
    rss_sample = rss[("sample", ALL)] * 1024 / 1e6
    rss_batch = max(v for (c, _), v in rss.items() if c == "batch") * 1024 / 1e6
    out += ["", "### Targets", "",
            "Judged on the wall-clock medians above. The CPU column gives the same ratio on "
            "user + system time, which moves less with the load of a shared machine.", "",
            "| target | measured (wall) | CPU time | |", "|---|---|---|---|",
            "| sample, all three formats, ≥ %.0f× faster than the peers summed | %.1f× "
            "(%.1f× counting Typst without its interpreter start) | %.1f× | %s |"
            % (SUM_TARGET, peers_sum / all_s, net_sum / all_s, cpu_sum / cpu(sample[ALL]),
               verdict(peers_sum / all_s >= SUM_TARGET)),
            "| sample, all three formats, ≥ %.0f× faster than the fastest single peer (%s) | %.1f× "
            "| %.1f× | %s |" % (FASTEST_TARGET, fastest_name, fastest / all_s,
                                cpu_fastest / cpu(sample[ALL]),
                                verdict(fastest / all_s >= FASTEST_TARGET)),
            "| 10× article: time grows ≤ %.0f× | %.2f× | %.2f× | %s |"
            % (GROWTH_TARGET, growth, cpu(long_[ALL]) / cpu(sample[ALL]),
               verdict(growth <= GROWTH_TARGET)),
            "| batch of %d: 2 threads ≥ %.1f× faster than 1 | %.2f× | — | %s |"
            % (n, SCALING_TARGET, one / two, verdict(one / two >= SCALING_TARGET)),
            "| peak RSS, sample ≤ %.0f MB | %.1f MB | — | %s |"
            % (RSS_SAMPLE_MB, rss_sample, verdict(rss_sample <= RSS_SAMPLE_MB)),
            "| peak RSS, batch ≤ %.0f MB | %.1f MB | — | %s |"
            % (RSS_BATCH_MB, rss_batch, verdict(rss_batch <= RSS_BATCH_MB)),
            ""]
    if int(machine.get("cores", "2")) < 2:
        out.append("This machine has one core: the scaling figure says nothing.")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
