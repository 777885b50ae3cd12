"""Learning-rate experiments for lesson 3, as pure numpy functions.

* On the parabola f(w) = c/2 w^2 one gradient step is w <- w - lr c w = (1 - lr c) w, so
  w_k = (1 - lr c)^k w_0: :func:`regime`, :func:`steps_to_converge` (closed form) and
  :func:`simulate_steps_to_converge` (the same by stepping, vectorized over many lrs).
* :func:`lr_range_test`: one pass of mini-batch SGD with lr growing exponentially.
* :func:`schedule_runs`: many runs of mini-batch SGD on one noisy linear regression, one per
  learning-rate schedule, vectorized (all runs see the same mini-batches).
"""
from dataclasses import dataclass

import numpy as np

from course import schedules, validate
from course.data import minibatches

__all__ = ["regime", "steps_to_converge", "simulate_steps_to_converge", "RangeTest",
           "lr_range_test", "SCHEDULES", "LR0S", "HALF_LIVES", "make_schedule", "minibatch_stats",
           "ScheduleRuns", "schedule_runs"]

# Regimes of gradient descent on a parabola, by x = lr * c (the factor is 1 - x).
_EXACT_TOL = 1e-6   # lr * c within this of 1 or 2 counts as exactly 1 or 2 (slider rounding)


def _positive(name, value, allow_array=False):
    if allow_array:
        arr = validate.array(name, value)
        if arr.size == 0 or np.any(arr <= 0):
            raise ValueError(f"{name} must hold finite numbers > 0, got {validate._show(value)}")
        return arr
    return validate.positive(name, value)


def _line_data(x, y, limit=1e6):
    """x and y for a line fit: 1-D, the same length, at least 2 values of x not all equal,
    every |value| <= limit (so that the sums of squares stay far from overflowing)."""
    x = validate.array("x", x, shape=("m",), limit=limit)
    if len(x) < 2 or not np.var(x) > 1e-12 * np.mean(x * x):   # else the fit is ill-posed
        raise ValueError(f"x must hold at least 2 values spread out (var(x) > 1e-12 mean(x**2)), "
                         f"got {validate._show(x)}")
    y = validate.array("y", y, limit=limit)
    if y.shape != x.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    return x, y



def regime(lr, curvature):
    """Name the behaviour of w <- (1 - lr c) w from x = lr * c.

    Returns one of ``"creeping"`` (x < 0.5), ``"steady"`` (0.5 <= x < 1), ``"one step"``
    (x = 1: the factor is 0), ``"oscillating"`` (1 < x < 2), ``"on the edge"`` (x = 2:
    |1 - x| = 1, it bounces for ever) and ``"diverging"`` (x > 2); "x = 1" and "x = 2" mean
    to within 1e-6, the rounding of a slider.
    """
    x = _positive("lr", lr) * _positive("curvature", curvature)
    if abs(x - 1) <= _EXACT_TOL:
        return "one step"
    if abs(x - 2) <= _EXACT_TOL:
        return "on the edge"
    if x < 0.5:
        return "creeping"
    if x < 1:
        return "steady"
    if x < 2:
        return "oscillating"
    return "diverging"


def steps_to_converge(lr, curvature, tol=1e-3):
    """Steps k until |w_k| <= tol |w_0| on f = c/2 w^2, in closed form (np.inf if never).

    With r = |1 - lr c|: k = 1 when r = 0, k = ceil(ln tol / ln r) when 0 < r < 1, never when
    r >= 1. ``lr`` may be an array; the result has its shape (float, so that inf fits).
    """
    lr = _positive("lr", lr, allow_array=True)
    c = _positive("curvature", curvature)
    tol = _positive("tol", tol)
    if tol >= 1:
        raise ValueError(f"tol must be in (0, 1), got {tol!r}")
    with np.errstate(over="ignore"):       # lr * c = inf: never converges
        r = np.abs(1.0 - lr * c)
    k = np.full(r.shape, np.inf)
    fast = r < 1
    safe_r = np.where(fast & (r > 0), r, 0.5)  # no log of 0 or of r >= 1
    guess = np.maximum(np.ceil(np.log(tol) / np.log(safe_r) - 1e-9), 1.0)
    # the ceiling can be one off when ln tol / ln r is within rounding of an integer: fix it
    guess = np.where(safe_r ** guess > tol, guess + 1, guess)
    guess = np.where((guess > 1) & (safe_r ** (guess - 1) <= tol), guess - 1, guess)
    k[fast] = np.where(r[fast] == 0, 1.0, guess[fast])
    return k if k.ndim else float(k)


