"""Benchmark: ``descend`` with Adam from 10,000 starts for 1,000 steps on Rosenbrock.

Goal: at most 0.25 s, and no slower than torch.optim.Adam doing the same work (float64,
one (10000, 2) parameter tensor, closed-form gradient, cost and parameters recorded at
every step) when torch is installed.

    python benchmarks/bench_descent.py

``run()`` returns rows ``(label, seconds, note)`` for the ``make bench`` table.
"""
import statistics
import time

import numpy as np

from course import landscapes
from course.descent import descend
from course.optimizers import Adam

N_STARTS, STEPS, LR, REPEATS = 10_000, 1_000, 0.01, 5
GOAL = 0.25


def _starts():
    return np.random.default_rng(0).uniform([-2.0, -1.0], [2.0, 3.0], size=(N_STARTS, 2))


def _median_seconds(fn):
    fn()  # warm-up
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _ours():
    land, starts = landscapes.get("rosenbrock"), _starts()
    return _median_seconds(lambda: descend(land, Adam(lr=LR), starts, STEPS))


def _torch(torch):
    starts = _starts()

    def work():
        p = torch.tensor(starts, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([p], lr=LR)
        params = torch.empty((STEPS + 1, N_STARTS, 2), dtype=torch.float64)
        cost = torch.empty((STEPS + 1, N_STARTS), dtype=torch.float64)
        with torch.no_grad():
            for k in range(STEPS + 1):
                x, y = p[:, 0], p[:, 1]
                r = y - x * x
                params[k] = p
                cost[k] = (1 - x) ** 2 + 100 * r * r
                if k == STEPS:
                    break
                p.grad = torch.stack((-2 * (1 - x) - 400 * x * r, 200 * r), dim=1)
                opt.step()

    return _median_seconds(work)


def run():
    """Rows (label, seconds, note): ours, and torch's when torch is importable."""
    work = f"Adam, Rosenbrock, {N_STARTS:,} starts x {STEPS:,} steps"
    ours = _ours()
    verdict = "meets" if ours <= GOAL else "misses"
    rows = [(f"descend ({work})", ours,
             f"median of {REPEATS}; goal <= {GOAL} s: {verdict}")]
    try:
        import torch
    except ImportError:
        rows.append(("torch.optim.Adam (same work)", float("nan"), "torch not installed: skipped"))
        return rows
    theirs = _torch(torch)
    rows.append((f"torch.optim.Adam ({work})", theirs,
                 f"float64, torch {torch.__version__}, {torch.get_num_threads()} threads; "
                 f"ours / torch = {ours / theirs:.2f}"))
    return rows


if __name__ == "__main__":
    for label, seconds, note in run():
        print(f"{label:<60} {seconds:8.3f} s   {note}")
