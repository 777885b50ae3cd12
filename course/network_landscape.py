"""The cost landscape of a trained network, seen along a line and on a plane (lesson 9).

A network with P parameters has a cost J(theta) over P dimensions. Two ways to look at it:

* **the straight line** from the initial weights theta0 to the trained ones theta1
  (Goodfellow, Vinyals and Saxe 2015)::

      J((1 - a) theta0 + a theta1)        a = 0 the start, a = 1 the end;

* **a plane** through the trained weights theta* spanned by two directions d1, d2::

      J(theta* + a d1 + b d2)             over a grid of (a, b).

Random directions are **normalised filter by filter** (Li et al. 2018): for a dense layer the
filters are the neurons, so column j of a direction's matrix (the weights into neuron j) is
rescaled to the norm of column j of the trained W. A step a = 1 then changes every neuron by as
much as its own size, whatever the scale of each layer. Bias directions are set to 0.
The other choice of plane is the trajectory's own: the two **principal directions** of the
weights visited during training (PCA of theta_t - theta*), on which the path shows best.

Also here: :func:`record_path` (a training run that keeps the weights after every epoch),
:func:`scaling_grid` (batch size x learning rate) and :func:`range_test` (lesson 3's
learning-rate range test on the network's cost).
"""
from dataclasses import dataclass

import numpy as np

from course import losses, validate
from course.data import minibatches
from course.lr_experiments import RangeTest
from course.nn import ACTIVATIONS, Network, _labels, _softmax
from course.optimizers import SGD, Optimizer
from course.training import _sets, train

__all__ = ["flat", "unflat", "WeightPath", "record_path", "line_costs", "random_direction",
           "pca_directions", "project", "Slice", "plane_costs", "slice_around", "rise", "BATCH_RUNS",
           "PLANES", "batch_slices", "ScalingGrid",
           "scaling_grid", "range_test"]


def _network(net):
    if not isinstance(net, Network):
        raise ValueError(f"net must be a course.nn.Network, got {validate._show(net)}")
    return net


def _vector(name, net, value):
    """A vector of the network's parameter count P, checked."""
    return validate.array(name, value, shape=(sum(p.size for p in net.params),))


def flat(net):
    """All parameters of ``net`` laid end to end as one float64 vector theta."""
    return np.concatenate([p.ravel() for p in _network(net).params]).astype(np.float64)


def unflat(net, theta):
    """The list of arrays [W1, b1, W2, b2, ...] with the shapes of ``net.params``, from theta."""
    theta = _vector("theta", _network(net), theta)
    ends = np.cumsum([p.size for p in net.params])
    return [theta[end - p.size:end].reshape(p.shape) for p, end in zip(net.params, ends)]


@dataclass(frozen=True, eq=False)
class WeightPath:
    """``weights`` (epochs + 1, P): theta after each epoch (row 0 the initial weights);
    ``history`` the :class:`course.training.History` of the run."""

    weights: np.ndarray
    history: object

    @property
    def start(self):
        return self.weights[0]

    @property
    def end(self):
        return self.weights[-1]


def record_path(net, optimizer, data, epochs=20, batch_size=32, seed=0, **train_kw):
    """Train ``net`` (as :func:`course.training.train`, to the last epoch) and keep theta after
    every epoch."""
    weights = []
    history = train(net, optimizer, data, epochs=epochs, batch_size=batch_size, seed=seed,
                    keep_best=False, callback=lambda _h: weights.append(flat(net)), **train_kw)
    return WeightPath(np.array(weights[:history.epochs + 1]), history)


