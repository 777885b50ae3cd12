"""Benchmark: ``descend`` with Adam from 10,000 starts for 1,000 steps on Rosenbrock.

Goal: at most 0.25 s, and no slower than torch.optim.Adam doing the same work (float64,
one (10000, 2) parameter tensor, closed-form gradient, cost and parameters recorded at
every step) when torch is installed.

Also the time to write the history alone, with no arithmetic (the part of the goal that is
memory, not computation); when numba is installed, the same work as one compiled loop,
timed in turns with ours (a reference for what fusing every operation would give; numba is
not a dependency of the course); and the small runs the apps make on every slider move
(OptimizerRace, MomentumBowl): one start, 500 steps, where the time is numpy's per-call
overhead; the note gives it per step.

    python benchmarks/bench_descent.py

``run()`` returns rows ``(label, seconds, note, ok)`` for the ``make bench`` table; ``ok``
tells whether the row's goal is met (None for rows without one).
"""
import math
import statistics
import time

import numpy as np

from course import landscapes
from course.descent import descend
from course.optimizers import Adam, make

N_STARTS, STEPS, LR, REPEATS = 10_000, 1_000, 0.01, 5
GOAL = 0.25
SMALL_STEPS = 500
SMALL_CASES = [(land, name, lr) for land in ("rosenbrock", "ill-conditioned")
               for name, lr in (("SGD", 1e-3), ("Momentum", 1e-3), ("Adam", 1e-2))]


def _starts():
    return np.random.default_rng(0).uniform([-2.0, -1.0], [2.0, 3.0], size=(N_STARTS, 2))


def _median_seconds(fn, walls=None):
    """Median wall-clock and CPU seconds of REPEATS runs after a warm-up (each run's
    wall-clock seconds are appended to ``walls`` when given)."""
    fn()
    wall, cpu = [], []
    for _ in range(REPEATS):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    if walls is not None:
        walls += wall
    return statistics.median(wall), statistics.median(cpu)


def _our_work():
    """The benchmark's work, done by ``descend``: a function of no arguments."""
    land, starts = landscapes.get("rosenbrock"), _starts()
    return lambda: descend(land, Adam(lr=LR), starts, STEPS)


def _ours(walls):
    return _median_seconds(_our_work(), walls)


def _small_rows():
    """One start, SMALL_STEPS steps: seconds per descent (median) and microseconds per step."""
    rows = []
    for land_name, name, lr in SMALL_CASES:
        land = landscapes.get(land_name)
        wall, cpu = _median_seconds(lambda: descend(land, make(name, lr=lr), land.start,
                                                    SMALL_STEPS))
        rows.append((f"descend ({name}, {land_name}, 1 start x {SMALL_STEPS} steps)", wall,
                     f"{wall / SMALL_STEPS * 1e6:.1f} us per step, "
                     f"CPU {cpu / SMALL_STEPS * 1e6:.1f} us", None))
    return rows


def _history_alone():
    """Only what any implementation must do besides the arithmetic: take new memory for the
    (steps+1, 2, n) params and (steps+1, n) cost (240 MB here) and write one row of each per
    step. The kernel zeroes each new page first, so every byte is written twice."""
    P, c = _starts().T.copy(), np.ones(N_STARTS)

    def work():
        params, cost = np.empty((STEPS + 1, 2, N_STARTS)), np.empty((STEPS + 1, N_STARTS))
        for k in range(STEPS + 1):
            params[k], cost[k] = P, c

    return _median_seconds(work)


