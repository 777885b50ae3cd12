"""Run an optimizer: on a landscape from many starts at once, or mini-batch SGD on a data set.

A run that diverges (a parameter or the cost becomes inf or NaN, or a parameter leaves
``[-bound, bound]``) stops cleanly: it stays at its last finite point and its step is
recorded, so no NaN or inf ever reaches the results and numpy warns about nothing.
"""
import contextlib
import functools
import numbers
from dataclasses import dataclass

import numpy as np
import threadpoolctl

from . import validate
from .data import batch_sizes, minibatches
from .landscapes import Landscape, _columns
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
        return _message(self.converged_at[i], self.diverged_at[i], self.steps)


class Each:
    """Several optimizers in one ``descend`` call: run i (row i of the params) is stepped by
    ``optimizers[i]``. A race from one start then costs one landscape evaluation per step for
    all its optimizers instead of one per optimizer; each run is what ``descend`` would give
    with that optimizer alone."""

    def __init__(self, optimizers):
        self.optimizers = list(optimizers)
        if not self.optimizers or not all(isinstance(o, Optimizer) for o in self.optimizers):
            raise ValueError("optimizers must be a non-empty list of course.optimizers objects")
        self._stepped = False

    def reset(self):
        for opt in self.optimizers:
            opt.reset()
        self._stepped = False

    def step(self, params, grads, out=None):
        """Row i of the new params is ``optimizers[i].step(params[i], grads[i])``."""
        W = np.asarray(params, dtype=float)
        if W.ndim != 2 or len(W) != len(self.optimizers):
            raise ValueError(f"params must have one row per optimizer ({len(self.optimizers)}), "
                             f"got shape {W.shape}")
        out = np.empty_like(W) if out is None else out
        if self._stepped:
            return self._advance(W, grads, out)
        for opt, w, g, o in zip(self.optimizers, W, grads, out):   # checks, creates the state
            opt.step(w, g, o)                                      # row i: a view of shape (d,)
        self._stepped = True
        return out

    def _advance(self, W, grads, out):
        """The step without the checks (as ``Optimizer._advance``): for ``descend``'s later steps."""
        for opt, w, g, o in zip(self.optimizers, W, grads, out):
            opt._advance(w, g, o)
        return out


def _freeze(optimizer, rows):
    """Zero the optimizer state of frozen runs so that it stays finite (it is elementwise)."""
    if isinstance(optimizer, Each):
        for opt, frozen in zip(optimizer.optimizers, rows):
            if frozen:
                _freeze(opt, ...)
        return
    for name in getattr(optimizer, "state_names", ()):
        state = getattr(optimizer, name)
        if state is not None:
            state[rows] = 0.0


def _stepper(optimizer, checked):
    """Reset the optimizer; return step(k, P, G, out) writing the new params into out."""
    optimizer.reset()
    if checked and (isinstance(optimizer, Each)
                    or isinstance(optimizer, Optimizer) and type(optimizer).step is Optimizer.step):
        # Step 1 checks the arrays and creates the state. A Landscape's gradients are float
        # arrays of the params' shape at every step, so later steps skip the checks.
        first, later = optimizer.step, optimizer._advance
        return lambda k, P, G, out: (later if k > 1 else first)(P, G, out)

    def step(k, P, G, out):                   # any object with step(params, grads)
        out[...] = optimizer.step(P, G.copy())  # a copy it may keep: descend reuses G
        return out

    return step


@functools.cache
def _blas():
    """threadpoolctl's handle on the BLAS libraries numpy loaded (finding them takes ~0.4 ms)."""
    return threadpoolctl.ThreadpoolController()


def _evaluator(landscape, params, G):
    """evaluate(k, value): the cost at ``params[k]`` written into value, its gradient into G."""
    own = isinstance(landscape, Landscape)
    if own and type(landscape).value_and_grad is Landscape.value_and_grad:
        # No checks (descend checks its arrays once). Each coordinate's history (steps+1, n)
        # and the partials are views made once, so a step only picks row k of each.
        history, partials = _columns(params), _columns(G)
        return lambda k, value: landscape._evaluate([x[k] for x in history], value, partials)
    both = getattr(landscape, "value_and_grad", None)

    def evaluate(k, value):
        P = params[k]
        value[...], G[...] = both(P) if both else (landscape.value(P), landscape.grad(P))

    return evaluate


