"""Lessons 04 and 05 experiments: gradients against finite differences, the variance law against sampling,
SGD over seeds against a hand loop, basins and saddle escape against the closed forms."""
import numpy as np
import pytest

from course import batch_experiments as bx
from course import landscapes
from course.data import house_prices


@pytest.fixture(scope="module")
def houses():
    return house_prices(m=50, seed=0).standardized()


@pytest.fixture(scope="module")
def curves():
    return bx.example_curves()


def test_per_example_gradients_match_finite_differences(houses):
    x, y, P, h = houses.x, houses.y, np.array([30.0, 400.0]), 1e-5
    G = bx.per_example_gradients(x, y, P)
    assert G.shape == (50, 2)
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        loss = lambda Q: (Q[0] * x + Q[1] - y) ** 2  # noqa: E731
        np.testing.assert_allclose(G[:, j], (loss(P + e) - loss(P - e)) / (2 * h), rtol=1e-6, atol=1e-6)
    # the mean of the per-example gradients is the landscape's gradient
    land = landscapes.linear_regression(x, y)
    np.testing.assert_allclose(G.mean(axis=0), land.grad(P), rtol=1e-10)
    assert bx.per_example_gradients(x, y, np.zeros((3, 4, 2))).shape == (3, 4, 50, 2)


def test_full_batch_sample_is_the_full_gradient(houses):
    P = np.array([10.0, 100.0])
    g = bx.per_example_gradients(houses.x, houses.y, P).mean(axis=0)
    S = bx.batch_gradient_samples(houses.x, houses.y, P, 50, samples=5)
    np.testing.assert_allclose(S, np.tile(g, (5, 1)), rtol=1e-12)


@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("b", [1, 5, 20, 45])
def test_variance_law_matches_sampling(houses, b, replace):
    P = np.array([10.0, 100.0])
    G = bx.per_example_gradients(houses.x, houses.y, P)
    S = bx.batch_gradient_samples(houses.x, houses.y, P, b, samples=20000, seed=1, replace=replace)
    measured = bx.measured_variance(S, G.mean(axis=0))
    np.testing.assert_allclose(measured, bx.noise_variance(G, b, replace=replace), rtol=0.05)
    # and the samples are unbiased
    spread = np.sqrt(bx.noise_variance(G, b, replace=replace) / len(S))
    assert np.linalg.norm(S.mean(axis=0) - G.mean(axis=0)) < 5 * spread


@pytest.mark.parametrize("replace", [False, True])
def test_batch_means_for_all_sizes(houses, replace):
    G = bx.per_example_gradients(houses.x, houses.y, np.array([10.0, 100.0]))
    M = bx.batch_means_all_sizes(G, samples=20000, seed=3, replace=replace)
    assert M.shape == (20000, 50, 2)
    measured = np.mean(np.sum((M - G.mean(axis=0)) ** 2, axis=-1), axis=0)
    for b in (1, 3, 10, 30):
        np.testing.assert_allclose(measured[b - 1], bx.noise_variance(G, b, replace=replace), rtol=0.05)
    if not replace:  # a batch of every example is the full gradient
        np.testing.assert_allclose(M[:, -1], np.tile(G.mean(axis=0), (20000, 1)), rtol=1e-9)


@pytest.mark.parametrize("n,b", [(5, 1), (5, 2), (6, 3), (6, 5)])
def test_variance_formula_exact_over_every_batch(n, b):
    # without replacement every batch of b distinct examples is equally likely: average over all
    from itertools import combinations, product

    G = np.random.default_rng(n * 10 + b).standard_normal((n, 2))
    g = G.mean(axis=0)
    without = np.mean([np.sum((G[list(c)].mean(axis=0) - g) ** 2) for c in combinations(range(n), b)])
    with_ = np.mean([np.sum((G[list(c)].mean(axis=0) - g) ** 2) for c in product(range(n), repeat=b)])
    assert bx.noise_variance(G, b) == pytest.approx(without, rel=1e-12)
    assert bx.noise_variance(G, b, replace=True) == pytest.approx(with_, rel=1e-12)


def test_variance_formula_by_hand():
    G = np.array([[1.0, 0.0], [3.0, 0.0], [5.0, 0.0], [7.0, 0.0]])  # mean 4, sigma^2 = 5
    assert bx.noise_variance(G, 1) == pytest.approx(5.0)
    assert bx.noise_variance(G, 2) == pytest.approx(5.0 / 2 * 2 / 3)
    assert bx.noise_variance(G, 2, replace=True) == pytest.approx(2.5)
    assert bx.noise_variance(G, 4) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="batch_size"):
        bx.noise_variance(G, 5)