def _costs(net, center, directions, coefs, X, y):
    """Mean cross-entropy on (X, y) at every point theta = center + sum_k coefs[i, k] directions[k]
    (one row of ``coefs`` per point), with ``net``'s layer sizes and activation.

    Vectorised over the points. The first layer is linear in its weights, so its pre-activations
    are X W(theta) + b(theta) = (X W + b)(center) + sum_k coefs[i, k] (X W + b)(direction k):
    k + 1 matrix products for all the points. The later layers are batched matrix products,
    (n, m, n_in) @ (n, n_in, n_out), over chunks of points that keep the memory small.
    """
    layers = len(net.sizes) - 1
    first = [net.sizes[0] * net.sizes[1], net.sizes[1]]                    # sizes of W1 and b1
    vectors = np.vstack([center, directions]).astype(net.dtype)
    Z1_parts = np.stack([X @ v[:first[0]].reshape(net.sizes[:2]) + v[first[0]:sum(first)]
                         for v in vectors])                               # (1 + k, m, n1)
    coefs = np.column_stack([np.ones(len(coefs)), coefs]).astype(net.dtype)
    out = np.empty(len(coefs))
    chunk = max(1, 2_000_000 // (len(X) * max(net.sizes)))
    with np.errstate(all="ignore"):
        for start in range(0, len(coefs), chunk):
            c = coefs[start:start + chunk]
            Z = np.tensordot(c, Z1_parts, axes=1)                           # (n, m, n1)
            params = _stacked(net, c @ vectors)[2:]                        # W2, b2, ... per point
            for l in range(1, layers):
                A = ACTIVATIONS[net.activation](Z)
                W, b = params[2 * l - 2], params[2 * l - 1]                # (n, n_in, n_out), (n, n_out)
                Z = A @ W + b[:, None, :]                                  # (n, m, n_out)
            P = _softmax(Z)                                                # as Network.cost:
            picked = np.take_along_axis(P, y[None, :, None], axis=2)[:, :, 0]
            out[start:start + chunk] = -np.log(np.clip(picked, losses.EPS, 1.0)).mean(axis=1)
    return np.where(np.isfinite(out), out, np.inf)


def _stacked(net, thetas):
    """The rows of ``thetas`` (n, P) as stacked arrays [W1 (n, n0, n1), b1 (n, n1), ...]."""
    ends = np.cumsum([p.size for p in net.params])
    return [thetas[:, end - p.size:end].reshape(-1, *p.shape) for p, end in zip(net.params, ends)]


def _data(net, X, y):
    X = net._inputs(X)
    return X, _labels(y, net.sizes[-1], len(X))


def line_costs(net, start, end, X, y, alphas=None):
    """J((1 - a) start + a end) on (X, y) for each a of ``alphas`` (default: 61 points, steps of 0.025 in
    [-0.25, 1.25], a little beyond both ends). Returns (alphas, costs)."""
    alphas = np.linspace(-0.25, 1.25, 61) if alphas is None else validate.array(
        "alphas", alphas, shape=("n",), limit=1e3)
    validate.memory("len(alphas)", len(alphas), alphas=len(alphas))
    start, end = _vector("start", _network(net), start), _vector("end", net, end)
    X, y = _data(net, X, y)
    return alphas, _costs(net, start, [end - start], alphas[:, None], X, y)


def random_direction(net, center, seed=0):
    """A Gaussian direction (seeded) normalised filter by filter around theta* = ``center``:
    column j of each weight matrix gets the norm of column j of W*; biases get 0."""
    center = _vector("center", _network(net), center)
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    parts = []
    for k, p in enumerate(unflat(net, center)):
        if k % 2:                                   # a bias vector
            parts.append(np.zeros(p.size))
            continue
        d = rng.normal(size=p.shape)
        d *= np.linalg.norm(p, axis=0) / np.linalg.norm(d, axis=0)      # per neuron (column)
        parts.append(d.ravel())
    return np.concatenate(parts)


def pca_directions(path):
    """The two principal directions of the path around its end: the top two right singular
    vectors of the matrix whose rows are theta_t - theta_end. Returns (d1, d2, explained),
    unit vectors and the fraction of the path's variance each explains."""
    weights = validate.array("path", getattr(path, "weights", path), shape=("t", "P"))
    M = weights - weights[-1]
    if len(weights) < 3 or weights.shape[1] < 2 or not np.abs(M).max() > 1e-12 * np.abs(weights).max():
        raise ValueError(f"path must hold at least 3 points of at least 2 numbers, not all "
                         f"equal, got {validate._show(weights)}")
    _, s, Vt = np.linalg.svd(M, full_matrices=False)
    r = s / s[0]                                   # relative sizes: no underflow in s ** 2
    explained = r ** 2 / np.sum(r ** 2)
    return Vt[0], Vt[1], explained[:2]


def project(points, center, d1, d2):
    """Coordinates (a, b) of each point theta on the plane center + a d1 + b d2, by least
    squares (exact when theta lies on the plane; d1 and d2 need not be orthogonal)."""
    points, center, d1, d2 = (validate.array(name, v) for name, v in
                              (("points", points), ("center", center), ("d1", d1), ("d2", d2)))
    if not (center.ndim == 1 and d1.shape == d2.shape == center.shape
            and points.ndim and points.shape[-1] == len(center)):
        raise ValueError(f"center, d1 and d2 must be vectors of one length P, points rows of P "
                         f"numbers; got shapes {center.shape}, {d1.shape}, {d2.shape}, {points.shape}")
    D = np.column_stack([d1, d2])
    if np.linalg.matrix_rank(D) < 2:
        raise ValueError("d1 and d2 must span a plane (neither zero, not parallel)")
    coords, *_ = np.linalg.lstsq(D, (points.reshape(-1, len(center)) - center).T, rcond=None)
    return coords.T.reshape(*points.shape[:-1], 2)


@dataclass(frozen=True, eq=False)
class Slice:
    """``cost`` (len(b), len(a)) of J(center + a d1 + b d2) on the grid ``a`` x ``b``,
    ``path`` (t, 2) the training path projected on the plane."""

    a: np.ndarray
    b: np.ndarray
    cost: np.ndarray
    path: np.ndarray
    d1: np.ndarray
    d2: np.ndarray


def plane_costs(net, center, d1, d2, a, b, X, y):
    """J(center + a_i d1 + b_j d2) for the whole grid: an array of shape (len(b), len(a))."""
    _network(net)
    center, d1, d2 = (_vector(name, net, v) for name, v in (("center", center), ("d1", d1), ("d2", d2)))
    a = validate.array("a", a, shape=("n",), limit=1e3)
    b = validate.array("b", b, shape=("n",), limit=1e3)
    validate.memory("len(a) * len(b)", len(a) * len(b), a=len(a), b=len(b))
    X, y = _data(net, X, y)
    A, B = np.meshgrid(a, b)
    return _costs(net, center, [d1, d2], np.column_stack([A.ravel(), B.ravel()]), X, y
                  ).reshape(len(b), len(a))


def slice_around(net, path, X, y, plane="random", n=41, span=1.0, seed=0):
    """A :class:`Slice` around the end of ``path``: ``plane`` "random" (two filter-normalised
    directions, a and b in [-span, span]) or "pca" (the path's principal directions, the grid
    covering the projected path with a margin)."""
    _network(net)
    if not isinstance(path, WeightPath):
        raise ValueError(f"path must be a WeightPath (record_path gives one), got {validate._show(path)}")
    if not (isinstance(plane, str) and plane in ("random", "pca")):
        raise ValueError(f"plane must be 'random' or 'pca', got {validate._show(plane)}")
    n = validate.integer("n", n, 3, 201)
    span = validate.number("span", span, low=0.0, high=100.0, low_open=True)
    center = _vector("path.end", net, path.end)
    if plane == "random":
        d1 = random_direction(net, center, seed)
        d2 = random_direction(net, center, seed + 1)
        coords = project(path.weights, center, d1, d2)
        a = b = np.linspace(-span, span, n)
    else:
        d1, d2, _ = pca_directions(path)
        coords = project(path.weights, center, d1, d2)
        half = 1.25 * np.abs(coords).max(axis=0)            # the whole path, and a margin
        a, b = np.linspace(-half[0], half[0], n), np.linspace(-half[1], half[1], n)
    return Slice(a, b, plane_costs(net, center, d1, d2, a, b, X, y), coords, d1, d2)


def rise(s, radius=0.5):
    """How sharp the minimum is on a slice: the mean cost over the grid points within ``radius``
    of the centre (sqrt(a^2 + b^2) <= radius) minus the cost at the centre."""
    if not isinstance(s, Slice):
        raise ValueError(f"s must be a Slice (slice_around gives one), got {validate._show(s)}")
    radius = validate.number("radius", radius, low=0.0, high=1e3, low_open=True)
    A, B = np.meshgrid(s.a, s.b)
    inside = np.hypot(A, B) <= radius
    i, j = np.argmin(np.abs(s.b)), np.argmin(np.abs(s.a))
    if not inside.any() or s.a[j] != 0 or s.b[i] != 0:
        raise ValueError(f"s must be a grid through (0, 0) with points within radius={radius:g}")
    return float(s.cost[inside].mean() - s.cost[i, j])


BATCH_RUNS = {"small": (16, 0.1, 20), "large": (512, 1.0, 100)}
"""Lesson 9's two SGD runs: batch size, learning rate, epochs (both reach a low training cost)."""
PLANES = ("random", "pca")


def batch_slices(data, n=41, seed=0):
    """Train ``Network([64, 32, 10], seed)`` with SGD for each of ``BATCH_RUNS`` and slice the
    training cost around each end point on both planes. Returns (paths, slices): dicts keyed by
    "small" / "large" and by ("small", "random"), ("small", "pca"), ..."""
    n = validate.integer("n", n, 3, 201)
    seed = validate.integer("seed", seed, 0)
    paths, slices = {}, {}
    for name, (batch_size, lr, epochs) in BATCH_RUNS.items():
        net = Network([64, 32, 10], seed=seed)
        paths[name] = record_path(net, SGD(lr=lr), data, epochs=epochs, batch_size=batch_size,
                                  seed=seed)
        for plane in PLANES:
            slices[name, plane] = slice_around(net, paths[name], data.X_train, data.y_train,
                                               plane=plane, n=n, seed=seed)
    return paths, slices


# ------------------------------------------------------------------ batch size x learning rate

@dataclass(frozen=True, eq=False)
class ScalingGrid:
    """``cost`` (len(batch_sizes), len(lrs)): the validation cost after ``epochs`` epochs of SGD
    for each batch size and learning rate (inf when the run diverged); ``best_lr`` per batch size."""

    batch_sizes: np.ndarray
    lrs: np.ndarray
    cost: np.ndarray
    epochs: int

    @property
    def best_lr(self):
        return self.lrs[np.argmin(self.cost, axis=1)]


def _listed(name, values):
    if isinstance(values, np.ndarray) and values.ndim == 1:
        values = values.tolist()
    if not isinstance(values, (list, tuple, range)) or not len(values):
        raise ValueError(f"{name} must be a non-empty list of numbers, got {validate._show(values)}")
    return values


def scaling_grid(data, batch_sizes, lrs, epochs=5, sizes=(64, 32, 10), seed=0):
    """Train ``Network(sizes, seed)`` with SGD for every (batch size, lr) pair, the same number
    of epochs each (so every run sees each example equally often), and keep the last
    validation cost. The linear-scaling rule says: k times the batch, k times the lr."""
    batch_sizes = [validate.integer("batch_sizes", b, 1) for b in _listed("batch_sizes", batch_sizes)]
    lrs = [validate.learning_rate("lrs", lr) for lr in _listed("lrs", lrs)]
    epochs = validate.integer("epochs", epochs, 1)
    validate.steps("runs * epochs", len(batch_sizes) * len(lrs) * epochs)
    cost = np.empty((len(batch_sizes), len(lrs)))
    for i, b in enumerate(batch_sizes):
        for j, lr in enumerate(lrs):
            net = Network(sizes, seed=seed)
            h = train(net, SGD(lr=lr), data, epochs=epochs, batch_size=b, seed=seed,
                      keep_best=False)
            cost[i, j] = h.val_cost[-1] if h.diverged_at < 0 else np.inf
    return ScalingGrid(np.array(batch_sizes), np.array(lrs), cost, epochs)


# ------------------------------------------------------------------ learning-rate range test

def range_test(net, data, lr_min=1e-3, lr_max=10.0, steps=300, batch_size=32, seed=0,
               blowup=4.0, beta=0.9):
    """Lesson 3's learning-rate range test (Smith 2017) on the network's cost: SGD on
    mini-batches (as many epochs as ``steps`` needs) with lr_t = lr_min (lr_max / lr_min)^(t / (T - 1)),
    the mini-batch cost smoothed as s_t = beta s_(t-1) + (1 - beta) cost_t, divided by
    1 - beta^(t+1), stopping once s_t exceeds ``blowup`` times its lowest value. ``net`` is
    trained in place. Returns a :class:`course.lr_experiments.RangeTest`."""
    if not isinstance(net, Network):
        raise ValueError(f"net must be a course.nn.Network, got {validate._show(net)}")
    lr_min = validate.number("lr_min", lr_min, 1e-12, 1e6)
    lr_max = validate.number("lr_max", lr_max, 1e-12, 1e6)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be > lr_min, got lr_min={lr_min!r}, lr_max={lr_max!r}")
    T = validate.steps("steps", steps, 2)
    blowup = validate.number("blowup", blowup, low=1.0, high=1e6, low_open=True)
    beta = validate.rate("beta", beta)
    (X, y), = _sets(net, data, ("train",))
    batch_size = min(validate.integer("batch_size", batch_size, 1), len(X))
    rng = np.random.default_rng(validate.integer("seed", seed, 0))
    lrs = lr_min * (lr_max / lr_min) ** (np.arange(T) / (T - 1))
    cost, smooth = np.empty(T), np.empty(T)
    avg, best, stopped, t = 0.0, np.inf, -1, 0
    with np.errstate(all="ignore"):
        while t < T and stopped < 0:
            for Xb, yb in minibatches(X, y, batch_size, rng):
                cost[t], grads = net.gradients(Xb, yb)
                avg = beta * avg + (1 - beta) * cost[t]
                smooth[t] = avg / (1 - beta ** (t + 1))
                best = min(best, smooth[t])
                if not smooth[t] <= blowup * best:          # blown up (or not finite)
                    stopped = t
                    break
                net.params = [p - lrs[t] * g for p, g in zip(net.params, grads)]
                t += 1
                if t == T:
                    break
    n = T if stopped < 0 else stopped + 1
    at_min = float(lrs[int(np.argmin(smooth[:n]))])
    return RangeTest(lrs[:n], cost[:n], smooth[:n], stopped, at_min, at_min / 10)
