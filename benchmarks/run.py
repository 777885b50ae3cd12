"""``make bench``: one table of every benchmark of the course, with its goal and verdict.

Sections: optimizer throughput (benchmarks/bench_descent.py), one epoch of the numpy network
against PyTorch (benchmarks/bench_nn.py), notebook run time
and kernel peak memory, app update latency through the ipympl canvas, dashboards in headless
Chromium, and a class of 30 visitors at once on the dashboard server (benchmarks/bench_class.py;
both skipped without chromium). Timings depend on the machine and on what else it
runs: the load average is printed with the table.

    python benchmarks/run.py [--only descent,nn,notebooks,apps,browser,classroom]
"""
import argparse
import importlib
import math
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SECTIONS = ("descent", "nn", "notebooks", "apps", "browser", "classroom")


def _verdict(ok):
    return "-" if ok is None else ("pass" if ok else "FAIL")


def _timed_rows(module):
    """Rows of a benchmark module whose run() gives (label, seconds, note, ok), ok being
    whether the row's goal is met (None: the row has no goal)."""
    rows = []
    for label, seconds, note, ok in importlib.import_module(module).run():
        measured = "-" if math.isnan(seconds) else f"{seconds:.3f} s"
        rows.append((label, measured, note, ok))
    return rows


def descent():
    return _timed_rows("bench_descent")


def nn():
    return _timed_rows("bench_nn")


def notebooks():
    bench = importlib.import_module("bench_notebooks")
    rows, total = [], 0.0
    for name, seconds, mb, ok in bench.run():
        total += seconds
        rows.append((f"{name}: run time", f"{seconds:.1f} s", "-", None))
        rows.append((f"{name}: kernel peak memory", f"{mb:.0f} MB", f"<= {bench.KERNEL_GOAL_MB:.0f} MB", ok))
    rows.append(("whole course (sum of run times)", f"{total:.1f} s", f"<= {bench.COURSE_GOAL_S:.0f} s",
                 total <= bench.COURSE_GOAL_S))
    return rows


def apps():
    bench = importlib.import_module("bench_apps")
    rows = [(label if math.isnan(median) else f"{label} (p90 {p90:.1f} ms)",
             "-" if math.isnan(median) else f"{median:.1f} ms",
             f"< {bench.GOAL_MS:.0f} ms ({bench.STRETCH_MS} stretch)", ok)
            for label, median, p90, ok in bench.run()]
    return rows or [("no app defines bench_cases() yet", "-", "-", None)]


def browser():
    bench = importlib.import_module("bench_browser")
    import browser as helpers

    if helpers.chromium() is None:
        return [("skipped: no chromium on PATH", "-", "-", None)]
    rows = []
    for name, seconds, latency, ok, note in bench.run():
        rows.append((f"{name}: widgets drawn", f"{seconds:.1f} s", f"<= {bench.INTERACTIVE_GOAL_S:.0f} s",
                     seconds <= bench.INTERACTIVE_GOAL_S))
        if latency is None:
            rows.append((f"{name}: key-to-pixels latency", "-", note, None))
        else:
            rows.append((f"{name}: key-to-pixels latency ({note})", f"{latency:.0f} ms",
                         f"< {bench.LATENCY_GOAL_MS:.0f} ms", latency < bench.LATENCY_GOAL_MS))
    return rows


def classroom():
    bench = importlib.import_module("bench_class")
    import browser as helpers

    if helpers.chromium() is None:
        return [("skipped: no chromium on PATH", "-", "-", None)]
    return bench.run()


def print_table(table):
    widths = [max(len(str(row[i])) for row in table) for i in range(4)]
    line = "-+-".join("-" * w for w in widths)
    for n, row in enumerate(table):
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0 or row[0].startswith("["):
            print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the course benchmarks and print one table.")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {unknown}; choose from {', '.join(SECTIONS)}")
    table, failed = [("benchmark", "measured", "goal / note", "result")], False
    for name in chosen:
        start = time.perf_counter()
        try:
            rows = globals()[name]()
        except Exception as exc:  # one broken section must not hide the others
            traceback.print_exc()
            rows, failed = [(f"error: {type(exc).__name__}: {exc}", "-", "-", False)], True
        table.append((f"[{name}] ({time.perf_counter() - start:.0f} s to measure)", "", "", ""))
        table += [(label, measured, goal, _verdict(ok)) for label, measured, goal, ok in rows]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nBenchmarks on {os.cpu_count()} cores, load average {load} (1, 5, 15 min)\n")
    print_table(table)
    misses = sum(1 for row in table[1:] if row[3] == "FAIL")
    print(f"\n{misses} goal(s) missed" if misses else "\nall goals met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
