"""Self-checks for lesson 07, Optimizers in depth. Each shows right / not yet / not answered and never raises.

The expected numbers come from the course's own code: ``course.rates`` for the rates of a
quadratic bowl, ``course.optimizers`` run on a constant gradient for the adaptive step lengths.
"""
import numpy as np

from course import validate
from course.checks import check_close, show, unanswered
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)
from course.optimizers import Adagrad, RMSprop
from course.rates import best_gd, best_momentum

__all__ = ["best_rates", "adaptive_steps", "step_length"]


def _pair(answer, what):
    """(first, second) from an answer that should be a pair, or None when it is not one."""
    if unanswered(answer):
        return None, None
    if isinstance(answer, (tuple, list)) and len(answer) == 2:
        return tuple(answer)
    show(False, f"Give two numbers: {what}.")
    return None


def best_rates(answer, condition):
    """Both rates at their best settings on a bowl of condition kappa, as a pair:
    gradient descent's (kappa - 1) / (kappa + 1) and Momentum's (sqrt(kappa) - 1) / (sqrt(kappa) + 1)."""
    kappa = validate.number("condition", condition, 1.0, 1e6)
    pair = _pair(answer, "(gradient descent's rate, Momentum's rate)")
    if pair is None:
        return False
    gd, momentum = pair
    right_gd = check_close("gradient descent's rate at its best η", gd, best_gd(1.0, kappa)[1],
                           rtol=1e-3, atol=0,
                           hint="At η = 2/(λ_min + λ_max) both ends shrink by |1 − η λ|: put λ = 1.")
    right_mom = check_close("Momentum's rate at its best η and β", momentum, best_momentum(1.0, kappa)[2],
                            rtol=1e-3, atol=0, hint="The same formula with √κ in place of κ.")
    return right_gd & right_mom


def step_length(optimizer, t, g=1.0):
    """The length of step t, in units of the learning rate, of ``optimizer`` run with lr = 1 on
    the constant gradient g (its steps do not depend on g: each divides by a size of g)."""
    t = validate.integer("t", t, 1, 10_000)
    g = validate.positive("g", g)
    if not isinstance(optimizer, (Adagrad, RMSprop)):
        raise ValueError(f"optimizer must be an Adagrad or RMSprop object, got {validate._show(optimizer)}")
    optimizer.reset()
    W = np.zeros(1)
    for _ in range(t):
        W_new = optimizer.step(W, np.array([g]))
        W, length = W_new, abs(W_new[0] - W[0])
    return float(length)


def adaptive_steps(answer, t, beta):
    """On a constant gradient, as a pair: Adagrad's step t and RMSprop's first step with this
    beta, both in units of the learning rate (1 / sqrt(t) and 1 / sqrt(1 - beta))."""
    t = validate.integer("t", t, 1, 10_000)
    beta = validate.number("beta", beta, 0.0, 0.9999)
    pair = _pair(answer, f"(Adagrad's step {t}, RMSprop's step 1)")
    if pair is None:
        return False
    adagrad, rmsprop = pair
    right_a = check_close(f"Adagrad's step {t}", adagrad, step_length(Adagrad(1.0, eps=1e-12), t),
                          rtol=1e-3, atol=0, hint="G is t g² after t steps: the step is η g / √(t g²).")
    right_r = check_close("RMSprop's first step", rmsprop,
                          step_length(RMSprop(1.0, beta=beta, eps=1e-12), 1), rtol=1e-3, atol=0,
                          hint="S starts at 0, so after one step S = (1 − β) g².")
    return right_a & right_r
