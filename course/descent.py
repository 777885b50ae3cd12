"""Run an optimizer: on a landscape from many starts at once, or mini-batch SGD on a data set.

A run that diverges (a parameter or the cost becomes inf or NaN, or a parameter leaves
``[-bound, bound]``) stops cleanly: it stays at its last finite point and its step is
recorded, so no NaN or inf ever reaches the results and numpy warns about nothing.
"""
import numbers
from dataclasses import dataclass

import numpy as np

from . import validate
from .data import batch_sizes, minibatches
from .optimizers import Optimizer

__all__ = ["Trajectory", "Each", "descend", "MinibatchRun", "minibatch_sgd"]


def _message(converged_at, diverged_at, steps):
    if diverged_at >= 0:
        return f"diverged at step {diverged_at}"
    if converged_at >= 0:
        return f"converged at step {converged_at}"
    return f"still going after {steps} steps"


@dataclass(eq=False)
class Trajectory:
    """Where each of n runs was at every step.

    ``params`` (steps+1, n, d) and ``cost`` (steps+1, n), row 0 being the start;
    ``diverged_at`` and ``converged_at`` (n,) give a step number, or -1 for never.
    """

    params: np.ndarray
    cost: np.ndarray
    diverged_at: np.ndarray
    converged_at: np.ndarray

    @property
    def diverged(self):
        return self.diverged_at >= 0

    @property
    def steps(self):
        return len(self.cost) - 1

    def message(self, i=0):
        """"converged at step k", "diverged at step k" or "still going after N steps"."""
        i = validate.integer("i", i, -len(self.diverged_at), len(self.diverged_at) - 1)
        return _message(self.converged_at[i], self.diverged_at[i], self.steps)


class Each:
    """Several optimizers in one ``descend`` call: run i (row i of the params) is stepped by
    ``optimizers[i]``. A race from one start then costs one landscape evaluation per step for
    all its optimizers instead of one per optimizer; each run is what ``descend`` would give
    with that optimizer alone."""

    def __init__(self, optimizers):
        self.optimizers = list(optimizers) if isinstance(optimizers, (list, tuple)) else []
        if not self.optimizers or not all(isinstance(o, Optimizer) for o in self.optimizers):
            raise ValueError("optimizers must be a non-empty list of course.optimizers objects")

    def reset(self):
        for opt in self.optimizers:
            opt.reset()

    def step(self, params, grads):
        """Row i of the new params is ``optimizers[i].step(params[i], grads[i])``; the arrays are
        checked once here, not again row by row."""
        W = validate.array("params", params, limit=None)
        if W.ndim != 2 or len(W) != len(self.optimizers):
            raise ValueError(f"params must have one row per optimizer ({len(self.optimizers)}), "
                             f"got shape {W.shape}")
        grads = validate.array("grads", grads, limit=None)
        if grads.shape != W.shape:
            raise ValueError(f"grads must have the shape of params {W.shape}, got {grads.shape}")
        with np.errstate(over="ignore"):    # as in Optimizer.step
            return np.array([opt._advance(w, g) for opt, w, g in zip(self.optimizers, W, grads)])


def _forget(optimizer, runs):
    """Zero the optimizer state of the given runs (a diverged run's state may be inf)."""
    if isinstance(optimizer, Each):
        for opt, forget in zip(optimizer.optimizers, runs):
            if forget:
                _forget(opt, ...)
        return
    for name in getattr(optimizer, "state_names", ()):
        state = getattr(optimizer, name)
        if state is not None:
            state[runs] = 0.0


def _check_model(landscape, optimizer):
    """TypeError unless ``landscape`` has value and grad and ``optimizer`` is an optimizer object."""
    if not (callable(getattr(landscape, "value", None)) and callable(getattr(landscape, "grad", None))):
        raise TypeError(f"landscape must be a landscape such as course.landscapes.get('rosenbrock'), "
                        f"got {validate._show(landscape)}")
    if isinstance(optimizer, type) or not callable(getattr(optimizer, "step", None)):
        raise TypeError(f"optimizer must be an optimizer object such as SGD(lr=0.1), "
                        f"got {validate._show(optimizer)}")