def descend(landscape, optimizer, start, steps, tol=None, bound=1e6):
    """Run ``optimizer`` on ``landscape`` from every row of ``start`` for ``steps`` steps.

    ``start`` has shape (d,) or (n, d) (a number will do in 1-D); all n runs go at once,
    as one array of shape (n, d).
    ``tol`` marks a run converged at the first step where ``cost - min_value <= tol``
    (or ``|grad| <= tol`` when the landscape has no ``min_value``). The optimizer is
    reset first. Each step is ``P = optimizer.step(P, landscape.grad(P))``.

    A run whose parameters leave ``[-bound, bound]`` or whose parameters or cost stop
    being finite is frozen at its last finite point from that step on, with
    ``diverged_at`` set to that step; the other runs go on undisturbed.
    """
    P = np.array(start, dtype=float)
    if P.ndim < 2:
        P = P.reshape(1, -1)
    dim = getattr(landscape, "dim", P.shape[-1] if P.ndim else 0)
    if P.ndim != 2 or P.shape[1] != dim or len(P) == 0:
        raise ValueError(f"start must have shape ({dim},) or (n, {dim}), got {np.shape(start)}")
    if not np.all(np.isfinite(P)):
        raise ValueError("start must be finite (no NaN or inf)")
    steps = validate.integer("steps", steps, 0)
    bound = validate.positive("bound", bound)
    if np.any(np.abs(P) > bound):
        raise ValueError(f"start must lie within [-bound, bound] = [-{bound:g}, {bound:g}]")
    if tol is not None:
        tol = validate.positive("tol", tol)
    min_value = getattr(landscape, "min_value", None)
    by_grad = tol is not None and min_value is None

    n, d = P.shape
    # Many runs: params[k] is an (n, d) array stored coordinate by coordinate (Fortran
    # order), so a landscape reads each coordinate of all n runs as one contiguous row.
    # (A few runs stay in C order: numpy's calls on a strided row of a small array are slower.)
    memory = np.empty((steps + 1, d, n) if n >= 64 else (steps + 1, n, d))
    params = memory.transpose(0, 2, 1) if n >= 64 else memory
    cost = np.empty((steps + 1, n))
    grad_norm = np.empty((steps + 1, n)) if by_grad else None
    diverged_at = np.full(n, -1)
    frozen = np.zeros(n, dtype=bool)
    frozen_rows = frozen[:, None]                 # a view: broadcasts over the coordinates
    any_frozen = False
    params[0] = P
    P = params[0]
    # Each step is checked on two numbers: the sum of the squared parameters (at most
    # bound**2 means every |p| <= bound; NaN and inf fail it, as bound**2 is capped at the
    # largest float) and the sum of the squared costs (finite when every cost is), two dot
    # products. Only when that fails (a divergence, or numbers so large that their squares
    # overflow) are the lowest and highest parameter and the plain sum of the costs looked
    # at, and then the runs one by one.
    # BLAS would run a dot product of many numbers on both cores and keep the second one
    # spinning after it, so the loop runs with BLAS limited to one thread (threadpoolctl).
    # A few runs are quicker to check as Python floats: there the sum of all |p| is compared
    # with the bound, and a sum above it sends the step to the exact check below.
    flat = memory.reshape(steps + 1, n * d)
    huge = np.finfo(float).max
    bound2 = min(bound * bound, huge)
    few = n * d <= 16
    one_thread = contextlib.nullcontext() if few else _blas().limit(limits=1, user_api="blas")
    step = _stepper(optimizer, isinstance(landscape, Landscape))
    G = np.empty_like(P)              # the gradient, rewritten in place on every step
    evaluate = _evaluator(landscape, params, G)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), one_thread:
        evaluate(0, cost[0])
        if not np.all(np.isfinite(cost[0])):
            raise ValueError("start must be where the cost is finite")
        for k in range(1, steps + 1):
            if by_grad:
                grad_norm[k - 1] = np.sqrt(np.sum(G * G, axis=-1))
            if any_frozen:
                np.copyto(G, 0.0, where=frozen_rows)
            P_new = step(k, P, G, params[k])
            if any_frozen:                    # copyto(where=) is quicker than a masked copy
                np.copyto(P_new, P, where=frozen_rows)
            if k < steps or by_grad:
                evaluate(k, cost[k])
            else:
                cost[k] = landscape.value(P_new)
            if any_frozen:
                np.copyto(cost[k], cost[k - 1], where=frozen)
            row, c = flat[k], cost[k]
            if few:
                fine = (sum(map(abs, row.tolist())) <= bound     # then every |p| <= bound
                        and -huge <= sum(c.tolist()) <= huge)
            else:
                fine = ((row @ row <= bound2 or -bound <= row.min() and row.max() <= bound)
                        and (c @ c <= huge or -huge <= c.sum() <= huge))
            if not fine:
                # Rare: some runs may have left the finite world. Freeze them where they were.
                bad = ~((np.abs(P_new) <= bound).all(axis=1) & np.isfinite(c))
                if bad.any():
                    diverged_at[bad] = k
                    frozen |= bad
                    any_frozen = True
                    _freeze(optimizer, bad)
                    P_new[bad] = P[bad]
                    c[bad] = cost[k - 1, bad]
                    if k < steps or by_grad:   # the gradient at the frozen runs' last finite points
                        evaluate(k, np.empty(n))
            P = P_new
        if by_grad:
            grad_norm[steps] = np.sqrt(np.sum(G * G, axis=-1))

    converged_at = np.full(n, -1)
    if tol is not None:
        hit = (grad_norm if by_grad else cost - min_value) <= tol
        first = hit.argmax(axis=0)
        converged_at = np.where(hit.any(axis=0), first, -1)
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
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or len(x) < 1:
        raise ValueError(f"x and y must be 1-D of the same length, got {x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x and y must be finite (no NaN or inf)")
    sizes = batch_sizes(len(x), batch_size)
    epochs = validate.integer("epochs", epochs, 1)
    bound = validate.positive("bound", bound)
    W = np.array(start, dtype=float)
    if W.shape != (2,) or not np.all(np.isfinite(W)) or np.any(np.abs(W) > bound):
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
