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
