"""Self-checks for lesson 9, Inside a real network."""
from course.checks import check_close
from course.checks.exercise import ask  # noqa: F401  (the exercise cells call check.ask)


def scaled_lr(answer):
    """Linear scaling: a run trains well with batch 32 and lr 0.1; batch 128 is 4 times larger,
    so the rule gives lr = 0.1 * 128 / 32 = 0.4."""
    return check_close("the learning rate for batches of 128", answer, 0.1 * 128 / 32,
                       hint="The rule keeps η / b fixed: how many times larger is the batch?")


def clipped_step(answer):
    """SGD with lr 0.5 and a gradient of norm 8 clipped at norm 2: the step is
    lr * 2 = 1.0 long (clipping keeps the direction, sets the length of g to 2)."""
    return check_close("the length of the clipped step", answer, 0.5 * 2.0,
                       hint="After clipping the gradient has norm 2 (it was larger); the step is "
                            "η times that gradient.")


def filter_scale(answer):
    """Filter normalisation: a neuron's incoming weights have norm 3, the random direction's
    column for it has norm 12: it is multiplied by 3 / 12 = 0.25."""
    return check_close("the factor for that column", answer, 3 / 12,
                       hint="After scaling, the column must have the norm of the neuron's own "
                            "weights.")