def simulate_steps_to_converge(lr, curvature, tol=1e-3, max_steps=10_000, w0=1.0, bound=1e6):
    """The same count by running w <- w - lr f'(w) for every lr at once (np.inf if not
    converged within max_steps). A run is frozen once |w| > bound |w_0|, so nothing overflows."""
    lr = _positive("lr", lr, allow_array=True)
    c = _positive("curvature", curvature)
    tol, bound = _positive("tol", tol), validate.number("bound", bound, low=1.0, high=1e100)
    max_steps = validate.steps("max_steps", max_steps, 1)
    w0 = validate.number("w0", w0, low=-1e100, high=1e100)
    if w0 == 0:
        raise ValueError("w0 must be a number other than 0 (the run starts at the minimum)")
    validate.memory("4 * lr.size", 4 * lr.size, lr=lr.shape)
    w = np.full(lr.shape, w0)
    done = np.full(lr.shape, np.inf)
    alive = np.ones(lr.shape, bool)
    with np.errstate(over="ignore", invalid="ignore"):  # runs past the bound are frozen
        for k in range(1, max_steps + 1):
            w = np.where(alive, w - lr * (c * w), w)
            hit = alive & (np.abs(w) <= tol * abs(w0))
            done[hit] = k
            alive &= ~hit & (np.abs(w) <= bound * abs(w0))
            if not alive.any():
                break
    return done if done.ndim else float(done)


# ------------------------------------------------------------------ learning-rate range test

@dataclass(frozen=True, eq=False)
class RangeTest:
    """``lr`` and mini-batch ``cost`` at every step of the sweep, ``smooth`` its running mean
    (bias-corrected), ``stopped_at`` the step where the cost blew up (-1 if it never did),
    ``lr_at_min`` the lr of the lowest smoothed cost and ``suggestion`` = lr_at_min / 10."""

    lr: np.ndarray
    cost: np.ndarray
    smooth: np.ndarray
    stopped_at: int
    lr_at_min: float
    suggestion: float


def lr_range_test(x, y, lr_min=1e-4, lr_max=10.0, batch_size=8, seed=0, blowup=4.0, beta=0.9):
    """One pass of mini-batch SGD on J(w, b) = mean((w x + b - y)^2), from (0, 0), with
    lr_t = lr_min (lr_max / lr_min)^(t / (T - 1)) at step t = 0 .. T-1.

    Stops as soon as the smoothed cost exceeds ``blowup`` times its lowest value.
    Smoothing: s_t = beta s_(t-1) + (1 - beta) cost_t, divided by 1 - beta^(t+1).
    """
    lr_min = validate.number("lr_min", lr_min, 1e-12, 1e6)
    lr_max = validate.number("lr_max", lr_max, 1e-12, 1e6)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be > lr_min, got lr_min={lr_min!r}, lr_max={lr_max!r}")
    blowup = validate.number("blowup", blowup, low=1.0, high=1e6, low_open=True)
    beta = validate.rate("beta", beta)
    x, y = _line_data(x, y)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    batches = list(minibatches(x, y, batch_size, rng))
    T = len(batches)
    lrs = lr_min * (lr_max / lr_min) ** (np.arange(T) / max(T - 1, 1))
    cost, smooth = np.empty(T), np.empty(T)
    w = b = avg = 0.0
    best, stopped = np.inf, -1
    for t, (xb, yb) in enumerate(batches):
        err = w * xb + b - yb
        cost[t] = np.mean(err * err)
        avg = beta * avg + (1 - beta) * cost[t]
        smooth[t] = avg / (1 - beta ** (t + 1))
        best = min(best, smooth[t])
        if smooth[t] > blowup * best:
            stopped = t
            break
        with np.errstate(over="ignore", invalid="ignore"):
            w, b = w - lrs[t] * 2 * np.mean(err * xb), b - lrs[t] * 2 * np.mean(err)
        if not max(abs(w), abs(b)) <= 1e100:     # the next cost would overflow: it blew up
            stopped = t
            break
    n = T if stopped < 0 else stopped + 1
    at_min = float(lrs[int(np.argmin(smooth[:n]))])
    return RangeTest(lrs[:n], cost[:n], smooth[:n], stopped, at_min, at_min / 10)


# ------------------------------------------------------------------ decay schedules

SCHEDULES = ("constant", "step", "exponential", "inverse-time", "cosine", "warm-up + cosine")
LR0S = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)               # the initial rates lesson 3 compares
HALF_LIVES = (5, 10, 20, 50, 100, 200, 500, 1000)       # and the decay half-lives (steps)


