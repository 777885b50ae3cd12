"""Benchmark: one programmatic change in each app, as far as the PNG the browser receives.

Every module in ``course/apps/`` that defines ``bench_cases()`` -> ``[(label, factory, updates)]``
is measured under the ipympl backend (outside a kernel, comms are dummies). One sample is:
``update(app)``, then, when the app asked for a redraw with ``draw_idle``, what the browser's
draw request triggers: ``fig.canvas.draw()``; then ``fig.canvas.get_diff_image()`` (the PNG
ipympl sends; a blitting app has already produced it inside ``update``). Median of >= 30 samples.
Goal: median < 25 ms; stretch goal one 60 Hz frame (16.7 ms).

    python benchmarks/bench_apps.py
"""
import importlib
import math
import pkgutil
import statistics
import time

import matplotlib

matplotlib.use("module://ipympl.backend_nbagg")

GOAL_MS, STRETCH_MS, MIN_SAMPLES = 25.0, 16.7, 30


def app_modules():
    """Modules of course.apps that define bench_cases(), in name order."""
    import course.apps

    found = []
    for info in sorted(pkgutil.iter_modules(course.apps.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"course.apps.{info.name}")
        if callable(getattr(module, "bench_cases", None)):
            found.append(module)
    return found


def _figure(app):
    fig = getattr(app, "fig", None)
    if fig is None:
        raise TypeError(f"{type(app).__name__} has no .fig: apps are built on course.apps.base.App")
    return fig


def time_case(factory, updates, min_samples=MIN_SAMPLES):
    """Milliseconds per update (update + requested draw + PNG), one per sample."""
    if not updates:
        raise ValueError("updates must not be empty")
    app = factory()
    canvas = _figure(app).canvas
    requested = []
    canvas.draw_idle = lambda *args, **kwargs: requested.append(True)  # what the browser is asked for
    canvas.draw()  # the first full frame, as when the page shows the figure
    canvas.get_diff_image()
    samples = []
    while len(samples) < min_samples:
        for update in updates:
            requested.clear()
            t0 = time.perf_counter()
            update(app)
            if requested:
                canvas.draw()
            canvas.get_diff_image()
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def run(min_samples=MIN_SAMPLES, modules=None):
    """Rows (label, median ms, 90th percentile ms, ok) for every bench case.

    A case that raises gives the row (label + the error, nan, nan, False): the others still run.
    """
    rows = []
    for module in app_modules() if modules is None else modules:
        try:
            cases = module.bench_cases()
        except Exception as exc:
            rows.append((f"{module.__name__}.bench_cases() failed: {exc!r}", math.nan, math.nan, False))
            continue
        for label, factory, updates in cases:
            try:
                ms = time_case(factory, updates, min_samples)
            except Exception as exc:
                rows.append((f"{label} failed: {exc!r}", math.nan, math.nan, False))
                continue
            median = statistics.median(ms)
            rows.append((label, median, statistics.quantiles(ms, n=10)[-1], median < GOAL_MS))
    return rows


if __name__ == "__main__":
    for label, median, p90, ok in run():
        stretch = " (under one frame)" if median < STRETCH_MS else ""
        print(f"{label:40s} median {median:6.1f} ms  p90 {p90:6.1f} ms  {'pass' if ok else 'FAIL'}{stretch}")
