"""Train a :class:`course.nn.Network` with mini-batches and any optimizer of ``course.optimizers``.

One epoch: shuffle the training set (seeded), cut it into mini-batches, and for each batch
compute the cost's gradients by backpropagation, then let the optimizer update every parameter.

The optimizer sees all parameter arrays laid end to end as one flat vector (``np.concatenate``
of the raveled arrays), so its state (``V``, ``S``, ``G``) holds one entry per parameter and one
call moves the whole network: the same arithmetic as one optimizer per array, with a quarter of
the Python overhead on a two-layer network. That vector stays in float64 (the optimizers compute
in float64); the network's float32 arrays are copies of it made after each step.

After every epoch the cross-entropy on the whole training and validation sets is recorded;
training stops early when the validation cost has not improved for ``patience`` epochs, and the
network is left with the parameters of its best epoch.
"""
from dataclasses import dataclass, field

import numpy as np

from course import schedules, validate
from course.data import minibatches
from course.nn import Network, _cross_entropy, _l2, _labels
from course.optimizers import Optimizer

__all__ = ["History", "Runs", "train", "clip_by_norm", "repeat"]


@dataclass
class History:
    """What happened, epoch by epoch (index 0 is the untrained network).

    Costs are the mean cross-entropy on all of the training or validation set, without the
    L2 penalty: how well the network fits, comparable between runs with different ``l2``.
    """

    train_cost: list = field(default_factory=list)
    val_cost: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    weight_norm: list = field(default_factory=list)   # sqrt(sum of all ||W||^2)
    best_epoch: int = 0
    stopped_early: bool = False
    diverged_at: int = -1     # epoch that ended with a blown-up cost (see train), -1 if never
    steps: int = 0            # optimizer steps taken
    max_epochs: int = 0

    @property
    def epochs(self):
        """Epochs completed."""
        return len(self.train_cost) - 1

    def message(self):
        """One sentence on how training ended."""
        if self.diverged_at >= 0:
            return (f"diverged at epoch {self.diverged_at}: the learning rate is too large; "
                    f"the network keeps its best epoch ({self.best_epoch})")
        if self.best_epoch == 0 and self.epochs > 0:
            return (f"no better than the untrained network after {self.epochs} epochs: "
                    f"try another learning rate")
        if self.stopped_early:
            return (f"stopped early after epoch {self.epochs}: the validation cost was lowest "
                    f"at epoch {self.best_epoch}")
        return f"trained {self.epochs} epochs; lowest validation cost at epoch {self.best_epoch}"


BLOWUP = 2.0
"""A training cost above BLOWUP times the untrained network's counts as divergence."""



def _record(history, net, sets):
    cost, acc = [], []
    for X, y in sets:
        P, _ = net._forward(X)
        cost.append(_cross_entropy(P, y))
        acc.append(float(np.mean(P.argmax(axis=1) == y)))
    history.train_cost.append(cost[0])
    history.val_cost.append(cost[1])
    history.train_accuracy.append(acc[0])
    history.val_accuracy.append(acc[1])
    history.weight_norm.append(float(np.sqrt(sum(np.sum(W.astype(np.float64) ** 2) for W in net.weights))))
    return bool(np.isfinite(cost).all())


def _flatten(arrays):
    return np.concatenate([a.ravel() for a in arrays])


