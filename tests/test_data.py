"""Data: house prices from a known line, batch figures, mini-batches, digits."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.data import Digits, HousePrices, batch_sizes, digits, house_prices, minibatches


def test_house_prices_ranges_and_truth():
    h = house_prices(m=500, noise=40.0, seed=0)
    assert isinstance(h, HousePrices) and h.x.shape == h.y.shape == (500,)
    assert 40 <= h.x.min() and h.x.max() <= 220
    assert (h.w_true, h.b_true) == (3.0, 50.0)
    assert h.x_label == "floor area (m²)" and h.y_label == "price (thousands)"
    residual = h.y - (h.w_true * h.x + h.b_true)
    assert 30 < residual.std() < 50 and abs(residual.mean()) < 10


def test_house_prices_without_noise_lie_on_the_line():
    h = house_prices(m=10, noise=0.0, seed=5)
    np.testing.assert_allclose(h.y, 3.0 * h.x + 50.0, rtol=1e-15)


def test_house_prices_deterministic_by_seed():
    a, b, c = house_prices(seed=1), house_prices(seed=1), house_prices(seed=2)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.x, c.x)


@settings(max_examples=40, deadline=None)
@given(m=st.integers(2, 600), seed=st.integers(0, 2**32), noise=st.floats(0.0, 120.0))
def test_house_prices_are_nested_in_m(m, seed, noise):
    """One more house (the "houses m" sliders of lessons 1 and 2) adds a house and moves none."""
    small, large = house_prices(m, noise, seed), house_prices(m + 1, noise, seed)
    np.testing.assert_array_equal(large.x[:m], small.x)
    np.testing.assert_array_equal(large.y[:m], small.y)


def test_standardized_has_z_scores_and_the_same_line():
    h = house_prices(m=40, noise=0.0, seed=3)
    s = h.standardized()
    assert abs(s.x.mean()) < 1e-12 and abs(s.x.std() - 1) < 1e-12
    np.testing.assert_array_equal(s.y, h.y)
    np.testing.assert_allclose(s.y, s.w_true * s.x + s.b_true, rtol=1e-12)
    # the cost's Hessian 2 [[mean z², mean z], [mean z, 1]] is 2 * identity: a round bowl
    np.testing.assert_allclose([np.mean(s.x**2), np.mean(s.x)], [1.0, 0.0], atol=1e-12)
    assert s.y_label == h.y_label and "z-score" in s.x_label


def test_seed_chapter_batch_figures():
    sizes = batch_sizes(60000, 128)
    assert len(sizes) == 469 and sizes[-1] == 96 and set(sizes[:-1]) == {128}
    assert batch_sizes(10, 5) == [5, 5] and batch_sizes(7, 7) == [7]
    assert batch_sizes(3, 1) == [1, 1, 1]


def test_minibatches_cover_every_example_once_per_epoch():
    X = np.arange(23 * 2).reshape(23, 2)
    y = np.arange(23)
    rng = np.random.default_rng(0)
    orders = []
    for _ in range(3):
        batches = list(minibatches(X, y, 5, rng))
        assert [len(yb) for _, yb in batches] == [5, 5, 5, 5, 3]
        for Xb, yb in batches:
            np.testing.assert_array_equal(Xb, X[yb])          # rows stay paired
        seen = np.concatenate([yb for _, yb in batches])
        np.testing.assert_array_equal(np.sort(seen), y)
        orders.append(seen)
    assert not np.array_equal(orders[0], orders[1])           # reshuffled each epoch


def test_minibatches_deterministic_by_seed():
    y = np.arange(50)
    a = np.concatenate([yb for _, yb in minibatches(y, y, 7, np.random.default_rng(3))])
    b = np.concatenate([yb for _, yb in minibatches(y, y, 7, 3)])
    np.testing.assert_array_equal(a, b)


def test_digits_shapes_ranges_and_split():
    d = digits(seed=0)
    assert isinstance(d, Digits)
    n = len(d.y_train) + len(d.y_val) + len(d.y_test)
    assert n == 1797
    assert d.X_train.shape == (len(d.y_train), 64)
    assert abs(len(d.y_train) / n - 0.6) < 0.01 and abs(len(d.y_val) / n - 0.2) < 0.01
    for X in (d.X_train, d.X_val, d.X_test):
        assert X.min() == 0.0 and X.max() == 1.0
    for y in (d.y_train, d.y_val, d.y_test):
        assert set(np.unique(y)) == set(range(10))
    assert Digits.images(d.X_test).shape == (len(d.y_test), 8, 8)
    e = digits(seed=0)
    np.testing.assert_array_equal(d.X_train, e.X_train)
    assert not np.array_equal(d.y_train, digits(seed=1).y_train)


@pytest.mark.parametrize("call, name", [
    (lambda: house_prices(m=1), "m"), (lambda: house_prices(m=2.5), "m"),
    (lambda: house_prices(noise=-1.0), "noise"), (lambda: house_prices(noise=np.nan), "noise"),
    (lambda: house_prices(seed=-1), "seed"), (lambda: batch_sizes(0, 1), "n"),
    (lambda: batch_sizes(10, 0), "batch_size"), (lambda: batch_sizes(10, 11), "batch_size"),
    (lambda: minibatches(np.zeros(5), np.zeros(5), 6, 0), "batch_size"),
    (lambda: minibatches(np.zeros(5), np.zeros(4), 2, 0), "X and y"),
    (lambda: minibatches(np.zeros(5), np.zeros(5), 2, None), "rng"),
    (lambda: digits(seed=-2), "seed"),
])
def test_bad_input(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        call()
