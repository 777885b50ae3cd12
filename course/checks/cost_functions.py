"""Self-checks for lesson 01, cost functions. Each shows right / not yet / not answered; none raises."""
import numpy as np

from course import losses
from course.checks import check_close, check_function, show, unanswered
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)

# The hand computation: three houses, the line y_hat = 3 x + 50 (x in m², prices in thousands).
HOUSES_X = (50.0, 100.0, 150.0)
HOUSES_Y = (210.0, 330.0, 520.0)
LINE = (3.0, 50.0)


def _returns_none(fn, args):
    try:
        return fn(*args) is None
    except Exception:  # check_function reports the error itself
        return False


def squared_loss(fn):
    """Your ``squared_loss(y, y_hat)`` against ``course.losses.squared_loss``, elementwise."""
    rng = np.random.default_rng(1)
    cases = [(3.0, 1.0), (np.array([200.0, 350.0]), np.array([210.0, 330.0])),
             (rng.normal(size=7), rng.normal(size=7))]
    if callable(fn) and _returns_none(fn, cases[0]):
        return show(None, "squared_loss: not written yet (it returns None).")
    return check_function("squared_loss", fn, losses.squared_loss, cases,
                          hint="One loss per example: the square of (y - y_hat).")


def house_cost():
    """The cost of the line y_hat = 3 x + 50 on the three houses: mean of the squared errors."""
    w, b = LINE
    y_hat = w * np.array(HOUSES_X) + b
    return losses.cost(losses.squared_loss(np.array(HOUSES_Y), y_hat))


def cost_by_hand(answer):
    """The cost J of the line 3 x + 50 on the three houses, computed by hand."""
    return check_close("cost by hand", answer, house_cost(),
                       hint="Predict each price, square each error, then take the mean "
                            "(divide by m = 3), not the sum.")


def minimum_moves(answer):
    """Where does the least-squares minimum go as m grows? One of "a", "b", "c"."""
    if unanswered(answer):
        return show(None, "minimum moves: not answered yet.")
    choice = str(answer).strip().lower().strip("()")
    if choice not in ("a", "b", "c"):
        return show(False, f'minimum moves: answer with "a", "b" or "c", got {answer!r}.')
    if choice == "a":
        return show(True, "minimum moves: right. With more houses the noise averages out, so "
                          "the least-squares line settles on the ground truth.")
    return show(False, "minimum moves: not yet. Set m to 5, then to 500, and press Resample a "
                       "few times each: watch the white star against the blue dot.")


# For dashboards, where no code can be written: bodies of squared_loss to choose from, one right.
SQUARED_LOSS_CHOICES = [
    ("return abs(y - y_hat)", lambda y, y_hat: abs(y - y_hat)),
    ("return (y - y_hat) ** 2", lambda y, y_hat: (y - y_hat) ** 2),
    ("return np.mean((y - y_hat) ** 2)", lambda y, y_hat: np.mean((y - y_hat) ** 2)),
    ("return (y - y_hat) * 2", lambda y, y_hat: (y - y_hat) * 2),
]