def train(net, optimizer, data, epochs=20, batch_size=32, l2=0.0, patience=None, seed=0,
          callback=None, keep_best=True, warmup=0, clip=None):
    """Train ``net`` in place on ``data`` (``X_train, y_train, X_val, y_val``, as course.data.digits).

    ``optimizer``: a course.optimizers optimizer; it is reset, then steps the flat parameter vector.
    ``l2``: strength of the penalty (l2/2) sum ||W||^2. ``patience``: stop after that many epochs
    without a lower validation cost (None: never stop early). ``seed`` fixes the shuffling.
    ``callback(history)`` runs after every epoch (and once before training), e.g. to draw.
    Returns a :class:`History`. The network ends with the parameters of its best epoch
    (lowest validation cost), or of its last epoch with ``keep_best=False``.
    ``warmup``: steps of linear warm-up, the optimizer's lr ramped up as
    ``course.schedules.warmup(lr, warmup)`` (0: none). ``clip``: clip by global norm, each
    step's gradient g (all parameters) scaled to ``clip / ||g||`` times itself when ||g|| > clip.
    Training stops as diverged when a parameter becomes inf or NaN, or when the training cost
    ends an epoch above ``BLOWUP`` times the untrained network's cost (worse than guessing).
    """
    if not isinstance(net, Network):
        raise ValueError(f"net must be a course.nn.Network, got {validate._show(net)}")
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be a course.optimizers optimizer, "
                         f"got {validate._show(optimizer)}")
    (X, y), val = _sets(net, data)
    epochs = validate.integer("epochs", epochs, 0)
    batch_size = min(validate.integer("batch_size", batch_size, 1), len(X))
    validate.steps("epochs * steps per epoch", epochs * -(-len(X) // batch_size))
    if patience is not None:
        patience = validate.integer("patience", patience, 1)
    l2 = _l2(l2)
    seed = validate.integer("seed", seed, 0)
    keep_best = validate.boolean("keep_best", keep_best)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function of the history or None, "
                         f"got {validate._show(callback)}")
    warmup = validate.integer("warmup", warmup, 0)
    if clip is not None:
        clip = validate.number("clip", clip, low=0.0, high=1e6, low_open=True)
    optimizer.reset()
    lr = optimizer.lr
    if warmup:
        optimizer.lr = schedules.warmup(lr, warmup)
    slices = [(p.shape, slice(end - p.size, end))
              for p, end in zip(net.params, np.cumsum([p.size for p in net.params]))]
    flat = _flatten(net.params)
    rng = np.random.default_rng(seed)
    history = History(max_epochs=epochs)
    with np.errstate(all="ignore"):
        _record(history, net, ((X, y), val))
        best, best_params = history.val_cost[0], [p.copy() for p in net.params]
        if callback is not None:
            callback(history)
        for epoch in range(1, epochs + 1):
            finite = True
            for Xb, yb in minibatches(X, y, batch_size, rng):
                P, activations = net._forward(Xb)
                g = _flatten(net._backward(P, activations, yb, l2))
                if clip is not None:
                    g = _clip(g, clip)
                flat = optimizer.step(flat, g)
                if not np.isfinite(flat).all():     # a diverging run: stop at once
                    finite = False
                    break
                net.params = [flat[s].astype(net.dtype).reshape(shape) for shape, s in slices]
                history.steps += 1
            finite = _record(history, net, ((X, y), val)) and finite
            finite = finite and history.train_cost[-1] <= BLOWUP * history.train_cost[0]
            if not finite:
                history.diverged_at = epoch
            elif history.val_cost[-1] < best:
                best, history.best_epoch = history.val_cost[-1], epoch
                best_params = [p.copy() for p in net.params]
            elif patience is not None and epoch - history.best_epoch >= patience:
                history.stopped_early = True
            if callback is not None:
                callback(history)
            if not finite or history.stopped_early:
                break
    optimizer.lr = lr
    if keep_best or history.diverged_at >= 0:
        net.params = best_params
    return history


def clip_by_norm(g, max_norm):
    """g scaled down to norm max_norm when ||g|| > max_norm: g * min(1, max_norm / ||g||)."""
    g = validate.array("g", g)
    return _clip(g, validate.number("max_norm", max_norm, low=0.0, high=1e6, low_open=True))


def _clip(g, max_norm):
    norm = np.linalg.norm(g)
    return g * (max_norm / norm) if norm > max_norm else g


def _sets(net, data, parts=("train", "val")):
    """The (X, y) pairs of ``data`` named by ``parts``, checked against the network."""
    sets = []
    for part in parts:
        X, y = getattr(data, f"X_{part}", None), getattr(data, f"y_{part}", None)
        if X is None or y is None:
            raise ValueError(f"data must have X_{part} and y_{part} (as course.data.digits() "
                             f"has), got {validate._show(data)}")
        try:
            X = net._inputs(X)
            sets.append((X, _labels(y, net.sizes[-1], len(X))))
        except ValueError as exc:
            raise ValueError(f"data.X_{part} and data.y_{part}: {exc}") from None
    return sets


@dataclass
class Runs:
    """Several seeds of one setting: arrays of shape (seeds, epochs + 1), test accuracy (seeds,)."""

    train_cost: np.ndarray
    val_cost: np.ndarray
    test_accuracy: np.ndarray
    weight_norm: np.ndarray


def repeat(data, optimizer, seeds, sizes=(64, 32, 10), epochs=20, **train_kw):
    """Train a fresh ``Network(sizes, seed=s)`` for each seed s (which also shuffles), to the last
    epoch (no early stopping), and stack the histories: the spread shows what is chance."""
    if not (isinstance(seeds, (list, tuple, range)) or np.ndim(seeds) == 1) or not len(seeds):
        raise ValueError(f"seeds must be a non-empty list of integers >= 0, got {validate._show(seeds)}")
    seeds = [validate.integer("seeds", s, 0) for s in seeds]
    (X_test, y_test), = _sets(Network(sizes), data, ("test",))
    rows = []
    for s in seeds:
        net = Network(sizes, seed=s)
        h = train(net, optimizer, data, epochs=epochs, seed=s, keep_best=False, **train_kw)
        if h.epochs != epochs:
            raise ValueError(f"the run with seed {s} stopped after {h.epochs} of {epochs} epochs: "
                             f"{h.message()}; try another optimizer or learning rate")
        rows.append((h.train_cost, h.val_cost, net.accuracy(X_test, y_test), h.weight_norm))
    return Runs(*(np.array(column) for column in zip(*rows)))