def make_schedule(name, lr0, half_life, warmup_steps=20):
    """A schedule from ``course.schedules`` whose decay is set by one number, its half-life h
    (steps until the lr first falls to lr0 / 2; smaller h = stronger decay):

    step: halve every h steps; exponential: rate 2^(-1/h); inverse-time: decay 1/h;
    cosine: total = 2h (zero after 2h steps); warm-up + cosine: a linear ramp over
    ``warmup_steps`` steps, then the cosine. ``constant`` ignores h.
    """
    if not (isinstance(name, str) and name in SCHEDULES):
        raise ValueError(f"name must be one of {', '.join(SCHEDULES)}; got {validate._show(name)}")
    half_life = validate.number("half_life", half_life, low=0.0, high=1e15, low_open=True)
    warmup_steps = validate.integer("warmup_steps", warmup_steps, 0)
    if name == "constant":
        return schedules.constant(lr0)
    if name == "step":
        return schedules.step_decay(lr0, drop=0.5, every=max(1, round(half_life)))
    if name == "exponential":
        return schedules.exponential_decay(lr0, rate=0.5 ** (1 / half_life))
    if name == "inverse-time":
        return schedules.inverse_time(lr0, decay=1 / half_life)
    cos = schedules.cosine(lr0, total=max(1, round(2 * half_life)))
    return cos if name == "cosine" else schedules.warmup(cos, warmup_steps)


def minibatch_stats(x, y, batch_size, epochs, seed=0):
    """Per-step sums of every mini-batch, shape (steps, 5): n, sum x, sum x^2, sum y, sum x y.

    The gradient of the batch cost mean((w x + b - y)^2) is linear in (w, b) given these sums:
    dJ/dw = 2 (w Sxx + b Sx - Sxy) / n,  dJ/db = 2 (w Sx + b n - Sy) / n.
    """
    x, y = _line_data(x, y)
    epochs = validate.integer("epochs", epochs, 1)
    batch_size = validate.integer("batch_size", batch_size, 1, len(x))
    validate.steps("epochs * steps per epoch", epochs * -(-len(x) // batch_size))
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    rows = [(len(xb), xb.sum(), xb @ xb, yb.sum(), xb @ yb)
            for _ in range(epochs) for xb, yb in minibatches(x, y, batch_size, rng)]
    return np.array(rows, dtype=float)


@dataclass(frozen=True, eq=False)
class ScheduleRuns:
    """``excess`` (runs, steps+1): full-data cost minus its minimum, J(w_t, b_t) - J*;
    ``lr`` (runs, steps) the rates used; ``diverged_at`` (runs,) the step where |params|
    passed the bound (-1 if never; the run is frozen from there)."""

    excess: np.ndarray
    lr: np.ndarray
    diverged_at: np.ndarray


def schedule_runs(x, y, lrs, batch_size=4, epochs=10, seed=0, start=(0.0, 0.0), bound=1e6):
    """Mini-batch SGD on J(w, b) = mean((w x + b - y)^2), one run per row of ``lrs``
    (shape (runs, steps), the learning rate of each run at each step), all on the same batches.

    The excess cost is computed exactly as the quadratic form d^T A d with d = (w, b) - (w*, b*)
    and A = [[mean x^2, mean x], [mean x, 1]].
    """
    x, y = _line_data(x, y)
    stats = minibatch_stats(x, y, batch_size, epochs, seed)
    lrs = np.atleast_2d(validate.array("lrs", lrs, limit=1e6))
    if lrs.ndim != 2 or lrs.shape[1] != len(stats) or np.any(lrs < 0):
        raise ValueError(f"lrs must have shape (runs, {len(stats)}) for epochs={epochs} and "
                         f"batch_size={batch_size}, every lr >= 0; got {validate._show(lrs)}")
    validate.memory("2 * runs * (steps + 1)", 2 * lrs.size + 2 * len(lrs), runs=len(lrs),
                    steps=len(stats))
    bound = validate.number("bound", bound, low=0.0, high=1e12, low_open=True)
    start = validate.array("start", start, shape=(2,))
    if np.any(np.abs(start) > bound):
        raise ValueError(f"start must lie within [-bound, bound] = [-{bound:g}, {bound:g}]")
    mx, mxx = x.mean(), np.mean(x * x)
    A = np.array([[mxx, mx], [mx, 1.0]])
    best = np.linalg.solve(A, [np.mean(x * y), y.mean()])
    R, T = lrs.shape
    w = np.full(R, float(start[0]))
    b = np.full(R, float(start[1]))
    alive = np.ones(R, bool)
    diverged = np.full(R, -1)
    excess = np.empty((R, T + 1))

    def gap(w, b):
        dw, db = w - best[0], b - best[1]
        return mxx * dw * dw + 2 * mx * dw * db + db * db

    excess[:, 0] = gap(w, b)
    for t, (n, sx, sxx, sy, sxy) in enumerate(stats):
        gw = 2 * (w * sxx + b * sx - sxy) / n
        gb = 2 * (w * sx + b * n - sy) / n
        new_w, new_b = w - lrs[:, t] * gw, b - lrs[:, t] * gb
        out = alive & (np.maximum(np.abs(new_w), np.abs(new_b)) > bound)
        diverged[out] = t + 1
        alive &= ~out
        w, b = np.where(alive, new_w, w), np.where(alive, new_b, b)   # frozen at the last point
        excess[:, t + 1] = gap(w, b)
    return ScheduleRuns(excess, lrs, diverged)
