"""Experiments of lessons 04 and 05: mini-batch gradient noise, escaping a local minimum, basins, saddles.

Every function is vectorized over many runs at once (seeds, starts, sampled batches); the only
Python loops are over optimization steps. Every random draw comes from a seeded
``numpy.random.Generator``.
"""
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from . import validate

__all__ = [
    "per_example_gradients", "batch_gradient_samples", "batch_means_all_sizes",
    "noise_variance", "measured_variance",
    "epoch_seconds", "ExampleCurves", "example_curves", "sgd_seeds", "outcomes",
    "noisy_descent", "basin_map", "steps_to_leave_saddle",
]




def _batches(rng, n, batch_size, samples, replace):
    """Indices (samples, batch_size) of random mini-batches: without replacement by default."""
    validate.memory("2 * samples * n", 2 * samples * n, samples=samples, n=n)
    if replace:
        return rng.integers(0, n, size=(samples, batch_size))
    return rng.random((samples, n)).argsort(axis=1)[:, :batch_size]


# ------------------------------------------------------------------ gradient noise (house prices)

def per_example_gradients(x, y, params):
    """Gradient of each example's loss (w x_i + b - y_i)^2: 2 r_i (x_i, 1), shape (..., m, 2)."""
    x, y = validate.array("x", x, shape=("m",)), validate.array("y", y)
    if y.shape != x.shape:
        raise ValueError(f"x and y must have the same shape, got {x.shape} and {y.shape}")
    P = validate.array("params", params, shape=(..., 2))
    validate.memory("3 * params.size * m", 3 * P.size * len(x), params=P.shape, m=len(x))
    r = P[..., 0, None] * x + P[..., 1, None] - y
    return 2.0 * np.stack([r * x, r], axis=-1)


def batch_gradient_samples(x, y, params, batch_size, samples=300, seed=0, replace=False):
    """``samples`` mini-batch gradients at one point (w, b): shape (samples, 2).

    Each is the mean of the per-example gradients over a random batch of ``batch_size``
    examples, drawn without replacement (as in one epoch) unless ``replace``.
    """
    G = per_example_gradients(x, y, validate.array("params", params, shape=(2,)))
    n, replace = len(G), validate.boolean("replace", replace)
    batch_size = validate.integer("batch_size", batch_size, 1, None if replace else n,
                                  high_name="len(x)")
    samples = validate.steps("samples", samples, 1)
    idx = _batches(np.random.default_rng(validate.integer("seed", seed, 0)), n, batch_size, samples, replace)
    return G[idx].mean(axis=1)


def batch_means_all_sizes(per_example, samples=300, seed=0, replace=False):
    """Mini-batch estimates for every batch size at once: shape (samples, n, d).

    Row k is one random order of the examples (or n draws with replacement); entry
    [k, b - 1] is the mean of its first b examples, a random batch of size b. One shuffle
    serves every b, so the cloud shrinks smoothly as b grows.
    """
    G = validate.array("per_example", per_example, shape=("n", "d"))
    n, d = G.shape
    samples = validate.steps("samples", samples, 1)
    replace = validate.boolean("replace", replace)
    validate.memory("2 * samples * n * d", 2 * samples * n * d, samples=samples, n=n, d=d)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    idx = _batches(rng, n, n, samples, replace)
    return np.cumsum(G[idx], axis=1) / np.arange(1, n + 1)[:, None]


def noise_variance(per_example, batch_size, replace=False):
    """Expected squared distance E|g_B - g|^2 of a batch gradient from the full gradient g.

    With sigma^2 = mean_i |g_i - g|^2: sigma^2 / b with replacement, and
    sigma^2 / b * (n - b) / (n - 1) without (the finite-population correction; 0 at b = n).
    ``batch_size`` may be an array of sizes.
    """
    G = validate.array("per_example", per_example, shape=("n", "d"))
    n = len(G)
    if n < 2:
        raise ValueError(f"per_example must hold at least 2 examples, got shape {G.shape}")
    b, replace = validate.array("batch_size", batch_size), validate.boolean("replace", replace)
    if np.any(b < 1) or (not replace and np.any(b > n)):
        raise ValueError(f"batch_size must be in [1, n] = [1, {n}] (n = len(per_example)), "
                         f"got {validate._show(batch_size)}")
    sigma2 = np.sum((G - G.mean(axis=0)) ** 2) / n
    factor = 1.0 if replace else (n - b) / (n - 1)
    return sigma2 / b * factor


