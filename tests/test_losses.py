"""Losses: values against the formulas, gradients against finite differences, shape checks."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course.losses import (EPS, bbox_loss, bbox_loss_grad, cost, cross_entropy,
                           cross_entropy_grad, squared_loss, squared_loss_grad)

pytestmark = pytest.mark.filterwarnings("error")

FLOATS = st.floats(-1e3, 1e3, allow_nan=False)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, max_side=5)


def central_difference(f, a, h=1e-2):
    """Elementwise derivative of an elementwise function f at a (exact for quadratics,
    so a large step keeps rounding error small)."""
    step = h * np.maximum(1.0, np.abs(a))
    return (f(a + step) - f(a - step)) / (2 * step)


# ------------------------------------------------------------- squared loss

@settings(max_examples=200, deadline=None)
@given(st.data())
def test_squared_loss_value_and_gradient(data):
    shape = data.draw(SHAPES)
    y = data.draw(hnp.arrays(float, shape, elements=FLOATS))
    y_hat = data.draw(hnp.arrays(float, shape, elements=FLOATS))
    loss = squared_loss(y, y_hat)
    assert loss.shape == shape
    for idx in np.ndindex(shape):  # the formula, one element at a time
        assert loss[idx] == pytest.approx((y[idx] - y_hat[idx]) ** 2, rel=1e-14)
    fd = central_difference(lambda p: squared_loss(y, p), y_hat)
    g = squared_loss_grad(y, y_hat)
    assert g.shape == shape
    assert np.allclose(g, fd, rtol=1e-6, atol=1e-6)


def test_squared_loss_seed_example():
    # a house priced 300 predicted at 280 and one priced 150 predicted at 165
    losses = squared_loss([300.0, 150.0], [280.0, 165.0])
    assert losses.tolist() == [400.0, 225.0]
    assert cost(losses) == 312.5


@pytest.mark.parametrize("a, b", [((2,), (5, 1)), ((5, 1), (5,)), ((5,), (1, 5)),
                                  ((3,), (4,)), ((), (3,))])
def test_squared_loss_refuses_to_broadcast(a, b):
    for fn in (squared_loss, squared_loss_grad):
        with pytest.raises(ValueError, match=r"y and y_hat must have the same shape"):
            fn(np.zeros(a), np.zeros(b))


def test_the_column_vector_trap_raises():
    # y stored as a column (m, 1), predictions as a flat (m,): numpy would make (m, m)
    m = 50
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, m)
    y = (3 * x + 1).reshape(m, 1)
    with pytest.raises(ValueError, match=r"\(50, 1\) and \(50,\)"):
        cost(squared_loss(y, 3 * x + 1))
    assert cost(squared_loss(y.ravel(), 3 * x + 1)) == 0.0


# ------------------------------------------------------------- bounding boxes

@settings(max_examples=200, deadline=None)
@given(st.data())
def test_bbox_loss_value_and_gradient(data):
    lead = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=4))
    box = data.draw(hnp.arrays(float, lead + (4,), elements=FLOATS))
    box_hat = data.draw(hnp.arrays(float, lead + (4,), elements=FLOATS))
    total, centre, size = bbox_loss(box, box_hat)
    assert total.shape == centre.shape == size.shape == lead
    for idx in np.ndindex(lead):
        (x, y, w, h), (xh, yh, wh, hh) = box[idx], box_hat[idx]
        assert centre[idx] == pytest.approx((x - xh) ** 2 + (y - yh) ** 2)
        assert size[idx] == pytest.approx((w - wh) ** 2 + (h - hh) ** 2)
    assert np.array_equal(total, centre + size)
    g = bbox_loss_grad(box, box_hat)
    assert g.shape == lead + (4,)
    for j in range(4):  # derivative of the total loss along each coordinate of box_hat
        e = np.zeros(4)
        e[j] = 1.0
        step = 1e-2 * np.maximum(1.0, np.abs(box_hat[..., j:j + 1]))  # exact: quadratic
        fd = (bbox_loss(box, box_hat + step * e)[0] -
              bbox_loss(box, box_hat - step * e)[0]) / (2 * step[..., 0])
        assert np.allclose(g[..., j], fd, rtol=1e-6, atol=1e-6)


def test_bbox_loss_parts():
    total, centre, size = bbox_loss([10.0, 20.0, 4.0, 6.0], [11.0, 18.0, 4.0, 9.0])
    assert (total, centre, size) == (14.0, 5.0, 9.0)


@pytest.mark.parametrize("a, b, word", [
    ((3,), (3,), "box must have shape"), ((2, 5), (2, 5), "box must have shape"),
    ((4,), (2, 4), "same shape"), ((3, 4), (4,), "same shape"),
])
def test_bbox_loss_bad_shapes(a, b, word):
    for fn in (bbox_loss, bbox_loss_grad):
        with pytest.raises(ValueError, match=word):
            fn(np.zeros(a), np.zeros(b))


# ------------------------------------------------------------- cross-entropy

def softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 8), k=st.integers(2, 6), seed=st.integers(0, 2**32 - 1))
def test_cross_entropy_value_and_gradient(n, k, seed):
    rng = np.random.default_rng(seed)
    probs = softmax_rows(rng.normal(0, 2, (n, k)))
    labels = rng.integers(0, k, n)
    loss = cross_entropy(labels, probs)
    assert loss.shape == (n,)
    for i in range(n):
        assert loss[i] == pytest.approx(-np.log(probs[i, labels[i]]), rel=1e-12)
    g = cross_entropy_grad(labels, probs)
    assert g.shape == (n, k)
    off_label = np.ones((n, k), bool)
    off_label[np.arange(n), labels] = False
    assert np.all(g[off_label] == 0)
    # directional derivatives along directions that keep every row summing to 1
    v = rng.normal(size=(n, k))
    v -= v.mean(axis=1, keepdims=True)
    h = 1e-4 * probs.min() / np.abs(v).max()  # keeps probs + h v inside (0, 1)
    fd = (cross_entropy(labels, probs + h * v) - cross_entropy(labels, probs - h * v)) / (2 * h)
    assert np.allclose((g * v).sum(axis=1), fd, rtol=1e-5, atol=1e-8)


def test_cross_entropy_zero_probability_is_finite_and_silent():
    probs = np.array([[1.0, 0.0], [0.5, 0.5]])
    loss = cross_entropy([1, 0], probs)
    assert loss[0] == pytest.approx(-np.log(EPS)) and loss[1] == pytest.approx(np.log(2))
    assert np.all(np.isfinite(cross_entropy_grad([1, 0], probs)))
    assert cross_entropy([0], [[1.0, 0.0]])[0] == 0.0


@pytest.mark.parametrize("labels, probs, word", [
    ([0, 1], [[0.5, 0.5]], "labels must have shape"),
    ([[0], [1]], [[0.5, 0.5], [0.5, 0.5]], "labels must have shape"),
    ([0.0, 1.0], [[0.5, 0.5], [0.5, 0.5]], "labels must be integer"),
    ([0, 2], [[0.5, 0.5], [0.5, 0.5]], r"labels must be in \[0, k\) = \[0, 2\)"),
    ([-1, 0], [[0.5, 0.5], [0.5, 0.5]], "labels must be in"),
    ([0, 1], [0.5, 0.5], "probs must have shape"),
    ([0, 1], [[0.5, 0.6], [0.5, 0.5]], "probs must have rows summing to 1"),
    ([0, 1], [[1.5, -0.5], [0.5, 0.5]], r"probs must lie in \[0, 1\]"),
])
def test_cross_entropy_bad_inputs(labels, probs, word):
    for fn in (cross_entropy, cross_entropy_grad):
        with pytest.raises(ValueError, match=word):
            fn(labels, probs)


# ------------------------------------------------------------- cost

@settings(max_examples=100, deadline=None)
@given(hnp.arrays(float, hnp.array_shapes(min_dims=1, max_dims=2, max_side=20),
                  elements=st.floats(0, 1e6)))
def test_cost_is_the_mean(losses):
    assert cost(losses) == pytest.approx(sum(losses.ravel().tolist()) / losses.size, rel=1e-12)
    assert isinstance(cost(losses), float)


def test_cost_of_nothing_raises():
    with pytest.raises(ValueError, match="losses must not be empty"):
        cost([])
