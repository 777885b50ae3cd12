"""Lesson 3's experiments: the parabola's closed form against stepping, the range test, schedules."""
import math
import warnings

import numpy as np
import pytest

from course import lr_experiments as L
from course.checks import learning_rate as check
from course.data import house_prices


@pytest.mark.parametrize("lr, c, name", [
    (0.1, 1.0, "creeping"), (0.3, 2.0, "steady"), (0.49, 2.0, "steady"), (0.5, 2.0, "one step"),
    (1.05, 1.0, "oscillating"), (0.51, 2.0, "oscillating"), (1.5, 1.0, "oscillating"),
    (0.5, 4.0, "on the edge"), (0.99, 2.0, "oscillating"), (1.0, 2.01, "diverging"),
    (0.6, 4.0, "diverging"),
])
def test_regime_names_the_factor_one_minus_lr_c(lr, c, name):
    assert L.regime(lr, c) == name


def test_steps_to_converge_by_hand():
    # |1 - 0.5 * 1| = 0.5: 0.5**9 = 0.00195 > 1e-3, 0.5**10 = 0.00098 <= 1e-3
    assert L.steps_to_converge(0.5, 1.0) == 10
    # 1 - 1.5 = -0.5: the same distances, the sign flips every step
    assert L.steps_to_converge(1.5, 1.0) == 10
    assert L.steps_to_converge(0.25, 4.0) == 1          # lr = 1/c: one step
    assert L.steps_to_converge(0.5, 4.0) == math.inf    # lr = 2/c: bounces for ever
    assert L.steps_to_converge(0.6, 4.0) == math.inf


def test_closed_form_matches_stepping_for_many_learning_rates():
    c = 3.0
    lrs = np.geomspace(1e-3, 3.0, 400) / c
    closed = L.steps_to_converge(lrs, c, tol=1e-4)
    stepped = L.simulate_steps_to_converge(lrs, c, tol=1e-4, max_steps=20_000)
    reachable = closed <= 20_000
    assert reachable.sum() > 300 and (~reachable).sum() > 15
    np.testing.assert_array_equal(closed[reachable], stepped[reachable])
    assert np.all(np.isinf(stepped[~reachable]))


def test_stepping_a_diverging_rate_gives_no_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        steps = L.simulate_steps_to_converge(np.array([5.0, 100.0]), 10.0, max_steps=5000)
    assert np.all(np.isinf(steps))


@pytest.mark.parametrize("bad", [dict(lr=0.0), dict(lr=np.nan), dict(curvature=-1.0), dict(tol=1.0)])
def test_steps_to_converge_rejects_bad_arguments(bad):
    args = dict(lr=0.1, curvature=1.0, tol=1e-3) | bad
    with pytest.raises(ValueError, match=next(iter(bad))):
        L.steps_to_converge(**args)


def test_range_test_is_deterministic_and_blows_up_near_two_over_c():
    d = house_prices(m=1000).standardized()   # Hessian of the cost is 2 I: c = 2, 2/c = 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = L.lr_range_test(d.x, d.y, batch_size=4, seed=3)
    b = L.lr_range_test(d.x, d.y, batch_size=4, seed=3)
    np.testing.assert_array_equal(a.cost, b.cost)
    assert a.stopped_at == len(a.lr) - 1 > 0
    assert 0.3 < a.lr[-1] < 3.0
    assert np.all(np.diff(np.log(a.lr)) > 0)
    assert a.smooth.min() < 0.1 * a.smooth[0]
    assert a.lr_at_min < a.lr[-1] and a.suggestion == pytest.approx(a.lr_at_min / 10)


def test_range_test_smoothing_is_a_bias_corrected_running_mean():
    d = house_prices(m=200).standardized()
    r = L.lr_range_test(d.x, d.y, lr_max=1e-3, batch_size=10)    # never blows up
    assert r.stopped_at == -1 and len(r.lr) == 20
    avg, beta = 0.0, 0.9
    for t, cost in enumerate(r.cost):
        avg = beta * avg + (1 - beta) * cost
        assert r.smooth[t] == pytest.approx(avg / (1 - beta ** (t + 1)))


