"""Lesson 07's self-checks: right answers pass, near misses and wrong shapes do not, nothing raises."""
import numpy as np
import pytest

from course.checks import collected
from course.checks import optimizers_in_depth as c07
from course.checks.exercise import ask
from course.optimizers import Adagrad, Adam, RMSprop


def results(check, *args):
    with collected() as out:
        status = check(*args)
    return status, out


def test_best_rates_for_kappa_100():
    status, out = results(c07.best_rates, (99 / 101, 9 / 11), 100)
    assert status is True and [s for s, _ in out] == [True, True]
    assert results(c07.best_rates, (0.9802, 0.8182), 100)[0] is True       # four decimals will do
    status, out = results(c07.best_rates, (0.98, 0.8182), 100)              # 0.98 is 2e-4 off: still within 1e-3
    assert status is True
    status, out = results(c07.best_rates, (9 / 11, 99 / 101), 100)         # swapped
    assert status is False and [s for s, _ in out] == [False, False]
    status, out = results(c07.best_rates, (99 / 101, None), 100)
    assert [s for s, _ in out] == [True, None]
    for bad in ("abc", 0.98, (1, 2, 3), [None], object()):
        assert results(c07.best_rates, bad, 100)[0] is False


def test_step_length_follows_the_formulas():
    for t in (1, 2, 10, 100):
        assert c07.step_length(Adagrad(1.0, eps=1e-12), t) == pytest.approx(1 / np.sqrt(t))
        assert c07.step_length(RMSprop(1.0, beta=0.9, eps=1e-12), t, g=3.0) == pytest.approx(
            1 / np.sqrt(1 - 0.9**t))
    with pytest.raises(ValueError, match="optimizer"):
        c07.step_length(Adam(1.0), 3)
    with pytest.raises(ValueError, match="t"):
        c07.step_length(Adagrad(1.0), 0)


def test_adaptive_steps():
    assert results(c07.adaptive_steps, (0.05, 5), 400, 0.96)[0] is True
    status, out = results(c07.adaptive_steps, (1 / 400, 5), 400, 0.96)    # 1/t instead of 1/sqrt(t)
    assert status is False and [s for s, _ in out] == [False, True]
    status, out = results(c07.adaptive_steps, (0.05, 1), 400, 0.96)      # the corrected (Adam) step
    assert [s for s, _ in out] == [True, False]
    assert results(c07.adaptive_steps, (0.1, 10), 100, 0.99)[0] is True
    assert results(c07.adaptive_steps, None, 400, 0.96)[0] is False
    status, out = results(c07.adaptive_steps, None, 400, 0.96)
    assert [s for s, _ in out] == [None, None]


def test_the_exercise_widgets_take_typed_pairs():
    ex = ask(c07.best_rates, None, 100, label=("gradient descent", "Momentum"))
    assert ex.status is None
    for field, value in zip(ex.fields, ("99/101", "9/11")):
        field.value = value
    ex.button.click()
    assert ex.status is True
    ex = ask(c07.adaptive_steps, (0.05, 5), 400, 0.96, label=("Adagrad, step 400", "RMSprop, step 1"))
    assert ex.status is True
