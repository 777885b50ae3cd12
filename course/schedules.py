"""Learning-rate schedules: functions ``lr(t)`` of the step number t (t = 1 on the first step).

Pass one as an optimizer's ``lr``: ``Adam(lr=cosine(0.1, total=500))``.
Each schedule accepts an int t or an integer array of steps (handy to plot one)::

    f = step_decay(0.1, drop=0.5, every=100)
    f(1), f(101)                    # 0.1, 0.05
    f(np.arange(1, 301))            # the whole curve
"""

import numpy as np

from . import validate

__all__ = ["constant", "step_decay", "exponential_decay", "inverse_time", "cosine", "warmup"]

MAX_T = 2**53
"""The largest step number: every integer up to it is exact as a float."""


class Schedule:
    """A learning rate as a function of the step number: ``schedule(t)``."""

    def __init__(self, fn, label):
        self.fn = fn
        self.label = label

    def __call__(self, t):
        if isinstance(t, (int, np.integer)) and not isinstance(t, bool):   # one step number
            if not 1 <= t <= MAX_T:
                raise ValueError(f"t must be an integer step number in [1, 2**53] (t = 1 on the "
                                 f"first step), or an array of them, got {validate._show(t)}")
            return float(self.fn(float(t)))
        try:
            steps = np.asarray(t)
        except ValueError:                  # ragged lists
            steps = np.asarray(None)
        whole = steps.dtype.kind in "iu" or (steps.dtype.kind == "f" and np.all(steps == np.round(steps)))
        if not whole or np.any(steps < 1) or np.any(steps > MAX_T):
            raise ValueError(f"t must be an integer step number in [1, 2**53] (t = 1 on the first "
                             f"step), or an array of them, got {validate._show(t)}")
        lr = self.fn(steps.astype(float))
        return float(lr) if steps.ndim == 0 else np.broadcast_to(lr, steps.shape).copy()

    def __repr__(self):
        return self.label


def constant(lr0):
    """lr(t) = lr0."""
    lr0 = validate.learning_rate("lr0", lr0)
    return Schedule(lambda t: lr0, f"constant({lr0})")


def step_decay(lr0, drop=0.5, every=100):
    """lr(t) = lr0 * drop**floor((t - 1) / every): multiply by drop every `every` steps."""
    lr0 = validate.learning_rate("lr0", lr0)
    drop = validate.number("drop", drop, 0, 1, low_open=True)
    every = validate.integer("every", every, 1)
    return Schedule(lambda t: lr0 * drop ** ((t - 1) // every),
                    f"step_decay({lr0}, drop={drop}, every={every})")


def exponential_decay(lr0, rate):
    """lr(t) = lr0 * rate**(t - 1), with 0 < rate <= 1."""
    lr0 = validate.learning_rate("lr0", lr0)
    rate = validate.number("rate", rate, 0, 1, low_open=True)
    return Schedule(lambda t: lr0 * rate ** (t - 1), f"exponential_decay({lr0}, rate={rate})")


def inverse_time(lr0, decay):
    """lr(t) = lr0 / (1 + decay * (t - 1)), with decay >= 0: lr(1) = lr0, like every schedule here."""
    lr0 = validate.learning_rate("lr0", lr0)
    decay = validate.number("decay", decay, 0, 1e6)
    return Schedule(lambda t: lr0 / (1 + decay * (t - 1)), f"inverse_time({lr0}, decay={decay})")


def cosine(lr0, total, lr_min=0.0):
    """lr(t) = lr_min + (lr0 - lr_min) * (1 + cos(pi * (t - 1) / total)) / 2 for t <= total + 1.

    Half a cosine from lr0 at t = 1 down to lr_min at t = total + 1, then lr_min.
    """
    lr0 = validate.learning_rate("lr0", lr0)
    total = validate.integer("total", total, 1)
    lr_min = validate.number("lr_min", lr_min, low=0.0)
    if lr_min > lr0:
        raise ValueError(f"lr_min must be in [0, lr0] = [0, {lr0:g}], got {lr_min!r}")

    def fn(t):
        return lr_min + (lr0 - lr_min) * (1 + np.cos(np.pi * np.minimum(t - 1, total) / total)) / 2

    return Schedule(fn, f"cosine({lr0}, total={total}, lr_min={lr_min})")


def warmup(schedule, steps):
    """Linear warm-up in front of a schedule (or a fixed lr)::

        lr(t) = schedule(1) * t / steps      for t <= steps
        lr(t) = schedule(t - steps)          after
    """
    if not callable(schedule):
        try:
            schedule = constant(schedule)
        except ValueError:
            raise ValueError(f"schedule must be a schedule (a function of t) or a learning rate "
                             f"> 0, got {validate._show(schedule)}") from None
    steps = validate.integer("steps", steps, 0)

    def fn(t):
        ramp = _rates(schedule, 1) * t / max(steps, 1)
        after = _rates(schedule, np.maximum(t - steps, 1).astype(np.int64))
        return np.where(t <= steps, ramp, after)

    return Schedule(fn, f"warmup({schedule!r}, steps={steps})")


def _rates(schedule, t):
    """``schedule(t)``, checked: finite learning rates >= 0, one per step of ``t`` (or one for all)."""
    try:
        lr = np.asarray(schedule(t))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"schedule must take an int step t or an int array of them: "
                         f"schedule({validate._show(t)}) raised {exc!r}") from None
    lr = validate.array("schedule(t)", lr, limit=1e6)
    if lr.shape not in ((), np.shape(t)) or np.any(lr < 0):
        raise ValueError(f"schedule(t) must give one learning rate >= 0 per step t, got "
                         f"{validate._show(lr)} for t of shape {np.shape(t)}")
    return lr