def test_make_schedule_half_life_halves_the_rate():
    t = np.array([1, 101])
    for name in ("step", "exponential", "inverse-time", "cosine"):
        lr = L.make_schedule(name, 0.4, 100)(t)
        assert lr[0] == 0.4 and lr[1] == pytest.approx(0.2), name    # lr0 at t = 1, half at t = h + 1
    assert L.make_schedule("warm-up + cosine", 0.4, 100, warmup_steps=10)(5) == pytest.approx(0.2)
    assert L.make_schedule("constant", 0.4, 1)(1000) == 0.4
    with pytest.raises(ValueError, match="name"):
        L.make_schedule("linear", 0.4, 100)


def test_schedule_runs_match_a_plain_loop():
    d = house_prices(m=40, seed=1).standardized()
    steps = 10 * 3
    lrs = np.array([np.full(steps, 0.1), np.linspace(0.3, 0.01, steps)])
    runs = L.schedule_runs(d.x, d.y, lrs, batch_size=4, epochs=3, seed=5)
    best = np.polyfit(d.x, d.y, 1)
    J = lambda w, b: np.mean((w * d.x + b - d.y) ** 2)  # noqa: E731
    for r in range(2):
        w = b = 0.0
        rng = np.random.default_rng(5)
        t = 0
        for _ in range(3):
            order = rng.permutation(len(d.x))
            for idx in np.split(order, np.arange(4, len(d.x), 4)):
                err = w * d.x[idx] + b - d.y[idx]
                w, b = w - lrs[r, t] * 2 * np.mean(err * d.x[idx]), b - lrs[r, t] * 2 * np.mean(err)
                t += 1
        assert runs.excess[r, -1] == pytest.approx(J(w, b) - J(*best), rel=1e-6)
    assert runs.excess.shape == (2, steps + 1) and np.all(runs.diverged_at == -1)


def test_schedule_runs_freeze_a_diverging_run_without_warnings():
    d = house_prices(m=40).standardized()
    lrs = np.array([np.full(50, 0.05), np.full(50, 3.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runs = L.schedule_runs(d.x, d.y, lrs, batch_size=4, epochs=5)
    assert runs.diverged_at[0] == -1 and runs.diverged_at[1] > 0
    assert np.all(np.isfinite(runs.excess))
    k = runs.diverged_at[1]
    assert np.all(runs.excess[1, k:] == runs.excess[1, k])


def test_checks_accept_the_right_rates_and_never_raise():
    assert check.one_step_lr(0.25, 4.0) is True
    assert check.one_step_lr(0.5, 4.0) is False
    assert check.one_step_lr(None, 4.0) is False
    assert check.largest_lr(0.5, 4.0) is True
    assert check.largest_lr(0.49, 4.0) is False and check.largest_lr(0.6, 4.0) is False
    assert check.largest_lr("half", 4.0) is False and check.largest_lr(None, 4.0) is False


def test_steps_needed_check():
    # |1 - 0.05 * 4| = 0.8: 0.8**30 = 0.00124 > 1e-3 and 0.8**31 = 0.00099 <= 1e-3
    assert check.steps_needed(31, lr=0.05, curvature=4.0) is True
    assert check.steps_needed(30, lr=0.05, curvature=4.0) is False
    assert check.steps_needed(30.96, lr=0.05, curvature=4.0) is False
    assert check.steps_needed(None, lr=0.05, curvature=4.0) is False
    assert check.steps_needed("31", lr=0.05, curvature=4.0) is False


@pytest.mark.parametrize("bad", [dict(beta=1.0), dict(lr_max=1e-5), dict(blowup=0), dict(batch_size=0)])
def test_range_test_rejects_bad_arguments(bad):
    d = house_prices(m=40).standardized()
    with pytest.raises(ValueError, match=next(iter(bad))):
        L.lr_range_test(d.x, d.y, **bad)
