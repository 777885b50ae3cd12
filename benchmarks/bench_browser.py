"""Benchmark: every notebook as a Voila dashboard in headless Chromium.

Per notebook: seconds from the page request until every widget and figure is drawn (with the
kernels Voila preheats as configured in voila.json, measured once the server is idle), of which
the page itself (HTML, scripts, kernel connection) took the seconds noted as "page" (the note
also gives the seconds from the request until the HTML was received, "html", until the widget
state was fetched from the kernel and every model made, "state", and until all was "drawn");
and, when it has a slider that moves a figure, the latency from an arrow-key press on the slider
handle (the page's keydown event) to the first animation frame whose canvas pixels changed (a
pixel checksum taken each time the canvas is drawn into; see ``browser.Page.nudge_slider``),
median of >= 10 presses. The note adds the median time Playwright took to deliver the key after
the watch started ("key +N ms"): the harness's round trip, not the page's work (it was counted
in the latency before 2026-11-23). Until 2026-11-23 the checksums were taken on every animation
frame, which loaded the page's main thread and added 20-40 ms to the optimizer lesson's latency (lesson 5 then, now 6).
The pages use the course's Voila template (mathematics typeset after the widgets are drawn;
``browser.Voila``; ``--template lab`` for Voila's own); the latency is measured once that is done
and, with ``--template``, the note gives its seconds ("math +N s"). ``--no-pool`` serves without
preheated kernels, as a pool's worth is judged.
Each page is loaded ``LOADS`` times (each time a new browser context, so nothing is cached, and
a freshly preheated kernel); the seconds given are the median of those loads, the note lists
them all ("loads 2.4/2.6/2.9 s"). Until 2026-11-23 one load was measured: on this machine one
load of the same page varies by up to 0.5 s, from the machine alone.
Goals: interactive within 3 s; median latency under 100 ms.

    python benchmarks/bench_browser.py [--loads N] [--template lab] [--no-pool] [notebook.ipynb ...]
"""
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import browser  # noqa: E402  (tests/browser.py)

INTERACTIVE_GOAL_S, LATENCY_GOAL_MS, PRESSES, LOADS = 3.0, 100.0, 10, 3
NO_POOL = ("--VoilaConfiguration.preheat_kernel=False",)   # every visit starts and runs its kernel


def _latencies(page, presses=PRESSES, delays=None):
    """Key-to-pixels latencies (ms) on the first slider that changes a figure, or []; the key
    delivery delays (ms, see the module docstring) are appended to ``delays``."""
    for index in range(page.sliders()):
        key = "ArrowRight"
        if page.nudge_slider(index, key=key) is None:
            key = "ArrowLeft"
            if page.nudge_slider(index, key=key) is None:
                continue
        found = []
        for _ in range(presses * 2):
            seconds = page.nudge_slider(index, key=key)
            if seconds is None:  # the handle reached an end: go back the other way
                key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
                continue
            found.append(seconds * 1000)
            if delays is not None and page.key_delay is not None:
                delays.append(page.key_delay * 1000)
            if len(found) == presses:
                break
        return found
    return []


def _open(chromium, voila, path):
    """A new page with the dashboard loaded: (page, seconds until its widgets were drawn)."""
    voila.wait_idle()  # the preheated kernels (voila.json) are ready, as in a classroom
    page = browser.Page(chromium)
    try:
        return page, page.open(voila.url(path))
    except BaseException:
        page.close()
        raise


def run(notebooks=None, template=None, loads=LOADS, args=()):
    """Rows (name, median seconds to interactive over ``loads`` loads, median latency ms or
    None, ok, note) per notebook; the latency is measured on the last load. ``args`` go to the
    server (e.g. ``NO_POOL``)."""
    from playwright.sync_api import sync_playwright

    if browser.chromium() is None:
        raise RuntimeError("no chromium on PATH")
    rows = []
    with browser.Voila(template=template, args=args) as voila, sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        try:
            for path in browser.notebooks() if notebooks is None else notebooks:
                times, errors = [], []
                for n in range(loads):
                    page, seconds = _open(chromium, voila, path)
                    times.append(seconds)
                    if n < loads - 1:     # the last page is measured further, below
                        errors += page.errors + page.error_texts()
                        page.close()
                try:
                    math = page.wait_for_math()
                    delays = []
                    ms = _latencies(page, delays=delays) if page.figures() else []
                    latency = statistics.median(ms) if ms else None
                    loads_note = "/".join(f"{x:.1f}" for x in times)
                    seconds = statistics.median(times)
                    ok = seconds <= INTERACTIVE_GOAL_S and (latency is None or latency < LATENCY_GOAL_MS)
                    note = f"{len(ms)} presses" if ms else "no slider moves a figure"
                    if delays:
                        note += f" (key +{statistics.median(delays):.0f} ms)"
                    if template is not None:
                        note += f"; math +{math:.1f} s"
                    errors += page.errors + page.error_texts()
                    if errors:
                        ok, note = False, f"page errors: {errors[:2]}"
                    t = page.timings
                    rows.append((path.stem, seconds, latency, ok, f"loads {loads_note} s; last: html {t['html']:.1f}, page {t['loaded']:.1f}, "
                                 f"state {t['restored']:.1f}, drawn {t['drawn']:.1f} s; {note}"))
                finally:
                    page.close()
        finally:
            chromium.close()
    return rows


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=LOADS, help=f"loads per page (default {LOADS})")
    parser.add_argument("--template", help="Voila template (e.g. lab); default: the course's")
    parser.add_argument("--no-pool", action="store_true", help="no preheated kernels (voila.json has a pool)")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook")
    options = parser.parse_args()
    for name, seconds, latency, ok, note in run([p.resolve() for p in options.notebooks] or None, options.template,
                                                   options.loads, NO_POOL if options.no_pool else ()):
        lat = f"{latency:6.0f} ms" if latency is not None else "     - ms"
        print(f"{name:40s} interactive {seconds:5.1f} s  latency {lat}  {'pass' if ok else 'FAIL'}  {note}")
