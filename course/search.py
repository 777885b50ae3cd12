"""Hyperparameter search on a landscape: tune a learning rate, grid against random search.

Every function runs ``course.descent.descend`` once and reduces the trajectories to numbers.
The trials run side by side: the optimizers' update rules broadcast, so an optimizer whose
``lr`` (or ``beta``) is a column ``(n, 1)`` of values steps ``n`` rows of parameters, row i
with the i-th value (:func:`batched`). One call of ``descend`` over ``n`` copies of the start
then races all ``n`` trials at the price of one.

The quality of a run is its *gap* ``J(w_T) - J*`` after T steps (``J*`` the landscape's
minimum value) and its :func:`score`, one number where lower is better::

    gap first <= tol at step c
    and still <= tol at step T  ->  c                      (in 0 .. T)
    still going, final gap g    ->  T + 1 + g / (1 + g)    (in T+1 .. T+2)
    diverged at step d          ->  T + 2 + (T - d) / T    (later divergence ranks better)
"""
from dataclasses import dataclass

import numpy as np

from course.descent import descend
from course.optimizers import make

__all__ = ["lr_grid", "gap", "score", "batched", "race_trials", "TuneResult", "tune_lr",
           "grid_trials", "random_trials", "final_gaps", "cost_map", "best_trial"]


def lr_grid(lo=1e-4, hi=1.0, n=12):
    """``n`` learning rates spaced evenly in log10 between ``lo`` and ``hi``."""
    if not (0 < lo < hi and np.isfinite(hi)):
        raise ValueError(f"lo and hi must satisfy 0 < lo < hi < inf, got lo={lo!r}, hi={hi!r}")
    if int(n) < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    return np.geomspace(lo, hi, int(n))


def gap(landscape, cost):
    """``J - J*`` (never below 0); ``J*`` is 0 when the landscape has no minimum value."""
    ref = 0.0 if landscape.min_value is None else landscape.min_value
    return np.maximum(np.asarray(cost, dtype=float) - ref, 0.0)


def score(landscape, traj, tol):
    """One number per start, lower is better (see the module docstring); shape ``(n,)``."""
    steps = traj.cost.shape[0] - 1
    g = gap(landscape, traj.cost[-1])
    s = steps + 1 + g / (1.0 + g)
    s = np.where((traj.converged_at >= 0) & (g <= tol), traj.converged_at, s)
    late = (steps - traj.diverged_at) / max(steps, 1)
    return np.where(traj.diverged_at >= 0, steps + 2 + late, s)


def batched(name, lrs, betas=None, beta_name="beta", **hyper):
    """An optimizer ``name`` whose learning rate (and ``beta_name``) is one value per row.

    Built by ``make`` with the first values (which checks them), then the hyperparameters
    become columns ``(n, 1)`` that broadcast against parameters of shape ``(n, d)``.
    """
    lrs = np.asarray(lrs, dtype=float).ravel()
    extra = {}
    if betas is not None:
        betas = np.broadcast_to(np.asarray(betas, dtype=float).ravel(), lrs.shape)
        extra[beta_name] = float(betas.max())
        if not (betas.min() >= 0):
            raise ValueError(f"{beta_name} must be in [0, 1), got {betas.min()!r}")
    if not (np.all(np.isfinite(lrs)) and lrs.min() > 0):
        raise ValueError(f"lrs must be finite numbers > 0, got min {lrs.min()!r}")
    opt = make(name, lr=float(lrs.max()), **extra, **hyper)
    opt.lr = lrs[:, None]
    if betas is not None:
        setattr(opt, beta_name, np.array(betas[:, None]))
    return opt


def race_trials(landscape, name, start, steps, lrs, betas=None, beta_name="beta", tol=None,
                **hyper):
    """Race every trial (lr_i, beta_i) from the same ``start`` in one ``descend`` call.

    Returns the Trajectory: row i of ``params``, ``cost``, ``diverged_at``, ... is trial i.
    """
    opt = batched(name, lrs, betas, beta_name, **hyper)
    starts = np.tile(np.asarray(start, dtype=float).reshape(1, -1), (opt.lr.shape[0], 1))
    return descend(landscape, opt, starts, steps, tol=tol)


@dataclass
class TuneResult:
    """``lrs`` tried, their ``scores`` (lower is better), the ``best_lr``, index ``best`` and ``traj``."""

    lrs: np.ndarray
    scores: np.ndarray
    best_lr: float
    best: int
    traj: object


def tune_lr(landscape, name, start, steps, lrs=None, tol=1e-6, **hyper):
    """Race ``name`` with every learning rate in ``lrs`` (default :func:`lr_grid`) from ``start``.

    Returns a :class:`TuneResult`; the best learning rate has the lowest :func:`score`
    (ties go to the smaller learning rate).
    """
    lrs = lr_grid() if lrs is None else np.asarray(lrs, dtype=float).ravel()
    traj = race_trials(landscape, name, start, steps, lrs, tol=tol, **hyper)
    scores = score(landscape, traj, tol)
    i = int(np.argmin(scores))
    return TuneResult(lrs, scores, float(lrs[i]), i, traj)


def grid_trials(n, lr_range=(1e-3, 1.0), beta_range=(0.0, 0.99)):
    """A k x k grid (k = floor(sqrt(n))): lr log-spaced, beta evenly spaced; arrays ``(k*k,)``."""
    k = int(np.sqrt(n))
    if k < 1:
        raise ValueError(f"n must be >= 1, got {n!r}")
    L, B = np.meshgrid(np.geomspace(*lr_range, k), np.linspace(*beta_range, k))
    return L.ravel(), B.ravel()


def random_trials(n, lr_range=(1e-3, 1.0), beta_range=(0.0, 0.99), seed=0):
    """``n`` random trials: lr log-uniform, beta uniform, from ``default_rng(seed)``."""
    if int(n) < 1:
        raise ValueError(f"n must be >= 1, got {n!r}")
    rng = np.random.default_rng(seed)
    lr = 10 ** rng.uniform(np.log10(lr_range[0]), np.log10(lr_range[1]), int(n))
    return lr, rng.uniform(*beta_range, int(n))


def final_gaps(landscape, name, start, steps, lrs, betas, beta_name="beta", **hyper):
    """Final gap ``J(w_T) - J*`` and divergence flag of each trial (lr_i, beta_i); shapes ``(n,)``."""
    lrs, betas = np.broadcast_arrays(np.asarray(lrs, float), np.asarray(betas, float))
    traj = race_trials(landscape, name, start, steps, lrs, betas, beta_name, **hyper)
    return (gap(landscape, traj.cost[-1]).reshape(lrs.shape),
            (traj.diverged_at >= 0).reshape(lrs.shape))


def cost_map(landscape, name, start, steps, lr_axis, beta_axis, beta_name="beta", **hyper):
    """Final gaps over the grid ``beta_axis x lr_axis``: arrays of shape ``(len(beta), len(lr))``."""
    L, B = np.meshgrid(np.asarray(lr_axis, float), np.asarray(beta_axis, float))
    return final_gaps(landscape, name, start, steps, L, B, beta_name=beta_name, **hyper)


def best_trial(gaps, diverged):
    """Index of the smallest final gap among the trials that did not diverge (-1 if all did)."""
    g = np.where(np.asarray(diverged), np.inf, np.asarray(gaps, float))
    return int(np.argmin(g)) if np.isfinite(g).any() else -1