def measured_variance(samples, full_gradient):
    """Mean squared distance of sampled gradients (k, d) from the full gradient (d,)."""
    samples = validate.array("samples", samples, shape=("k", "d"))
    full_gradient = validate.array("full_gradient", full_gradient)
    if full_gradient.shape != samples.shape[1:]:
        raise ValueError(f"full_gradient must have shape (d,) like a row of samples, got "
                         f"{full_gradient.shape} and samples of shape {samples.shape}")
    if len(samples) == 0:
        raise ValueError("samples must hold at least one row, got shape (0, d)")
    D = samples - full_gradient
    return float(np.mean(np.sum(D * D, axis=-1)))


def epoch_seconds(batch_size, n=4096, d=32, seed=0, repeats=2):
    """Wall time of one epoch of batch gradients for a linear model on n random examples of
    d features: ceil(n / b) SGD steps w <- w - 0.001 * 2 X_B^T (X_B w - y_B) / b, each example once.

    The arithmetic is the same for every b (n examples); the number of numpy calls is not.
    Best of ``repeats``; for illustration only (timings vary from run to run).
    """
    import time

    n, d = validate.integer("n", n, 1, 10**6), validate.integer("d", d, 1, 10**3)
    b = validate.integer("batch_size", batch_size, 1, n, high_name="n")
    repeats = validate.integer("repeats", repeats, 1, 100)
    validate.memory("3 * n * d", 3 * n * d, n=n, d=d)
    validate.steps("repeats * n / batch_size", repeats * -(-n // b))
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    X, y, w = rng.standard_normal((n, d)), rng.standard_normal(n), np.zeros(d)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        for start in range(0, n, b):
            Xb, yb = X[start:start + b], y[start:start + b]
            w = w - 1e-3 * (2.0 * Xb.T @ (Xb @ w - yb) / len(yb))
        best = min(best, time.perf_counter() - t0)
    return best


# ------------------------------------------------------------------ a 1-D cost with two minima

@dataclass(eq=False)
class ExampleCurves:
    """n examples, each with the loss curve l(w - s_i) of one shape l shifted by s_i.

    l(u) = c u^2 / 2 - A exp(-(u - a)^2 / (2 wa^2)) - B exp(-(u - b)^2 / (2 wb^2)):
    a wide valley round b and a narrow notch at a. The cost J(w) = mean_i l(w - s_i)
    blurs the notches into one shallow local minimum (``local``) on the left of the
    global one (``global_min``); ``barrier`` is the hill top between them.
    """

    shifts: np.ndarray
    shape: tuple  # (c, A, a, wa, B, b, wb)
    local: float = 0.0
    barrier: float = 0.0
    global_min: float = 0.0

    def losses(self, w):
        """Each example's loss at w: shape (..., n)."""
        c, A, a, wa, B, b, wb = self.shape
        u = self._w(w)[..., None] - self.shifts
        return (0.5 * c * u * u - A * np.exp(-((u - a) / wa) ** 2 / 2)
                - B * np.exp(-((u - b) / wb) ** 2 / 2))

    def grads(self, w, idx=None):
        """Each example's slope dl/dw at w (..., n); with ``idx`` only the examples idx (..., k)."""
        c, A, a, wa, B, b, wb = self.shape
        w = self._w(w)
        if idx is not None:
            idx = validate.array("idx", idx, dtype=None)
            n = len(self.shifts)
            if idx.dtype.kind not in "iu" or idx.size and not (0 <= idx.min() and idx.max() < n):
                raise ValueError(f"idx must hold integer indices in [0, {len(self.shifts) - 1}], "
                                 f"got {validate._show(idx)}")
        s = self.shifts if idx is None else self.shifts[idx]
        try:
            u = w[..., None] - s
        except ValueError:
            raise ValueError(f"w and idx must have shapes (...) and (..., k) that broadcast, got "
                             f"{w.shape} and {s.shape}") from None
        da, db = (u - a) / wa, (u - b) / wb
        return c * u + A / wa * da * np.exp(-da * da / 2) + B / wb * db * np.exp(-db * db / 2)

    def _w(self, w):
        """Positions w checked: finite, within 1e6 (the curves' squares and exponentials stay finite)."""
        return validate.array("w", w, limit=1e6)

    def cost(self, w):
        """J(w) = mean of the example losses."""
        return self.losses(w).mean(axis=-1)

    def grad(self, w):
        """J'(w) = mean of the example slopes."""
        return self.grads(w).mean(axis=-1)


def example_curves(n=64, spread=0.3):
    """The lesson's cost: n examples shifted by normal quantiles of standard deviation ``spread``.

    Shape (c, A, a, wa, B, b, wb) = (0.3, 2, -1, 0.1, 1.5, 1, 0.55). The stationary points
    are found on a fine grid and polished by Newton's method on J'.
    """
    n = validate.integer("n", n, 2, validate.MAX_STEPS)
    spread = validate.number("spread", spread, low=0.0, high=1e6)
    q = (np.arange(n) + 0.5) / n
    s = spread * np.array([NormalDist().inv_cdf(v) for v in q])
    curves = ExampleCurves(s - s.mean(), (0.3, 2.0, -1.0, 0.1, 1.5, 1.0, 0.55))
    w = np.linspace(-2.5, 2.5, 5001)
    g = curves.grad(w)
    roots = w[:-1][np.sign(g[:-1]) != np.sign(g[1:])]
    if len(roots) != 3:
        raise ValueError(f"spread={spread!r} with n={n} examples blurs the two minima into one: "
                         f"use a smaller spread or more examples")
    h = 1e-6
    for _ in range(20):  # Newton on J', with J'' by central differences
        slope = (curves.grad(roots + h) - curves.grad(roots - h)) / (2 * h)
        roots = roots - curves.grad(roots) / slope
    curves.local, curves.barrier, curves.global_min = (float(r) for r in roots)
    return curves


def sgd_seeds(curves, batch_size, lr=0.15, steps=300, seeds=200, start=-1.5, seed=0):
    """Mini-batch SGD on ``curves`` for many seeds at once: positions of shape (steps+1, seeds).

    Each seed shuffles the n examples at the start of every epoch and cuts them into batches
    (the last one smaller when b does not divide n); one step per batch:
    w <- w - lr * mean_{i in batch} l'(w - s_i). With b = n every step is full-batch
    gradient descent, identical for every seed.
    """
    n = len(_curves(curves).shifts)
    b = validate.integer("batch_size", batch_size, 1, n)
    lr = validate.number("lr", lr, low=0.0, high=1e3, low_open=True)
    steps, seeds = validate.steps("steps", steps), validate.steps("seeds", seeds, 1)
    validate.memory("(steps + 1) * seeds + 2 * seeds * n", (steps + 1) * seeds + 2 * seeds * n,
                    steps=steps, seeds=seeds, n=n)
    start = validate.number("start", start, low=-1e3, high=1e3)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    per_epoch = -(-n // b)
    W = np.empty((steps + 1, seeds))
    W[0] = w = np.full(seeds, float(start))
    if b == n:  # full batch: no randomness, every seed takes the same path; run one, copy it
        for k in range(steps):
            w = w[:1] - lr * curves.grad(w[:1])
            W[k + 1] = w
        return W
    order = None
    for k in range(steps):
        j = k % per_epoch
        if j == 0:
            order = rng.random((seeds, n)).argsort(axis=1)
        w = w - lr * curves.grads(w, order[:, j * b:(j + 1) * b]).mean(axis=-1)
        W[k + 1] = w
    return W


def outcomes(curves, w, tol=0.1):
    """Fractions of runs ending settled near the global minimum (|w - w*| < tol), trapped left of
    the barrier, and in between (escaped but still wandering): a dict with those three keys."""
    curves, w = _curves(curves), validate.array("w", w)
    if w.size == 0:
        raise ValueError("w must hold at least one position, got an empty array")
    tol = validate.positive("tol", tol)
    settled = np.abs(w - curves.global_min) < tol
    trapped = w < curves.barrier
    return {"settled": float(settled.mean()), "trapped": float(trapped.mean()),
            "wandering": float((~settled & ~trapped).mean())}


# ------------------------------------------------------------------ 2-D: basins and saddles

def noisy_descent(landscape, starts, lr, steps, noise=0.0, seed=0, keep_path=False, bound=1e3):
    """Gradient descent from many starts with seeded Gaussian noise added to each gradient:

    P <- P - lr * (grad f(P) + noise * xi),  xi ~ N(0, I).

    Returns the final points (n, 2), or the whole path (steps+1, n, 2) with ``keep_path``.
    A point that would leave [-bound, bound] stays where it was (no overflow).
    """
    dim = _landscape(landscape).dim
    P = validate.array("starts", starts, shape=("n", dim)).copy()
    lr, noise = validate.positive("lr", lr), validate.number("noise", noise, low=0.0)
    steps = validate.steps("steps", steps)
    bound = validate.positive("bound", bound)
    keep_path = validate.boolean("keep_path", keep_path)
    validate.memory("(steps + 2) * n * d" if keep_path else "4 * n * d",
                    ((steps + 2) if keep_path else 4) * P.size, steps=steps, n=len(P), d=dim)
    if np.any(np.abs(P) > bound):
        raise ValueError(f"starts must lie within [-bound, bound] = [-{bound:g}, {bound:g}]")
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    path = [P] if keep_path else None
    with np.errstate(over="ignore", invalid="ignore"):  # a point that overflows stays put
        for _ in range(steps):
            G = landscape.grad(P)
            if noise:
                G = G + noise * rng.standard_normal(P.shape, dtype=np.float32)
            new = P - lr * G
            ok = np.all(np.abs(new) <= bound, axis=-1, keepdims=True)
            P = np.where(ok, new, P)
            if keep_path:
                path.append(P)
    return np.stack(path) if keep_path else P


def basin_map(landscape, n=200, lr=0.01, steps=100, noise=0.0, seed=0, tol=0.2):
    """Which minimum each start of an n x n grid over the view box reaches.

    Returns X, Y (n, n) and labels (n, n): the index in ``landscape.minima`` of the minimum
    within ``tol`` of the final point, or -1 when none is.
    """
    n = validate.integer("n", n, 2)
    if not _landscape(landscape).minima:
        raise ValueError(f"landscape must have minima to map basins of, got {landscape.name!r}")
    validate.memory("n * n * (4 + minima)", n * n * (4 + len(landscape.minima)), n=n)
    tol = validate.positive("tol", tol)
    (x0, x1), (y0, y1) = landscape.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    end = noisy_descent(landscape, np.stack([X.ravel(), Y.ravel()], axis=-1), lr, steps,
                        noise=noise, seed=seed)
    M = np.array([m.point for m in landscape.minima])
    dist = np.linalg.norm(end[:, None, :] - M[None], axis=-1)
    labels = np.where(dist.min(axis=1) < tol, dist.argmin(axis=1), -1)
    return X, Y, labels.reshape(n, n)


def steps_to_leave_saddle(y0, lr, radius=1.0):
    """Steps gradient descent needs on f = x^2 - y^2 to bring |y| from |y0| to ``radius``:
    y_k = (1 + 2 lr)^k y0, so k = ceil(ln(radius / |y0|) / ln(1 + 2 lr)); infinite for y0 = 0."""
    lr = validate.positive("lr", lr)
    y0 = abs(validate.number("y0", y0))
    radius = validate.positive("radius", radius)
    if y0 == 0.0:
        return np.inf
    k = (math.log(radius) - math.log(y0)) / math.log1p(2 * lr)   # Python floats: inf, no warning
    return max(0, math.ceil(k)) if k < math.inf else np.inf


def _curves(curves):
    if not isinstance(curves, ExampleCurves):
        raise ValueError(f"curves must be an ExampleCurves (from example_curves()), "
                         f"got {validate._show(curves)}")
    return curves


def _landscape(landscape):
    if not (hasattr(landscape, "grad") and hasattr(landscape, "dim")):
        raise ValueError(f"landscape must be a course.landscapes.Landscape, "
                         f"got {validate._show(landscape)}")
    return landscape
