"""Benchmark: ``descend`` with Adam from 10,000 starts for 1,000 steps on Rosenbrock.

Goal: no slower than torch.optim.Adam doing the same work in the same run (float64, one
(10000, 2) parameter tensor, closed-form gradient, cost and parameters recorded at every
step), when torch is installed, compared in CPU seconds (median of each). Ours and torch's
are timed in turns, so that both see the same moments of a busy machine. ``descend`` is
the readable loop, each line a formula with its own numpy temporaries (160 KB here). The
run happens as in a lesson's kernel, where the apps have loaded ``course._display``: that
keeps freed heap for the next step's temporaries (``course/_display/runtime.py``; without it
glibc returns and re-faults their pages at every step, about 60,000-120,000 page faults and
a third or more of the time) and turns transparent huge pages off (without that, Linux
compacts memory for numpy's 240 MB history now and then: 0.7-1.3 s instead of 0.5 s).
torch, run in the same process, gets the same settings.

Also the small runs the apps make on every slider move (OptimizerRace, MomentumBowl): one
start, 500 steps, where the time is numpy's per-call overhead; the note gives it per step.

    python benchmarks/bench_descent.py

``run()`` returns rows ``(label, seconds, note, ok)`` for the ``make bench`` table; ``ok``
tells whether the row's goal is met (None for rows without one).
"""
import statistics
import time

import numpy as np

import course._display  # noqa: F401  as in a lesson's kernel (see the docstring)
from course import landscapes
from course.descent import descend
from course.optimizers import Adam, make

N_STARTS, STEPS, LR, REPEATS = 10_000, 1_000, 0.01, 5
SMALL_STEPS = 500
SMALL_CASES = [(land, name, lr) for land in ("rosenbrock", "ill-conditioned")
               for name, lr in (("SGD", 1e-3), ("Momentum", 1e-3), ("Adam", 1e-2))]


def _starts():
    return np.random.default_rng(0).uniform([-2.0, -1.0], [2.0, 3.0], size=(N_STARTS, 2))


def _ours():
    """The work, done by ``descend``: a function of no arguments."""
    land, starts = landscapes.get("rosenbrock"), _starts()
    return lambda: descend(land, Adam(lr=LR), starts, STEPS)


def _torch(torch, **adam_options):
    """The same work with torch.optim.Adam: a function of no arguments."""
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

    return work


def _in_turns(works):
    """{name: (wall seconds of each run, median wall, median CPU)}: every work once as a
    warm-up, then REPEATS rounds in which each runs once."""
    for work in works.values():
        work()
    wall = {name: [] for name in works}
    cpu = {name: [] for name in works}
    for _ in range(REPEATS):
        for name, work in works.items():
            w0, c0 = time.perf_counter(), time.process_time()
            work()
            wall[name].append(time.perf_counter() - w0)
            cpu[name].append(time.process_time() - c0)
    return {name: (wall[name], statistics.median(wall[name]), statistics.median(cpu[name]))
            for name in works}


def _small_rows():
    """One start, SMALL_STEPS steps: seconds per descent (median) and microseconds per step."""
    rows = []
    for land_name, name, lr in SMALL_CASES:
        land = landscapes.get(land_name)
        times = _in_turns({"small": lambda: descend(land, make(name, lr=lr), land.start,
                                                    SMALL_STEPS)})
        _, wall, cpu = times["small"]
        rows.append((f"descend ({name}, {land_name}, 1 start x {SMALL_STEPS} steps)", wall,
                     f"{wall / SMALL_STEPS * 1e6:.1f} us per step, "
                     f"CPU {cpu / SMALL_STEPS * 1e6:.1f} us", None))
    return rows


def run():
    """Rows (label, seconds, note, ok): ours, then torch's when torch is importable.

    Seconds are wall-clock medians; the notes add every run (a busy machine shows as a
    spread) and the CPU time, which depends less on what else the machine is running.
    """
    work = f"Adam, Rosenbrock, {N_STARTS:,} starts x {STEPS:,} steps"
    try:
        import torch
    except ImportError:
        torch = None
    works = {"ours": _ours()}
    if torch is not None:
        threads = torch.get_num_threads()
        torch.set_num_threads(1)      # numpy runs these element-wise loops on one core too
        works["torch.optim.Adam"] = _torch(torch)
        works["torch.optim.Adam(fused=True)"] = _torch(torch, fused=True)
    try:
        times = _in_turns(works)
    finally:
        if torch is not None:
            torch.set_num_threads(threads)
    runs, ours, ours_cpu = times.pop("ours")
    each = "/".join(f"{w:.3f}" for w in runs)
    if torch is None:
        return [(f"descend ({work})", ours, f"median of {REPEATS} ({each}), CPU {ours_cpu:.3f} s; "
                 "torch not installed: no comparison", None)] + _small_rows()
    _, theirs, theirs_cpu = times["torch.optim.Adam"]
    rows = [(f"descend ({work})", ours,
             f"median of {REPEATS} ({each}), CPU {ours_cpu:.3f} s; goal: CPU no more than "
             f"torch.optim.Adam's: ours / torch = {ours_cpu / theirs_cpu:.2f} "
             f"(wall {ours / theirs:.2f})",
             ours_cpu <= theirs_cpu)]
    for label, (runs, wall, cpu) in times.items():
        rows.append((f"{label} (same work)", wall,
                     f"float64, torch {torch.__version__}, 1 thread, median of {REPEATS} "
                     f"({'/'.join(f'{w:.3f}' for w in runs)}), CPU {cpu:.3f} s", None))
    return rows + _small_rows()


if __name__ == "__main__":
    for label, seconds, note, ok in run():
        verdict = "" if ok is None else " (goal met)" if ok else " (goal MISSED)"
        print(f"{label:<60} {seconds:8.3f} s   {note}{verdict}")
