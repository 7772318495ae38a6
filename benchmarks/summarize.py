#!/usr/bin/env python3
"""Prints a Markdown table from JMH JSON results: score ± error and min/median/max of the raw iterations.

usage: python3 benchmarks/summarize.py benchmarks/target/jmh-17.json [more.json ...]
"""
import json
import statistics
import sys


def rows(path):
    with open(path) as f:
        results = json.load(f)
    for r in results:
        name = r["benchmark"].rsplit(".", 2)
        params = ", ".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
        m = r["primaryMetric"]
        raw = [v for fork in m["rawData"] for v in fork]
        yield (f"{name[-2]}.{name[-1]}", params, m["score"], m["scoreError"], min(raw),
               statistics.median(raw), max(raw), len(raw), m["scoreUnit"], r["jdkVersion"])


def decimals(score):
    """One precision per row, from the score: 3 decimals below 1, none from 100 on."""
    return 3 if score < 1 else 2 if score < 10 else 1 if score < 100 else 0


def fmt(x, d):
    return f"{x:,.{d}f}"


for path in sys.argv[1:]:
    table = list(rows(path))
    print(f"\n{path} (JDK {table[0][9] if table else '?'})\n")
    print("| Benchmark | Params | Score ± error | Min | Median | Max | n | Unit |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for name, params, score, error, lo, med, hi, n, unit, _ in table:
        d = decimals(score)
        print(f"| {name} | {params} | {fmt(score, d)} ± {fmt(error, d)} | {fmt(lo, d)} | {fmt(med, d)} | {fmt(hi, d)} "
              f"| {n} | {unit} |")
