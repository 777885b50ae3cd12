"""Self-checks for lesson 3 (learning rate): gradient descent on f(w) = c/2 w^2.

One step is w <- (1 - lr c) w, so the distance to the minimum is multiplied by |1 - lr c|.
"""
import math
import numbers

from course import validate
from course.checks import check_close, show, unanswered
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)


def one_step_lr(answer, curvature):
    """The lr that reaches the minimum in one step: 1 - lr c = 0, lr = 1 / c."""
    curvature = validate.positive("curvature", curvature)
    hint = "After one step w is (1 − η c) w: which η makes that factor zero?"
    if not unanswered(answer) and _number(answer) and abs(answer - 2 / curvature) < 1e-9:
        hint = "That is the largest rate that still converges, not the one-step rate. " + hint
    return check_close("the one-step learning rate", answer, 1 / curvature, hint=hint)


def largest_lr(answer, curvature):
    """The edge of convergence: |1 - lr c| < 1 holds for 0 < lr < 2 / c (2 / c itself bounces)."""
    curvature = validate.positive("curvature", curvature)
    if unanswered(answer):
        return show(None, "the largest learning rate: not answered yet.")
    if not _number(answer):
        return show(False, "the largest learning rate: give a number.")
    edge = 2 / curvature
    if abs(answer - edge) <= 1e-9 * edge:
        return show(True, f"the largest learning rate: right, every η below 2/c = {edge:g} "
                          "converges; at exactly 2/c the factor is −1 and w bounces for ever.")
    if answer < edge:
        return show(False, "the largest learning rate: larger rates still converge. "
                           "Find where the factor 1 − η c reaches −1.")
    return show(False, "the largest learning rate: at that rate |1 − η c| > 1, so every step "
                       "lands farther from the minimum.")


def _number(answer):
    return (isinstance(answer, numbers.Real) and not isinstance(answer, bool)
            and math.isfinite(answer))


def steps_needed(answer, lr, curvature, tol=1e-3):
    """Steps until |w_k| <= tol |w_0|: the first k with |1 - lr c|^k <= tol."""
    from course.lr_experiments import steps_to_converge

    expected = steps_to_converge(validate.positive("lr", lr), curvature, tol)
    name = "the number of steps"
    if unanswered(answer):
        return show(None, f"{name}: not answered yet.")
    if not _number(answer):
        return show(False, f"{name}: give a whole number.")
    if answer == expected:
        return show(True, f"{name}: right, {int(expected)} steps.")
    if answer != int(answer) and abs(answer - expected) < 1:
        return show(False, f"{name}: close, but a number of steps is whole: round up, since "
                           "after fewer steps the run is not yet close enough.")
    if answer == expected - 1:
        return show(False, f"{name}: one short. Check |1 − ηc|^k at your k: still above {tol:g}?")
    return show(False, f"{name}: not yet. Each step multiplies the distance by |1 − ηc|; "
                       f"solve |1 − ηc|^k ≤ {tol:g} for k.")


def schedule_rates(answer, lr0=0.1, half_life=100, t=301):
    """(exponential, inverse-time, cosine) learning rates at step t, with lesson 3's half-life h:
    lr0 2^(-(t-1)/h), lr0 / (1 + (t-1)/h), and the cosine, which is 0 from step 2h + 1 on."""
    from course.lr_experiments import make_schedule

    t = validate.integer("t", t, 1, 10**6)
    half_life = validate.number("half_life", half_life, 1.0, 1e6)       # steps
    names = ("exponential", "inverse-time", "cosine")
    expected = tuple(make_schedule(name, lr0, half_life)(t) for name in names)
    hint = (f"At step t = {t}, (t − 1)/h = {(t - 1) / half_life:g} half-lives have passed; "
            f"the cosine ends after 2h = {2 * half_life:g} steps.")
    return check_close("the three learning rates", answer, expected, rtol=1e-6, atol=1e-9,
                       hint=hint)
