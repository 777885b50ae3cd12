"""Argument checks shared by the whole package.

Each returns the value (as int or float) or raises ValueError naming the argument, the
allowed range and the value it got, e.g. ``lr must be a finite number > 0, got -1``.
"""
import numbers

import numpy as np


def integer(name, value, low, high=None):
    """An integer (not a bool) in [low, high] (no upper limit when high is None)."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= low
          and (high is None or value <= high))
    if not ok:
        allowed = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be an integer {allowed}, got {value!r}")
    return int(value)


def number(name, value, low=None, high=None, low_open=False, high_open=False):
    """A finite real number (not a bool) between low and high, each bound closed unless *_open."""
    ok = (not isinstance(value, bool) and isinstance(value, numbers.Real) and np.isfinite(value)
          and (low is None or (value > low if low_open else value >= low))
          and (high is None or (value < high if high_open else value <= high)))
    if not ok:
        if high is None and low is not None:
            allowed = f"{'>' if low_open else '>='} {low:g}"
        elif low is None and high is not None:
            allowed = f"{'<' if high_open else '<='} {high:g}"
        else:
            lo = "-inf" if low is None else f"{low:g}"
            hi = "inf" if high is None else f"{high:g}"
            allowed = f"in {'(' if low_open or low is None else '['}{lo}, {hi}" \
                      f"{')' if high_open or high is None else ']'}"
        raise ValueError(f"{name} must be a finite number {allowed}, got {value!r}")
    return float(value)


def positive(name, value):
    """A finite number > 0 (a learning rate, an eps, a noise level)."""
    return number(name, value, low=0.0, low_open=True)


def rate(name, value):
    """A decay rate in [0, 1) (beta, beta1, beta2)."""
    return number(name, value, low=0.0, high=1.0, high_open=True)
