"""Exponentially weighted averages: hand computation, the unrolled sum, the bias, the window."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.averages import ewa, noisy_series, weights, window
from course.optimizers import Adam, Momentum, RMSprop


def test_three_steps_by_hand():
    # beta = 0.5, x = 4, 8, 2 from V_0 = 0:
    # V_1 = 0.5 * 0 + 0.5 * 4 = 2;  V_2 = 0.5 * 2 + 0.5 * 8 = 5;  V_3 = 0.5 * 5 + 0.5 * 2 = 3.5
    np.testing.assert_allclose(ewa([4.0, 8.0, 2.0], 0.5), [2.0, 5.0, 3.5], rtol=1e-15)
    # corrected: 2 / 0.5 = 4;  5 / 0.75 = 6.666...;  3.5 / 0.875 = 4
    np.testing.assert_allclose(ewa([4.0, 8.0, 2.0], 0.5, corrected=True), [4.0, 20 / 3, 4.0],
                               rtol=1e-15)


def test_beta_zero_keeps_only_the_newest_value():
    x = np.array([3.0, -1.0, 7.0])
    np.testing.assert_array_equal(ewa(x, 0.0), x)
    np.testing.assert_array_equal(ewa(x, 0.0, corrected=True), x)
    np.testing.assert_array_equal(weights(0.0, 3), [1.0, 0.0, 0.0])


def test_weights_by_hand():
    np.testing.assert_allclose(weights(0.9, 3), [0.1, 0.09, 0.081], rtol=1e-14)
    assert weights(0.5, 0).shape == (0,)


def test_the_average_is_the_weighted_sum_of_the_series():
    _, x = noisy_series(50, seed=3)
    for beta in (0.3, 0.9, 0.98):
        for t in (1, 7, 50):
            by_weights = weights(beta, t) @ x[:t][::-1]          # weight k on x_{t-k}
            assert ewa(x, beta)[t - 1] == pytest.approx(by_weights, rel=1e-12)


def test_a_constant_series_shows_the_bias_and_the_correction_removes_it():
    x = np.full(30, 5.0)
    t = np.arange(1, 31)
    np.testing.assert_allclose(ewa(x, 0.9), 5.0 * (1 - 0.9**t), rtol=1e-13)   # pulled to 0 early
    np.testing.assert_allclose(ewa(x, 0.9, corrected=True), 5.0, rtol=1e-13)
    assert ewa(x, 0.9)[0] == pytest.approx(0.5)                                # a tenth of 5


@settings(max_examples=200, deadline=None)
@given(beta=st.floats(0.0, 0.999), t=st.integers(0, 3000))
def test_the_weights_add_up_to_one_minus_beta_to_the_t(beta, t):
    assert weights(beta, t).sum() == pytest.approx(1 - beta**t, rel=1e-9, abs=1e-12)
    if t:
        assert (weights(beta, t) / (1 - beta**t)).sum() == pytest.approx(1.0, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(beta=st.floats(0.0, 0.99), values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40))
def test_the_corrected_average_stays_between_the_smallest_and_largest_value(beta, values):
    # it is a weighted mean (weights >= 0 adding up to 1), so it cannot leave the range
    out = ewa(values, beta, corrected=True)
    assert np.all(out >= min(values) - 1e-9 * (1 + abs(min(values))))
    assert np.all(out <= max(values) + 1e-9 * (1 + abs(max(values))))


@pytest.mark.parametrize("beta", [0.9, 0.95, 0.98, 0.99, 0.999])
def test_the_window_holds_about_63_percent_of_the_weight(beta):
    n = window(beta)
    assert n == pytest.approx(1 / (1 - beta))
    held = weights(beta, round(n)).sum()
    assert abs(held - (1 - 1 / math.e)) < 0.02
    assert abs(beta ** round(n) - 1 / math.e) < 0.02       # the weight that far back, relative


def test_momentum_v_and_rmsprop_s_are_these_averages():
    grads = np.random.default_rng(0).normal(size=25)
    momentum, rmsprop, adam = Momentum(0.1, beta=0.9), RMSprop(0.1, beta=0.9), Adam(0.1)
    W = W2 = W3 = np.zeros(1)
    for g in grads:
        W = momentum.step(W, np.array([g]))
        W2 = rmsprop.step(W2, np.array([g]))
        W3 = adam.step(W3, np.array([g]))
    assert momentum.V[0] == pytest.approx(ewa(grads, 0.9)[-1], rel=1e-12)
    assert rmsprop.S[0] == pytest.approx(ewa(grads**2, 0.9)[-1], rel=1e-12)
    assert adam.V[0] == pytest.approx(ewa(grads, 0.9)[-1], rel=1e-12)
    assert adam.S[0] == pytest.approx(ewa(grads**2, 0.999)[-1], rel=1e-12)


def test_noisy_series_is_seeded():
    signal, x = noisy_series(100, noise=2.0, seed=1)
    assert signal.shape == x.shape == (100,)
    np.testing.assert_array_equal(x, noisy_series(100, noise=2.0, seed=1)[1])
    assert not np.array_equal(x, noisy_series(100, noise=2.0, seed=2)[1])
    np.testing.assert_array_equal(noisy_series(100, noise=0.0)[1], signal)
    assert signal[24] == pytest.approx(13.0)                 # 10 + 3 sin(pi / 2) at t = 25


@pytest.mark.parametrize("call, word", [
    (lambda: ewa([1.0, 2.0], 1.0), "beta"),
    (lambda: ewa([1.0, 2.0], -0.1), "beta"),
    (lambda: ewa([1.0, float("nan")], 0.9), "series"),
    (lambda: ewa(np.ones((2, 2)), 0.9), "series"),
    (lambda: ewa([1.0], 0.9, corrected="yes"), "corrected"),
    (lambda: weights(0.9, -1), "t"),
    (lambda: weights(0.9, 2.5), "t"),
    (lambda: window(1.0), "beta"),
    (lambda: noisy_series(0), "steps"),
    (lambda: noisy_series(10, noise=-1.0), "noise"),
])
def test_bad_arguments_name_themselves(call, word):
    with pytest.raises(ValueError, match=rf"^{word} must"):
        call()
