"""Self-checks for lesson 08, Training a network."""
import numpy as np

from course import validate
from course.checks import check_close, check_function, show, unanswered
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)
from course.nn import count_parameters, softmax


def parameter_count(answer):
    """How many parameters has the network with layer sizes [64, 32, 10]?"""
    return check_close("parameters of [64, 32, 10]", answer, count_parameters([64, 32, 10]),
                       hint="Each layer has n_in × n_out weights plus n_out biases; add the layers.")


def _output_delta(P, y):
    Y = np.eye(P.shape[1])[y]
    return (P - Y) / len(y)


def _cases():
    rng = np.random.default_rng(6)
    cases = []
    for m, k in ((1, 3), (4, 10), (7, 5)):
        cases.append((softmax(rng.normal(size=(m, k))), rng.integers(0, k, size=m)))
    return cases


def output_delta(fn):
    """``fn(P, y)`` should return dJ/dZ of the output layer: (P - Y) / m, Y the one-hot labels.

    A stub that still returns None counts as not written yet."""
    if callable(fn):
        try:
            if fn(*_cases()[0]) is None:
                fn = None
        except Exception:  # check_function reports the error to the student
            pass
    return check_function("output_delta", fn, _output_delta, _cases(),
                          hint="Subtract 1 from each row's probability of its true class, then "
                               "divide everything by the number of rows m.")


# For dashboards, where no code can be written: bodies of output_delta to choose from, one right.
_Y = "Y = np.eye(P.shape[1])[y]; "
OUTPUT_DELTA_CHOICES = [
    (_Y + "return P - Y", lambda P, y: _output_delta(P, y) * len(y)),
    (_Y + "return (Y - P) / len(y)", lambda P, y: -_output_delta(P, y)),
    (_Y + "return (P - Y) / len(y)", _output_delta),
    (_Y + "return (P - Y) / P.shape[1]", lambda P, y: _output_delta(P, y) * len(y) / P.shape[1]),
]


def sgd_decay_factor(answer, lr, l2):
    """With SGD and L2 strength l2, each step first multiplies the weights by 1 - lr * l2."""
    lr = validate.learning_rate("lr", lr)
    l2 = validate.number("l2", l2, low=0.0, high=1e6)
    return check_close(f"the factor for lr = {lr:g}, λ = {l2:g}", answer, 1 - lr * l2,
                       hint="The gradient of (λ/2)||W||² is λW; write W - η(dW + λW) "
                            "as (something) × W - η dW.")


def stopping_epochs(val_cost, patience):
    """(the epoch after which training stops, the epoch whose parameters it keeps), by the rule
    of course.training.train: stop once ``patience`` epochs have passed without a lower
    validation cost than the best so far; keep the best. ``val_cost[0]`` is the untrained net."""
    costs = validate.array("val_cost", val_cost, shape=("n",))
    patience = validate.integer("patience", patience, 1)
    best = 0
    for epoch in range(1, len(costs)):
        if costs[epoch] < costs[best]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(costs) - 1, best


def early_stopping(answer, val_cost, patience):
    """The pair (epoch after which training stops, epoch it keeps) for these validation costs."""
    stop, keep = stopping_epochs(val_cost, patience)
    if unanswered(answer):
        return show(None, "early stopping: not answered yet.")
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        return show(False, "Give two numbers: (the epoch after which it stops, the epoch it keeps).")
    right = check_close("the epoch after which training stops", answer[0], stop,
                        hint=f"Count {patience} epochs after the lowest cost so far without a new low.")
    return right & check_close("the epoch whose parameters it keeps", answer[1], keep,
                               hint="The network goes back to the epoch with the lowest validation cost.")
