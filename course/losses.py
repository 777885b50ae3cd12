"""Loss functions (one example) and the cost (their mean over a data set).

Every loss has a ``*_grad`` companion: the gradient of each example's loss with respect
to that example's prediction (divide by the number of examples for the gradient of the
cost). Shapes must match exactly: a target of shape ``(m, 1)`` against a prediction of
shape ``(m,)`` would silently broadcast to an ``(m, m)`` table, so it raises ValueError.
"""
import numpy as np

from course import validate

__all__ = ["squared_loss", "squared_loss_grad", "bbox_loss", "bbox_loss_grad",
           "cross_entropy", "cross_entropy_grad", "cost", "EPS"]

EPS = 1e-12
"""Probabilities are clipped to [EPS, 1] before the logarithm: the loss stays below 27.7."""


def _same_shape(a, b, name_a, name_b):
    a, b = validate.array(name_a, a), validate.array(name_b, b)
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape; got {a.shape} "
                         f"and {b.shape} (reshape one: they would broadcast silently)")
    return a, b


def squared_loss(y, y_hat):
    """L(y, y^) = (y - y^)^2, elementwise."""
    y, y_hat = _same_shape(y, y_hat, "y", "y_hat")
    return (y - y_hat) ** 2


def squared_loss_grad(y, y_hat):
    """dL/dy^ = 2 (y^ - y), elementwise."""
    y, y_hat = _same_shape(y, y_hat, "y", "y_hat")
    return 2.0 * (y_hat - y)


def _boxes(box, box_hat):
    box, box_hat = _same_shape(box, box_hat, "box", "box_hat")
    if box.ndim == 0 or box.shape[-1] != 4:
        raise ValueError(f"box must have shape (..., 4) holding (x, y, w, h); got {box.shape}")
    return box, box_hat


def bbox_loss(box, box_hat):
    """Bounding-box loss (Redmon et al., 2016) for boxes (x, y, w, h) on the last axis.

    centre = (x - x^)^2 + (y - y^)^2, size = (w - w^)^2 + (h - h^)^2,
    total = centre + size. Returns ``(total, centre, size)``, each of shape ``(...)``.
    """
    box, box_hat = _boxes(box, box_hat)
    sq = (box - box_hat) ** 2
    centre = sq[..., 0] + sq[..., 1]
    size = sq[..., 2] + sq[..., 3]
    return centre + size, centre, size


def bbox_loss_grad(box, box_hat):
    """d total / d box^ = 2 (box^ - box), shape ``(..., 4)``."""
    box, box_hat = _boxes(box, box_hat)
    return 2.0 * (box_hat - box)


def _classes(labels, probs):
    probs = validate.array("probs", probs, shape=("n", "k"))
    labels = validate.array("labels", labels, dtype=None)
    n, k = probs.shape
    if labels.shape != (n,):
        raise ValueError(f"labels must have shape (n,) = ({n},) to match probs; "
                         f"got {labels.shape}")
    if labels.size and not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be integer class indices; got dtype {labels.dtype}")
    if np.any((labels < 0) | (labels >= k)):
        raise ValueError(f"labels must be in [0, k) = [0, {k}) for probs of k = {k} columns; "
                         f"got values from {labels.min()} to {labels.max()}")
    if not np.all((probs >= 0) & (probs <= 1)):
        raise ValueError("probs must lie in [0, 1]")
    if not np.allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        raise ValueError("probs must have rows summing to 1 (apply a softmax first)")
    return labels, probs, np.arange(n)


def cross_entropy(labels, probs):
    """L = -log p[label] per example; labels (n,) integers, probs (n, k). Returns (n,)."""
    labels, probs, rows = _classes(labels, probs)
    return -np.log(np.clip(probs[rows, labels], EPS, 1.0))


def cross_entropy_grad(labels, probs):
    """dL/dp: -1 / p[label] in the label's column, 0 elsewhere; shape (n, k)."""
    labels, probs, rows = _classes(labels, probs)
    grad = np.zeros_like(probs)
    grad[rows, labels] = -1.0 / np.clip(probs[rows, labels], EPS, 1.0)
    return grad


def cost(losses):
    """J = (1/m) sum_i L_i: the mean of the losses."""
    losses = validate.array("losses", losses)
    if losses.size == 0:
        raise ValueError("losses must not be empty: the cost of no examples is undefined")
    return float(np.mean(losses))
