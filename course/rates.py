"""How fast gradient descent and Momentum shrink the error on a quadratic bowl.

In its eigenbasis a quadratic bowl is ``f(w) = 1/2 sum_i lam_i w_i**2``: each coordinate w_i
is the error along one eigen-direction, with curvature lam_i, and the directions do not
interact. So each direction shrinks by its own factor per step, its **rate** (below 1: it
converges; above 1: it diverges); after t steps its error is about ``rate**t`` times the start.

Gradient descent, ``w = w - lr * lam * w``, multiplies w by ``1 - lr * lam``:
``rate = |1 - lr * lam|``.

Momentum in the course's average form (``course.optimizers.Momentum``)::

    V = beta * V + (1 - beta) * lam * w
    w = w - lr * V

maps the pair (V, w) to ``M @ (V, w)`` with the 2 x 2 matrix::

    M = [[beta,        (1 - beta) * lam          ],
         [-lr * beta,   1 - lr * (1 - beta) * lam]]

and its rate is M's spectral radius, the largest |eigenvalue| of M.
"""
import numpy as np

from . import validate

__all__ = ["gd_rate", "momentum_matrix", "momentum_rate", "momentum_errors", "best_gd",
           "best_momentum"]

BOUND = 1e6     # an error past this has diverged (as in course.descent.descend)


def _values(name, value, low, high, low_open=False, high_open=False):
    """An array of numbers in the interval (low, high), each end open or closed."""
    a = validate.array(name, value)
    above = a > low if low_open else a >= low
    below = a < high if high_open else a <= high
    if not np.all(above & below):
        raise ValueError(f"{name} must hold numbers in {'(' if low_open else '['}{low:g}, "
                         f"{high:g}{')' if high_open else ']'}, got {validate._show(value)}")
    return a


def _broadcast(**arrays):
    try:
        return np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"{', '.join(arrays)} must have shapes that broadcast together, "
                         f"got {shapes}") from None


def gd_rate(lr, curvature):
    """Gradient descent's factor per step along a direction of curvature lam: |1 - lr * lam|.

    Arguments may be arrays (they broadcast): one rate per pair.
    """
    lr = _values("lr", lr, 0.0, 1e6, low_open=True)
    lam = _values("curvature", curvature, 0.0, 1e6, low_open=True)
    lr, lam = _broadcast(lr=lr, curvature=lam)
    return np.abs(1 - lr * lam)


def momentum_matrix(lr, beta, curvature):
    """The matrix M with (V, w) <- M @ (V, w) for Momentum along a direction of curvature lam.

    Shape ``(..., 2, 2)`` for arrays ``lr``, ``beta``, ``curvature`` that broadcast together.
    """
    lr = _values("lr", lr, 0.0, 1e6, low_open=True)
    beta = _values("beta", beta, 0.0, 1.0, high_open=True)
    lam = _values("curvature", curvature, 0.0, 1e6, low_open=True)
    lr, beta, lam = _broadcast(lr=lr, beta=beta, curvature=lam)
    M = np.empty(lr.shape + (2, 2))
    M[..., 0, 0] = beta                          # V <- beta V + (1 - beta) lam w
    M[..., 0, 1] = (1 - beta) * lam
    M[..., 1, 0] = -lr * beta                    # w <- w - lr V_new
    M[..., 1, 1] = 1 - lr * (1 - beta) * lam
    return M


def momentum_rate(lr, beta, curvature):
    """Momentum's factor per step along a direction of curvature lam: the largest |eigenvalue|
    of :func:`momentum_matrix` (its spectral radius). With beta = 0 it is |1 - lr * lam|."""
    return np.abs(np.linalg.eigvals(momentum_matrix(lr, beta, curvature))).max(axis=-1)


def momentum_errors(lr, beta, curvature, steps):
    """The error w_t along one direction for t = 0..steps of Momentum from w = 1 and V = 0.

    Each step is Momentum's two lines with dW = lam * w (``course.optimizers.Momentum``)::

        V = beta * V + (1 - beta) * lam * w
        w = w - lr * V

    Returns ``(w, diverged_at)``: ``w`` of shape ``(steps + 1, ...)`` for the broadcast shape of
    the arguments, and the step at which |w| first passed ``BOUND`` (-1 if never); from that step
    on a diverged error is held at its last value. beta = 0 gives gradient descent's errors
    ``(1 - lr * lam)**t``.
    """
    lr = _values("lr", lr, 0.0, 1e6, low_open=True)
    beta = _values("beta", beta, 0.0, 1.0, high_open=True)
    lam = _values("curvature", curvature, 0.0, 1e6, low_open=True)
    lr, beta, lam = _broadcast(lr=lr, beta=beta, curvature=lam)
    steps = validate.integer("steps", steps, 0, 10_000)
    validate.memory("(steps + 1) * size", (steps + 1) * lr.size, steps=steps, size=lr.size)
    V, w = np.zeros(lr.shape), np.ones(lr.shape)
    errors = np.empty((steps + 1,) + lr.shape)
    errors[0] = w
    with np.errstate(over="ignore", invalid="ignore"):   # a diverging run passes inf: held below
        for t in range(1, steps + 1):
            V = beta * V + (1 - beta) * lam * w
            w = w - lr * V
            errors[t] = w
    escaped = ~(np.abs(errors) <= BOUND)                 # inf and NaN count as escaped
    diverged_at = np.where(escaped.any(axis=0), escaped.argmax(axis=0), -1)
    t = np.arange(steps + 1).reshape((-1,) + (1,) * lr.ndim)
    last = np.take_along_axis(errors, np.maximum(diverged_at - 1, 0)[None], axis=0)
    errors = np.where((diverged_at >= 0) & (t >= diverged_at), last, errors)
    return errors, diverged_at


def _curvatures(lam_min, lam_max):
    lam_min = validate.number("lam_min", lam_min, 1e-6, 1e6)
    lam_max = validate.number("lam_max", lam_max, 1e-6, 1e6)
    if lam_max < lam_min:
        raise ValueError(f"lam_max must be >= lam_min, got lam_min = {lam_min:g} and lam_max = {lam_max:g}")
    return lam_min, lam_max, lam_max / lam_min


def best_gd(lam_min, lam_max):
    """The learning rate that makes gradient descent's slowest direction fastest, and its rate.

    ``lr = 2 / (lam_min + lam_max)`` makes ``1 - lr lam_min = -(1 - lr lam_max)``: the
    shallowest and the steepest directions then shrink equally, by ``(kappa - 1) / (kappa + 1)``
    with kappa = lam_max / lam_min. Returns ``(lr, rate)``.
    """
    lam_min, lam_max, kappa = _curvatures(lam_min, lam_max)
    return 2 / (lam_min + lam_max), (kappa - 1) / (kappa + 1)


def best_momentum(lam_min, lam_max):
    """The best Momentum on curvatures in [lam_min, lam_max]: returns ``(lr, beta, rate)``.

    ``beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2`` and the effective learning rate
    ``lr * (1 - beta) = (2 / (sqrt(lam_min) + sqrt(lam_max)))**2`` give every direction the
    rate ``sqrt(beta) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)``. In the course's average form
    that learning rate is simply ``lr = 1 / sqrt(lam_min * lam_max)``.
    """
    lam_min, lam_max, kappa = _curvatures(lam_min, lam_max)
    rate = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    beta = rate**2
    lr = (2 / (np.sqrt(lam_min) + np.sqrt(lam_max))) ** 2 / (1 - beta)
    return float(lr), float(beta), float(rate)