def descend(landscape, optimizer, start, steps, tol=None, bound=1e6):
    """Run ``optimizer`` on ``landscape`` from every row of ``start`` for ``steps`` steps.

    ``start`` has shape (d,) or (n, d) (a number will do in 1-D); all n runs go at once,
    as one array of shape (n, d). The optimizer is reset first. Each step is
    ``P = optimizer.step(P, landscape.grad(P))``.
    ``tol`` marks a run converged at the first step where ``cost - min_value <= tol``
    (or ``|grad| <= tol`` when the landscape has no ``min_value``).

    A run whose parameters leave ``[-bound, bound]`` or whose parameters, gradient or cost
    stop being finite is frozen at its last finite point from that step on, with
    ``diverged_at`` set to that step; the other runs go on undisturbed.
    """
    _check_model(landscape, optimizer)
    P = np.array(validate.array("start", start, limit=None), dtype=float)
    if P.ndim < 2:
        P = P.reshape(1, -1)
    dim = getattr(landscape, "dim", P.shape[-1] if P.ndim else 0)
    if P.ndim != 2 or P.shape[1] != dim or len(P) == 0:
        raise ValueError(f"start must have shape ({dim},) or (n, {dim}), got {np.shape(start)}")
    steps = validate.steps("steps", steps)
    validate.memory("(steps + 1) * len(start) * d", (steps + 1) * P.size,
                    steps=steps, start=len(P), d=dim)
    bound = validate.positive("bound", bound)
    if np.any(np.abs(P) > bound):
        raise ValueError(f"start must lie within [-bound, bound] = [-{bound:g}, {bound:g}]")
    if tol is not None:
        tol = validate.positive("tol", tol)

    n = len(P)
    params = np.empty((steps + 1, n, dim))
    cost = np.empty((steps + 1, n))
    diverged_at = np.full(n, -1)
    frozen = np.zeros(n, dtype=bool)

    def freeze(runs, k):
        """Runs that diverged at step k stay at their last finite point from then on."""
        diverged_at[runs] = k
        frozen[runs] = True
        _forget(optimizer, runs)

    optimizer.reset()
    # overflow and NaN are expected when a run diverges: it is caught below, so numpy need not warn
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        params[0], cost[0] = P, landscape.value(P)
        if not np.all(np.isfinite(cost[0])):
            raise ValueError("start must be where the cost is finite")
        for k in range(1, steps + 1):
            G = landscape.grad(P)
            if not np.isfinite(G).all():                    # a slope past the largest float
                freeze(~np.isfinite(G).all(axis=1) & ~frozen, k)
            if frozen.any():
                G = np.where(frozen[:, None], 0.0, G)       # frozen runs stand still
            P_new = optimizer.step(P, G)
            c = landscape.value(P_new)
            if not ((np.abs(P_new) <= bound).all() and np.isfinite(c).all()):
                # some runs diverged: freeze each at its last finite point
                freeze(~((np.abs(P_new) <= bound).all(axis=1) & np.isfinite(c)) & ~frozen, k)
            if frozen.any():
                P_new[frozen], c[frozen] = P[frozen], cost[k - 1, frozen]
            params[k], cost[k] = P_new, c
            P = P_new
        converged_at = np.full(n, -1)
        if tol is not None:
            min_value = getattr(landscape, "min_value", None)
            if min_value is None:
                hit = np.sqrt(np.sum(landscape.grad(params) ** 2, axis=-1)) <= tol
            else:
                hit = cost - min_value <= tol
            converged_at = np.where(hit.any(axis=0), hit.argmax(axis=0), -1)
    return Trajectory(params, cost, diverged_at, converged_at)


@dataclass(eq=False)
class MinibatchRun:
    """Mini-batch training of ``y ~ w x + b``: ``params`` (steps+1, 2) as (w, b) after each step,
    ``cost`` (steps+1,) the mean squared error on the whole data set after each step,
    ``epoch_cost`` (epochs+1,) the same at the end of each epoch, ``diverged_at`` (-1 if never)."""

    params: np.ndarray
    cost: np.ndarray
    epoch_cost: np.ndarray
    steps_per_epoch: int
    diverged_at: int

    @property
    def diverged(self):
        return self.diverged_at >= 0

    def message(self):
        return _message(-1, self.diverged_at, len(self.cost) - 1)


def minibatch_sgd(x, y, optimizer, batch_size, epochs, seed=0, start=(0.0, 0.0), bound=1e6):
    """Fit ``y ~ w x + b`` by minimizing J = mean((w x + b - y)**2) one mini-batch at a time.

    Each epoch shuffles the data (seeded by ``seed``) and cuts it into batches of
    ``batch_size``, the last one possibly smaller (``course.data.minibatches``). One
    step per batch with the batch gradient dJ/dw = 2 mean(r x), dJ/db = 2 mean(r),
    where r = w x + b - y on the batch.
    """
    x, y = validate.array("x", x), validate.array("y", y)
    if x.ndim != 1 or x.shape != y.shape or len(x) < 1:
        raise ValueError(f"x and y must be 1-D of the same length, got {x.shape} and {y.shape}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an optimizer object such as SGD(lr=0.1), "
                        f"got {validate._show(optimizer)}")
    sizes = batch_sizes(len(x), batch_size)
    epochs = validate.integer("epochs", epochs, 1, validate.MAX_STEPS // len(sizes))
    bound = validate.positive("bound", bound)
    W = np.array(validate.array("start", start, shape=(2,)), dtype=float)
    if np.any(np.abs(W) > bound):
        raise ValueError(f"start must be a finite (w, b) pair within [-bound, bound], "
                         f"got {start!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")

    def full_cost(w, b):
        return np.mean((w * x + b - y) ** 2)

    per_epoch = len(sizes)
    steps = epochs * per_epoch
    params = np.empty((steps + 1, 2))
    cost = np.empty(steps + 1)
    params[0], cost[0] = W, full_cost(*W)
    diverged_at = -1
    rng = np.random.default_rng(seed)
    optimizer.reset()
    k = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(epochs):
            for xb, yb in minibatches(x, y, batch_size, rng):
                r = W[0] * xb + W[1] - yb
                W_new = optimizer.step(W, np.array([2 * np.mean(r * xb), 2 * np.mean(r)]))
                c = full_cost(*W_new)
                k += 1
                if not (np.abs(W_new).max() <= bound and np.isfinite(c)):
                    diverged_at = k
                    break
                params[k], cost[k], W = W_new, c, W_new
            if diverged_at >= 0:
                params[k:], cost[k:] = params[k - 1], cost[k - 1]
                break
    return MinibatchRun(params, cost, cost[::per_epoch].copy(), per_epoch, diverged_at)