def test_example_curves_gradients_and_minima(curves):
    w, h = np.linspace(-2, 2, 41), 1e-6
    np.testing.assert_allclose(curves.grads(w), (curves.losses(w + h) - curves.losses(w - h)) / (2 * h),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(curves.grad(w), (curves.cost(w + h) - curves.cost(w - h)) / (2 * h),
                               rtol=1e-5, atol=1e-6)
    idx = np.array([[0, 5], [3, 63]])
    np.testing.assert_allclose(curves.grads(np.array([0.1, -0.4]), idx),
                               curves.grads(np.array([0.1, -0.4]))[np.arange(2)[:, None], idx])
    pts = np.array([curves.local, curves.barrier, curves.global_min])
    np.testing.assert_allclose(curves.grad(pts), 0.0, atol=1e-9)
    assert curves.local < curves.barrier < curves.global_min
    curvature = (curves.grad(pts + 1e-4) - curves.grad(pts - 1e-4)) / 2e-4
    assert curvature[0] > 0 and curvature[1] < 0 and curvature[2] > 0
    assert curves.cost(curves.global_min) < curves.cost(curves.local) < curves.cost(curves.barrier)
    assert len(curves.shifts) == 64 and abs(curves.shifts.mean()) < 1e-12
    with pytest.raises(ValueError, match="spread"):
        bx.example_curves(spread=1.5)


def test_full_batch_sgd_is_gradient_descent(curves):
    W = bx.sgd_seeds(curves, 64, lr=0.1, steps=5, seeds=3)
    w = -1.5
    for k in range(1, 6):
        w = w - 0.1 * curves.grad(w)
        np.testing.assert_allclose(W[k], w, rtol=1e-12)


def test_one_epoch_uses_every_example_once(curves):
    # with a tiny lr the weight hardly moves, so an epoch of b = 1 steps sums every slope once
    lr, n = 1e-9, 64
    for b in (1, 7, 16):
        W = bx.sgd_seeds(curves, b, lr=lr, steps=-(-n // b), seeds=4, start=0.3, seed=2)
        full = curves.grads(0.3).sum()
        # each step divides its batch sum by its batch size; with b | n that is a common factor
        if n % b == 0:
            np.testing.assert_allclose((0.3 - W[-1]) / lr, full / b, rtol=1e-5)
        assert np.ptp(W[1]) > 0 or b == n  # different seeds, different batches


def test_goldilocks(curves):
    settled = {b: bx.outcomes(curves, bx.sgd_seeds(curves, b)[-1]) for b in (1, 8, 64)}
    assert settled[64]["trapped"] == 1.0          # full batch never leaves the local minimum
    assert settled[8]["settled"] > settled[1]["settled"] > settled[64]["settled"]
    for o in settled.values():
        assert sum(o.values()) == pytest.approx(1.0)


def test_sgd_seeds_validates(curves):
    with pytest.raises(ValueError, match="batch_size"):
        bx.sgd_seeds(curves, 65)
    with pytest.raises(ValueError, match="lr"):
        bx.sgd_seeds(curves, 4, lr=-1)
    with pytest.raises(ValueError, match="seeds"):
        bx.sgd_seeds(curves, 4, seeds=0)


def test_noisy_descent_by_hand_and_bounded():
    land = landscapes.get("himmelblau")
    P0 = np.array([[0.5, -1.0], [1.0, 1.0]])
    P1 = P0 - 0.01 * land.grad(P0)
    np.testing.assert_allclose(bx.noisy_descent(land, P0, 0.01, 2),
                               P1 - 0.01 * land.grad(P1), rtol=1e-12)
    path = bx.noisy_descent(land, P0, 0.01, 3, noise=1.0, keep_path=True)
    assert path.shape == (4, 2, 2)
    # a huge learning rate would overflow: points stay inside the bound instead
    end = bx.noisy_descent(land, P0, 10.0, 50)
    assert np.all(np.isfinite(end)) and np.all(np.abs(end) <= 1e3)


def test_basin_map_labels_minima():
    land = landscapes.get("himmelblau")
    X, Y, labels = bx.basin_map(land, n=40, steps=100)
    assert labels.shape == X.shape == (40, 40)
    assert set(np.unique(labels)) <= {-1, 0, 1, 2, 3}
    starts = np.array([m.point + 0.3 for m in land.minima])
    ends = bx.noisy_descent(land, starts, 0.01, 200)
    for i, e in enumerate(ends):
        np.testing.assert_allclose(e, land.minima[i].point, atol=1e-3)
    # the four basins are all present and the noisy map differs from the clean one
    assert set(np.unique(labels)) >= {0, 1, 2, 3}
    assert np.any(bx.basin_map(land, n=40, noise=20.0, tol=1.0)[2] != labels)


def test_saddle_escape_matches_closed_form():
    land = landscapes.get("saddle")
    lr = 0.1
    for y0 in (1e-2, 1e-5):
        k = bx.steps_to_leave_saddle(y0, lr)
        path = bx.noisy_descent(land, [[-1.0, y0]], lr, k, keep_path=True)
        assert abs(path[-1, 0, 1]) >= 1.0 > abs(path[-2, 0, 1])
    assert bx.steps_to_leave_saddle(0.0, lr) == np.inf
    stuck = bx.noisy_descent(land, [[-1.0, 0.0]], lr, 200)
    assert stuck[0, 1] == 0.0 and abs(stuck[0, 0]) < 1e-10


# ------------------------------------------------------------------ lessons 4 and 5 self-checks

def test_checks_say_right_not_yet_and_not_answered():
    from course.checks import batch_size as check

    assert check.steps_per_epoch(16, 1000, 64) is True
    assert check.steps_per_epoch(15.625, 1000, 64) is False
    assert check.steps_per_epoch(None, 1000, 64) is False
    assert check.last_batch(40, 1000, 64) is True
    assert check.last_batch(64, 128, 64) is True and check.last_batch(0, 128, 64) is False
    assert check.noise_factor(4) is True and check.noise_factor(2) is False
    results = {1: {"settled": 0.4, "trapped": 0.0}, 8: {"settled": 0.9, "trapped": 0.0},
               64: {"settled": 0.0, "trapped": 1.0}}
    assert check.best_batch(8, results) is True
    assert check.best_batch(64, results) is False
    assert check.best_batch(3, results) is False
    assert check.best_batch("8", results) is False
    assert check.best_batch(None, results) is False


def test_epoch_seconds_runs_and_validates():
    t = bx.epoch_seconds(64, n=256, d=4, repeats=1)
    assert isinstance(t, float) and t > 0
    with pytest.raises(ValueError, match="batch_size"):
        bx.epoch_seconds(0, n=256)
    with pytest.raises(ValueError, match="batch_size"):
        bx.epoch_seconds(300, n=256)
