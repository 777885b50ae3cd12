"""Self-checks for lessons 4 and 5 (batch size and gradient noise; local minima).

An epoch over n examples in batches of b has ceil(n / b) steps; the last batch holds
n - (ceil(n / b) - 1) b examples. The noise variance of a batch gradient falls as 1 / b.
"""
import math
import numbers

from course import validate
from course.checks import check_close, show, unanswered
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)


def steps_per_epoch(answer, n, batch_size):
    """ceil(n / b): full batches, plus one for the rest when b does not divide n."""
    n, batch_size = _sizes(n, batch_size)
    hint = ("Count the full batches with integer division, and add one if examples are left over."
            if not (_number(answer) and answer == n / batch_size) else
            "A step needs a whole number of batches: round up.")
    return check_close(f"steps per epoch for n = {n}, b = {batch_size}", answer,
                       math.ceil(n / batch_size), hint=hint)


def last_batch(answer, n, batch_size):
    """The size of the last batch: n mod b, or b itself when b divides n."""
    n, batch_size = _sizes(n, batch_size)
    rest = n % batch_size
    hint = "Take away all the full batches: what is left is the last one."
    if _number(answer) and answer == 0:
        hint = "A batch of 0 examples is never made: when b divides n the last batch is a full one."
    return check_close(f"the last batch for n = {n}, b = {batch_size}", answer,
                       rest if rest else batch_size, hint=hint)


def noise_factor(answer):
    """To halve the standard deviation of the gradient noise, the batch must grow 4 times."""
    hint = "The variance falls as 1/b, and the standard deviation is its square root."
    if _number(answer) and answer == 2:
        hint = "Doubling b halves the variance, not the standard deviation. " + hint
    return check_close("how many times larger a batch", answer, 4, hint=hint)


def best_batch(answer, results):
    """The batch size whose runs most often ended settled at the global minimum."""
    if not (isinstance(results, dict) and results and all(
            isinstance(r, dict) and {"settled", "trapped"} <= set(r) for r in results.values())):
        raise ValueError(f"results must map batch sizes to outcomes() dicts, got {validate._show(results)}")
    if unanswered(answer):
        return show(None, "the best batch size: not answered yet.")
    best = max(results, key=lambda b: results[b]["settled"])
    if not _number(answer) or answer not in results:
        return show(False, f"the best batch size: choose one of {sorted(results)}.")
    if answer == best:
        return show(True, f"the best batch size: right, b = {best} ended at the global minimum "
                          f"in {results[best]['settled']:.0%} of the runs.")
    got = results[answer]
    why = ("most runs never left the local minimum" if got["trapped"] > 0.5 else
           "most runs escaped, but many were still wandering at the end")
    return show(False, f"the best batch size: not yet; with b = {answer}, {why} "
                       f"({got['settled']:.0%} settled). Look at the green bars.")


def _number(answer):
    return (isinstance(answer, numbers.Real) and not isinstance(answer, bool)
            and math.isfinite(answer))


def epoch(answer, n, batch_size):
    """Both numbers of one epoch, as a pair: (steps per epoch, size of the last batch)."""
    if unanswered(answer):
        steps, last = None, None
    elif isinstance(answer, (tuple, list)) and len(answer) == 2:
        steps, last = answer
    else:
        return show(False, "Give two numbers: (steps per epoch, size of the last batch).")
    return steps_per_epoch(steps, n, batch_size) & last_batch(last, n, batch_size)


def _sizes(n, batch_size):
    n = validate.integer("n", n, 1)
    return n, validate.integer("batch_size", batch_size, 1, n, high_name="n")
