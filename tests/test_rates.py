"""course.rates against measured runs of course.optimizers on the bowl f = (x^2 + k y^2) / 2.

The bowl's axes are its eigen-directions (curvatures 1 and k), so x and y are the errors
along them and each shrinks by its own rate per step.
"""
import numpy as np
import pytest

from course import landscapes, rates
from course.descent import descend
from course.optimizers import SGD, Momentum


def measured_rate(errors, first, last):
    """The factor per step between two windows of a run: ratio of their largest |errors|.

    An oscillating error (complex eigenvalues) still shrinks by the rate from peak to peak."""
    span = (last - first) // 2
    early, late = np.abs(errors[first:first + span]).max(), np.abs(errors[last - span:last]).max()
    return (late / early) ** (1 / (last - span - first))


def run(optimizer, k, steps):
    """|x| and |y| over a descend run from (1, 1) on the bowl of condition k."""
    bowl = landscapes.get("ill-conditioned", condition=k)
    traj = descend(bowl, optimizer, np.ones(2), steps)
    assert traj.diverged_at[0] == -1
    return traj.params[:, 0]


@pytest.mark.parametrize("lr, k", [(0.012, 100), (0.019, 100), (0.15, 10), (0.3, 5)])
def test_gd_rate_is_the_measured_factor_per_step(lr, k):
    errors = run(SGD(lr), k, 60)
    for direction, lam in enumerate((1.0, k)):
        np.testing.assert_allclose(np.abs(errors[1:, direction] / errors[:-1, direction]),
                                   rates.gd_rate(lr, lam), rtol=1e-9)


@pytest.mark.parametrize("lr, beta, k", [(0.05, 0.7, 100), (0.3, 0.9, 50), (0.02, 0.3, 10),
                                         (1.0, 0.0, 1.5)])
def test_momentum_errors_are_the_optimizers_steps(lr, beta, k):
    errors = run(Momentum(lr, beta), k, 200)
    w, diverged_at = rates.momentum_errors(lr, beta, np.array([1.0, k]), 200)
    np.testing.assert_allclose(w, errors, rtol=1e-9, atol=1e-300)
    assert list(diverged_at) == [-1, -1]


@pytest.mark.parametrize("lr, beta, k", [
    (0.05, 0.7, 100),     # complex eigenvalues in the steep direction, real in the shallow one
    (0.01, 0.5, 100),     # real eigenvalues in both: overdamped
    (0.3, 0.9, 50),       # complex in both: |z| = sqrt(beta)
    (0.1, 0.2, 20),
])
def test_momentum_rate_is_the_measured_decay(lr, beta, k):
    errors = run(Momentum(lr, beta), k, 600)
    for direction, lam in enumerate((1.0, k)):
        assert measured_rate(errors[:, direction], 200, 600) == pytest.approx(
            rates.momentum_rate(lr, beta, lam), rel=0.01)


def test_momentum_rate_solves_the_characteristic_equation():
    """det M = beta and trace M = 1 + beta - lr (1 - beta) lam: z^2 - trace z + beta = 0."""
    rng = np.random.default_rng(0)
    lr, beta, lam = rng.uniform(0.001, 1, 200), rng.uniform(0, 0.99, 200), rng.uniform(0.1, 50, 200)
    M = rates.momentum_matrix(lr, beta, lam)
    np.testing.assert_allclose(np.linalg.det(M), beta, atol=1e-9)
    trace = 1 + beta - lr * (1 - beta) * lam
    np.testing.assert_allclose(np.trace(M, axis1=-2, axis2=-1), trace, rtol=1e-12, atol=1e-12)
    roots = np.abs(np.array([np.roots([1.0, -T, b]) for T, b in zip(trace, beta)])).max(axis=1)
    np.testing.assert_allclose(rates.momentum_rate(lr, beta, lam), roots, rtol=1e-7)
    complex_ = trace**2 < 4 * beta
    np.testing.assert_allclose(rates.momentum_rate(lr, beta, lam)[complex_], np.sqrt(beta[complex_]),
                               rtol=1e-7)


def test_beta_zero_is_gradient_descent():
    lr, lam = np.geomspace(1e-3, 3, 50), np.array([[1.0], [10.0]])
    np.testing.assert_allclose(rates.momentum_rate(lr, 0.0, lam), rates.gd_rate(lr, lam), atol=1e-12)


