"""Learning-rate schedules: values at chosen steps, arrays of steps, and argument checks."""
import math

import numpy as np
import pytest

from course.schedules import constant, cosine, exponential_decay, inverse_time, step_decay, warmup


def test_constant():
    f = constant(0.3)
    assert f(1) == 0.3 and f(1000) == 0.3
    np.testing.assert_array_equal(f(np.array([1, 5])), [0.3, 0.3])


def test_step_decay():
    f = step_decay(0.1, drop=0.5, every=100)
    assert f(1) == 0.1 and f(100) == 0.1
    assert f(101) == 0.05 and f(201) == 0.025


def test_exponential_decay():
    f = exponential_decay(2.0, rate=0.9)
    assert f(1) == 2.0
    assert f(3) == pytest.approx(2.0 * 0.81, rel=1e-15)


def test_inverse_time():
    f = inverse_time(1.0, decay=0.5)
    assert f(1) == 1.0                                  # starts at lr0, like every schedule
    assert f(3) == pytest.approx(1 / 2) and f(5) == pytest.approx(1 / 3)


def test_cosine():
    f = cosine(0.1, total=10, lr_min=0.02)
    assert f(1) == pytest.approx(0.1)
    assert f(6) == pytest.approx(0.02 + 0.08 * (1 + math.cos(math.pi / 2)) / 2)
    assert f(11) == pytest.approx(0.02) and f(50) == pytest.approx(0.02)


def test_warmup_in_front_of_a_schedule():
    f = warmup(exponential_decay(1.0, rate=0.5), steps=4)
    assert [f(t) for t in (1, 2, 3, 4)] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert [f(t) for t in (5, 6, 7)] == pytest.approx([1.0, 0.5, 0.25])
    np.testing.assert_allclose(f(np.arange(1, 8)), [0.25, 0.5, 0.75, 1.0, 1.0, 0.5, 0.25])


def test_warmup_of_a_number_and_of_zero_steps():
    assert warmup(0.2, steps=2)(1) == pytest.approx(0.1)
    assert warmup(0.2, steps=0)(1) == pytest.approx(0.2)


@pytest.mark.parametrize("f", [constant(0.1), step_decay(0.1, 0.5, 3), exponential_decay(0.1, 0.9),
                               inverse_time(0.1, 0.1), cosine(0.1, 7), warmup(cosine(0.1, 7), 3)])
def test_array_of_steps_equals_one_at_a_time(f):
    t = np.arange(1, 20)
    values = f(t)
    assert values.shape == t.shape and values.dtype == float
    np.testing.assert_allclose(values, [f(int(k)) for k in t], rtol=1e-15)
    assert isinstance(f(np.int64(3)), float)


@pytest.mark.parametrize("make_bad, name", [
    (lambda: constant(0), "lr0"), (lambda: constant(-1), "lr0"),
    (lambda: step_decay(0.1, drop=0), "drop"),
    (lambda: step_decay(0.1, drop=1.5), "drop"), (lambda: step_decay(0.1, every=0), "every"),
    (lambda: step_decay(0.1, every=2.5), "every"),
    (lambda: exponential_decay(0.1, rate=1.2), "rate"),
    (lambda: inverse_time(0.1, decay=-1), "decay"), (lambda: cosine(0.1, total=0), "total"),
    (lambda: cosine(0.1, total=10, lr_min=0.2), "lr_min"), (lambda: warmup(0.1, steps=-1), "steps"),
    (lambda: constant(float("nan")), "lr0"),
])
def test_bad_arguments_raise(make_bad, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        make_bad()


@pytest.mark.parametrize("t", [0, -3, 1.5, np.array([1, 0])])
def test_bad_step_numbers_raise(t):
    with pytest.raises(ValueError, match="^t must"):
        constant(0.1)(t)
