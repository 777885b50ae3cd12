"""The self-checks of lessons 01 and 02: right answers pass, wrong ones fail, None is 'not yet'."""
import numpy as np
import pytest

from course.checks import cost_functions as c01
from course.checks import gradient_descent as c02


@pytest.fixture(autouse=True)
def no_display(monkeypatch):
    shown = []
    monkeypatch.setattr("course.checks.show", lambda status, msg: shown.append(msg) or bool(status))
    for mod in (c01, c02):
        monkeypatch.setattr(mod, "show", lambda status, msg: shown.append(msg) or bool(status))
    return shown


def test_house_cost_by_hand():
    # errors 210-200, 330-350, 520-500 -> squares 100, 400, 400 -> mean 300
    assert c01.house_cost() == pytest.approx(300.0)
    assert c01.cost_by_hand(300) is True
    assert c01.cost_by_hand(900) is False      # the sum instead of the mean
    assert c01.cost_by_hand(None) is False


def test_squared_loss_check():
    assert c01.squared_loss(lambda y, y_hat: (y - y_hat) ** 2) is True
    assert c01.squared_loss(lambda y, y_hat: np.abs(y - y_hat)) is False
    assert c01.squared_loss(lambda y, y_hat: np.mean((y - y_hat) ** 2)) is False
    assert c01.squared_loss(lambda y, y_hat: None) is False
    assert c01.squared_loss(lambda y, y_hat: 1 / 0) is False
    assert c01.squared_loss(None) is False


def test_minimum_moves_choice(no_display):
    assert c01.minimum_moves("a") is True
    assert c01.minimum_moves(" (A) ") is True
    assert c01.minimum_moves("b") is False
    assert c01.minimum_moves(3) is False
    assert c01.minimum_moves(None) is False
    assert "not answered" in no_display[-1]


def test_one_step_by_hand():
    # r = -y = (-3, -5): dJ/dw = 2 * (-3*1 - 5*2) / 2 = -13, dJ/db = 2 * (-8) / 2 = -8
    np.testing.assert_allclose(c02.one_step(), [1.3, 0.8])
    assert c02.one_step_answer((1.3, 0.8)) is True
    assert c02.one_step_answer((-1.3, -0.8)) is False
    assert c02.one_step_answer(None) is False


def test_reference_gradient_against_finite_differences():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(40, 220, 8), rng.uniform(100, 700, 8)
    w, b, h = 2.5, 30.0, 1e-5

    def J(w, b):
        return np.mean((w * x + b - y) ** 2)

    fd = [(J(w + h, b) - J(w - h, b)) / (2 * h), (J(w, b + h) - J(w, b - h)) / (2 * h)]
    np.testing.assert_allclose(c02.gradient(w, b, x, y), fd, rtol=1e-6)


def test_cost_gradient_check():
    assert c02.cost_gradient(c02.gradient) is True
    assert c02.cost_gradient(lambda w, b, x, y: -c02.gradient(w, b, x, y)) is False
    assert c02.cost_gradient(lambda w, b, x, y: c02.gradient(w, b, x, y)[0]) is False
    assert c02.cost_gradient(lambda w, b, x, y: None) is False
    assert c02.cost_gradient(None) is False