def test_the_extreme_curvatures_set_the_rate():
    """Between lam_min and lam_max no direction is slower than the slower of the two ends."""
    rng = np.random.default_rng(1)
    lam = np.linspace(1.0, 100.0, 2000)
    for lr, beta in zip(rng.uniform(0.001, 0.5, 30), rng.uniform(0, 0.95, 30)):
        inside = rates.momentum_rate(lr, beta, lam).max()
        ends = rates.momentum_rate(lr, beta, np.array([1.0, 100.0])).max()
        assert inside <= ends + 1e-7
        assert rates.gd_rate(lr, lam).max() <= rates.gd_rate(lr, np.array([1.0, 100.0])).max() + 1e-12


@pytest.mark.parametrize("k", [10.0, 100.0, 1000.0])
def test_best_gd_beats_every_other_learning_rate(k):
    lr, rate = rates.best_gd(1.0, k)
    assert lr == pytest.approx(2 / (1 + k)) and rate == pytest.approx((k - 1) / (k + 1))
    ends = np.array([1.0, k])
    assert rates.gd_rate(lr, ends).max() == pytest.approx(rate, rel=1e-12)
    others = np.geomspace(lr / 3, lr * 3, 401)
    assert rates.gd_rate(others[:, None], ends).max(axis=1).min() >= rate - 1e-12
    errors = run(SGD(lr), k, 200)
    assert measured_rate(errors[:, 0], 50, 200) == pytest.approx(rate, rel=1e-9)
    assert measured_rate(errors[:, 1], 50, 200) == pytest.approx(rate, rel=1e-9)


@pytest.mark.parametrize("k", [10.0, 100.0, 1000.0])
def test_best_momentum_is_the_best_pair_and_its_rate_is_measured(k):
    lr, beta, rate = rates.best_momentum(1.0, k)
    s = np.sqrt(k)
    assert rate == pytest.approx((s - 1) / (s + 1)) and beta == pytest.approx(rate**2)
    assert lr * (1 - beta) == pytest.approx(4 / (1 + s) ** 2)
    assert lr == pytest.approx(1 / s)                  # the average form: lr = 1 / sqrt(lam_min lam_max)
    assert rates.best_momentum(4.0, 4 * k)[0] == pytest.approx(1 / np.sqrt(4.0 * 4 * k))
    lam = np.linspace(1.0, k, 500)                     # every direction in between: the same rate
    np.testing.assert_allclose(rates.momentum_rate(lr, beta, lam), rate, rtol=1e-6)
    # no pair on a grid around it does better on the two ends
    L, B = np.meshgrid(np.geomspace(lr / 2, lr * 2, 81), np.linspace(0, 0.99, 100))
    grid = rates.momentum_rate(L[..., None], B[..., None], np.array([1.0, k])).max(axis=-1)
    assert grid.min() >= rate - 1e-6
    # and Momentum, run: both directions shrink at that rate (a double root: t r^t, within 1%)
    errors = run(Momentum(lr, beta), k, 12 * int(s) + 200)
    for direction in range(2):
        assert measured_rate(errors[:, direction], 100, len(errors) - 1) == pytest.approx(rate, rel=0.01)
    # with rate**t per step, Momentum needs about sqrt(k) / ... of GD's steps: log r_gd / log r_mom
    gd_rate = rates.best_gd(1.0, k)[1]
    assert np.log(rate) / np.log(gd_rate) > 0.9 * (s + 1) / 2


def test_momentum_errors_hold_a_diverged_run():
    w, diverged_at = rates.momentum_errors(0.5, 0.0, np.array([1.0, 100.0]), 30)
    assert list(diverged_at) == [-1, 4]                 # |1 - 50| = 49 per step: 49^4 > 1e6
    assert np.all(w[4:, 1] == w[3, 1]) and np.isfinite(w).all()
    np.testing.assert_allclose(w[:, 0], 0.5 ** np.arange(31))
    w, diverged_at = rates.momentum_errors(1e6, 0.5, 1e6, 50)   # overflows to inf: no warning
    assert diverged_at == 1 and np.isfinite(w).all()


@pytest.mark.parametrize("call, word", [
    (lambda: rates.gd_rate(0.0, 1.0), "lr"),
    (lambda: rates.gd_rate(0.1, -1.0), "curvature"),
    (lambda: rates.momentum_rate(0.1, 1.0, 1.0), "beta"),
    (lambda: rates.momentum_rate(np.ones(3), 0.5, np.ones(4)), "curvature"),
    (lambda: rates.momentum_errors(0.1, 0.5, 1.0, -1), "steps"),
    (lambda: rates.best_gd(10.0, 1.0), "lam_max"),
    (lambda: rates.best_momentum(0.0, 1.0), "lam_min"),
])
def test_bad_arguments_raise_value_errors_naming_them(call, word):
    with pytest.raises(ValueError, match=word):
        call()
