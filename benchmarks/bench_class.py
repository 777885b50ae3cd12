"""Benchmark: a class arriving at once on the course's dashboard server (``make dashboard``).

``PAGES`` headless Chromium pages at once (started within ``SPREAD_S`` seconds), round-robin over
the lessons; each page is opened, waits until its widgets and figures are drawn, moves its first
slider, and is closed (which frees its kernel). Loopback only; bounded: every page gives up after
``TIMEOUT_S``, and the run ends ``AFTER_S`` seconds after the last page closed.

Figures: every page's time to widgets (median, p90, max; and the median of when its HTML had
arrived and when its scripts had run and connected to the kernel), pages with an error (none
allowed), kernels and their total resident memory at rest (the preheated pool), at the peak,
and 60 s after the pages closed (goal: back to the pool), how each visitor's kernel was freed
(the page's own shutdown request, or the server once the page's websocket had been closed for
30 s), and the CPU-seconds each visit cost the server and its kernels (its own kernel, plus the
pool's refill it causes) and the headless browsers. A teacher sizes a server from these. The
server's log is kept in ``artifacts/bench_class-server.log``.

    python benchmarks/bench_class.py [--pages N] [notebook.ipynb ...]   (default: every lesson)
"""
import math
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import browser  # noqa: E402  (tests/browser.py)

PAGES, SPREAD_S, TIMEOUT_S, AFTER_S = 30, 5.0, 300.0, 60.0
LOG = Path(__file__).resolve().parent.parent / "artifacts" / "bench_class-server.log"


def _p90(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]


def measure(pages=PAGES, visited=None):
    """The run's figures as a dict (see the module docstring); the pages visit ``visited``
    (default: every lesson), the server serves every lesson."""
    notebooks = browser.notebooks()
    with browser.Voila() as voila:
        voila.wait_idle()
        pool = browser.pool_size(notebooks)
        rest_kernels, rest_mb = voila.kernel_rss()
        start = time.monotonic()
        result = browser.visit_together(voila, visited or notebooks, pages, spread=SPREAD_S, after=AFTER_S, timeout=TIMEOUT_S)
        wall = time.monotonic() - start
        log = voila.output(None)
    LOG.parent.mkdir(exist_ok=True)
    LOG.write_text(log)
    kernels = {v["kernel"] for v in result["visits"]} - {None}
    freed = {how: len(kernels & set(re.findall(rf"Kernel ([0-9a-f-]{{36}}): {pattern}", log)))
             for how, pattern in (("page", "its page was left and asked"), ("left", "its page left"))}
    freed["cull"] = len(kernels & set(re.findall(r"Culling .* kernel .* \(([0-9a-f-]{36})\)", log)))
    seconds = [v["seconds"] for v in result["visits"] if v["seconds"] is not None]
    failed = [v for v in result["visits"] if v["errors"] or v["seconds"] is None]
    stages = {name: statistics.median(v["stages"][name] for v in result["visits"] if v["seconds"] is not None)
              if seconds else math.nan for name in ("html", "loaded", "restored")}
    peak = max(result["during"] + result["after"], key=lambda s: s[2])
    back = next((t - result["closed_at"] for t, n, _ in result["after"] if n <= pool), None)
    end = result["after"][-1]
    return {
        "pages": pages, "pool": pool, "rest_kernels": rest_kernels, "rest_mb": rest_mb,
        "median": statistics.median(seconds) if seconds else math.nan,
        "p90": _p90(seconds) if seconds else math.nan, "max": max(seconds) if seconds else math.nan,
        "failed": failed, "peak_kernels": max(n for _, n, _ in result["during"]), "peak_mb": peak[2],
        "after_kernels": end[1], "after_mb": end[2], "back_s": back,
        "cpu_per_visit": result["cpu_seconds"] / pages, "browser_cpu_per_visit": result["browser_cpu_seconds"] / pages,
        "wall": wall, "visits": result["visits"], "stages": stages, "freed": freed, "visitor_kernels": len(kernels),
    }


def run(pages=PAGES):
    """Rows (label, measured, goal, ok) for benchmarks/run.py's table."""
    m = measure(pages)
    by_lesson = {}
    for v in m["visits"]:
        if v["seconds"] is not None:
            by_lesson.setdefault(v["notebook"][:2], []).append(v["seconds"])
    lessons = ", ".join(f"{k} {statistics.median(s):.0f}" for k, s in sorted(by_lesson.items()))
    back = "never" if m["back_s"] is None else f"after {m['back_s']:.0f} s"
    errors = "; ".join(f"{v['notebook']}: {(v['errors'] or ['no widgets'])[0][:120]}" for v in m["failed"][:3])
    return [
        (f"{pages} pages at once: time to widgets, median (p90 {m['p90']:.0f} s, max {m['max']:.0f} s; "
         f"median by lesson: {lessons} s; medians of the HTML arrived {m['stages']['html']:.0f} s, "
         f"scripts run and kernel connected {m['stages']['loaded']:.0f} s, widget state fetched "
         f"{m['stages']['restored']:.0f} s)", f"{m['median']:.1f} s", "-", None),
        (f"{pages} pages at once: pages with an error or no widgets" + (f" ({errors})" if errors else ""),
         f"{len(m['failed'])}", "0", not m["failed"]),
        (f"kernels at rest (the preheated pool): {m['rest_kernels']}", f"{m['rest_mb']:.0f} MB", "-", None),
        (f"kernels at the peak: {m['peak_kernels']}", f"{m['peak_mb']:.0f} MB",
         f"<= pool + {pages} visitors", m["peak_kernels"] <= m["pool"] + pages),
        (f"kernels {AFTER_S:.0f} s after the pages closed: {m['after_kernels']} (back to the pool {back})",
         f"{m['after_mb']:.0f} MB", f"<= pool ({m['pool']})", m["after_kernels"] <= m["pool"]),
        (f"visitors' kernels freed: {m['freed']['page']} by their page's shutdown request, "
         f"{m['freed']['left']} by the server 30 s after their page's websocket closed, "
         f"{m['freed']['cull']} by the idle cull (of {m['visitor_kernels']})",
         f"{sum(m['freed'].values())}", f"{m['visitor_kernels']}", sum(m["freed"].values()) >= m["visitor_kernels"]),
        ("CPU per visit (server + its kernels, pool refill included)", f"{m['cpu_per_visit']:.1f} s", "-", None),
        ("CPU per visit of the headless browser (at least; on the same cores here, a student's own "
         "computer in class)", f"{m['browser_cpu_per_visit']:.1f} s", "-", None),
    ]


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=PAGES, help=f"pages at once (default {PAGES})")
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons the pages visit (default: every lesson)")
    options = parser.parse_args()
    m = measure(options.pages, [p.resolve() for p in options.notebooks] or None)
    for v in m["visits"]:
        seconds = "-" if v["seconds"] is None else f"{v['seconds']:.1f} s"
        stages = " ".join(f"{k} {t:.0f}" for k, t in v["stages"].items())
        print(f"{v['notebook']:40s} {seconds:>8s}  {stages:34s} {'; '.join(v['errors'])[:200]}")
    print({k: v for k, v in m.items() if k not in ("visits", "failed")})
