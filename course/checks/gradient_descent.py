"""Self-checks for lesson 02, gradient descent. Each shows right / not yet / not answered; none raises."""
import numpy as np

from course import landscapes, validate
from course.checks import check_close, check_function, show
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)

# One step by hand: two houses, the line starts flat at (w, b) = (0, 0), learning rate 0.1.
STEP_X = (1.0, 2.0)
STEP_Y = (3.0, 5.0)
STEP_LR = 0.1


def gradient(w, b, x, y):
    """dJ/dw = 2 mean((w x + b - y) x), dJ/db = 2 mean(w x + b - y): the reference gradient."""
    w, b = validate.number("w", w, -1e100, 1e100), validate.number("b", b, -1e100, 1e100)
    x = validate.array("x", x, shape=("m",), limit=1e100)
    y = validate.array("y", y, shape=("m",), limit=1e100)
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(f"x and y must have the same non-zero length, got {len(x)} and {len(y)}")
    r = w * x + b - y
    return np.array([2.0 * np.mean(r * x), 2.0 * np.mean(r)])


def one_step():
    """(w, b) after one gradient-descent step from (0, 0) on the two houses."""
    return np.zeros(2) - STEP_LR * gradient(0.0, 0.0, STEP_X, STEP_Y)


def one_step_answer(answer):
    """Your (w, b) after one step, as a pair of numbers."""
    return check_close("one step", answer, one_step(),
                       hint="Compute both partial derivatives at (0, 0) first, then move "
                            "against them: (w, b) - 0.1 * gradient.")


def cost_gradient(fn):
    """Your ``cost_gradient(w, b, x, y)`` against the exact gradient of the landscape."""
    rng = np.random.default_rng(2)
    cases = [(0.0, 0.0, np.array(STEP_X), np.array(STEP_Y)),
             (1.5, -0.5, rng.normal(size=6), rng.normal(size=6)),
             (3.0, 50.0, rng.uniform(40, 220, size=9), rng.uniform(100, 700, size=9))]
    try:
        if callable(fn) and fn(*cases[0]) is None:
            return show(None, "cost_gradient: not written yet (it returns None).")
    except Exception:  # check_function reports the error itself
        pass

    def reference(w, b, x, y):
        return landscapes.linear_regression(x, y).grad(np.array([w, b]))

    return check_function("cost_gradient", fn, reference, cases,
                          hint="Return an array [dJ/dw, dJ/db]; both are means over the houses, "
                               "and dJ/dw carries an extra factor x_i.")


# For dashboards, where no code can be written: bodies of cost_gradient to choose from, one right.
_R = "r = w * x + b - y; "
COST_GRADIENT_CHOICES = [
    (_R + "return np.array([2 * np.mean(r), 2 * np.mean(r * x)])",
     lambda w, b, x, y: gradient(w, b, x, y)[::-1]),
    (_R + "return np.array([2 * np.sum(r * x), 2 * np.sum(r)])",
     lambda w, b, x, y: gradient(w, b, x, y) * len(x)),
    (_R + "return np.array([2 * np.mean(r * x), 2 * np.mean(r)])", gradient),
    (_R + "return np.array([np.mean(r * x), np.mean(r)])",
     lambda w, b, x, y: gradient(w, b, x, y) / 2),
]
