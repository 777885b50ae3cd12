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




class Schedule:
    """A learning rate as a function of the step number: ``schedule(t)``."""

    def __init__(self, fn, label):
        self.fn = fn
        self.label = label

    def __call__(self, t):
        steps = np.asarray(t)
        if steps.dtype.kind not in "iu" and not (steps.dtype.kind == "f"
                                                  and np.all(steps == np.round(steps))):
            raise ValueError(f"t must be an integer step number >= 1, got {t!r}")
        if np.any(steps < 1):
            raise ValueError(f"t must be >= 1 (t = 1 on the first step), got {t!r}")
        lr = self.fn(steps.astype(float))
        return float(lr) if steps.ndim == 0 else np.broadcast_to(lr, steps.shape).copy()

    def __repr__(self):
        return self.label


def constant(lr0):
    """lr(t) = lr0."""
    lr0 = validate.number("lr0", lr0, 0, low_open=True)
    return Schedule(lambda t: lr0, f"constant({lr0})")


def step_decay(lr0, drop=0.5, every=100):
    """lr(t) = lr0 * drop**floor((t - 1) / every): multiply by drop every `every` steps."""
    lr0 = validate.number("lr0", lr0, 0, low_open=True)
    drop = validate.number("drop", drop, 0, 1, low_open=True)
    every = validate.integer("every", every, 1)
    return Schedule(lambda t: lr0 * drop ** ((t - 1) // every),
                    f"step_decay({lr0}, drop={drop}, every={every})")


def exponential_decay(lr0, rate):
    """lr(t) = lr0 * rate**(t - 1), with 0 < rate <= 1."""
    lr0 = validate.number("lr0", lr0, 0, low_open=True)
    rate = validate.number("rate", rate, 0, 1, low_open=True)
    return Schedule(lambda t: lr0 * rate ** (t - 1), f"exponential_decay({lr0}, rate={rate})")


def inverse_time(lr0, decay):
    """lr(t) = lr0 / (1 + decay * (t - 1)), with decay >= 0: lr(1) = lr0, like every schedule here."""
    lr0 = validate.number("lr0", lr0, 0, low_open=True)
    decay = validate.number("decay", decay, 0)
    return Schedule(lambda t: lr0 / (1 + decay * (t - 1)), f"inverse_time({lr0}, decay={decay})")


def cosine(lr0, total, lr_min=0.0):
    """lr(t) = lr_min + (lr0 - lr_min) * (1 + cos(pi * (t - 1) / total)) / 2 for t <= total + 1.

    Half a cosine from lr0 at t = 1 down to lr_min at t = total + 1, then lr_min.
    """
    lr0 = validate.number("lr0", lr0, 0, low_open=True)
    total = validate.integer("total", total, 1)
    lr_min = validate.number("lr_min", lr_min, 0, lr0)

    def fn(t):
        return lr_min + (lr0 - lr_min) * (1 + np.cos(np.pi * np.minimum(t - 1, total) / total)) / 2

    return Schedule(fn, f"cosine({lr0}, total={total}, lr_min={lr_min})")


def warmup(schedule, steps):
    """Linear warm-up in front of a schedule (or a fixed lr)::

        lr(t) = schedule(1) * t / steps      for t <= steps
        lr(t) = schedule(t - steps)          after
    """
    if not callable(schedule):
        schedule = constant(schedule)
    steps = validate.integer("steps", steps, 0)

    def fn(t):
        ramp = schedule(1) * t / max(steps, 1)
        after = schedule(np.maximum(t - steps, 1).astype(int))
        return np.where(t <= steps, ramp, after)

    return Schedule(fn, f"warmup({schedule!r}, steps={steps})")
