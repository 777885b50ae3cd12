"""Data for the lessons: house prices from a known line, mini-batches, handwritten digits.

Everything is generated from a seed or ships with scikit-learn: nothing is downloaded.
"""
from dataclasses import dataclass, replace

import numpy as np

from . import validate

__all__ = ["HousePrices", "house_prices", "batch_sizes", "minibatches", "Digits", "digits"]

W_TRUE = 3.0      # thousands per square metre
B_TRUE = 50.0     # thousands
AREA = (40.0, 220.0)  # square metres



@dataclass(frozen=True, eq=False)
class HousePrices:
    """Floor area ``x`` and price ``y`` of m houses, from ``y = w_true * x + b_true + noise``."""

    x: np.ndarray
    y: np.ndarray
    w_true: float
    b_true: float
    x_label: str = "floor area (m²)"
    y_label: str = "price (thousands)"

    def standardized(self):
        """The same houses with x in z-scores: z = (x - mean(x)) / std(x).

        Only the feature is rescaled, y stays in thousands. Then mean(z) = 0 and
        mean(z**2) = 1, so the cost J(w, b) = mean((w z + b - y)**2) has the Hessian
        2 * identity: round contours instead of a long thin valley. The true line
        becomes w = w_true * std(x), b = b_true + w_true * mean(x).
        """
        mean, std = self.x.mean(), self.x.std()
        return replace(self, x=(self.x - mean) / std, w_true=self.w_true * std,
                       b_true=self.b_true + self.w_true * mean,
                       x_label="floor area (z-score)")


def house_prices(m=50, noise=40.0, seed=0):
    """m houses with floor areas uniform in 40-220 m² and prices (thousands) from the line
    ``y = 3.0 * x + 50.0`` plus Gaussian noise of standard deviation ``noise``.

    The areas and the noise come from two separate streams of the seed, so the first m houses
    of ``house_prices(m + 1)`` are the m houses of ``house_prices(m)``: one more house adds a
    house and moves none."""
    m = validate.integer("m", m, 2)
    validate.memory("4 * m", 4 * m, m=m)               # x, y, the noise and one temporary
    noise = validate.number("noise", noise, low=0.0)
    streams = np.random.SeedSequence(validate.integer("seed", seed, 0)).spawn(2)
    areas, noises = (np.random.default_rng(s) for s in streams)
    x = areas.uniform(*AREA, size=m)
    y = W_TRUE * x + B_TRUE + noises.normal(0.0, noise, size=m)
    return HousePrices(x=x, y=y, w_true=W_TRUE, b_true=B_TRUE)


def batch_sizes(n, batch_size):
    """Sizes of the mini-batches in one epoch over n examples: full batches, then the rest.

    ``batch_sizes(60000, 128)`` gives 468 batches of 128 and a last one of 96: 469 steps.
    """
    n = validate.integer("n", n, 1)
    batch_size = validate.integer("batch_size", batch_size, 1, n, high_name="n")
    validate.memory("n / batch_size", n // batch_size, n=n, batch_size=batch_size)  # list entries
    full, rest = divmod(n, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


def minibatches(X, y, batch_size, rng):
    """One epoch of mini-batches ``(Xb, yb)``: shuffle, then cut; the last batch may be smaller.

    Every example appears exactly once per epoch (sampling without replacement).
    ``rng`` is a ``numpy.random.Generator`` (or an int seed); call again for the next epoch.
    """
    X, y = validate.array("X", X, dtype=None), validate.array("y", y, dtype=None)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got shapes {X.shape} and {y.shape}")
    sizes = batch_sizes(len(X), batch_size)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(validate.integer("rng", rng, 0))
    order = rng.permutation(len(X))
    ends = np.cumsum(sizes)
    return ((X[idx], y[idx]) for idx in np.split(order, ends[:-1]))


@dataclass(frozen=True, eq=False)
class Digits:
    """8x8 handwritten digits, pixels scaled to [0, 1], split into train / validation / test."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    n_classes: int = 10

    @staticmethod
    def images(X):
        """Rows of 64 pixels back to 8x8 images: shape (n, 8, 8)."""
        return validate.array("X", X, shape=(..., 64)).reshape(-1, 8, 8)


def digits(seed=0):
    """scikit-learn's bundled digits (1,797 images), X = pixels / 16, split 60/20/20.

    The split is stratified (each digit in the same proportion in every part) and
    fixed by ``seed``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    seed = validate.integer("seed", seed, 0, 2**32 - 1)    # scikit-learn's range
    data = load_digits()
    X, y = data.data / 16.0, data.target
    X_train, X_rest, y_train, y_rest = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=seed)
    X_val, X_test, y_val, y_test = train_test_split(
        X_rest, y_rest, test_size=0.5, stratify=y_rest, random_state=seed)
    return Digits(X_train, y_train, X_val, y_val, X_test, y_test)