def _fused_adam(numba):
    """The same work as one compiled loop (numba), each step a single pass over the runs: what
    fusing every operation would give, as a reference for the numpy code (not a dependency).
    Returns work(starts, steps, lr, beta1, beta2, eps) -> (params (steps+1, 2, n), cost)."""

    @numba.njit
    def work(starts, steps, lr, beta1, beta2, eps):
        n = len(starts)
        params, cost = np.empty((steps + 1, 2, n)), np.empty((steps + 1, n))
        V, S = np.zeros((2, n)), np.zeros((2, n))
        params[0] = starts.T
        for k in range(steps + 1):
            t = k + 1
            c = math.sqrt(1 - beta2**t)
            lr_t, eps_t = lr * c / (1 - beta1**t), eps * c
            for i in range(n):
                x, y = params[k, 0, i], params[k, 1, i]
                r = y - x * x
                cost[k, i] = (1 - x) ** 2 + 100 * r * r
                if k == steps:
                    continue
                grad = (-2 * (1 - x) - 400 * x * r, 200 * r)
                for j in range(2):
                    V[j, i] = beta1 * V[j, i] + (1 - beta1) * grad[j]
                    S[j, i] = beta2 * S[j, i] + (1 - beta2) * grad[j] ** 2
                    step = lr_t * V[j, i] / (math.sqrt(S[j, i]) + eps_t)
                    params[k + 1, j, i] = params[k, j, i] - step
        return params, cost

    return work


def _numba(numba):
    """Median seconds of the fused loop and of ours, run alternately (after a warm-up that
    compiles it) so that both see the same moments of a busy machine."""
    work, starts = _fused_adam(numba), _starts()
    runs = {"fused": lambda: work(starts, STEPS, LR, 0.9, 0.999, 1e-8), "ours": _our_work()}
    walls = {name: [] for name in runs}
    runs["fused"]()
    for _ in range(REPEATS):
        for name, fn in runs.items():
            w0 = time.perf_counter()
            fn()
            walls[name].append(time.perf_counter() - w0)
    return statistics.median(walls["fused"]), statistics.median(walls["ours"])


def _torch(torch, **adam_options):
    starts = _starts()

    def work():
        p = torch.tensor(starts, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([p], lr=LR, **adam_options)
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
    """Rows (label, seconds, note, ok): ours, and torch's when torch is importable.

    Seconds are wall-clock medians; the note adds every run of ours (a busy machine shows
    as a spread) and the CPU time, which depends less on what else the machine is running.
    """
    work = f"Adam, Rosenbrock, {N_STARTS:,} starts x {STEPS:,} steps"
    walls = []
    ours, ours_cpu = _ours(walls)
    each = "/".join(f"{w:.3f}" for w in walls)
    rows = [(f"descend ({work})", ours,
             f"median of {REPEATS} ({each}), CPU {ours_cpu:.3f} s; goal <= {GOAL} s", ours <= GOAL)]
    floor, _ = _history_alone()
    rows.append(("writing the history alone (no arithmetic)", floor,
                 f"{(STEPS + 1) * N_STARTS * 3 * 8 / 1e6:.0f} MB of new memory, one row per step: "
                 f"{floor / ours:.0%} of ours", None))
    rows += _small_rows()
    try:
        import numba
    except ImportError:
        rows.append(("numba, one fused loop (same work)", float("nan"),
                     "numba not installed: skipped", None))
    else:
        fused, beside = _numba(numba)
        rows.append(("numba, one fused loop (same work)", fused,
                     f"compiled reference, numba {numba.__version__}; ours {beside:.3f} s "
                     f"in turns with it: ours / numba = {beside / fused:.2f}", None))
    try:
        import torch
    except ImportError:
        rows.append(("torch.optim.Adam (same work)", float("nan"), "torch not installed: skipped",
                     None))
        return rows
    threads = torch.get_num_threads()
    torch.set_num_threads(1)          # numpy runs these element-wise loops on one core too
    try:
        for label, options in [("torch.optim.Adam", {}), ("torch.optim.Adam(fused=True)",
                                                          {"fused": True})]:
            theirs, theirs_cpu = _torch(torch, **options)
            rows.append((f"{label} (same work)", theirs,
                         f"float64, torch {torch.__version__}, 1 thread, CPU {theirs_cpu:.3f} s; "
                         f"ours / torch = {ours / theirs:.2f} (CPU {ours_cpu / theirs_cpu:.2f}); "
                         "goal: ours no slower", ours <= theirs))
    finally:
        torch.set_num_threads(threads)
    return rows


if __name__ == "__main__":
    for label, seconds, note, ok in run():
        verdict = "" if ok is None else " (goal met)" if ok else " (goal MISSED)"
        print(f"{label:<60} {seconds:8.3f} s   {note}{verdict}")
