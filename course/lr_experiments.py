"""Learning-rate experiments for lesson 3, as pure numpy functions.

* On the parabola f(w) = c/2 w^2 one gradient step is w <- w - lr c w = (1 - lr c) w, so
  w_k = (1 - lr c)^k w_0: :func:`regime`, :func:`steps_to_converge` (closed form) and
  :func:`simulate_steps_to_converge` (the same by stepping, vectorized over many lrs).
* :func:`lr_range_test`: one pass of mini-batch SGD with lr growing exponentially.
* :func:`schedule_runs`: many runs of mini-batch SGD on one noisy linear regression, one per
  learning-rate schedule, vectorized (all runs see the same mini-batches).
"""
import numbers
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
    arr = np.asarray(value, dtype=float) if allow_array else value
    if allow_array:
        if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr <= 0):
            raise ValueError(f"{name} must hold finite numbers > 0, got {value!r}")
        return arr
    return validate.positive(name, value)



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
    max_steps = validate.integer("max_steps", max_steps, 1)
    w = np.full(lr.shape, float(w0))
    done = np.full(lr.shape, np.inf)
    alive = np.ones(lr.shape, bool)
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
    lr_min, lr_max = _positive("lr_min", lr_min), _positive("lr_max", lr_max)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be > lr_min, got lr_min={lr_min!r}, lr_max={lr_max!r}")
    blowup = _positive("blowup", blowup)
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or not 0 <= beta < 1:
        raise ValueError(f"beta must be a number in [0, 1), got {beta!r}")
    x, y = np.asarray(x, float), np.asarray(y, float)
    batches = list(minibatches(x, y, batch_size, np.random.default_rng(seed)))
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
        w, b = w - lrs[t] * 2 * np.mean(err * xb), b - lrs[t] * 2 * np.mean(err)
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
    if name not in SCHEDULES:
        raise ValueError(f"name must be one of {', '.join(SCHEDULES)}; got {name!r}")
    half_life = _positive("half_life", half_life)
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
    epochs = validate.integer("epochs", epochs, 1)
    rng = np.random.default_rng(seed)
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
    x, y = np.asarray(x, float), np.asarray(y, float)
    stats = minibatch_stats(x, y, batch_size, epochs, seed)
    lrs = np.atleast_2d(np.asarray(lrs, float))
    if lrs.shape[1] != len(stats):
        raise ValueError(f"lrs must have shape (runs, {len(stats)}) for {epochs} epochs of "
                         f"batches of {batch_size}; got {lrs.shape}")
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
        w = np.where(alive, w - lrs[:, t] * gw, w)
        b = np.where(alive, b - lrs[:, t] * gb, b)
        out = alive & (np.maximum(np.abs(w), np.abs(b)) > bound)
        diverged[out] = t + 1
        alive &= ~out
        excess[:, t + 1] = gap(w, b)
    return ScheduleRuns(excess, lrs, diverged)
