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

from course import validate
from course.descent import descend
from course.optimizers import OPTIMIZERS, make

__all__ = ["lr_grid", "gap", "score", "batched", "race_trials", "TuneResult", "tune_lr",
           "grid_trials", "random_trials", "final_gaps", "cost_map", "best_trial"]


def lr_grid(lo=1e-4, hi=1.0, n=12):
    """``n`` learning rates spaced evenly in log10 between ``lo`` and ``hi``."""
    lo, hi = validate.positive("lo", lo), validate.positive("hi", hi)
    if not lo < hi:
        raise ValueError(f"lo and hi must satisfy 0 < lo < hi < inf, got lo={lo!r}, hi={hi!r}")
    n = validate.integer("n", n, 2)
    validate.memory("n", n, n=n)
    return np.geomspace(lo, hi, n)


def gap(landscape, cost):
    """``J - J*`` (never below 0); ``J*`` is 0 when the landscape has no minimum value."""
    ref = _min_value(landscape)
    return np.maximum(validate.array("cost", cost) - ref, 0.0)


def score(landscape, traj, tol):
    """One number per start, lower is better (see the module docstring); shape ``(n,)``."""
    _min_value(landscape)
    if not all(hasattr(traj, a) for a in ("cost", "converged_at", "diverged_at")):
        raise ValueError(f"traj must be a course.descent.Trajectory, got {validate._show(traj)}")
    tol = validate.number("tol", tol, low=0.0)
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
    if not (isinstance(name, str) and name in OPTIMIZERS):
        raise ValueError(f"name must be one of {list(OPTIMIZERS)}, got {validate._show(name)}")
    lrs = validate.array("lrs", lrs).ravel()
    if not (lrs.size and lrs.min() > 0 and lrs.max() <= 1e6):
        raise ValueError(f"lrs must hold at least one number, all in (0, 1e6], got {validate._show(lrs)}")
    extra = {}
    if betas is not None:
        if not (isinstance(beta_name, str) and beta_name in ("beta", "beta1", "beta2")):
            raise ValueError(f"beta_name must be 'beta', 'beta1' or 'beta2', "
                             f"got {validate._show(beta_name)}")
        betas = validate.array("betas", betas).ravel()
        if betas.size not in (1, lrs.size) or not (betas.min() >= 0 and betas.max() < 1):
            raise ValueError(f"betas must hold one number in [0, 1) or one per learning rate in "
                             f"lrs ({lrs.size}), got {validate._show(betas)}")
        betas = np.broadcast_to(betas, lrs.shape)
        extra[beta_name] = float(betas.max())
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
    _min_value(landscape)
    opt = batched(name, lrs, betas, beta_name, **hyper)
    n, d = len(opt.lr), landscape.dim
    start = validate.array("start", start).reshape(1, -1)
    steps = validate.steps("steps", steps)
    validate.memory("(steps + 1) * len(lrs) * d", (steps + 1) * n * d, steps=steps, lrs=n, d=d)
    return descend(landscape, opt, np.tile(start, (n, 1)), steps, tol=tol)


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
    lrs = lr_grid() if lrs is None else validate.array("lrs", lrs).ravel()
    traj = race_trials(landscape, name, start, steps, lrs, tol=tol, **hyper)
    scores = score(landscape, traj, tol)
    i = int(np.argmin(scores))
    return TuneResult(lrs, scores, float(lrs[i]), i, traj)


def grid_trials(n, lr_range=(1e-3, 1.0), beta_range=(0.0, 0.99)):
    """A k x k grid (k = floor(sqrt(n))): lr log-spaced, beta evenly spaced; arrays ``(k*k,)``."""
    n = validate.steps("n", n, 1)
    k = int(np.sqrt(n))
    L, B = np.meshgrid(np.geomspace(*_range("lr_range", lr_range), k),
                       np.linspace(*_range("beta_range", beta_range, beta=True), k))
    return L.ravel(), B.ravel()


def random_trials(n, lr_range=(1e-3, 1.0), beta_range=(0.0, 0.99), seed=0):
    """``n`` random trials: lr log-uniform, beta uniform, from ``default_rng(seed)``."""
    n = validate.steps("n", n, 1)
    lo, hi = _range("lr_range", lr_range)
    beta_range = _range("beta_range", beta_range, beta=True)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    lr = 10 ** rng.uniform(np.log10(lo), np.log10(hi), n)
    return lr, rng.uniform(*beta_range, n)


def final_gaps(landscape, name, start, steps, lrs, betas, beta_name="beta", **hyper):
    """Final gap ``J(w_T) - J*`` and divergence flag of each trial (lr_i, beta_i); shapes ``(n,)``."""
    lrs, betas = validate.array("lrs", lrs), validate.array("betas", betas)
    try:
        lrs, betas = np.broadcast_arrays(lrs, betas)
    except ValueError:
        raise ValueError(f"lrs and betas must have shapes that broadcast, got {lrs.shape} "
                         f"and {betas.shape}") from None
    traj = race_trials(landscape, name, start, steps, lrs, betas, beta_name, **hyper)
    return (gap(landscape, traj.cost[-1]).reshape(lrs.shape),
            (traj.diverged_at >= 0).reshape(lrs.shape))


def cost_map(landscape, name, start, steps, lr_axis, beta_axis, beta_name="beta", **hyper):
    """Final gaps over the grid ``beta_axis x lr_axis``: arrays of shape ``(len(beta), len(lr))``."""
    L, B = np.meshgrid(validate.array("lr_axis", lr_axis), validate.array("beta_axis", beta_axis))
    if not (L.size and L.min() > 0 and L.max() <= 1e6 and B.min() >= 0 and B.max() < 1):
        raise ValueError(f"lr_axis must hold numbers in (0, 1e6] and beta_axis numbers in [0, 1), got "
                         f"{validate._show(lr_axis)} and {validate._show(beta_axis)}")
    return final_gaps(landscape, name, start, steps, L, B, beta_name=beta_name, **hyper)


def best_trial(gaps, diverged):
    """Index of the smallest final gap among the trials that did not diverge (-1 if all did)."""
    gaps, diverged = validate.array("gaps", gaps), validate.array("diverged", diverged, dtype=bool)
    if gaps.shape != diverged.shape or gaps.size == 0:
        raise ValueError(f"gaps and diverged must have the same non-empty shape, got "
                         f"{gaps.shape} and {diverged.shape}")
    g = np.where(diverged, np.inf, gaps)
    return int(np.argmin(g)) if np.isfinite(g).any() else -1


def _min_value(landscape):
    """The landscape's minimum value J*, 0 when it has none."""
    if not all(hasattr(landscape, a) for a in ("min_value", "dim", "value", "grad")):
        raise ValueError(f"landscape must be a course.landscapes.Landscape, "
                         f"got {validate._show(landscape)}")
    return 0.0 if landscape.min_value is None else landscape.min_value


def _range(name, pair, beta=False):
    """A pair (lo, hi) with lo <= hi: learning rates (lo > 0) or betas (in [0, 1))."""
    if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
        raise ValueError(f"{name} must be a pair (lo, hi), got {validate._show(pair)}")
    high = 1.0 if beta else None
    lo = validate.number(f"{name}[0]", pair[0], low=0.0, high=high, low_open=not beta, high_open=True)
    return lo, validate.number(f"{name}[1]", pair[1], low=lo, high=high, high_open=True)
