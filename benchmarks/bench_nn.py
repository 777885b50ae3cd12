"""Benchmark: one training epoch of the numpy network against the same network in PyTorch.

Two workloads, each run by ``course.training.train(..., epochs=1)`` and by an equivalent
PyTorch loop (``nn.Sequential(Linear, ReLU, Linear)``, ``CrossEntropyLoss``, ``torch.optim``,
float32, the same batch size and the same work: the epoch's steps plus the cost and accuracy
on the training and validation sets before and after it, as ``train`` records them):

* lesson 8: ``[64, 32, 10]`` on the 1,078 training digits, batches of 32 (34 steps);
* the book's shallow net: ``[784, 64, 10]`` on 60,000 MNIST-sized examples, batches of 128
  (469 steps). The pixels are random (nothing is downloaded); the arithmetic is the same.

Both sides use one CPU thread (``course._display``, imported as in a lesson's kernel, limits
BLAS to one thread; torch.set_num_threads(1)), so the ratio compares the code, not the thread
count. Goal: numpy within 1.5x of PyTorch.

    python benchmarks/bench_nn.py

A third row times lesson 9's figure: the cost on a 41 x 41 slice of the digits network's weight
space around its trained weights (``course.network_landscape.slice_around``), goal <= 2 s of
CPU time (it runs on one thread, so on an idle machine that is the wall-clock time).

``run()`` returns rows ``(label, seconds, note)`` for the ``make bench`` table.
"""
import statistics
import time

import numpy as np

import course._display  # noqa: F401  as in a lesson's kernel: one BLAS thread (see the docstring)
from course.data import Digits, digits
from course.nn import Network
from course.optimizers import SGD, Adam
from course.training import train

GOAL_RATIO = 1.5
SLICE_GOAL_S = 2.0


def _medians(fns, repeats, warm_up):
    """Median wall-clock and CPU seconds of each function, calls interleaved (a, b, a, b, ...)
    so that a change in the machine's load hits both alike."""
    if warm_up:
        for fn in fns:
            fn()
    wall, cpu = [[] for _ in fns], [[] for _ in fns]
    for _ in range(repeats):
        for k, fn in enumerate(fns):
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            wall[k].append(time.perf_counter() - w0)
            cpu[k].append(time.process_time() - c0)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu)]


def _workloads():
    d = digits(0)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    small = Digits(f32(d.X_train), d.y_train, f32(d.X_val), d.y_val, f32(d.X_test), d.y_test)
    rng = np.random.default_rng(0)
    n, n_val = 60_000, 10_000
    X = rng.random((n + n_val, 784), dtype=np.float32)
    y = rng.integers(0, 10, n + n_val)
    mnist = Digits(X[:n], y[:n], X[n:], y[n:], X[n:], y[n:])
    # (label, data, sizes, batch size, repeats, warm-up): the big epoch needs no warm-up
    return [("digits [64, 32, 10], batch 32", small, [64, 32, 10], 32, 7, True),
            ("shallow net [784, 64, 10], 60,000 examples, batch 128", mnist, [784, 64, 10], 128, 3,
             False)]


def _ours(data, sizes, batch_size, optimizer):
    def work():
        net = Network(sizes, seed=0)
        train(net, optimizer, data, epochs=1, batch_size=batch_size, seed=0)
    return work


def _torch(torch, data, sizes, batch_size, name, lr):
    nn = torch.nn
    X, y = torch.from_numpy(data.X_train), torch.from_numpy(data.y_train)
    Xv, yv = torch.from_numpy(data.X_val), torch.from_numpy(data.y_val)
    loss = nn.CrossEntropyLoss()

    def record(model):
        with torch.no_grad():
            for A, b in ((X, y), (Xv, yv)):
                Z = model(A)
                loss(Z, b).item()
                (Z.argmax(dim=1) == b).float().mean().item()

    def work():
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.ReLU(), nn.Linear(sizes[1], sizes[2]))
        opt = (torch.optim.SGD if name == "SGD" else torch.optim.Adam)(model.parameters(), lr=lr)
        generator = torch.Generator().manual_seed(0)
        record(model)
        order = torch.randperm(len(X), generator=generator)
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            loss(model(X[idx]), y[idx]).backward()
            opt.step()
        record(model)

    return work


def run():
    """Rows (label, seconds, note, ok): ours and torch's per workload and optimizer, with the
    ratio; ok tells whether ours meets the goal (None on torch's rows and without torch).

    Seconds are wall-clock medians. The verdict uses the ratio of CPU times: both sides run on
    one thread, so on an idle machine CPU time is the wall-clock time, and on a shared machine
    it is the fairer measure (the wall-clock ratio is printed too).
    """
    try:
        import torch
    except ImportError:
        torch = None
    rows = []
    for label, data, sizes, batch_size, repeats, warm_up in _workloads():
        for name, lr in (("SGD", 0.1), ("Adam", 0.003)):
            optimizer = SGD(lr=lr) if name == "SGD" else Adam(lr=lr)
            ours = _ours(data, sizes, batch_size, optimizer)
            if torch is None:
                [(wall, cpu)] = _medians([ours], repeats, warm_up)
                rows.append((f"one epoch, {label}, {name}: numpy", wall,
                             f"CPU {cpu:.3f} s; torch not installed, no comparison", None))
                continue
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                (wall, cpu), (t_wall, t_cpu) = _medians(
                    [ours, _torch(torch, data, sizes, batch_size, name, lr)], repeats, warm_up)
            finally:
                torch.set_num_threads(threads)
            ratio = cpu / t_cpu
            rows.append((f"one epoch, {label}, {name}: numpy", wall,
                         f"CPU {cpu:.3f} s; {ratio:.2f}x PyTorch by CPU time ({wall / t_wall:.2f}x "
                         f"wall-clock); goal <= {GOAL_RATIO}x", ratio <= GOAL_RATIO))
            rows.append((f"one epoch, {label}, {name}: PyTorch {torch.__version__}", t_wall,
                         f"CPU {t_cpu:.3f} s; 1 thread, median of {repeats}", None))
    rows.append(_slice_row())
    return rows


def _slice_row(repeats=3):
    """Lesson 9's 41 x 41 slice of the [64, 32, 10] network on the 1,078 training digits."""
    from course.network_landscape import record_path, slice_around

    data = digits(0)
    net = Network([64, 32, 10], seed=0)
    path = record_path(net, SGD(lr=0.3), data, epochs=3, seed=0)
    [(wall, cpu)] = _medians([lambda: slice_around(net, path, data.X_train, data.y_train, n=41)],
                             repeats, warm_up=True)
    return ("lesson 9: 41 x 41 slice of the digits network's cost", wall,
            f"CPU {cpu:.3f} s, median of {repeats}; goal <= {SLICE_GOAL_S:.0f} s of CPU time "
            f"(one thread: on an idle machine the wall-clock time)", cpu <= SLICE_GOAL_S)


if __name__ == "__main__":
    for label, seconds, note, ok in run():
        verdict = "" if ok is None else " (goal met)" if ok else " (goal MISSED)"
        print(f"{label:75} {seconds:8.4f} s   {note}{verdict}")
