"""The exercise checks added with issue 17: averages and Adam's first step (lesson on optimizers),
decay schedules (lesson 3). Right answers by hand; wrong, unanswered and odd answers are "not yet"."""
import pytest

from course.checks import learning_rate
from course.checks import optimizers as check

ODD = [None, ..., "fifty", [], (1.0,), float("nan"), object()]


def test_average_window():
    assert check.average_window(50) is True                 # 1 / (1 - 0.98)
    assert check.average_window(50.5) is True               # "about": within 2 %
    assert check.average_window(0.02) is False              # 1 - beta, the newest weight
    assert check.average_window(98) is False
    assert check.average_window(10, beta=0.9) is True


def test_first_average():
    assert check.first_average((0.5, 5.0)) is True         # 0.1 * 5, then 0.5 / (1 - 0.9)
    assert check.first_average((0.5, 0.5)) is False         # forgot the correction
    assert check.first_average((4.5, 5.0)) is False         # beta and 1 - beta swapped
    assert check.first_average((2.0, 4.0), beta=0.5, x1=4.0) is True


def test_adam_first_step():
    # step 1: V_hat = dW, S_hat = dW**2, so the step is lr * |dW| / (|dW| + eps) ~ lr
    assert check.adam_first_step((0.01, 0.01)) is True
    assert check.adam_first_step((2.5, 4e-5)) is False       # lr * dW, plain gradient descent
    assert check.adam_first_step((0.1, 0.1), lr=0.1) is True


def test_schedule_rates():
    # h = 100, t = 301: three half-lives; inverse-time 0.1 / (1 + 3); the cosine ended at 201
    assert learning_rate.schedule_rates((0.0125, 0.025, 0.0)) is True
    assert learning_rate.schedule_rates((0.0125, 0.025, 0.05)) is False
    assert learning_rate.schedule_rates((0.025, 0.025, 0.0)) is False
    assert learning_rate.schedule_rates((0.05, 0.05, 0.05), t=101) is True   # all halved at h


@pytest.mark.parametrize("answer", ODD)
def test_odd_answers_are_not_yet_and_never_raise(answer):
    for fn in (check.average_window, check.first_average, check.adam_first_step,
               learning_rate.schedule_rates):
        assert fn(answer) is False
